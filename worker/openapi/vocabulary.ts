import { type LeafColumn, leafColumns } from '../../shared/columns.ts';
import { type ScalarType, type ViewDef } from '../../shared/types.ts';
import { neutraliseFormula } from '../format/cells.ts';
import { FILTER_OPS, type FilterOp, LIMITS, RESERVED_PARAMS, TEXT_ONLY_OPS } from '../../shared/query-vocabulary.ts';
import { MAX_LIKE_PATTERN_BYTES } from '../query/pattern.ts';
import { parseValue } from '../query/values.ts';

/** The query language as the document explains it: types, operators, examples and limits, each
 * tied to the shared vocabulary (shared/query-vocabulary.ts) or the parser with `satisfies`, so
 * a change there fails to compile here. */

/** How each BigQuery type reaches a client in json and ndjson (see worker/format/cells.ts). */
export const JSON_SCHEMAS = {
  // jsonCell writes INT64 digit for digit, so values past 2^53 need a big-number parser.
  INT64: { type: 'integer', format: 'int64' },
  NUMERIC: { type: 'number', description: 'Exact decimal, written digit for digit.' },
  FLOAT64: { type: 'number', format: 'double' },
  STRING: { type: 'string' },
  BOOL: { type: 'boolean' },
  DATE: { type: 'string', format: 'date' },
  // JSON Schema's date-time format requires an offset, which a civil DATETIME has none of.
  DATETIME: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$' },
  TIMESTAMP: { type: 'string', format: 'date-time' },
  TIME: { type: 'string', pattern: '^\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$' },
} as const satisfies Record<ScalarType, { type: string; format?: string; pattern?: string; description?: string }>;

/** What each filter operator means; `satisfies` keeps the list complete. */
export const OPERATORS = {
  eq: 'equals',
  neq: 'does not equal',
  gt: 'greater than',
  gte: 'greater than or equal to',
  lt: 'less than',
  lte: 'less than or equal to',
  like: `matches a pattern, case-sensitive; \`*\` is the wildcard (text columns; at most ${MAX_LIKE_PATTERN_BYTES} bytes)`,
  ilike: `matches a pattern, ignoring case; \`*\` is the wildcard (text columns; at most ${MAX_LIKE_PATTERN_BYTES} bytes)`,
  in: 'is one of a list: `in.(a,b,c)`; quote values holding commas: `in.("a,b",c)`',
  is: '`is.null`; on true/false columns also `is.true` and `is.false`',
} as const satisfies Record<FilterOp, string>;

export function operatorsFor(type: ScalarType): FilterOp[] {
  return FILTER_OPS.filter((op) => type === 'STRING' || !(TEXT_ONLY_OPS as readonly FilterOp[]).includes(op));
}

/** Two filters per type that the parser accepts; openapi.integration.test.ts runs every one through it. */
export const FILTER_EXAMPLES = {
  INT64: ['eq.42', 'not.in.(1,2,3)'],
  NUMERIC: ['gte.6.5', 'is.null'],
  FLOAT64: ['lt.0.25', 'gte.1'],
  STRING: ['ilike.*chrome*', 'not.is.null'],
  BOOL: ['is.true', 'eq.false'],
  DATE: ['gte.2026-09-01', 'lt.2026-10-01'],
  DATETIME: ['gte.2026-09-01T09:00:00', 'lt.2026-09-02'],
  TIMESTAMP: ['gte.2026-09-01T09:00:00Z', 'lt.2026-09-01T17:00:00+02:00'],
  TIME: ['gte.09:00:00', 'lt.17:30'],
} as const satisfies Record<ScalarType, readonly [string, string]>;

/** What a value must look like, in the parser's own words (STRING accepts anything). */
export function expectedValue(type: ScalarType): string {
  const probe = parseValue(type, '');
  return probe.ok ? 'any text' : probe.expected;
}

/** Every limit, explained; `satisfies` makes a new limit fail to compile until it is documented. */
export const LIMIT_NOTES = {
  maxUrlLength: 'characters in a request URL; longer gets 414, so send the query to POST /v1/views/{view}/query instead',
  maxQueryBodyBytes: 'bytes in a POST query body',
  maxFilters: 'filters in one query, `from`/`to` included',
  maxInValues: 'values in one `in.(...)` list',
  maxValueLength: 'characters in one filter value or pattern',
  maxSelectItems: 'columns and aggregates in `select`',
  maxOrderTerms: 'terms in `order`',
  maxGroupBy: 'columns in `group_by`',
  defaultPageSize: 'rows in a json or values page when `limit` is not given',
  maxPageSize: 'largest `limit` for json and values',
  maxExportRows: 'largest csv or ndjson export in one request (the default when `limit` is not given)',
  chunkRows: 'rows read from the warehouse per chunk while an export streams',
  maxPageBytes: 'characters of body after which a json or values page ends early and links on, so wide rows fit in an isolate',
} as const satisfies Record<keyof typeof LIMITS, string>;

/** The characters that make a cell a formula, found by asking neutraliseFormula itself. */
export function formulaTriggers(): string[] {
  const names: Record<string, string> = { '\t': 'tab', '\r': 'carriage return', '\n': 'line feed' };
  const found: string[] = [];
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    if (neutraliseFormula(`${ch}x`) !== `${ch}x`) found.push(names[ch] ?? `\`${ch}\``);
  }
  return found;
}

/** Columns a filter parameter can name: a column called like a reserved parameter would be read as that parameter. */
export function filterableColumns(view: ViewDef): LeafColumn[] {
  return leafColumns(view).filter((c) => !(RESERVED_PARAMS as readonly string[]).includes(c.name));
}

/** How every `limit` is read (shared/query-vocabulary.ts readLimit), for each endpoint's description. */
export const LIMIT_RULE = 'Blank means the default; otherwise plain digits only (no sign, fraction, exponent or hex).';

export function limitDescription(): string {
  return (
    `Rows per page. json and values: default ${LIMITS.defaultPageSize}, at most ${LIMITS.maxPageSize}. ` +
    `csv and ndjson: without a limit the whole result streams (at most ${LIMITS.maxExportRows} rows); ` +
    `with a limit up to ${LIMITS.maxPageSize} they are paged like json, the next link in the Link header. ${LIMIT_RULE}`
  );
}

/** What `dates` does, for the query parameter and the POST body field alike. */
export const DATES_DESCRIPTION =
  'How DATE, DATETIME and TIMESTAMP cells are written. `iso` (the default): ISO 8601 text, as in every format. ' +
  '`serial`, with `format=values` only (any other format answers 400): numbers, fewer bytes than quoted text. ' +
  'DATE is the Google Sheets serial day, days since 1899-12-30 (2026-01-01 is `46023`). ' +
  'DATETIME is the serial day plus the time as a fraction of the day to 12 decimals (`46023.5` is noon); round value × 86400 to the microsecond for the exact time. ' +
  'TIMESTAMP is Unix epoch seconds, exact, with the fraction of a second when it has one (`1767282369.25`). ' +
  'Before 1899-12-30 (DATE, DATETIME) or 1970 (TIMESTAMP) the numbers are negative. TIME stays text; nulls stay empty strings. ' +
  'Parsed as 64-bit floats, microseconds stay exact for DATETIME between 1720-07-25 and 2079-06-05 and TIMESTAMP between 1697-10-17 and 2242-03-16; whole seconds always.';
