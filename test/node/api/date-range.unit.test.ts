// Unit (Node): from/to become an inclusive whole-day range on the date column, whatever its kind.
// The demo views have DATE and DATETIME date columns (covered end to end in
// test/worker/api/filters.integration.test.ts); a TIMESTAMP one is checked here on a variant of events.
import { describe, expect, it } from 'vitest';
import type { ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { nextDay } from '../../../worker/query/values.ts';

const range = (view: ViewDef, from: string, to: string) =>
  parseQuery(
    [
      ['from', from],
      ['to', to],
    ],
    { view, plan: 'professional' },
  ).query.filters.map((f) => ({ column: f.column.name, op: f.op, value: 'value' in f ? f.value : null }));

describe('from/to', () => {
  it('on a DATE column: gte from and lte to', () => {
    expect(range(VIEWS.events, '2026-11-01', '2026-11-30')).toEqual([
      { column: 'local_date', op: 'gte', value: '2026-11-01' },
      { column: 'local_date', op: 'lte', value: '2026-11-30' },
    ]);
  });

  it('on a DATETIME column: from midnight to before the midnight after to', () => {
    expect(range(VIEWS.hourly_offline_meeting_summary, '2026-11-01', '2026-11-30')).toEqual([
      { column: 'start_time', op: 'gte', value: '2026-11-01T00:00:00' },
      { column: 'start_time', op: 'lt', value: '2026-12-01T00:00:00' },
    ]);
  });

  it('on a TIMESTAMP column: the same range in UTC', () => {
    const byTimestamp: ViewDef = { ...VIEWS.events, dateColumn: 'utc_timestamp' };
    expect(range(byTimestamp, '2024-02-28', '2024-12-31')).toEqual([
      { column: 'utc_timestamp', op: 'gte', value: '2024-02-28T00:00:00Z' },
      { column: 'utc_timestamp', op: 'lt', value: '2025-01-01T00:00:00Z' },
    ]);
  });

  it.each([
    ['2024-02-28', '2024-02-29'],
    ['2023-02-28', '2023-03-01'],
    ['2026-12-31', '2027-01-01'],
    ['2026-04-30', '2026-05-01'],
  ])('the day after %s is %s', (day, next) => {
    expect(nextDay(day)).toBe(next);
  });
});
