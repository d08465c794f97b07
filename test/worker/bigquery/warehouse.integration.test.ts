/**
 * BigQueryWarehouse end to end through the stand-in, on hand-made rows that the demo data
 * does not reach: INT64 beyond 2^53, case in LIKE, users without agents, fractional and
 * boundary times. Each case also runs on D1Warehouse: the two must agree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../worker/http/errors.ts';
import { readRows } from '../../../worker/query/execute.ts';
import type { Query } from '../../../worker/query/model.ts';
import type { Tenant } from '../../../worker/tenants/tenants.ts';
import { bigQueryConfig, bigQueryWarehouseFor } from '../../../worker/warehouse/bigquery/warehouse.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import { decodeRow, type TableRow, type TableSchema } from '../../../worker/warehouse/bigquery/rows.ts';
import type { Cell, Warehouse } from '../../../worker/warehouse/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { db, harness, queryFor, seedRows } from '../../support/bigquery/harness.ts';
import { standInTable } from '../../support/bigquery/nested.ts';

const DATASET = 'edge';
const BIG = '9007199254740993'; // 2^53 + 1: a JavaScript number would read 9007199254740992

let d1: Warehouse;
let bq: Warehouse;

beforeAll(async () => {
  await seedRows(DATASET, 'users', [
    { uid: BIG, 'agents.agent_id': '9223372036854775807', 'agents.user_name': 'ada', display_name: 'Ada', tracked: 1 },
    { uid: BIG, 'agents.agent_id': 2, 'agents.user_name': 'ada2', display_name: 'Ada', tracked: 1 },
    { uid: 2, 'agents.agent_id': 3, 'agents.user_name': 'bob', display_name: 'ada lovelace', tracked: 0 },
    { uid: 3, 'agents.agent_id': null, display_name: 'Ünïcode_100%', tracked: null },
    { uid: 4, 'agents.agent_id': 4, display_name: null, tracked: 1 },
  ]);
  await seedRows(DATASET, 'events', [
    {
      user_id: 1,
      computer_id: 1,
      utc_timestamp: '2026-11-19T23:59:59Z',
      local_datetime: '2026-11-19T18:59:59',
      local_time: '18:59:59',
      local_date: '2026-11-19',
      potential_file_transfer: 1,
    },
    {
      user_id: 1,
      computer_id: 1,
      utc_timestamp: '2026-11-20T00:00:00Z',
      local_datetime: '2026-11-19T19:00:00',
      local_time: '19:00:00',
      local_date: '2026-11-19',
      potential_file_transfer: 0,
    },
    {
      user_id: 1,
      computer_id: 2,
      utc_timestamp: '1970-01-01T00:00:00Z',
      local_datetime: '1969-12-31T19:00:00',
      local_time: '00:00:00',
      local_date: '1969-12-31',
      potential_file_transfer: null,
    },
    {
      user_id: 2,
      computer_id: 1,
      utc_timestamp: '2038-01-19T03:14:08Z',
      local_datetime: '2038-01-18T22:14:08',
      local_time: '23:59:59',
      local_date: '2038-01-18',
      potential_file_transfer: 1,
    },
  ]);
  await seedRows(DATASET, 'group_goals', [
    { core_activity_hrs_day: '9.5' },
    { core_activity_hrs_day: '10.25' },
    { core_activity_hrs_day: '2.75' },
  ]);
  d1 = new D1Warehouse(db, DATASET);
  ({ warehouse: bq } = await harness(DATASET, { standIn: { maxRowsPerPage: 2 }, client: { pageSize: 3 } }));
});

async function rows(warehouse: Warehouse, query: Query): Promise<Cell[][]> {
  return (await warehouse.page(query, 1000)).rows;
}

async function agree(query: Query): Promise<Cell[][]> {
  const [a, b] = await Promise.all([rows(d1, query), rows(bq, query)]);
  expect(b).toEqual(a);
  return b;
}

describe('values that must survive exactly', () => {
  it('returns INT64 beyond 2^53 digit for digit, and filters and pages on it', async () => {
    const all = await agree(queryFor('users', { select: 'uid,agents.agent_id' }));
    expect(all).toContainEqual([BIG, '9223372036854775807']);
    expect(await agree(queryFor('users', { select: 'agents.agent_id', uid: `eq.${BIG}` }))).toEqual([['2'], ['9223372036854775807']]);
    const page = await bq.page(queryFor('users', { select: 'uid', order: 'uid.desc' }), 2);
    expect(page.keys).toEqual([
      [BIG, '2'],
      [BIG, '9223372036854775807'],
    ]);
  });

  it('reads TIMESTAMP, DATETIME, TIME and DATE as the same ISO text, epoch and 2038 included', async () => {
    const got = await agree(queryFor('events', { select: 'utc_timestamp,local_datetime,local_time,local_date', order: 'utc_timestamp' }));
    expect(got[0]).toEqual(['1970-01-01T00:00:00Z', '1969-12-31T19:00:00', '00:00:00', '1969-12-31']);
    expect(got.at(-1)).toEqual(['2038-01-19T03:14:08Z', '2038-01-18T22:14:08', '23:59:59', '2038-01-18']);
  });

  it('filters TIMESTAMP at a day boundary with from/to on the date column', async () => {
    expect(await agree(queryFor('events', { select: 'utc_timestamp', utc_timestamp: 'gte.2026-11-20T00:00:00Z' }))).toEqual([
      ['2026-11-20T00:00:00Z'],
      ['2038-01-19T03:14:08Z'],
    ]);
    expect(await agree(queryFor('events', { select: 'local_date', from: '2026-11-19', to: '2026-11-19' }))).toHaveLength(2);
  });

  it('reads BOOL as booleans and filters with is.true, eq.false and is.null', async () => {
    expect(await agree(queryFor('events', { select: 'potential_file_transfer', potential_file_transfer: 'is.true' }))).toEqual([
      [true],
      [true],
    ]);
    expect(await agree(queryFor('events', { select: 'potential_file_transfer', potential_file_transfer: 'eq.false' }))).toEqual([[false]]);
    expect(await agree(queryFor('events', { select: 'user_id', potential_file_transfer: 'is.null' }))).toEqual([['1']]);
  });
});

describe('text matching', () => {
  it('like is case-sensitive and ilike is not, on both warehouses', async () => {
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'like.Ada*' }))).toEqual([['Ada'], ['Ada']]);
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'ilike.ada*' }))).toEqual([
      ['ada lovelace'],
      ['Ada'],
      ['Ada'],
    ]);
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'like.*love*' }))).toEqual([['ada lovelace']]);
  });

  it('treats _ as one character and keeps non-ASCII text intact', async () => {
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'like.Ünïcode_100*' }))).toEqual([['Ünïcode_100%']]);
    expect(await agree(queryFor('users', { select: 'uid', display_name: 'like.A_a' }))).toEqual([[BIG], [BIG]]);
  });

  it('a backslash escapes a wildcard in like on both warehouses', async () => {
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'like.Ünïcode\\_100*' }))).toEqual([['Ünïcode_100%']]);
    expect(await agree(queryFor('users', { select: 'display_name', display_name: 'like.A\\_a' }))).toEqual([]);
  });
});

describe('flattened REPEATED records', () => {
  it('keeps a user without agents as one row with NULL agent fields, ordered first', async () => {
    const got = await agree(queryFor('users', { select: 'uid,agents.agent_id', order: 'agents.agent_id' }));
    expect(got[0]).toEqual(['3', null]);
  });

  it('groups across the flattened rows', async () => {
    expect(await agree(queryFor('users', { select: 'uid,count(),max(agents.agent_id)', group_by: 'uid', order: 'uid' }))).toEqual([
      ['2', '1', '3'],
      ['3', '1', null],
      ['4', '1', '4'],
      [BIG, '2', '9223372036854775807'],
    ]);
  });

  it('pages through users with NULLs in the order keys, across BigQuery result pages', async () => {
    const query = { ...queryFor('users', { select: 'uid,display_name', order: 'display_name.desc' }), limit: 100 };
    const collect = async (w: Warehouse) => {
      const out: Cell[][] = [];
      for await (const row of readRows(w, query, 2).rows) out.push(row);
      return out;
    };
    const [a, b] = await Promise.all([collect(d1), collect(bq)]);
    expect(b).toEqual(a);
    expect(b).toHaveLength(5);
    expect(b.at(-1)).toEqual(['4', null]);
  });
});

describe('exports read one job, its pages fetched ahead', () => {
  it('streams a limited export from one job and says where to continue, as D1 does in chunks', async () => {
    const h = await harness(DATASET, { standIn: { maxRowsPerPage: 2 }, client: { pageSize: 2, pagesAhead: 2 } });
    const query = { ...queryFor('users', { select: 'uid,agents.agent_id', order: 'agents.agent_id' }), limit: 3 };
    const read = async (w: Warehouse) => {
      const out: Cell[][] = [];
      const reader = readRows(w, query, 1);
      for await (const row of reader.rows) out.push(row);
      return { out, next: reader.next() };
    };
    const [fromD1, fromBq] = await Promise.all([read(d1), read(h.warehouse)]);
    expect(fromBq).toEqual(fromD1);
    expect(fromBq.out).toHaveLength(3);
    expect(fromBq.next).not.toBeNull();
    expect(h.standIn.count('query')).toBe(1);
    expect(h.standIn.requests.filter((r) => r.endpoint === 'getQueryResults').every((r) => r.url.searchParams.has('startIndex'))).toBe(
      true,
    );
  });
});

describe("BigQuery's per-query limits", () => {
  it('sends each in.() list as one parameter, so 50 lists of 500 values stay far below BigQuery’s 10,000', async () => {
    const h = await harness(DATASET);
    const many = (extra: string) => `in.(${[...Array.from({ length: 499 }, (_, i) => 10_000 + i), extra].join(',')})`;
    const query = queryFor('users', [
      ['select', 'uid,agents.agent_id'],
      ...Array.from({ length: 25 }, (): [string, string] => ['uid', many(BIG)]),
      ...Array.from({ length: 25 }, (): [string, string] => ['agents.agent_id', many('9223372036854775807')]),
    ]);
    const [fromBq, fromD1] = await Promise.all([h.warehouse.page(query, 10), d1.page(query, 10)]);
    expect(fromBq.rows).toEqual(fromD1.rows);
    expect(fromBq.rows).toEqual([[BIG, '9223372036854775807']]);
    const sent = JSON.parse(h.standIn.requests.find((r) => r.endpoint === 'query')!.body as string) as { queryParameters: unknown[] };
    expect(sent.queryParameters.length).toBeLessThan(60);
  });

  it('in-lists of every kind of value agree with D1: TIMESTAMP, NUMERIC, BOOL, STRING', async () => {
    expect(
      await agree(queryFor('events', { select: 'utc_timestamp', utc_timestamp: 'in.(2026-11-20T00:00:00Z,1970-01-01T00:00:00Z)' })),
    ).toHaveLength(2);
    expect(await agree(queryFor('group_goals', { core_activity_hrs_day: 'in.(9.50,2.75)' }))).toHaveLength(2);
    expect(await agree(queryFor('events', { select: 'computer_id', potential_file_transfer: 'in.(true)' }))).toEqual([['1'], ['1']]);
    expect(await agree(queryFor('users', { select: 'uid', display_name: 'in.(Ada,ada lovelace)' }))).toHaveLength(3);
  });

  it('the stand-in, as BigQuery, refuses a query with more than 10,000 parameters', async () => {
    const h = await harness(DATASET);
    // The stand-in, as BigQuery, refuses such a query outright.
    const res = await h.standIn.fetch('https://bigquery.googleapis.com/bigquery/v2/projects/acb-standin/queries', {
      method: 'POST',
      headers: { authorization: `Bearer ${await h.tokens.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'SELECT 1 AS c0 FROM `acb-standin.edge.users` AS t',
        useLegacySql: false,
        parameterMode: 'NAMED',
        queryParameters: Array.from({ length: 10_001 }, (_, i) => ({
          name: `p${i}`,
          parameterType: { type: 'INT64' },
          parameterValue: { value: '1' },
        })),
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { errors: [{ reason: 'invalidQuery' }] } });
  });
});

/** jobs.query for users' whole `agents` array, as a client selecting the ARRAY<STRUCT> itself sends it. */
async function selectWholeAgents(dataset: string): Promise<Response> {
  const { standIn, tokens } = await harness(dataset);
  return standIn.fetch('https://bigquery.googleapis.com/bigquery/v2/projects/acb-standin/queries', {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokens.token()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `SELECT t.\`uid\` AS c0, t.\`agents\` AS c1 FROM \`acb-standin.${dataset}.users\` AS t ORDER BY t.\`uid\` ASC LIMIT @p0`,
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: [{ name: 'p0', parameterType: { type: 'INT64' }, parameterValue: { value: '10' } }],
      formatOptions: { useInt64Timestamp: true },
    }),
  });
}

describe('nested REPEATED RECORD cells', () => {
  it("the stand-in writes a whole ARRAY<STRUCT> as BigQuery does, and the worker's decoder reads it exactly", async () => {
    const res = await selectWholeAgents(DATASET);
    const body = (await res.json()) as { schema: TableSchema; rows: TableRow[] };
    expect(body.schema.fields[1]).toEqual({
      name: 'c1',
      type: 'RECORD',
      mode: 'REPEATED',
      fields: [
        { name: 'agent_id', type: 'INTEGER', mode: 'NULLABLE' },
        { name: 'logon_name', type: 'STRING', mode: 'NULLABLE' },
        { name: 'user_name', type: 'STRING', mode: 'NULLABLE' },
      ],
    });
    // The wire form: a list of cells whose values are rows.
    expect(body.rows[0]!.f[1]).toEqual({ v: [{ v: { f: [{ v: '3' }, { v: null }, { v: 'bob' }] } }] });
    const decoded = body.rows.map((row) => decodeRow(row, body.schema, 'int64-micros'));
    const agents = (r: number) => decoded[r]![1];
    expect(decoded.map((r) => r[0])).toEqual(['2', '3', '4', BIG]);
    expect(agents(1)).toEqual([]); // a user without agents: an empty array, not a row of NULLs
    expect(agents(3)).toEqual(
      expect.arrayContaining([
        { agent_id: '9223372036854775807', logon_name: null, user_name: 'ada' },
        { agent_id: '2', logon_name: null, user_name: 'ada2' },
      ]),
    );
  });
});

describe('arrays the stand-in stores nested', () => {
  const HOLLOW = 'hollow';
  beforeAll(async () => {
    await seedRows(HOLLOW, 'users', [
      { uid: 10, 'agents.agent_id': 1, 'agents.user_name': 'one', display_name: 'One', tracked: 1 },
      { uid: 10, 'agents.agent_id': 5, 'agents.user_name': 'five', display_name: 'One', tracked: 1 },
      { uid: 11, 'agents.agent_id': null, display_name: 'Empty', tracked: 1 },
      { uid: 12, 'agents.agent_id': null, display_name: 'Null', tracked: 0 },
    ]);
    // The flat rows cannot tell an empty array from a NULL one; a BigQuery table can hold either.
    await db.prepare(`UPDATE "${standInTable(HOLLOW, VIEWS.users)}" SET agents = NULL WHERE uid = 12`).run();
  });

  it('holds one row per user, the agents as a JSON array: two, none, and NULL', async () => {
    const stored = await db.prepare(`SELECT uid, agents FROM "${standInTable(HOLLOW, VIEWS.users)}" ORDER BY uid`).raw();
    expect(stored).toEqual([
      [10, '[{"agent_id":1,"logon_name":null,"user_name":"one"},{"agent_id":5,"logon_name":null,"user_name":"five"}]'],
      [11, '[]'],
      [12, null],
    ]);
  });

  it('declares the array in the table schema (tables.get) as RECORD, mode REPEATED, and counts parents in numRows', async () => {
    const { standIn, tokens } = await harness(HOLLOW);
    const get = async (table: string) =>
      standIn.fetch(`https://bigquery.googleapis.com/bigquery/v2/projects/acb-standin/datasets/${HOLLOW}/tables/${table}`, {
        headers: { authorization: `Bearer ${await tokens.token()}` },
      });
    const res = await get('users');
    expect(res.status).toBe(200);
    const table = (await res.json()) as { numRows: string; schema: TableSchema };
    expect(table.numRows).toBe('3');
    expect(table.schema.fields[0]).toEqual({
      name: 'agents',
      type: 'RECORD',
      mode: 'REPEATED',
      fields: [
        { name: 'agent_id', type: 'INTEGER', mode: 'NULLABLE' },
        { name: 'logon_name', type: 'STRING', mode: 'NULLABLE' },
        { name: 'user_name', type: 'STRING', mode: 'NULLABLE' },
      ],
    });
    expect(table.schema.fields.find((f) => f.name === 'uid')).toEqual({ name: 'uid', type: 'INTEGER', mode: 'NULLABLE' });
    expect((await get('events')).status).toBe(404);
  });

  it('flattens with LEFT JOIN UNNEST: a user whose array is empty or NULL is one row with NULL agent fields', async () => {
    const { warehouse } = await harness(HOLLOW);
    const query = queryFor('users', { select: 'uid,agents.agent_id,agents.user_name,display_name', order: 'uid' });
    const expected = [
      ['10', '1', 'one', 'One'],
      ['10', '5', 'five', 'One'],
      ['11', null, null, 'Empty'],
      ['12', null, null, 'Null'],
    ];
    expect(await rows(warehouse, query)).toEqual(expected);
    expect(await rows(new D1Warehouse(db, HOLLOW), query)).toEqual(expected);
    // A filter on an element field drops the parents without elements, as on the flat rows.
    expect(await rows(warehouse, queryFor('users', { select: 'uid', 'agents.agent_id': 'gte.1' }))).toEqual([['10'], ['10']]);
    expect(await rows(warehouse, queryFor('users', { select: 'uid', 'agents.agent_id': 'is.null' }))).toEqual([['11'], ['12']]);
  });

  it('writes an empty and a NULL array alike as an empty REPEATED cell, which the decoder reads as []', async () => {
    const res = await selectWholeAgents(HOLLOW);
    const body = (await res.json()) as { schema: TableSchema; rows: TableRow[] };
    expect(body.rows.map((row) => row.f[1])).toEqual([
      {
        v: [{ v: { f: [{ v: '1' }, { v: null }, { v: 'one' }] } }, { v: { f: [{ v: '5' }, { v: null }, { v: 'five' }] } }],
      },
      { v: [] },
      { v: [] },
    ]);
    expect(body.rows.map((row) => decodeRow(row, body.schema)[1])).toEqual([
      [
        { agent_id: '1', logon_name: null, user_name: 'one' },
        { agent_id: '5', logon_name: null, user_name: 'five' },
      ],
      [],
      [],
    ]);
  });
});

describe('NUMERIC', () => {
  it('sums and averages as numbers', async () => {
    const [row] = await rows(bq, queryFor('group_goals', { select: 'sum(core_activity_hrs_day),avg(core_activity_hrs_day),count()' }));
    expect(row).toEqual(['22.5', 7.5, '3']);
  });

  it('orders and compares by value, not as text (10.25 after 9.5)', async () => {
    expect(await agree(queryFor('group_goals', { order: 'core_activity_hrs_day' }))).toEqual([['2.75'], ['9.5'], ['10.25']]);
    expect(await agree(queryFor('group_goals', { core_activity_hrs_day: 'gt.3' }))).toEqual([['9.5'], ['10.25']]);
    expect(await agree(queryFor('group_goals', { core_activity_hrs_day: 'eq.9.50' }))).toEqual([['9.5']]);
  });

  it('pages on a NUMERIC key by value', async () => {
    const query = { ...queryFor('group_goals', { order: 'core_activity_hrs_day.desc' }), limit: 10 };
    const out: Cell[][] = [];
    for await (const row of readRows(bq, query, 1).rows) out.push(row);
    expect(out).toEqual([['10.25'], ['9.5'], ['2.75']]);
  });
});

describe('dry runs and configuration', () => {
  it('reports the bytes a query would scan; D1 cannot tell', async () => {
    await expect(bq.dryRun(queryFor('users', { select: 'uid' }))).resolves.toEqual({ bytesProcessed: 5 * 2 * 8 });
    await expect(d1.dryRun(queryFor('users'))).resolves.toEqual({ bytesProcessed: null });
  });

  it('answers an empty result with no rows', async () => {
    expect(await agree(queryFor('users', { uid: 'eq.999' }))).toEqual([]);
  });

  const tenant: Tenant = {
    id: 'acme',
    name: 'Acme',
    plan: 'professional',
    warehouse: 'bigquery',
    dataset: 'acme',
    bqProject: 'acme-analytics',
    bqLocation: 'EU',
    maxBytesBilled: 10 * 1024 ** 3,
    timeZone: 'UTC',
    dataVersion: 1,
    rateTier: 'standard',
  };

  it('takes project, dataset, location and the bytes-billed cap from the tenant', () => {
    expect(bigQueryConfig(tenant)).toEqual({
      project: 'acme-analytics',
      dataset: 'acme',
      location: 'EU',
      maxBytesBilled: 10 * 1024 ** 3,
    });
    expect(bigQueryConfig({ ...tenant, maxBytesBilled: 0 }).maxBytesBilled).toBeNull();
  });

  it('refuses a tenant without a project or with an invalid one: 503 that names the setting', () => {
    const fail = (t: Tenant) => {
      try {
        bigQueryConfig(t);
      } catch (err) {
        return err as ApiError;
      }
      throw new Error('accepted');
    };
    expect(fail({ ...tenant, bqProject: null }).message).toMatch(/has no BigQuery project/);
    expect(fail({ ...tenant, bqProject: 'x`y' })).toMatchObject({ status: 503, type: 'warehouse-unavailable' });
    expect(fail({ ...tenant, bqLocation: 'EU; DROP' }).message).toMatch(/location/);
  });

  it('needs the GOOGLE_SERVICE_ACCOUNT_JSON secret, and says so', () => {
    expect(() => bigQueryWarehouseFor({}, tenant)).toThrow(/GOOGLE_SERVICE_ACCOUNT_JSON/);
  });

  it('turns a result of the wrong shape into 502 rather than wrong cells', async () => {
    const { standIn, tokens } = await harness(DATASET);
    const { BigQueryWarehouse } = await import('../../../worker/warehouse/bigquery/warehouse.ts');
    const mangling: typeof fetch = async (input, init) => {
      const res = await standIn.fetch(input, init);
      const body = (await res.json()) as { schema?: { fields: unknown[] } };
      if (body.schema) body.schema.fields.pop();
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const broken = new BigQueryWarehouse({ project: 'acb-standin', dataset: DATASET, location: null, maxBytesBilled: null }, tokens, {
      fetch: mangling,
    });
    await expect(broken.page(queryFor('users'), 10)).rejects.toMatchObject({ status: 502, type: 'warehouse-error' });
  });
});
