import { LIMITS } from '../../shared/query-vocabulary.ts';
import type { ApiClient, ApiCell, QueryBody } from '../api/client.ts';
import { REQUESTED_DATES } from '../api/serial-dates.ts';

/**
 * What a user asked for, in the API's terms: the one shape custom-function arguments,
 * the sidebar and saved ranges all turn into, and the only thing that becomes a request.
 */
export interface QuerySpec {
  readonly view: string;
  /** Column names or aggregates (`sum(duration_seconds)`); absent means every readable column. */
  readonly select?: readonly string[];
  readonly from?: string;
  readonly to?: string;
  /** PostgREST-style specs per column: `{ productivity: ['eq.Productive'] }`. */
  readonly filters?: Readonly<Record<string, readonly string[]>>;
  /** `local_date.desc,user_id` */
  readonly order?: string;
  readonly groupBy?: string;
  /** The most rows to load across all pages; absent means all of them. */
  readonly limit?: number;
}

/** The API's largest page for format=values. */
export const MAX_PAGE_SIZE = LIMITS.maxPageSize;

/** The request body for one page of a spec. */
export function queryBody(
  spec: QuerySpec,
  page: { readonly limit: number; readonly cursor?: string | null; readonly extraFilters?: Record<string, string> },
): QueryBody {
  const filters: Record<string, string[]> = {};
  for (const [column, specs] of Object.entries(spec.filters ?? {})) filters[column] = [...specs];
  for (const [column, one] of Object.entries(page.extraFilters ?? {})) filters[column] = [...(filters[column] ?? []), one];
  return {
    ...(spec.select && spec.select.length > 0 ? { select: spec.select } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    ...(spec.from ? { from: spec.from } : {}),
    ...(spec.to ? { to: spec.to } : {}),
    ...(spec.order ? { order: spec.order } : {}),
    ...(spec.groupBy ? { group_by: spec.groupBy } : {}),
    limit: page.limit,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    format: 'values',
    dates: REQUESTED_DATES,
  };
}

/** A spec whose select list includes `names` (a saved range needs its key or change column). */
export function withColumns(spec: QuerySpec, names: readonly string[]): QuerySpec {
  if (!spec.select || spec.select.length === 0) return spec;
  const missing = names.filter((n) => !spec.select!.includes(n));
  return missing.length === 0 ? spec : { ...spec, select: [...spec.select, ...missing] };
}

export interface LoadedRows {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly ApiCell[])[];
  /** True when the result has more rows than were loaded (limit reached). */
  readonly truncated: boolean;
}

/**
 * Every page of a spec, up to its limit. `beforePage` runs before each request after the
 * first and may throw to stop (a custom function running out of its 30 seconds).
 */
export function loadRows(
  client: ApiClient,
  spec: QuerySpec,
  beforePage: (loaded: number) => void = () => {},
  pageSize: number = MAX_PAGE_SIZE,
): LoadedRows {
  const rows: (readonly ApiCell[])[] = [];
  let cursor: string | null = null;
  let columns: LoadedRows['columns'] = [];
  let header: readonly string[] = [];
  const wanted = spec.limit ?? Infinity;
  for (let first = true; first || cursor; first = false) {
    if (!first) beforePage(rows.length);
    const limit = Math.min(pageSize, wanted - rows.length);
    const result = client.query(spec.view, queryBody(spec, { limit, cursor }));
    if (!result.changed) throw new Error('304 without If-None-Match');
    const { page } = result;
    columns = page.columns;
    header = (page.values[0] ?? page.columns.map((c) => c.name)) as string[];
    for (let i = 1; i < page.values.length; i++) rows.push(page.values[i]!);
    cursor = rows.length < wanted ? page.next_cursor : null;
    if (rows.length >= wanted) return { columns, header, rows, truncated: page.next_cursor !== null };
  }
  return { columns, header, rows, truncated: false };
}
