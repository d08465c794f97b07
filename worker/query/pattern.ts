import { ApiError } from '../http/errors.ts';
import { bigQueryDialect } from '../warehouse/bigquery/dialect.ts';
import { sqliteDialect } from '../warehouse/d1/dialect.ts';
import type { Dialect } from './sql.ts';
import type { LeafColumn } from './model.ts';

/** Every warehouse a query may run on: one contract, so a query the demo answers runs in production too. */
const DIALECTS: readonly Dialect[] = [sqliteDialect, bigQueryDialect];

const utf8 = new TextEncoder();

/**
 * The longest like/ilike pattern the API takes, in UTF-8 bytes of the pattern as written
 * (`*` for any run of characters): the strictest warehouse's limit. D1's is 50 bytes.
 */
export const MAX_LIKE_PATTERN_BYTES = Math.min(...DIALECTS.map((d) => d.maxLikePatternBytes ?? Infinity));

/**
 * Refuses a like/ilike pattern some warehouse would refuse to run, measured as each dialect
 * writes it (D1's GLOB spells a literal `?` or `[` in three bytes), so the caller gets a 400
 * naming the limit instead of a warehouse error. The one check for /rows, POST /query,
 * /changes and hooks, which all parse through parseQuery.
 */
export function checkLikePattern(column: LeafColumn, op: 'like' | 'ilike', pattern: string): void {
  const caseInsensitive = op === 'ilike';
  for (const dialect of DIALECTS) {
    const max = dialect.maxLikePatternBytes;
    if (max === undefined) continue;
    const bytes = utf8.encode(dialect.likePattern(pattern, caseInsensitive)).byteLength;
    if (bytes <= max) continue;
    const written = utf8.encode(pattern).byteLength;
    throw new ApiError(
      400,
      'limit-exceeded',
      `The ${op} pattern for '${column.name}' is ${written} bytes${bytes !== written ? ` (${bytes} as the warehouse runs it)` : ''}; a pattern can be at most ${MAX_LIKE_PATTERN_BYTES} bytes of UTF-8 (accented letters and symbols take 2 to 4 bytes each). Shorten it: a * matches any run of characters, so keep the distinctive part, like ${column.name}=${op}.*part*.`,
      { column: column.name, limit: 'maxLikePatternBytes', maximum: MAX_LIKE_PATTERN_BYTES, bytes },
    );
  }
}
