/**
 * Keeps the BigQuery stand-in honest against Google's own Node client (@google-cloud/bigquery):
 * the stand-in is served over real HTTP on a free port, and the official client, pointed at it
 * with `apiEndpoint`, must read what the stand-in writes exactly as it reads BigQuery, and
 * agree with the worker's own decoder on every column type the views use. The stand-in stands
 * in for BigQuery's REST API (jobs.query, jobs.getQueryResults, the JSON error format); the
 * auth client below stands in for google-auth-library, handing over tokens the stand-in's
 * OAuth endpoint issued for a generated service-account key. Nothing leaves 127.0.0.1.
 */
import { BigQuery, type BigQueryOptions, type Query as OfficialQuery } from '@google-cloud/bigquery';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { DEMO_SIZES } from '../../../worker/demo/generate.ts';
import type { Query } from '../../../worker/query/model.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { compileSelect } from '../../../worker/query/sql.ts';
import { parseServiceAccountKey, ServiceAccountTokenSource } from '../../../worker/warehouse/bigquery/auth.ts';
import { bigQueryDialect, bigQuerySource, toQueryParameter } from '../../../worker/warehouse/bigquery/dialect.ts';
import { decodeRow, type TableRow, type TableSchema } from '../../../worker/warehouse/bigquery/rows.ts';
import { BigQueryWarehouse } from '../../../worker/warehouse/bigquery/warehouse.ts';
import type { Cell } from '../../../worker/warehouse/types.ts';
import { createTestServiceAccount, type TestServiceAccount } from '../../support/bigquery/keys.ts';
import { demoExecutor, serveStandIn } from '../../support/bigquery/node-server.ts';
import { isNested, repeatedRecords, standInTable } from '../../support/bigquery/nested.ts';
import { BigQueryStandIn, type SqlExecutor, type StandInOptions } from '../../support/bigquery/standin.ts';

const PROJECT = 'acb-standin';
const DATASET = 'acme';
const LIMIT = 40;

let account: TestServiceAccount;
let db: SqlExecutor;
const servers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  account = await createTestServiceAccount(PROJECT);
  db = demoExecutor(DATASET, { seed: 'official-client', accountId: 417_001, endDate: '2026-11-20', ...DEMO_SIZES.tiny });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A stand-in on its own port, Google's client pointed at it, and the worker's warehouse beside it. */
async function serve(options: Partial<StandInOptions> = {}) {
  const standIn = new BigQueryStandIn({ db, project: PROJECT, clientEmail: account.clientEmail, publicKey: account.publicKey, ...options });
  const server = await serveStandIn(standIn);
  servers.push(server);
  // Tokens come from the stand-in's OAuth endpoint through the worker's own JWT grant.
  const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), { fetch: standIn.fetch });
  const authClient = {
    universeDomain: 'googleapis.com',
    projectId: PROJECT,
    getRequestHeaders: async () => new Headers({ authorization: `Bearer ${await tokens.token()}` }),
    getAccessToken: async () => ({ token: await tokens.token() }),
  };
  const official = new BigQuery({
    projectId: PROJECT,
    apiEndpoint: server.url,
    // The duck-typed stand-in for google-auth-library's AuthClient, which GoogleAuth wraps.
    authClient: authClient as unknown as BigQueryOptions['authClient'],
    autoRetry: false,
  });
  const warehouse = new BigQueryWarehouse({ project: PROJECT, dataset: DATASET, location: null, maxBytesBilled: null }, tokens, {
    apiBase: `${server.url}/bigquery/v2`,
  });
  return { standIn, official, warehouse, tokens };
}

function queryOf(view: ViewDef, params: Record<string, string> = {}): Query {
  return { ...parseQuery(Object.entries(params), { view, plan: 'professional' }).query, limit: LIMIT };
}

/** The SQL the worker would send, as a query for Google's client: named parameters, typed. */
function officialQuery(query: Query): OfficialQuery {
  const { sql, params } = compileSelect(query, bigQueryDialect, bigQuerySource(PROJECT, DATASET), query.limit);
  const wire = params.map(toQueryParameter);
  return {
    query: sql,
    // The client writes a typed TIMESTAMP (DATE...) value only from its own wrapper objects.
    params: Object.fromEntries(wire.map((p) => [p.name, wrap(p.parameterType.type, p.parameterValue.value)])),
    types: Object.fromEntries(wire.map((p) => [p.name, p.parameterType.type])),
    wrapIntegers: true,
  };
}

function wrap(type: ScalarType, value: string): unknown {
  if (type === 'TIMESTAMP') return BigQuery.timestamp(value);
  if (type === 'DATE') return BigQuery.date(value);
  if (type === 'DATETIME') return BigQuery.datetime(value);
  if (type === 'TIME') return BigQuery.time(value);
  return value;
}

/** Google's client's value for a cell, in the worker's Cell form, so the two decoders compare. */
function asCell(value: unknown, type: ScalarType): Cell {
  if (value === null || value === undefined) return null;
  const inner = typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
  switch (type) {
    case 'INT64':
    case 'NUMERIC':
    case 'DATE':
    case 'TIME':
    case 'STRING':
      return String(inner);
    case 'FLOAT64':
    case 'BOOL':
      return inner as Cell;
    case 'DATETIME':
      return String(inner).replace(' ', 'T');
    case 'TIMESTAMP':
      // '2026-11-19T23:59:59.120000Z' and '2026-11-19T23:59:59.12Z' are the same instant.
      return String(inner)
        .replace(/(\.\d*?)0+Z$/, '$1Z')
        .replace(/\.Z$/, 'Z');
  }
}

const TYPES_IN_VIEWS = new Set(Object.values(VIEWS).flatMap((view) => leafColumns(view).map((c) => c.type)));

describe("Google's BigQuery client against the stand-in", () => {
  it('reads every column type of every view as the worker decodes it', async () => {
    const { official, warehouse } = await serve();
    const seen = new Set<ScalarType>();
    for (const view of Object.values(VIEWS)) {
      const query = queryOf(view);
      const [rows] = await official.query(officialQuery(query));
      const page = await warehouse.page(query, query.limit);
      expect(rows.length, view.name).toBe(page.rows.length);
      expect(rows.length, `${view.name} has demo rows`).toBeGreaterThan(0);
      rows.forEach((row: Record<string, unknown>, r: number) => {
        query.output.forEach((out, i) => {
          expect(asCell(row[`c${i}`], out.type), `${view.name}.${out.name}`).toEqual(page.rows[r]![i]);
          if (row[`c${i}`] !== null) seen.add(out.type);
        });
      });
    }
    expect([...seen].sort()).toEqual([...TYPES_IN_VIEWS].sort());
  });

  it("decodes the stand-in's nested REPEATED RECORD cells as the worker's decoder does", async () => {
    const { standIn, official, tokens } = await serve();
    let longest = 0;
    for (const view of Object.values(VIEWS)) {
      for (const record of view.columns) {
        if (record.type !== 'RECORD' || record.mode !== 'REPEATED') continue;
        const sql = `SELECT t.\`uid\` AS c0, t.\`${record.name}\` AS c1 FROM \`${PROJECT}.${DATASET}.${view.name}\` AS t ORDER BY t.\`uid\` LIMIT @p0`;
        const [rows] = await official.query({ query: sql, params: { p0: LIMIT }, wrapIntegers: true });
        // The same query straight to the stand-in, its wire rows through the worker's decoder.
        const res = await standIn.fetch(`https://bigquery.googleapis.com/bigquery/v2/projects/${PROJECT}/queries`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await tokens.token()}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: sql,
            useLegacySql: false,
            parameterMode: 'NAMED',
            queryParameters: [{ name: 'p0', parameterType: { type: 'INT64' }, parameterValue: { value: String(LIMIT) } }],
            formatOptions: { useInt64Timestamp: true },
          }),
        });
        const wire = (await res.json()) as { schema: TableSchema; rows: TableRow[] };
        const ours = wire.rows.map((row) => decodeRow(row, wire.schema, 'int64-micros'));
        const elements = rows.flatMap((row: Record<string, unknown>) => row['c1'] as Record<string, unknown>[]);
        expect(elements.length, `${view.name}.${record.name} has elements`).toBeGreaterThan(0);
        longest = Math.max(longest, ...rows.map((row: Record<string, unknown>) => (row['c1'] as unknown[]).length));
        expect(rows.length).toBe(ours.length);
        rows.forEach((row: Record<string, unknown>, r: number) => {
          const theirs = (row['c1'] as Record<string, unknown>[]).map((element) =>
            Object.fromEntries(record.fields.map((f) => [f.name, asCell(element[f.name], f.type)])),
          );
          expect(theirs, `${view.name} row ${r}`).toEqual(ours[r]![1]);
        });
      }
    }
    // The arrays are the stand-in's stored ones (nested tables), several elements to a row.
    expect(longest).toBeGreaterThan(1);
    expect(standIn.jobs().length).toBeGreaterThan(0);
    for (const job of standIn.jobs()) expect(job.sqlite).toMatch(/FROM json_each\(t\."[a-z_]+"\)/);
  });

  it("reads a record view's table schema as RECORD, mode REPEATED, with its fields, and numRows counting parents", async () => {
    const { official } = await serve();
    const nested = Object.values(VIEWS).filter((view) => isNested(view));
    expect(nested.length).toBeGreaterThan(0);
    for (const view of nested) {
      const [metadata] = (await official.dataset(DATASET).table(view.name).getMetadata()) as unknown as [
        { schema: { fields: { name: string; type: string; mode: string; fields?: unknown[] }[] }; numRows: string },
      ];
      for (const record of repeatedRecords(view)) {
        expect(metadata.schema.fields.find((f) => f.name === record.name)).toEqual({
          name: record.name,
          type: 'RECORD',
          mode: 'REPEATED',
          fields: record.fields.map((f) => expect.objectContaining({ name: f.name, mode: 'NULLABLE' })),
        });
      }
      const [[parents]] = (await db.all(`SELECT COUNT(*) FROM "${standInTable(DATASET, view)}"`, [])) as [[number]];
      const [[flat]] = (await db.all(`SELECT COUNT(*) FROM "${DATASET}__${view.name}"`, [])) as [[number]];
      expect(Number(metadata.numRows)).toBe(Number(parents));
      expect(Number(parents)).toBeLessThanOrEqual(Number(flat));
    }
  });

  it("sends parameterMode 'named' in lower case, which the stand-in takes as BigQuery does", async () => {
    const { standIn, official, warehouse } = await serve();
    const query = queryOf(VIEWS.events, { select: 'user_name', user_name: 'neq.nobody', utc_timestamp: 'gte.2026-11-18T00:00:00Z' });
    const [rows] = await official.query(officialQuery(query));
    const body = JSON.parse(String(standIn.requests.find((r) => r.endpoint === 'query')!.body)) as { parameterMode: string };
    expect(body.parameterMode).toBe('named');
    const ours = await warehouse.page(query, query.limit);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r: Record<string, unknown>) => r['c0'])).toEqual(ours.rows.map((r) => r[0]));
  });

  it('follows pageTokens over pages BigQuery cut short', async () => {
    const { standIn, official, warehouse } = await serve({ maxRowsPerPage: 7 });
    const query = queryOf(VIEWS.events);
    const [rows] = await official.query({ ...officialQuery(query), maxResults: 10 });
    expect(rows).toHaveLength(LIMIT);
    expect(standIn.requests.filter((r) => r.endpoint === 'getQueryResults' && r.url.searchParams.has('pageToken')).length).toBe(5);
    const ours = await warehouse.page(query, query.limit);
    expect(rows.map((r: Record<string, unknown>) => asCell(r['c0'], query.output[0]!.type))).toEqual(ours.rows.map((r) => r[0]));
  });

  it('waits through jobComplete: false', async () => {
    const { standIn, official } = await serve({ pollsBeforeComplete: 3 });
    const [rows] = await official.query(officialQuery(queryOf(VIEWS.users)));
    expect(rows.length).toBeGreaterThan(0);
    expect(standIn.count('getQueryResults')).toBeGreaterThanOrEqual(3);
  });

  it("reads the stand-in's errors in Google's format: status, reason and message", async () => {
    const { standIn, official } = await serve({ deniedDatasets: ['denied'] });
    const reasonOf = async (query: OfficialQuery) => {
      const err = (await official.query(query).then(
        () => null,
        (e: unknown) => e,
      )) as { code?: number; errors?: { reason?: string }[]; message?: string } | null;
      return [err?.code, err?.errors?.[0]?.reason, typeof err?.message];
    };
    const events = officialQuery(queryOf(VIEWS.events));
    standIn.inject({ endpoint: 'query', status: 400, reason: 'jobBackendError' });
    expect(await reasonOf(events)).toEqual([400, 'jobBackendError', 'string']);
    standIn.inject({ endpoint: 'query', status: 403, reason: 'quotaExceeded' });
    expect(await reasonOf(events)).toEqual([403, 'quotaExceeded', 'string']);
    expect(await reasonOf({ ...events, query: events.query!.replace('.acme.', '.denied.') })).toEqual([403, 'accessDenied', 'string']);
    expect(await reasonOf({ ...events, query: events.query!.replace('.acme.', '.nosuch.') })).toEqual([404, 'notFound', 'string']);
    expect(await reasonOf({ ...events, query: 'SELECT 1 FROM nowhere' })).toEqual([400, 'invalidQuery', 'string']);
  });
});
