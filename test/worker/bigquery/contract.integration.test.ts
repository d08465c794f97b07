/**
 * The same queries against the D1 demo warehouse and the BigQuery backend (through the
 * stand-in, over the same generated demo rows) must give the same rows and keyset positions,
 * for every view: what a client sees cannot depend on which warehouse holds the account.
 * The stand-in holds a view with a REPEATED record as BigQuery does, one row per parent with
 * the elements in an array, so the record views here run the product's LEFT JOIN UNNEST for
 * real against nested data, not against the demo's flat rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import { readRows } from '../../../worker/query/execute.ts';
import type { Query } from '../../../worker/query/model.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import type { Cell, Page, Warehouse } from '../../../worker/warehouse/types.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { db, harness, queryFor, seedStandInDemo } from '../../support/bigquery/harness.ts';
import { isNested, repeatedRecords, standInTable } from '../../support/bigquery/nested.ts';
import type { BigQueryStandIn } from '../../support/bigquery/standin.ts';
import { seedTinyDemo, TEST_END_DATE, TEST_SEED } from '../support/demo.ts';

const DATASET = 'acme';
let d1: Warehouse;
let bq: Warehouse;
let standIn: BigQueryStandIn;

beforeAll(async () => {
  await seedTinyDemo();
  // The stand-in holds record views nested, folded from the same generated rows.
  await seedStandInDemo(DATASET, { size: 'tiny', seed: TEST_SEED, endDate: TEST_END_DATE });
  d1 = new D1Warehouse(db, DATASET);
  // Small BigQuery pages, so every query also crosses getQueryResults page tokens.
  ({ warehouse: bq, standIn } = await harness(DATASET, {
    standIn: { maxRowsPerPage: 37, pollsBeforeComplete: 1 },
    client: { pageSize: 50 },
  }));
});

/**
 * Floats are compared to 12 significant digits: an AVG is a float in both backends, but
 * BigQuery's AVG over NUMERIC is an exact decimal rounded to 9 places.
 *
 * NUMERIC text is compared by value here: the D1 backend returns the demo's stored '6.0'
 * where BigQuery writes 6 as "6". That difference is pinned separately below.
 */
function normalise(cells: readonly (Cell | undefined)[], types: readonly ScalarType[]): unknown[] {
  return cells.map((c, i) => {
    if (typeof c === 'number' && !Number.isInteger(c)) return Number(c.toPrecision(12));
    if (typeof c === 'string' && types[i] === 'NUMERIC' && c.includes('.')) return c.replace(/\.?0+$/, '');
    return c;
  });
}

const outputTypes = (query: Query) => query.output.map((o) => o.type);
const keyTypes = (query: Query) => query.order.map((t) => t.item.type);

async function both(query: Query, limit = 100_000): Promise<[Page, Page]> {
  return Promise.all([d1.page(query, limit), bq.page(query, limit)]);
}

async function expectSame(query: Query, label = ''): Promise<Page> {
  const [a, b] = await both(query);
  const rows = (p: Page) => p.rows.map((r) => normalise(r, outputTypes(query)));
  const keys = (p: Page) => p.keys.map((k) => normalise(k, keyTypes(query)));
  expect(rows(b), label).toEqual(rows(a));
  expect(keys(b), label).toEqual(keys(a));
  return a;
}

async function collect(warehouse: Warehouse, query: Query, chunk: number): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const row of readRows(warehouse, query, chunk).rows) out.push(normalise(row, outputTypes(query)));
  return out;
}

/** A value as a user would type it in a filter. */
const text = (cell: Cell): string => String(cell);

function columnsOf(view: ViewDef) {
  return leafColumns(view);
}

/**
 * A filter operand for each operator, taken from the data so filters select something: per
 * type, the column with the most distinct values gets every comparison; every nullable
 * column gets is.null.
 */
function filterCases(view: ViewDef, all: Page, names: readonly string[]): [string, string][][] {
  const cases: [string, string][][] = [];
  const best = new Map<ScalarType, { name: string; distinct: string[] }>();
  for (const column of columnsOf(view)) {
    const index = names.indexOf(column.name);
    if (index === -1) continue;
    const values = all.rows.map((r) => r[index]!).filter((v): v is Exclude<Cell, null> => v !== null);
    if (values.length < all.rows.length) cases.push([[column.name, 'is.null']], [[column.name, 'not.is.null']]);
    const distinct = [...new Set(values.map(text))].sort();
    if (distinct.length > (best.get(column.type)?.distinct.length ?? 0)) best.set(column.type, { name: column.name, distinct });
  }
  for (const [type, { name, distinct }] of best) {
    const middle = distinct[Math.floor(distinct.length / 2)]!;
    if (type === 'BOOL') {
      cases.push([[name, `eq.${middle}`]], [[name, 'is.true']], [[name, 'not.is.false']]);
      continue;
    }
    for (const op of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'not.eq']) cases.push([[name, `${op}.${middle}`]]);
    cases.push([
      [
        name,
        `in.(${distinct
          .slice(0, 3)
          .map((v) => `"${v.replaceAll('"', '\\"')}"`)
          .join(',')})`,
      ],
    ]);
    if (type === 'STRING') {
      const sample = middle.replace(/[*%_\\]/g, '');
      cases.push([[name, `like.${sample.slice(0, 2)}*`]]);
      cases.push([[name, `like.${sample.slice(0, 2).toLowerCase()}*`]]);
      cases.push([[name, `ilike.*${sample.slice(1, 3).toUpperCase()}*`]]);
      cases.push([[name, `not.like.*${sample.slice(-1)}`]]);
    }
  }
  return cases;
}

const numeric = (t: ScalarType) => t === 'INT64' || t === 'FLOAT64' || t === 'NUMERIC';

describe.each(VIEW_NAMES.map((name) => [name, VIEWS[name] as ViewDef] as const))('%s', (name, view) => {
  const columns = leafColumns(view).map((c) => c.name);

  it('returns every row of every column identically', async () => {
    const all = await expectSame(queryFor(name));
    expect(all.rows.length).toBeGreaterThan(0);
  });

  it('filters identically with every operator', async () => {
    const all = await d1.page(queryFor(name), 100_000);
    const cases = filterCases(view, all, columns);
    if (view.dateColumn) {
      const index = columns.indexOf(view.dateColumn);
      const day = String(all.rows[Math.floor(all.rows.length / 2)]![index]).slice(0, 10);
      cases.push(
        [['from', day]],
        [['to', day]],
        [
          ['from', day],
          ['to', day],
        ],
      );
    }
    expect(cases.length).toBeGreaterThan(0);
    let selective = 0;
    for (const params of cases) {
      const matched = await expectSame(queryFor(name, params), `${name} ${JSON.stringify(params)}`);
      if (matched.rows.length > 0 && matched.rows.length < all.rows.length) selective++;
    }
    // The operands come from the data, so most filters keep some rows and drop others.
    expect(selective).toBeGreaterThan(cases.length / 3);
  });

  it('orders descending identically, NULLs last', async () => {
    for (const column of leafColumns(view).slice(0, 6))
      await expectSame(queryFor(name, { order: `${column.name}.desc` }), `${name} order=${column.name}.desc`);
  });

  it('pages with keyset cursors identically, without gaps or repeats', async () => {
    const order = leafColumns(view).find((c) => !view.rowKey.includes(c.name))?.name ?? columns[0]!;
    const query = { ...queryFor(name, { order: `${order}.desc` }), limit: 100_000 };
    const whole = (await d1.page(query, 100_000)).rows.map((r) => normalise(r, outputTypes(query)));
    const chunk = Math.max(2, Math.ceil(whole.length / 4));
    const [pagedD1, pagedBq] = await Promise.all([collect(d1, query, chunk), collect(bq, query, chunk)]);
    expect(pagedD1).toEqual(whole);
    expect(pagedBq).toEqual(whole);
  });

  it('groups with every aggregate identically, and pages through the groups', async () => {
    // Prefer a column with few values; views with none group by a non-key column, or their only one.
    const leaves = leafColumns(view);
    const group =
      leaves.find((c) => c.type === 'STRING' || c.type === 'DATE' || c.type === 'BOOL') ??
      leaves.find((c) => !view.rowKey.includes(c.name) && c.type !== 'FLOAT64') ??
      leaves[0]!;
    const measure = leafColumns(view).find((c) => numeric(c.type) && c.name !== group.name);
    const other = leafColumns(view).find((c) => c.name !== group.name && c.name !== measure?.name);
    const select = [
      group.name,
      'count()',
      ...(measure
        ? [`sum(${measure.name})`, `avg(${measure.name})`, `min(${measure.name})`, `max(${measure.name})`, `count(${measure.name})`]
        : []),
      ...(other ? [`min(${other.name})`, `max(${other.name})`] : []),
    ].join(',');
    const query = { ...queryFor(name, { select, group_by: group.name, order: 'count().desc' }), limit: 100_000 };
    const all = await expectSame(query);
    expect(all.rows.length).toBeGreaterThan(0);
    const [pagedD1, pagedBq] = await Promise.all([collect(d1, query, 2), collect(bq, query, 2)]);
    expect(pagedBq).toEqual(pagedD1);
    expect(pagedD1).toEqual(all.rows.map((r) => normalise(r, outputTypes(query))));
  });
});

const NUMERIC_VIEWS = VIEW_NAMES.filter((name) => leafColumns(VIEWS[name]).some((c) => c.type === 'NUMERIC'));

describe('NUMERIC text', () => {
  // D1 stores '6.0'; BigQuery's API writes '6'. Both must give the same bytes and ETags.
  it.each(NUMERIC_VIEWS)('%s: D1 writes NUMERIC digit for digit as BigQuery does', async (name) => {
    const query = queryFor(name);
    const [a, b] = await both(query);
    expect(b.rows).toEqual(a.rows);
  });
});

const RECORD_VIEWS = VIEW_NAMES.filter((name) => isNested(VIEWS[name]));
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

describe('record views on the nested stand-in', () => {
  it('covers every view the definitions give a REPEATED record', () => {
    expect(RECORD_VIEWS.length).toBeGreaterThan(0);
    for (const name of VIEW_NAMES)
      expect(RECORD_VIEWS.includes(name)).toBe(leafColumns(VIEWS[name]).some((c) => c.record?.mode === 'REPEATED'));
  });

  it.each(RECORD_VIEWS)('%s: the stand-in holds one row per parent, with every flat element in its array', async (name) => {
    const view = VIEWS[name] as ViewDef;
    const [record] = repeatedRecords(view);
    const fields = record!.fields.map((f) => q(`${record!.name}.${f.name}`));
    const parentKey = view.rowKey.filter((k) => !k.startsWith(`${record!.name}.`)).map(q);
    const flat = q(tableName(DATASET, name));
    const nested = q(standInTable(DATASET, view));
    const [parents, elements, stored, longest] = await db.batch<{ n: number }>([
      db.prepare(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT ${parentKey.join(', ')} FROM ${flat})`),
      db.prepare(`SELECT COUNT(*) AS n FROM ${flat} WHERE ${fields.map((f) => `${f} IS NOT NULL`).join(' OR ')}`),
      db.prepare(`SELECT COUNT(*) AS n, SUM(json_array_length(${q(record!.name)})) AS elements FROM ${nested}`),
      db.prepare(`SELECT MAX(json_array_length(${q(record!.name)})) AS n FROM ${nested}`),
    ]);
    const storedRow = stored!.results[0] as unknown as { n: number; elements: number };
    expect(storedRow.n).toBe(parents!.results[0]!.n);
    expect(storedRow.elements).toBe(elements!.results[0]!.n);
    expect(longest!.results[0]!.n, 'some parent holds at least one element').toBeGreaterThan(0);
  });

  it.each(RECORD_VIEWS)('%s: the product query unnests the stored arrays and gives the D1 rows, row for row', async (name) => {
    const before = standIn.jobs().length;
    const all = await expectSame(queryFor(name));
    expect(all.rows.length).toBeGreaterThan(0);
    const jobs = standIn.jobs().slice(before);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job.sql).toContain('LEFT JOIN UNNEST(t.');
      expect(job.sqlite).toContain(`FROM ${q(standInTable(DATASET, VIEWS[name]))} AS t LEFT JOIN json_each(t.`);
    }
  });
});
