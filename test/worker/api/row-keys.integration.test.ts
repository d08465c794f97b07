// Keyset paging is only as good as the row key it tie-breaks on. group_goals has no
// unique column: two groups with the same target are two identical rows, in BigQuery and in
// the demo warehouse alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { readRows } from '../../../worker/query/execute.ts';
import { rowsCanTie } from '../../../worker/query/model.ts';
import { compileSelect } from '../../../worker/query/sql.ts';
import { sqliteDialect } from '../../../worker/warehouse/d1/dialect.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import type { Cell, Warehouse } from '../../../worker/warehouse/types.ts';
import { harness, queryFor, seedRows } from '../../support/bigquery/harness.ts';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import { getRows, rowsPath, walkPages, type Keys } from './support/contract.ts';

const TARGETS = ['3.9', '6.5', '3.9', '3.9', '10.25', '6.5'];
const DATASET = 'ties';

let keys: Keys;
let warehouses: Record<'d1' | 'bigquery', Warehouse>;
beforeAll(async () => {
  keys = await seedTinyDemo();
  for (const dataset of ['acme', DATASET]) {
    await seedRows(
      dataset,
      'group_goals',
      TARGETS.map((t) => ({ core_activity_hrs_day: t })),
    );
  }
  const { warehouse } = await harness(DATASET, { standIn: { maxRowsPerPage: 2 }, client: { pageSize: 2 } });
  warehouses = { d1: new D1Warehouse(testEnv.DB, DATASET), bigquery: warehouse };
});

const sorted = [...TARGETS].sort((a, b) => Number(a) - Number(b));

describe('group_goals, whose row key (the target) is not unique', () => {
  it('holds duplicate targets in the demo table, as BigQuery can', async () => {
    const rows = await direct<{ n: number }>('SELECT COUNT(*) AS n FROM acme__group_goals');
    expect(rows[0]!.n).toBe(TARGETS.length);
  });

  it.each([1, 2, 4])('paged %i row(s) at a time, returns every row once, as one big page does', async (limit) => {
    const whole = await getRows(rowsPath('group_goals', 'limit=100'), keys.acme);
    expect(whole.rows.map((r) => String(r['core_activity_hrs_day']))).toEqual(sorted);
    const paged = await walkPages(rowsPath('group_goals', `limit=${limit}`), keys.acme);
    expect(paged.rows).toEqual(whole.rows);
    expect(paged.pages).toBe(Math.ceil(TARGETS.length / limit));
  });

  it('pages descending through the ties too', async () => {
    const paged = await walkPages(rowsPath('group_goals', 'limit=1&order=core_activity_hrs_day.desc'), keys.acme);
    expect(paged.rows.map((r) => String(r['core_activity_hrs_day']))).toEqual([...sorted].reverse());
  });

  it.each(['d1', 'bigquery'] as const)('reads every tied row on the %s warehouse in chunks of one', async (name) => {
    const query = { ...queryFor('group_goals', { order: 'core_activity_hrs_day' }), limit: 100 };
    const out: Cell[][] = [];
    for await (const row of readRows(warehouses[name], query, 1).rows) out.push(row);
    expect(out.map((r) => String(r[0]))).toEqual(sorted);
  });

  it.each([1, 2, 4])('reads every tied row once from D1 chunk by chunk, as an export does, in chunks of %i', async (chunk) => {
    const query = { ...queryFor('group_goals', { order: 'core_activity_hrs_day' }), limit: 100 };
    const out: Cell[][] = [];
    const read = readRows(warehouses.d1, query, chunk);
    for await (const rows of read.chunks) out.push(...rows);
    expect(out.map((r) => String(r[0]))).toEqual(sorted);
    expect(read.next()).toBeNull();
  });

  it('chunk by chunk, stops at the limit with the position the rest continues from', async () => {
    const query = { ...queryFor('group_goals', { order: 'core_activity_hrs_day' }), limit: 4 };
    const read = readRows(warehouses.d1, query, 1);
    const out: Cell[][] = [];
    for await (const rows of read.chunks) out.push(...rows);
    expect(out.map((r) => String(r[0]))).toEqual(sorted.slice(0, 4));
    const rest: Cell[][] = [];
    for await (const rows of readRows(warehouses.d1, { ...query, limit: 100, after: read.next()!.after, afterTies: read.next()!.ties }, 1)
      .chunks)
      rest.push(...rows);
    expect(rest.map((r) => String(r[0]))).toEqual(sorted.slice(4));
  });

  it('resumes at the tied position and skips the rows already returned there', () => {
    const query = { ...queryFor('group_goals'), after: ['3.9'], afterTies: 2 };
    const { sql, params } = compileSelect(query, sqliteDialect, 'acme__group_goals', 3);
    expect(sql).toContain('WHERE ((CAST("core_activity_hrs_day" AS NUMERIC) > ?1) OR (CAST("core_activity_hrs_day" AS NUMERIC) = ?1))');
    expect(sql).toMatch(/ LIMIT \?\d+ OFFSET \?\d+$/);
    expect(params.at(-1)).toEqual({ value: '2', type: 'INT64' });
  });

  it('reads an order key the output already returns from that column, and selects only the keys it does not', () => {
    const grouped = compileSelect(
      queryFor('group_goals', { group_by: 'core_activity_hrs_day', select: 'core_activity_hrs_day,count()' }),
      sqliteDialect,
      'acme__group_goals',
      3,
    );
    expect(grouped.keyColumns).toEqual([0]);
    expect(grouped.width).toBe(2);
    expect(grouped.sql).not.toMatch(/ AS k\d/);
    // events' row key is three columns; one selected, two asked for as hidden keyset columns.
    const events = compileSelect(queryFor('events', { select: 'user_id' }), sqliteDialect, 'acme__events', 3);
    expect(events.keyColumns.filter((c) => c === 0)).toHaveLength(1);
    expect(events.width).toBe(3);
    expect(events.sql.match(/ AS k\d/g)).toHaveLength(2);
  });

  it('keeps strict keyset paging, with no OFFSET, on views whose key is unique', () => {
    const query = { ...queryFor('events'), after: ['1', '2026-01-01T00:00:00Z', '1'] };
    expect(rowsCanTie(query)).toBe(false);
    expect(compileSelect(query, sqliteDialect, 'acme__events', 3).sql).not.toMatch(/OFFSET/);
  });
});
