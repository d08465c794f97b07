import { LIMITS } from './limits.ts';
import type { Query, TypedValue } from './model.ts';
import type { Cell, Warehouse } from '../warehouse/types.ts';

export type Position = readonly (TypedValue | null)[];

/**
 * Reads up to query.limit rows in chunks, so an export of millions of rows never sits in
 * the isolate at once. After the iteration, `next()` is the keyset position to continue
 * from, or null when the result is complete; during it, `lastPosition()` is the position
 * after the row yielded last, for a reader that stops early.
 */
export function readRows(warehouse: Warehouse, query: Query, chunkRows: number = LIMITS.chunkRows) {
  let next: Position | null = null;
  let last: Position | null = null;
  async function* rows(): AsyncGenerator<Cell[]> {
    let remaining = query.limit;
    let after = query.after;
    while (remaining > 0) {
      const want = Math.min(chunkRows, remaining);
      const page = await warehouse.page({ ...query, after }, want + 1);
      const take = Math.min(want, page.rows.length);
      for (let i = 0; i < take; i++) {
        last = page.keys[i]!;
        yield page.rows[i]!;
      }
      remaining -= take;
      if (page.rows.length <= want) return; // result exhausted
      after = page.keys[take - 1]!;
      if (remaining === 0) next = after;
    }
  }
  return { rows: rows(), next: () => next, lastPosition: () => last };
}
