import type { Resume } from './cursor.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';
import { rowsCanTie, type Query, type TypedValue } from './model.ts';
import type { Cell, Page, Warehouse } from '../warehouse/types.ts';

export type Position = readonly (TypedValue | null)[];

/**
 * Reads up to query.limit rows in chunks, so an export of millions of rows never sits in
 * the isolate at once. After the iteration, `next()` is where to continue from, or null
 * when the result is complete; during it, `lastPosition()` is where to continue after the
 * row yielded last, for a reader that stops early.
 */
export function readRows(warehouse: Warehouse, query: Query, chunkRows: number = LIMITS.chunkRows) {
  const canTie = rowsCanTie(query);
  let next: Resume | null = null;
  let last: Resume | null = query.after ? { after: query.after, ties: query.afterTies ?? 0 } : null;
  const advance = (key: Position) => {
    // Where rows can tie, count the ones returned at this position so the next read skips
    // exactly those; elsewhere a position is never repeated and strict keyset suffices.
    const ties = !canTie ? 0 : last && samePosition(last.after, key) ? last.ties + 1 : 1;
    last = { after: key, ties };
  };
  /** One query for everything, its pages arriving while earlier ones are encoded. */
  async function* streamed(pages: AsyncIterable<Page>): AsyncGenerator<Cell[]> {
    let remaining = query.limit;
    for await (const page of pages) {
      for (let i = 0; i < page.rows.length; i++) {
        if (remaining === 0) {
          next = last; // one row more than asked for: the result goes on
          return;
        }
        advance(page.keys[i]!);
        remaining--;
        yield page.rows[i]!;
      }
    }
  }
  async function* rows(): AsyncGenerator<Cell[]> {
    if (warehouse.pages && query.limit > 0) {
      const from = { ...query, after: last?.after ?? null, afterTies: last?.ties ?? 0 };
      yield* streamed(warehouse.pages(from, query.limit + 1));
      return;
    }
    let remaining = query.limit;
    while (remaining > 0) {
      const want = Math.min(chunkRows, remaining);
      const page = await warehouse.page({ ...query, after: last?.after ?? null, afterTies: last?.ties ?? 0 }, want + 1);
      const take = Math.min(want, page.rows.length);
      for (let i = 0; i < take; i++) {
        advance(page.keys[i]!);
        yield page.rows[i]!;
      }
      remaining -= take;
      if (page.rows.length <= want) return; // result exhausted
      if (remaining === 0) next = last;
    }
  }
  return { rows: rows(), next: () => next, lastPosition: () => last };
}

function samePosition(a: Position, b: Position): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
