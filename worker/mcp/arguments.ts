import { ApiError } from '../http/errors.ts';
import { FILTER_OPS, NEGATION, RESERVED_PARAMS } from '../../shared/query-vocabulary.ts';

/**
 * query_view's arguments as the key/value pairs a /rows query string gives, so they go
 * through the one parser (worker/query/parse.ts) with its plan checks and suggestions. This
 * only checks the shape of the JSON; which columns, values and aggregates are valid is the
 * parser's to say, in the same sentences the API uses.
 */
export interface ToolQuery {
  readonly view: string;
  readonly entries: readonly (readonly [string, string])[];
  readonly limit: number | undefined;
}

const FIELDS = ['view', 'select', 'filters', 'from', 'to', 'group_by', 'order', 'limit', 'cursor'] as const;

const bad = (detail: string) => new ApiError(400, 'invalid-parameter', detail);

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw bad(`"${field}" must be a string.`);
  return value;
}

/** A list argument: an array of strings, or one comma-separated string as /rows takes it. */
function list(field: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  throw bad(`"${field}" must be a list of strings, like ["user_id", "sum(productive_active_duration_seconds)"].`);
}

/** A value inside in.(...): quoted, so commas, parentheses and quotes stay part of it. */
function quoted(value: Scalar): string {
  return `"${String(value).replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

function filterEntry(at: string, value: unknown): [string, string] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(`${at} must be an object like {"column": "user_name", "op": "eq", "value": "Ann"}.`);
  }
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!['column', 'op', 'value', 'values', 'not'].includes(key)) {
      throw bad(`${at} has an unknown field "${key.slice(0, 40)}"; a filter has column, op, value (or values for "in") and not.`);
    }
  }
  const column = text(`${at}.column`, spec['column']);
  // A filter is a query-string pair to the parser, so a column named like a parameter
  // (limit, cursor, format...) would set that parameter instead of filtering.
  if (column === '' || (RESERVED_PARAMS as readonly string[]).includes(column)) {
    throw bad(`${at}.column '${column}' is not a column; describe_view lists the view's columns.`);
  }
  const op = FILTER_OPS.find((o) => o === spec['op']);
  if (!op) throw bad(`${at}.op must be one of ${FILTER_OPS.join(', ')}; got ${JSON.stringify(spec['op'] ?? null).slice(0, 40)}.`);
  if (spec['not'] !== undefined && typeof spec['not'] !== 'boolean') throw bad(`${at}.not must be true or false.`);
  const prefix = spec['not'] === true ? NEGATION : '';
  let operand: string;
  if (op === 'in') {
    const values = spec['values'] ?? spec['value'];
    if (!Array.isArray(values) || !values.every(isScalar)) throw bad(`${at} uses "in": give "values", a list like ["a", "b"].`);
    operand = `(${values.map(quoted).join(',')})`;
  } else if (op === 'is') {
    const v = spec['value'];
    if (v !== null && typeof v !== 'boolean') throw bad(`${at} uses "is": its value is null, true or false.`);
    operand = String(v);
  } else {
    const v = spec['value'];
    if (!isScalar(v)) throw bad(`${at} needs a "value" (a string, number or true/false) to compare ${column} with.`);
    operand = String(v);
  }
  return [column, `${prefix}${op}.${operand}`];
}

function orderTerm(at: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(`${at} must be an object like {"column": "local_date", "direction": "desc"}.`);
  }
  const term = value as Record<string, unknown>;
  const column = text(`${at}.column`, term['column']);
  const direction = term['direction'] ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') throw bad(`${at}.direction must be "asc" or "desc".`);
  return `${column}.${direction}`;
}

/** Reads query_view's arguments; a wrong shape is an ApiError the tool turns into an isError result. */
export function readQueryArguments(args: Readonly<Record<string, unknown>> | undefined): ToolQuery {
  const given = args ?? {};
  for (const key of Object.keys(given)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw bad(`query_view has no argument "${key.slice(0, 60)}". Arguments: ${FIELDS.join(', ')}.`);
    }
  }
  if (typeof given['view'] !== 'string' || given['view'] === '') throw bad('query_view needs "view": list_views names them.');
  const entries: [string, string][] = [];
  const present = (key: string) => given[key] !== undefined && given[key] !== null;
  if (present('select')) entries.push(['select', list('select', given['select'])]);
  if (present('group_by')) entries.push(['group_by', list('group_by', given['group_by'])]);
  if (present('from')) entries.push(['from', text('from', given['from'])]);
  if (present('to')) entries.push(['to', text('to', given['to'])]);
  if (present('cursor')) entries.push(['cursor', text('cursor', given['cursor'])]);
  if (present('order')) {
    const order = given['order'];
    const terms = Array.isArray(order) ? order.map((t, i) => orderTerm(`order[${i}]`, t)) : [orderTerm('order', order)];
    entries.push(['order', terms.join(',')]);
  }
  if (present('filters')) {
    const filters = given['filters'];
    if (!Array.isArray(filters))
      throw bad('"filters" must be a list of conditions, like [{"column": "user_name", "op": "eq", "value": "Ann"}].');
    filters.forEach((f, i) => entries.push(filterEntry(`filters[${i}]`, f)));
  }
  let limit: number | undefined;
  if (present('limit')) {
    const raw = given['limit'];
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1)
      throw bad(`"limit" must be a whole number of 1 or more; got ${JSON.stringify(raw).slice(0, 40)}.`);
    limit = raw;
  }
  return { view: given['view'], entries, limit };
}
