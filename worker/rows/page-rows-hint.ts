/**
 * How many rows a page of a query held, remembered per query in this isolate, so the query's
 * next page reads about that many from the warehouse instead of a whole chunk.
 *
 * A page of wide rows stops at its byte budget (about 2,900 `events` rows in 4 MB) well short
 * of the chunk it read (LIMITS.chunkRows + 1), and the rows past the stop are read again by
 * the next page. Pages of one query hold nearly the same number of rows, so the next page
 * reads the last one's count and a margin; when that falls short, the page reads on in a
 * second query, as any page whose rows outgrow one chunk does. What a page holds never
 * depends on the hint, only how many warehouse queries it takes: the rows, cursors and bytes
 * are those of a page read in chunks of any size. Kept in the isolate rather than in the
 * cursor so that a page's bytes (and its ETag) stay what they were; an isolate that has not
 * seen the query reads a whole chunk, as before.
 */
import { LIMITS } from '../../shared/query-vocabulary.ts';
import type { Query } from '../query/model.ts';
import { normalForm } from '../query/normalize.ts';

/** Queries remembered; the oldest goes first. A few hundred short strings and numbers. */
const MAX_QUERIES = 512;

const rowsByQuery = new Map<string, number>();

/**
 * The query's identity without its position: every page of one walk shares it. The format
 * and limit are in it because both change how many rows a page holds.
 */
export function pageRowsKey(tenantId: string, query: Query): string {
  return `${tenantId}\n${query.format}\n${query.limit}\n${normalForm(query)}`;
}

/**
 * Rows to read from the warehouse per query for the next page under `key`: the last page's
 * count and an eighth more (pages of `events` vary by a few percent), or a whole chunk when
 * this isolate has no count. Never above the page's own limit.
 */
export function chunkRowsFor(key: string, limit: number): number {
  const held = rowsByQuery.get(key);
  if (held === undefined) return LIMITS.chunkRows;
  return Math.max(1, Math.min(limit, held + Math.ceil(held / 8)));
}

/**
 * After a page: `rows` it held, when it stopped at its byte budget or its limit. A page that
 * ended the result says nothing about the next one's size and is not remembered.
 */
export function rememberPageRows(key: string, rows: number): void {
  rowsByQuery.delete(key);
  rowsByQuery.set(key, rows);
  if (rowsByQuery.size > MAX_QUERIES) rowsByQuery.delete(rowsByQuery.keys().next().value!);
}

/** For tests: forget every count, as a new isolate has none. */
export function forgetPageRows(): void {
  rowsByQuery.clear();
}
