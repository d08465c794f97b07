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
  /**
   * The rows to return, as slices of the warehouse's pages with their keys. A slice's rows
   * are returned once the reader calls `advance` for each; `next` is set along the way.
   */
  async function* slices(): AsyncGenerator<Page> {
    if (warehouse.pages && query.limit > 0) {
      // One query for everything, its pages arriving while earlier ones are encoded.
      let remaining = query.limit;
      const from = { ...query, after: last?.after ?? null, afterTies: last?.ties ?? 0 };
      for await (const page of warehouse.pages(from, query.limit + 1)) {
        const take = Math.min(remaining, page.rows.length);
        if (take > 0) yield take === page.rows.length ? page : { rows: page.rows.slice(0, take), keys: page.keys.slice(0, take) };
        remaining -= take;
        if (remaining === 0 && page.rows.length > take) {
          next = last; // one row more than asked for: the result goes on
          return;
        }
      }
      return;
    }
    let remaining = query.limit;
    while (remaining > 0) {
      const want = Math.min(chunkRows, remaining);
      const page = await warehouse.page({ ...query, after: last?.after ?? null, afterTies: last?.ties ?? 0 }, want + 1);
      const take = Math.min(want, page.rows.length);
      if (take > 0) yield take === page.rows.length ? page : { rows: page.rows.slice(0, take), keys: page.keys.slice(0, take) };
      remaining -= take;
      if (page.rows.length <= want) return; // result exhausted
      if (remaining === 0) next = last;
    }
  }
  /** Row by row, `lastPosition()` following each. */
  async function* rows(): AsyncGenerator<Cell[]> {
    for await (const slice of slices()) {
      for (let i = 0; i < slice.rows.length; i++) {
        advance(slice.keys[i]!);
        yield slice.rows[i]!;
      }
    }
  }
  /** Chunk by chunk, for a reader that takes every row: one await per chunk, not per row. */
  async function* chunks(): AsyncGenerator<readonly Cell[][]> {
    for await (const slice of slices()) {
      for (const key of slice.keys) advance(key);
      yield slice.rows;
    }
  }
  return {
    rows: rows(),
    /** The same rows as `rows`, a chunk at a time; read one or the other. */
    chunks: chunks(),
    next: () => next,
    lastPosition: () => last,
  };
}

function samePosition(a: Position, b: Position): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
