import { describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { SCALAR_TYPES } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { apiKeyText, DURATION_COLUMNS, keyText, sheetColumns, toCell, type CellContext } from '../../../apps-script/sheets/columns.ts';
import { formatDate, parseDate } from '../../support/apps-script/utilities.ts';

// Number formats and cell values come from the column types in the definitions.

const ctx: CellContext = { timeZone: 'America/New_York', utilities: { formatDate, parseDate }, durations: 'seconds', literalText: false };

describe('sheet columns', () => {
  it('formats every type the definitions use', () => {
    const formats = Object.fromEntries(
      sheetColumns(
        SCALAR_TYPES.map((type) => ({ name: `c_${type}`, type })),
        'seconds',
      ).map((c) => [c.type, c.numberFormat]),
    );
    expect(formats).toEqual({
      INT64: '0',
      NUMERIC: '#,##0.00',
      FLOAT64: '#,##0.00',
      STRING: '@',
      BOOL: '0.###############',
      DATE: 'yyyy-mm-dd',
      DATETIME: 'yyyy-mm-dd hh:mm:ss',
      TIMESTAMP: 'yyyy-mm-dd hh:mm:ss',
      TIME: 'hh:mm:ss',
    });
  });

  it('knows the duration columns from the definitions, and their aggregates', () => {
    const seconds = Object.values(VIEWS).flatMap((v) =>
      leafColumns(v)
        .filter((c) => /seconds|_sec$/.test(c.name) && c.type === 'INT64')
        .map((c) => c.name),
    );
    expect([...DURATION_COLUMNS].sort()).toEqual([...new Set(seconds)].sort());
    const [sum, count, plain] = sheetColumns(
      [
        { name: 'sum_productive_active_duration_seconds', type: 'INT64' },
        { name: 'count', type: 'INT64' },
        { name: 'duration_sec', type: 'INT64' },
      ],
      'hms',
    );
    expect([sum!.numberFormat, count!.numberFormat, plain!.numberFormat]).toEqual(['[h]:mm:ss', '0', '[h]:mm:ss']);
    expect(toCell(5400, sum!, { ...ctx, durations: 'hms' })).toBe(5400 / 86_400);
  });

  it('turns API values into cells: wall-clock dates in the sheet zone, instants as instants', () => {
    const [date, datetime, timestamp, time, bool, text] = sheetColumns(
      ['DATE', 'DATETIME', 'TIMESTAMP', 'TIME', 'BOOL', 'STRING'].map((type, i) => ({ name: `c${i}`, type })),
      'seconds',
    );
    expect((toCell('2026-11-01', date!, ctx) as Date).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect((toCell('2026-11-01T09:30:00', datetime!, ctx) as Date).toISOString()).toBe('2026-11-01T14:30:00.000Z');
    expect((toCell('2026-11-01T09:30:00Z', timestamp!, ctx) as Date).toISOString()).toBe('2026-11-01T09:30:00.000Z');
    expect(toCell('12:00:00', time!, ctx)).toBe(0.5);
    expect(toCell(true, bool!, ctx)).toBe(true);
    expect(toCell(null, text!, ctx)).toBe('');
    expect(toCell("'=SUM(A1)", text!, ctx)).toBe("'=SUM(A1)");
    expect(toCell("'=SUM(A1)", text!, { ...ctx, literalText: true })).toBe('=SUM(A1)');
  });

  it('reads a key cell back in the API form, so merge finds the row it wrote', () => {
    const columns = sheetColumns(
      ['DATE', 'DATETIME', 'TIMESTAMP', 'TIME', 'INT64', 'STRING'].map((type, i) => ({ name: `k${i}`, type })),
      'seconds',
    );
    const values = ['2026-03-08', '2026-03-08T02:30:00', '2026-03-08T07:00:00Z', '08:15:00', 42, "'+1 212"];
    // What Sheets keeps of a written value: the apostrophe marks text and is not stored.
    const stored = (v: unknown) => (typeof v === 'string' && v.startsWith("'") ? v.slice(1) : v);
    columns.forEach((column, i) => {
      const cell = stored(toCell(values[i]!, column, ctx)) as ReturnType<typeof toCell>;
      if (column.type === 'DATETIME') return; // 02:30 does not exist in New York that night
      expect(keyText(cell, column, ctx)).toBe(apiKeyText(values[i]!, column));
    });
  });
});
