import type { DateForm } from '../../shared/query-vocabulary.ts';
import { NUMBERED_TYPES, temporalText } from '../../shared/temporal-numbers.ts';
import type { ScalarType } from '../../shared/types.ts';
import type { ApiCell } from './client.ts';

/**
 * The `dates` form the add-on asks for: DATE, DATETIME and TIMESTAMP as numbers, which keeps a
 * `values` page under the bytes of the same rows as CSV (quotes around dates were the gap).
 */
export const REQUESTED_DATES = 'serial' satisfies DateForm;

/**
 * Turns the numbers of a `dates=serial` page back into the ISO text the API sends without
 * the option, in place (the page was just parsed and is no one else's). Everything after the
 * request (toCell, merge keys, change marks, the preview) then sees exactly what it saw
 * before the option existed, so an existing sheet refreshes to the same cells and keys.
 * Row 0 is the header. A cell that is not a number (null as '', or text the Worker passed on
 * as it was) stays as it is.
 */
export function isoDatesInPlace(columns: readonly { readonly type: string }[], values: ApiCell[][]): void {
  const numbered = columns.flatMap((c, i) => (NUMBERED_TYPES.has(c.type as ScalarType) ? [[i, c.type as ScalarType] as const] : []));
  if (numbered.length === 0) return;
  for (let r = 1; r < values.length; r++) {
    const row = values[r]!;
    for (const [i, type] of numbered) {
      const cell = row[i];
      if (typeof cell === 'number') row[i] = temporalText(type, cell) ?? cell;
    }
  }
}
