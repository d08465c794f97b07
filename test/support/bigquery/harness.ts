/**
 * Wiring for BigQuery backend tests: a stand-in over this test file's D1, a token source
 * and a BigQueryWarehouse that talk to it, and queries built the way requests build them.
 */
import { env } from 'cloudflare:workers';
import { leafColumns } from '../../../shared/columns.ts';
import type { Plan } from '../../../shared/plans.ts';
import type { ViewDef } from '../../../shared/types.ts';
import { getView, VIEWS } from '../../../shared/views/index.ts';
import { generateDemo } from '../../../worker/demo/generate.ts';
import { createTableStatements, dropTableStatements, quoteIdent, type StoredValue } from '../../../worker/demo/schema.ts';
import { tenantDemoOptions, type SeedOptions } from '../../../worker/demo/seed.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../../worker/demo/tenants.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import type { Query } from '../../../worker/query/model.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { parseServiceAccountKey, ServiceAccountTokenSource } from '../../../worker/warehouse/bigquery/auth.ts';
import type { BigQueryClientOptions } from '../../../worker/warehouse/bigquery/client.ts';
import { BigQueryWarehouse, type BigQueryTenantConfig } from '../../../worker/warehouse/bigquery/warehouse.ts';
import { createTestServiceAccount, type TestServiceAccount } from './keys.ts';
import { isNested, nestedInsert, nestedTableStatements, nestRows } from './nested.ts';
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

/**
 * Creates a view's demo table in `dataset` with exactly these rows (stored encoding, by leaf
 * name), and for a view with a REPEATED record the stand-in's nested table from the same rows.
 */
export async function seedRows(dataset: string, viewName: string, rows: readonly Record<string, StoredValue>[]): Promise<void> {
  const view = getView(viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const columns = leafColumns(view).map((c) => c.name);
  const flat = rows.map((row) => columns.map((c) => row[c] ?? null));
  const statements = [...dropTableStatements(dataset, view), ...createTableStatements(dataset, view)].map((sql) => db.prepare(sql));
  const insert = `INSERT INTO ${quoteIdent(tableName(dataset, view.name))} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  for (const row of flat) statements.push(db.prepare(insert).bind(...row));
  if (isNested(view)) statements.push(...nestedStatements(dataset, view, nestRows(view, columns, flat)));
  await db.batch(statements);
}

function nestedStatements(dataset: string, view: ViewDef, rows: readonly StoredValue[][]): D1PreparedStatement[] {
  const insert = nestedInsert(dataset, view);
  return [...nestedTableStatements(dataset, view).map((sql) => db.prepare(sql)), ...rows.map((row) => db.prepare(insert).bind(...row))];
}

/**
 * Fills the stand-in's nested tables for a demo tenant's dataset, beside the flat tables
 * seedDemo wrote with the same options: the same generator draws the same flat rows, and
 * nestRows folds them per parent. Views without a REPEATED record need nothing, since the
 * stand-in reads their demo table.
 * @example await seedTinyDemo(); await seedStandInDemo('acme', { size: 'tiny', seed: TEST_SEED, endDate: TEST_END_DATE });
 */
export async function seedStandInDemo(tenantId: DemoTenantId, options: SeedOptions & { seed: number; endDate: string }): Promise<void> {
  const tenant = DEMO_TENANTS.find((t) => t.id === tenantId)!;
  const data = generateDemo(tenantDemoOptions(tenant, options));
  const statements: D1PreparedStatement[] = [];
  for (const view of Object.values(VIEWS) as ViewDef[]) {
    if (!isNested(view)) continue;
    const table = data.tables[view.name as keyof typeof data.tables];
    statements.push(...nestedStatements(tenantId, view, nestRows(view, table.columns, table.rows)));
  }
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
