import type { Query, TypedValue } from '../query/model.ts';

/**
 * A cell as every output format receives it, whichever warehouse produced it:
 * INT64 and NUMERIC as exact decimal strings, FLOAT64 as number, BOOL as boolean,
 * dates and times as ISO 8601 strings, NULL as null.
 */
export type Cell = string | number | boolean | null;

export interface Page {
  /** Output cells per row, in query.output order. */
  readonly rows: Cell[][];
  /** Order-key values per row, in query.order order: the keyset position after that row. */
  readonly keys: (TypedValue | null)[][];
}

/**
 * A warehouse runs one page of a query. The tenant's tables or dataset were bound when it
 * was created (from the API key's tenant), so nothing here can name another tenant's data.
 */
export interface Warehouse {
  readonly kind: 'd1' | 'bigquery';
  page(query: Query, limit: number): Promise<Page>;
  /**
   * The same rows as `page`, handed over page by page while later pages are still being read,
   * where the warehouse can do that for one query (BigQuery: one job, its result pages fetched
   * ahead). Streamed exports use it instead of one query per chunk.
   */
  pages?(query: Query, limit: number): AsyncIterable<Page>;
  /** Bytes the query would scan, where the warehouse can tell (BigQuery dry run). */
  dryRun(query: Query): Promise<{ bytesProcessed: number | null }>;
}
