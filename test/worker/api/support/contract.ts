/**
 * What the API contract suite compares against: the tenant's demo table read straight from
 * D1, with stored values mapped to what a client receives (INT64 → number, BOOL 0/1 →
 * boolean, NUMERIC text → number, dates and times as ISO strings). Nothing here calls the
 * query compiler, so a test built on it can disagree with the code under test.
 */
import { expect } from 'vitest';
import { leafColumns, readableColumns, isViewAvailable, type LeafColumn } from '../../../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../../../shared/views/index.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../../../worker/demo/tenants.ts';
import { api as fetchApi, direct, testEnv } from '../../support/demo.ts';
import { expectDocumentedResponse } from './openapi-contract.ts';

export type Keys = Record<DemoTenantId, string>;
export type Row = Record<string, unknown>;
export type Tenant = (typeof DEMO_TENANTS)[number];

export const TENANTS: readonly Tenant[] = DEMO_TENANTS;
export const ALL_VIEWS: readonly ViewDef[] = VIEW_NAMES.map((n) => VIEWS[n]);
/** The tenant on the highest plan, which can read every column of every view. */
export const PROFESSIONAL = DEMO_TENANTS.find((t) => t.plan === 'professional')!;

export interface RowsBody {
  view: string;
  columns: { name: string; type: ScalarType }[];
  rows: Row[];
  row_count: number;
  next: string | null;
  next_cursor: string | null;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  request_id: string;
  [extension: string]: unknown;
}

/** `"name"` for SQLite; names come from the definitions. */
export const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The physical demo table of one tenant's view. */
export const tableOf = (tenant: Tenant | DemoTenantId, view: ViewDef | string) =>
  q(`${typeof tenant === 'string' ? tenant : tenant.id}__${typeof view === 'string' ? view : view.name}`);

export const leaf = (view: ViewDef, name: string): LeafColumn => {
  const found = leafColumns(view).find((c) => c.name === name);
  if (!found) throw new Error(`test bug: ${view.name} has no column ${name}`);
  return found;
};

export { leafColumns, readableColumns, isViewAvailable };

/** A stored SQLite value as the client receives it in JSON. */
export function apiValue(stored: unknown, type: ScalarType): unknown {
  if (stored === null || stored === undefined) return null;
  switch (type) {
    case 'BOOL':
      return stored === 1;
    case 'INT64':
    case 'FLOAT64':
    case 'NUMERIC':
      return Number(stored);
    default:
      return stored;
  }
}

/** A column as SQL sorts and compares it by value: NUMERIC is stored as exact text, '10.5' < '9.0'. */
export const byValue = (column: LeafColumn) => (column.type === 'NUMERIC' ? `CAST(${q(column.name)} AS REAL)` : q(column.name));

/** ORDER BY the view's row key, the API's default order. */
export const rowKeyOrder = (view: ViewDef) => view.rowKey.map((k) => `${byValue(leaf(view, k))} ASC NULLS FIRST`).join(', ');

export interface DirectOptions {
  readonly where?: string;
  readonly params?: readonly unknown[];
  /** SQL ORDER BY terms; the row key is appended as the tie-breaker. */
  readonly orderBy?: string;
}

/** The SQL that reads what a query must return, and how its rows map to API values. */
function directQuery(tenant: Tenant | DemoTenantId, view: ViewDef, columns: readonly LeafColumn[], options: DirectOptions) {
  const order = [options.orderBy, rowKeyOrder(view)].filter(Boolean).join(', ');
  const sql = `SELECT ${columns.map((c) => q(c.name)).join(', ')} FROM ${tableOf(tenant, view)}${options.where ? ` WHERE ${options.where}` : ''} ORDER BY ${order}`;
  const decode = (rows: Record<string, unknown>[]): Row[] =>
    rows.map((r) => Object.fromEntries(columns.map((c) => [c.name, apiValue(r[c.name], c.type)])));
  return { sql, params: options.params ?? [], decode };
}

/** The rows a query must return, read straight from the tenant's table and mapped to API values. */
export async function expectedRows(
  tenant: Tenant | DemoTenantId,
  view: ViewDef,
  columns: readonly LeafColumn[],
  options: DirectOptions = {},
): Promise<Row[]> {
  const { sql, params, decode } = directQuery(tenant, view, columns, options);
  return decode(await direct(sql, ...params));
}

/** expectedRows for several option sets in one D1 round trip. */
export async function expectedRowsBatch(
  tenant: Tenant | DemoTenantId,
  view: ViewDef,
  columns: readonly LeafColumn[],
  list: readonly DirectOptions[],
): Promise<Row[][]> {
  const queries = list.map((options) => directQuery(tenant, view, columns, options));
  const results = await testEnv.DB.batch(queries.map((x) => testEnv.DB.prepare(x.sql).bind(...x.params)));
  return results.map((r, i) => queries[i]!.decode(r.results as Record<string, unknown>[]));
}

/**
 * A request to the worker, as support/demo.ts's api() makes it, whose answer must be one the
 * served /openapi.json describes (see openapi-contract.ts): every contract-suite response is
 * checked against the document.
 */
export async function api(path: string, key?: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetchApi(path, key, init);
  await expectDocumentedResponse(init.method ?? 'GET', path, res);
  return res;
}

/** A query string from pairs, every value percent-encoded. */
export function qs(params: Record<string, string | number> | readonly (readonly [string, string | number])[]): string {
  const entries = Array.isArray(params) ? params : Object.entries(params);
  return entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

export const rowsPath = (view: ViewDef | string, query = '') =>
  `/v1/views/${typeof view === 'string' ? view : view.name}/rows${query ? `?${query}` : ''}`;

/** GET that must succeed with a JSON rows body. */
export async function getRows(path: string, key: string, init?: RequestInit): Promise<RowsBody> {
  const res = await api(path, key, init);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as RowsBody;
}

/** The path and query of an absolute next link, for api(). */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** Follows `next` links from `path` until the last page; returns every row and the page count. */
export async function walkPages(
  path: string,
  key: string,
  between?: (page: number) => Promise<void>,
): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next !== null) {
    if (pages > 0 && between) await between(pages);
    const body = await getRows(next, key);
    rows.push(...body.rows);
    pages++;
    if (pages > 1000) throw new Error('paging does not end');
    next = body.next === null ? null : pathOf(body.next);
  }
  return { rows, pages };
}

/** Asserts the RFC 9457 shape every error shares and returns the body. */
export async function expectProblem(res: Response, status: number, type?: string): Promise<Problem> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Problem;
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), request_id: expect.any(String) });
  expect(body.type).toMatch(/^https:\/\/\S+\/problems\/[a-z-]+$/);
  if (type) expect(body.type.endsWith(`/${type}`), `type ${body.type}`).toBe(true);
  expect(res.headers.get('x-request-id')).toBe(body.request_id);
  return body;
}

/** Text that would mean internals leaked into an answer: a physical table name, SQL, the driver's words. */
export const INTERNALS = /\b(?:acme|globex|initech)__|\bFROM "|SQLITE_|D1_ERROR/;
