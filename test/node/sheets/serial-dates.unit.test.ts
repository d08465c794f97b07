// The add-on asks for dates=serial (fewer bytes) and turns the numbers back into the ISO text
// it got before, so the cells it writes, the merge keys it matches and what a custom function
// returns are the same as before the option, in every spreadsheet time zone.
import { describe, expect, it } from 'vitest';
import { isoDatesInPlace, REQUESTED_DATES } from '../../../apps-script/api/serial-dates.ts';
import type { ApiCell } from '../../../apps-script/api/client.ts';
import { queryBody } from '../../../apps-script/query/spec.ts';
import { apiKeyText, keyText, sheetColumns, toCell, type CellContext } from '../../../apps-script/sheets/columns.ts';
import type { DateForm } from '../../../shared/query-vocabulary.ts';
import { ENCODERS } from '../../../worker/format/encoders.ts';
import type { OutputColumn } from '../../../worker/query/model.ts';
import type { Cell } from '../../../worker/warehouse/types.ts';
import { formatDate, parseDate } from '../../support/apps-script/utilities.ts';

const columns: readonly OutputColumn[] = [
  { name: 'local_date', type: 'DATE' },
  { name: 'account_datetime', type: 'DATETIME' },
  { name: 'utc_timestamp', type: 'TIMESTAMP' },
  { name: 'start_time', type: 'TIME' },
  { name: 'user_id', type: 'INT64' },
];
/** Warehouse cells, edge dates among them: Sheets' day 0, the day after Lotus' false leap day, leap days, the year 9999. */
const rows: Cell[][] = [
  ['2026-01-01', '2026-01-01T08:15:01', '2026-01-01T15:46:09Z', '08:15:00', '1'],
  ['1899-12-30', '1899-12-30T00:00:00', '1899-12-30T00:00:00Z', '00:00:00', '2'],
  ['1900-03-01', '1900-03-01T06:00:00', '1900-03-01T06:00:00Z', '06:00:00', '3'],
  ['2024-02-29', '2024-02-29T23:59:59', '2024-02-29T23:59:59Z', '23:59:59', '4'],
  ['9999-12-31', '9999-12-31T23:59:59', '9999-12-31T23:59:59Z', '23:59:59', '5'],
  ['2026-03-08', '2026-03-08T07:00:00.5', '2026-03-08T07:00:00.123456Z', '12:00:00', '6'],
  [null, null, null, null, '7'],
];

/** A values page as the Worker writes it, parsed as the add-on parses it (JSON.parse). */
function page(dates: DateForm): { columns: OutputColumn[]; values: ApiCell[][]; text: string } {
  const encoder = ENCODERS.values;
  const row = encoder.compile(columns, dates);
  const text =
    encoder.head(columns, 'events') +
    rows.map((cells, i) => row(cells, i)).join('') +
    encoder.tail({ view: 'events', next: null, nextCursor: null, rowCount: rows.length });
  return { ...(JSON.parse(text) as { columns: OutputColumn[]; values: ApiCell[][] }), text };
}

const ZONES = ['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
const contextIn = (timeZone: string): CellContext => ({
  timeZone,
  utilities: { formatDate, parseDate },
  durations: 'seconds',
  literalText: false,
});
/** What Sheets keeps of a written cell and hands back to getValues. */
const stored = (cell: unknown) => (cell instanceof Date ? new Date(cell.getTime()) : cell) as ReturnType<typeof toCell>;

describe('dates=serial in the add-on', () => {
  it('asks for it in every query body: insert, refresh pages and custom functions all build theirs here', () => {
    expect(queryBody({ view: 'events' }, { limit: 10 })).toMatchObject({ format: 'values', dates: 'serial' });
    expect(REQUESTED_DATES).toBe('serial');
  });

  it('gets back exactly the values an ISO page holds, header and nulls included', () => {
    const serial = page('serial');
    // On the wire the dates are numbers, TIME and nulls as before.
    expect(serial.text).toContain(',[46023,46023.343761574074,1767282369,"08:15:00",1],');
    expect(serial.text).toContain(',["","","","",7]]');
    isoDatesInPlace(serial.columns, serial.values);
    expect(serial.values).toEqual(page('iso').values);
  });

  it('writes the same cells and merge keys as an ISO page in every time zone, so a sheet written before refreshes onto its own rows', () => {
    const serial = page('serial');
    isoDatesInPlace(serial.columns, serial.values);
    const iso = page('iso');
    const sheet = sheetColumns('events', iso.columns, 'seconds');
    for (const zone of ZONES) {
      const ctx = contextIn(zone);
      for (let r = 1; r < iso.values.length; r++) {
        sheet.forEach((column, i) => {
          const where = `${zone} row ${r} ${column.name}`;
          const before = toCell(iso.values[r]![i]!, column, ctx);
          const now = toCell(serial.values[r]![i]!, column, ctx);
          expect(now, where).toEqual(before);
          // Merge: the key of the new row is the key the old add-on gave the same row...
          expect(apiKeyText(serial.values[r]![i]!, column), where).toBe(apiKeyText(iso.values[r]![i]!, column));
          // ...and the key read back from a cell the old add-on wrote is the one the new row gets.
          expect(keyText(stored(before), column, ctx), where).toBe(keyText(stored(now), column, ctx));
        });
      }
    }
  });

  it('keeps how a UTC timestamp lands today: one instant in every zone, keyed in UTC, shown by the sheet in its own zone', () => {
    const [timestamp] = sheetColumns(undefined, [{ name: 'utc_timestamp', type: 'TIMESTAMP' }], 'seconds');
    const serial = page('serial');
    isoDatesInPlace(serial.columns, serial.values);
    for (const zone of ZONES) {
      const ctx = contextIn(zone);
      const cell = toCell(serial.values[1]![2]!, timestamp!, ctx) as Date;
      expect(cell.toISOString(), zone).toBe('2026-01-01T15:46:09.000Z');
      expect(keyText(cell, timestamp!, ctx), zone).toBe('2026-01-01T15:46:09Z');
      expect(apiKeyText(serial.values[1]![2]!, timestamp!), zone).toBe('2026-01-01T15:46:09Z');
      // A fraction of a second reaches the cell to the millisecond, as new Date() reads ISO text.
      expect((toCell(serial.values[6]![2]!, timestamp!, ctx) as Date).toISOString(), zone).toBe('2026-03-08T07:00:00.123Z');
    }
    // The number format the add-on sets shows it in the spreadsheet's zone: 10:46:09 in New York.
    expect(timestamp!.numberFormat).toBe('yyyy-mm-dd hh:mm:ss');
    expect(formatDate(toCell(serial.values[1]![2]!, timestamp!, contextIn('UTC')) as Date, 'America/New_York', 'yyyy-MM-dd HH:mm:ss')).toBe(
      '2026-01-01 10:46:09',
    );
  });

  it('leaves a page without numbered columns, and cells that are not numbers, as they came', () => {
    const values: ApiCell[][] = [['a'], ['2026-01-01']];
    isoDatesInPlace([{ type: 'DATE' }], values);
    expect(values).toEqual([['a'], ['2026-01-01']]);
    const counts: ApiCell[][] = [['n'], [46023]];
    isoDatesInPlace([{ type: 'INT64' }], counts);
    expect(counts).toEqual([['n'], [46023]]);
  });
});
