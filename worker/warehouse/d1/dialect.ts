import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import type { Dialect } from '../../query/sql.ts';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** DATETIME, TIMESTAMP and TIME: the demo stores them as text, in whole seconds. */
const TEMPORAL: ReadonlySet<ScalarType> = new Set(['DATETIME', 'TIMESTAMP', 'TIME']);

/**
 * The demo's temporal text has whole seconds ('2026-09-01T08:15:00Z'; worker/demo/generators
 * writes no fraction), where a fraction compares as text in the wrong place ('.' sorts
 * before 'Z'). A filter value with a fraction becomes its whole second followed by '~', which
 * sorts after every whole-second text of that second and before the next second's: so
 * `> v`, `>= v`, `< v` and `<= v` hold for exactly the whole-second rows they hold for the
 * exact value, and `= v` for none, while the comparison stays plain text the index can use.
 * @example wholeSecondBound('2026-09-01T08:15:00.5Z') // '2026-09-01T08:15:00Z~'
 */
function wholeSecondBound(text: string): string {
  return text.replace(/\.\d+(Z?)$/, '$1~');
}

/**
 * An INT64 value as it crosses D1's JSON exactly: an integer a JavaScript number holds
 * exactly travels as a number; anything else (beyond 2^53, or a non-integer in a table that
 * is not STRICT) as its text, as every value did before. The definitions set no range on any
 * INT64 column, so large ones must stay exact; text for all of them cost the binding a quoted
 * string per cell of every row.
 */
const exactInteger = (expr: string) =>
  `CASE WHEN typeof(${expr}) = 'integer' AND ${expr} BETWEEN ${-Number.MAX_SAFE_INTEGER} AND ${Number.MAX_SAFE_INTEGER} THEN ${expr} ELSE CAST(${expr} AS TEXT) END`;

/** SQLite as D1 runs it, over the demo layout: one table per tenant and view, nested fields flattened. */
export const sqliteDialect: Dialect = {
  from: (_view: ViewDef, source: string) => quote(source),
  column: (column) => quote(column.name),
  // Numbered, so one bound value can be referenced more than once (keyset conditions).
  placeholder: (index) => `?${index + 1}`,
  output: (expr, type) => (type === 'INT64' ? exactInteger(expr) : expr),
  aggregate: (fn, expr) => (expr === null ? 'COUNT(*)' : `${fn.toUpperCase()}(${expr})`),
  // SQLite's LIKE ignores ASCII case, so case-sensitive `like` becomes GLOB.
  like: (expr, placeholder, caseInsensitive) =>
    caseInsensitive ? `${expr} LIKE ${placeholder} ESCAPE '\\'` : `${expr} GLOB ${placeholder}`,
  likePattern: (pattern, caseInsensitive) => {
    if (caseInsensitive) return pattern;
    // LIKE's backslash escape (`\_` is a literal underscore) becomes a GLOB character class.
    let glob = '';
    const chars = [...pattern];
    for (let i = 0; i < chars.length; i++) {
      let ch = chars[i]!;
      let literal = false;
      if (ch === '\\' && i + 1 < chars.length) {
        ch = chars[++i]!;
        literal = true;
      }
      if (!literal && ch === '%') glob += '*';
      else if (!literal && ch === '_') glob += '?';
      else if (ch === '*' || ch === '?' || ch === '[') glob += `[${ch}]`;
      else glob += ch;
    }
    return glob;
  },
  // "Maximum characters (bytes) in a LIKE or GLOB pattern: 50 bytes"
  // (https://developers.cloudflare.com/d1/platform/limits/): SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
  // which D1 lowers from SQLite's 50,000. A longer one fails the whole query.
  maxLikePatternBytes: 50,
  bool: (value) => (value ? 1 : 0),
  comparisonValue: (value, type) => (TEMPORAL.has(type) && typeof value === 'string' ? wholeSecondBound(value) : value),
  // The whole list travels as one JSON array parameter, read back row by row by json_each.
  inList: (expr, values, type, bind) => {
    const items = values.map((v) => (type === 'INT64' && typeof v === 'string' && Number.isSafeInteger(Number(v)) ? Number(v) : v));
    return `${expr} IN (SELECT value FROM json_each(${bind(JSON.stringify(items), 'STRING')}))`;
  },
};
