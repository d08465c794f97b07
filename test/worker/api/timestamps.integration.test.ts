// Date and time values outside what the warehouses can hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, direct, seedTinyDemo } from '../support/demo.ts';
import { expectProblem, getRows, qs, rowsPath, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

describe('TIMESTAMP, DATETIME and DATE values stay within 0001-01-01..9999-12-31', () => {
  it.each([
    ['utc_timestamp', 'gt.9999-12-31T23:59:59-14:00', 'an offset that carries the instant past 9999'],
    ['utc_timestamp', 'lt.0001-01-01T00:00:00+01:00', 'an offset that carries the instant before year 1'],
    ['utc_timestamp', 'gt.2026-11-19T00:00:00-99:00', 'an offset beyond ±14:00'],
    ['local_date', 'gt.0000-01-01', 'year 0000, which no warehouse holds'],
  ])('rejects %s=%s (%s) with 400 instead of comparing it as text', async (column, filter) => {
    const path = rowsPath('events', qs({ [column]: filter, select: 'utc_timestamp', limit: 2 }));
    await expectProblem(await api(path, keys.acme), 400, 'invalid-parameter');
  });

  it('reads a TIMESTAMP in years 1-99 as that year, not as 1900-1999', async () => {
    const body = await getRows(
      rowsPath('events', qs({ utc_timestamp: 'gt.0099-01-01T00:00:00Z', select: 'utc_timestamp', limit: 1 })),
      keys.acme,
    );
    expect(body.rows).toHaveLength(1);
    expect(decodeURIComponent(body.next ?? '')).toContain('gt.0099-01-01T00:00:00Z');
  });

  it('to=9999-12-31 on a DATETIME date column keeps every row, like no upper bound', async () => {
    const all = await direct<{ n: number }>('SELECT COUNT(*) AS n FROM acme__hourly_offline_meeting_summary');
    const body = await getRows(
      rowsPath('hourly_offline_meeting_summary', qs({ from: '2000-01-01', to: '9999-12-31', select: 'row_id', limit: 10_000 })),
      keys.acme,
    );
    expect(body.row_count).toBe(all[0]!.n);
  });
});

describe('a fraction of a second in a filter value counts', () => {
  // The demo holds whole seconds; a bound between two seconds must act as that exact instant:
  // truncated to its second, `gte 08:15:00.5` would also return the row at 08:15:00.
  async function firstTimestamp(): Promise<string> {
    const [row] = await direct<{ t: string }>('SELECT MIN(utc_timestamp) AS t FROM acme__events');
    return row!.t;
  }
  const countWhere = async (op: string, value: string) =>
    (await getRows(rowsPath('events', qs({ utc_timestamp: `${op}.${value}`, select: 'utc_timestamp', limit: 10_000 })), keys.acme))
      .row_count;

  it.each([
    ['gte', '>'],
    ['gt', '>'],
    ['lt', '<='],
    ['lte', '<='],
  ])('%s with a half second selects the rows %s the whole second', async (op, sqlOp) => {
    const first = await firstTimestamp();
    const half = first.replace(/Z$/, '.5Z');
    const [expected] = await direct<{ n: number }>(`SELECT COUNT(*) AS n FROM acme__events WHERE utc_timestamp ${sqlOp} ?`, first);
    expect(await countWhere(op, half)).toBe(expected!.n);
  });

  it('eq with a fraction matches no whole-second row, and .000 is the whole second', async () => {
    const first = await firstTimestamp();
    expect(await countWhere('eq', first.replace(/Z$/, '.25Z'))).toBe(0);
    expect(await countWhere('eq', first.replace(/Z$/, '.000Z'))).toBeGreaterThan(0);
  });

  it('keeps the fraction in the next link, so the next page asks the same question', async () => {
    const first = await firstTimestamp();
    const body = await getRows(
      rowsPath('events', qs({ utc_timestamp: `gte.${first.replace(/Z$/, '.500Z')}`, select: 'utc_timestamp', limit: 1 })),
      keys.acme,
    );
    expect(decodeURIComponent(body.next ?? '')).toContain(`gte.${first.replace(/Z$/, '.5Z')}`);
  });
});
