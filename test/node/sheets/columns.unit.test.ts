import { describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { SCALAR_TYPES } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import {
  apiKeyText,
  CUT_MARKER,
  DURATION_COLUMNS,
  keyText,
  MAX_CELL_CHARACTERS,
  sheetColumns,
  toCell,
  type CellContext,
} from '../../../apps-script/sheets/columns.ts';
import { formatDate, parseDate } from '../../support/apps-script/utilities.ts';

// Number formats and cell values come from the column types in the definitions.

const ctx: CellContext = { timeZone: 'America/New_York', utilities: { formatDate, parseDate }, durations: 'seconds', literalText: false };

describe('sheet columns', () => {
  it('formats every type the definitions use', () => {
    const formats = Object.fromEntries(
      sheetColumns(
        undefined,
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

  it('knows the duration columns from the unit on their definition, per view, and their aggregates', () => {
    const seconds = (view: keyof typeof VIEWS) => [...DURATION_COLUMNS.get(view)!].sort();
    expect(seconds('events')).toEqual(['duration_sec']);
    expect(seconds('hourly_offline_meeting_summary')).toEqual(['duration_seconds_in_hour']);
    expect(seconds('daily_group_benchmarks')).toEqual([
      'focused_seconds_all',
      'focused_seconds_top25',
      'productive_seconds_all',
      'productive_seconds_top25',
    ]);
    // Minutes are not seconds, whatever the name says; views without durations have none.
    expect(seconds('user_work_schedules')).toEqual([]);
    expect(Object.values(VIEWS).reduce((n, v) => n + DURATION_COLUMNS.get(v.name)!.size, 0)).toBe(28);
    for (const view of Object.values(VIEWS)) {
      for (const column of leafColumns(view).filter((c) => c.unit === 'seconds')) {
        expect(['INT64', 'NUMERIC', 'FLOAT64']).toContain(column.type);
      }
    }

    const [sum, count, plain, otherView] = [
      ...sheetColumns(
        'daily_user_summary',
        [
          { name: 'sum_productive_active_duration_seconds', type: 'INT64' },
          { name: 'count', type: 'INT64' },
        ],
        'hms',
      ),
      ...sheetColumns('events', [{ name: 'duration_sec', type: 'INT64' }], 'hms'),
      // The unit belongs to the view's column: the same name elsewhere is not a duration.
      ...sheetColumns('users', [{ name: 'duration_sec', type: 'INT64' }], 'hms'),
    ];
    expect([sum!.numberFormat, count!.numberFormat, plain!.numberFormat, otherView!.numberFormat]).toEqual([
      '[h]:mm:ss',
      '0',
      '[h]:mm:ss',
      '0',
    ]);
    expect(toCell(5400, sum!, { ...ctx, durations: 'hms' })).toBe(5400 / 86_400);
  });

  it('cuts text longer than a cell holds with a visible marker, never splitting a character', () => {
    const [text] = sheetColumns('events', [{ name: 'titlebar', type: 'STRING' }], 'seconds');
    const exact = 'x'.repeat(MAX_CELL_CHARACTERS);
    expect(toCell(exact, text!, ctx)).toBe(exact);
    const cut = toCell('y'.repeat(MAX_CELL_CHARACTERS + 1), text!, ctx) as string;
    expect(cut).toHaveLength(MAX_CELL_CHARACTERS);
    expect(cut.endsWith('… [cut: 50,000-character cell limit]')).toBe(true);
    // An emoji (two UTF-16 units) straddling the cut is dropped whole.
    const kept = MAX_CELL_CHARACTERS - CUT_MARKER.length - 1;
    const cutEmoji = toCell('z'.repeat(kept) + '😀'.repeat(30), text!, ctx) as string;
    expect(cutEmoji.length).toBe(kept + CUT_MARKER.length);
    expect(cutEmoji.slice(kept - 2)).toBe(`zz${CUT_MARKER}`);
  });

  it('turns API values into cells: wall-clock dates in the sheet zone, instants as instants', () => {
    const [date, datetime, timestamp, time, bool, text] = sheetColumns(
      undefined,
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
      undefined,
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
