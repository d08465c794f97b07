/**
 * The words of the query API, written once: filter operators, the parameter names that are
 * not columns, row ids, the limits and how a `limit` is read. The Worker parses and documents
 * with them, and the Sheets add-on and the Zapier app build their requests with them, so this
 * module imports nothing that runs only in one of those places.
 */

/** The filter operators, in the order users meet them (`col=op.value`, `col=not.op.value`). */
export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
/** Pattern operators: they apply to text columns only. */
export const TEXT_ONLY_OPS = ['like', 'ilike'] as const satisfies readonly FilterOp[];
/** Written before an operator to negate it: `not.in.(a,b)`. */
export const NEGATION = 'not.';

const OPERATOR_PREFIX = new RegExp(`^(${NEGATION.replace('.', '\\.')})?(${FILTER_OPS.join('|')})\\.`);

/** True when a filter value already names an operator (`gte.5`, `not.is.null`). */
export function hasOperator(value: string): boolean {
  return OPERATOR_PREFIX.test(value);
}

/**
 * A filter as the API takes it. People usually type or map a plain value ("Productive"),
 * which means equality; a value that already starts with an operator is passed as written.
 * @example filterSpec('Productive') // 'eq.Productive'
 * filterSpec('gte.3600') // 'gte.3600'
 */
export function filterSpec(value: string): string {
  return hasOperator(value) ? value : `eq.${value}`;
}

/** Query-string keys of /rows (and POST /query) that are parameters, not filters. */
export const RESERVED_PARAMS = ['select', 'from', 'to', 'order', 'limit', 'cursor', 'group_by', 'format', 'dates', 'dry_run'] as const;
export type ReservedParam = (typeof RESERVED_PARAMS)[number];
/**
 * Values of `dates`, the default first. `iso`: DATE, DATETIME and TIMESTAMP cells as ISO 8601
 * text. `serial` (format=values only): as numbers a spreadsheet takes, fewer bytes than the
 * quoted text (shared/temporal-numbers.ts says which number for which type).
 */
export const DATE_FORMS = ['iso', 'serial'] as const;
export type DateForm = (typeof DATE_FORMS)[number];
/** Parameters of /changes itself; every other key there is a /rows filter or `select`. */
export const FEED_PARAMS = ['since', 'shape', 'limit', 'poller', 'start'] as const;
/** Values of /changes' `shape`: the default first. */
export const SHAPES = ['object', 'array'] as const;
/** Parameters of /rows that have no meaning on a feed, whose order is fixed. */
export const NOT_FOR_FEEDS = ['order', 'group_by', 'cursor', 'format', 'dates', 'dry_run'] as const satisfies readonly ReservedParam[];
/**
 * Names that are parameters of /rows or /changes, never columns: as a filter key they would
 * change the request instead of filtering it.
 */
export const NOT_COLUMNS: readonly string[] = [...new Set<string>([...RESERVED_PARAMS, ...FEED_PARAMS])];

/**
 * The id of a row: its row-key values in the view's rowKey order, as the text the API serves
 * them in, joined with '|'. A '\' or '|' inside a value is escaped with '\' and NULL is written
 * '\N', so two different keys never give the same id (docs/make.md, "Row ids").
 * @example rowKeyId([1042, '2026-11-19']) // '1042|2026-11-19'
 */
export function rowKeyId(values: readonly unknown[]): string {
  return values
    .map((value) => (value === null || value === undefined ? '\\N' : String(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|')))
    .join('|');
}

/**
 * The documented limits of the query API. Each one exceeded is a clear 4xx naming the limit,
 * never a crash; /openapi.json quotes them.
 */
export const LIMITS = {
  /** Longer URLs get 414; Apps Script refuses URLs over ~2 KB anyway, so POST /query exists. */
  maxUrlLength: 8192,
  maxQueryBodyBytes: 65_536,
  maxFilters: 50,
  maxInValues: 500,
  maxValueLength: 1000,
  maxSelectItems: 300,
  maxOrderTerms: 10,
  maxGroupBy: 10,
  defaultPageSize: 1000,
  /** Largest page for json and values, which are built per page. */
  maxPageSize: 10_000,
  /** A page also ends at about this many characters of body, and links on (isolates have 128 MB). */
  maxPageBytes: 4_000_000,
  /** Largest streamed csv/ndjson export in one request; stream in chunks of `chunkRows`. */
  maxExportRows: 5_000_000,
  chunkRows: 5000,
} as const;

/** What a `limit` may be on one endpoint: the default when it is absent or blank, and the most. */
export interface LimitRange {
  readonly default: number;
  readonly max: number;
}

/** /changes pages: small by default because Zapier and Make only look at the first page. */
export const CHANGES_LIMIT = { default: 100, max: 1000 } as const satisfies LimitRange;
/** Entries of the delivery log per GET /v1/hooks/{id}/deliveries. */
export const DELIVERIES_LIMIT = { default: 50, max: 200 } as const satisfies LimitRange;

export type LimitReading =
  | { readonly ok: true; readonly limit: number; readonly defaulted: boolean }
  /** `given`: the value as received, shortened; for a limit too large, its digits. */
  | { readonly ok: false; readonly tooLarge: boolean; readonly detail: string; readonly given: string };

/**
 * Reads a `limit` parameter the one way every endpoint reads it. Absent or blank is the
 * default (form tools such as Make and Zapier send empty fields); otherwise only plain decimal
 * digits from 1 to `range.max`: no sign, fraction, exponent or hex, which `Number` would take.
 * Refusals carry a sentence naming the allowed range, for the caller's own error type.
 * @example readLimit('', CHANGES_LIMIT) // { ok: true, limit: 100, defaulted: true }
 * readLimit('1e3', CHANGES_LIMIT).ok // false
 */
export function readLimit(raw: string | null | undefined, range: LimitRange): LimitReading {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, limit: range.default, defaulted: true };
  if (!/^[0-9]+$/.test(text) || /^0+$/.test(text)) {
    const given = clip(String(raw));
    return { ok: false, tooLarge: false, given, detail: `limit must be a whole number from 1 to ${range.max}; got '${given}'.` };
  }
  const limit = Number(text);
  if (limit > range.max) {
    const given = clip(text.replace(/^0+/, ''));
    return { ok: false, tooLarge: true, given, detail: `limit is at most ${range.max}; got ${given}.` };
  }
  return { ok: true, limit, defaulted: false };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
