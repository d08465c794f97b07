/**
 * Wiring for BigQuery backend tests: a stand-in over this test file's D1, a token source
 * and a BigQueryWarehouse that talk to it, and queries built the way requests build them.
 */
import { env } from 'cloudflare:workers';
import { leafColumns } from '../../../shared/columns.ts';
import type { Plan } from '../../../shared/plans.ts';
import { getView } from '../../../shared/views/index.ts';
import { createTableStatements, dropTableStatements, quoteIdent, type StoredValue } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import type { Query } from '../../../worker/query/model.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { parseServiceAccountKey, ServiceAccountTokenSource } from '../../../worker/warehouse/bigquery/auth.ts';
import type { BigQueryClientOptions } from '../../../worker/warehouse/bigquery/client.ts';
import { BigQueryWarehouse, type BigQueryTenantConfig } from '../../../worker/warehouse/bigquery/warehouse.ts';
import { createTestServiceAccount, type TestServiceAccount } from './keys.ts';
import { BigQueryStandIn, d1Executor, type StandInOptions } from './standin.ts';

export const TEST_PROJECT = 'acb-standin';
export const db = (env as unknown as { DB: D1Database }).DB;

let account: Promise<TestServiceAccount> | null = null;
/** One generated key per test file: RSA generation is the slow part of these tests. */
export function testAccount(): Promise<TestServiceAccount> {
  account ??= createTestServiceAccount(TEST_PROJECT);
  return account;
}

export interface Harness {
  readonly account: TestServiceAccount;
  readonly standIn: BigQueryStandIn;
  readonly tokens: ServiceAccountTokenSource;
  readonly warehouse: BigQueryWarehouse;
}

/** A stand-in and a warehouse for `dataset`, both free of real time unless the options bring it. */
export async function harness(
  dataset: string,
  options: {
    standIn?: Partial<Omit<StandInOptions, 'db' | 'clientEmail' | 'publicKey'>>;
    client?: BigQueryClientOptions;
    config?: Partial<BigQueryTenantConfig>;
    now?: () => number;
  } = {},
): Promise<Harness> {
  const acct = await testAccount();
  const standIn = new BigQueryStandIn({
    db: d1Executor(db),
    project: TEST_PROJECT,
    clientEmail: acct.clientEmail,
    publicKey: acct.publicKey,
    ...(options.now ? { now: options.now } : {}),
    ...options.standIn,
  });
  const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(acct.json), {
    fetch: standIn.fetch,
    ...(options.now ? { now: options.now } : {}),
  });
  const warehouse = new BigQueryWarehouse(
    { project: TEST_PROJECT, dataset, location: null, maxBytesBilled: null, ...options.config },
    tokens,
    { fetch: standIn.fetch, ...(options.now ? { now: options.now } : {}), ...options.client },
  );
  return { account: acct, standIn, tokens, warehouse };
}

/** A validated Query for a view from request-style parameters, as GET /v1/views/{view}/rows builds it. */
export function queryFor(viewName: string, params: Record<string, string> | [string, string][] = {}, plan: Plan = 'professional'): Query {
  const view = getView(viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const entries = Array.isArray(params) ? params : Object.entries(params);
  return parseQuery(entries, { view, plan }).query;
}

/** Creates a view's demo table in `dataset` with exactly these rows (stored encoding, by leaf name). */
export async function seedRows(dataset: string, viewName: string, rows: readonly Record<string, StoredValue>[]): Promise<void> {
  const view = getView(viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const columns = leafColumns(view).map((c) => c.name);
  const statements = [...dropTableStatements(dataset, view), ...createTableStatements(dataset, view)].map((sql) => db.prepare(sql));
  const insert = `INSERT INTO ${quoteIdent(tableName(dataset, view.name))} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  for (const row of rows) statements.push(db.prepare(insert).bind(...columns.map((c) => row[c] ?? null)));
  await db.batch(statements);
}

/** A clock that only moves when told to, and a sleep that moves it: retries without waiting. */
export function fakeTime(start = Date.UTC(2026, 10, 20, 12)) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}
