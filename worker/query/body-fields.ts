/**
 * The checks a JSON request body shares, wherever it is read (POST /v1/views/{view}/query and
 * POST /v1/hooks): its field names, and its `filters` object. One implementation, so the two
 * routes give the same answer to the same mistake.
 */
import { ApiError } from '../http/errors.ts';
import { RESERVED_PARAMS } from '../../shared/query-vocabulary.ts';
import { didYouMean, nearestNames } from './suggest.ts';

/** Filters as a body carries them: a column name to one filter string, or to a list of them. */
export type FilterSpecs = Record<string, string | string[]>;

const bad = (detail: string, extensions: Record<string, unknown>) => new ApiError(400, 'bad-request', detail, extensions);

/**
 * Refuses a body field outside `fields`, suggesting the nearest one (`selct` → `select`), as
 * a misspelt query parameter gets.
 */
export function checkFieldNames(body: object, fields: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (fields.includes(key)) continue;
    const suggestions = nearestNames(key, fields);
    throw bad(`Unknown field "${key.slice(0, 60)}".${didYouMean(suggestions)} Fields: ${fields.join(', ')}.`, {
      field: key.slice(0, 60),
      suggestions,
    });
  }
}

/**
 * Reads a body's `filters`: an object from column names to a filter string (`"eq.42"`) or a
 * non-empty list of them. A query parameter used as a column (`"limit"`, `"cursor"`) would act
 * as that parameter, and an empty list would silently drop the filter and return every row
 * (fail open): both are a 400. The result has no prototype, so `__proto__` stays a (refused)
 * column rather than vanishing.
 * @example readFilters({ user_id: 'eq.42', duration_sec: ['gte.10', 'lt.600'] })
 */
export function readFilters(value: unknown): FilterSpecs {
  if (value === undefined || value === null) return Object.create(null) as FilterSpecs;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw bad('"filters" must be an object like {"user_id": "eq.42"}.', { field: 'filters' });
  }
  const clean = Object.create(null) as FilterSpecs;
  for (const [column, spec] of Object.entries(value)) {
    const name = column.slice(0, 60);
    if ((RESERVED_PARAMS as readonly string[]).includes(column)) {
      throw bad(
        `"filters" takes column names; '${column}' is a query parameter, not a column. Give it as a field of its own beside "filters", where the route takes it.`,
        { field: 'filters', column },
      );
    }
    if (Array.isArray(spec) && spec.length === 0) {
      throw bad(
        `"filters.${name}" is an empty list, which would filter nothing; give at least one filter like "eq.42", or leave ${name} out.`,
        { field: 'filters', column: name },
      );
    }
    const list: unknown[] = Array.isArray(spec) ? spec : [spec];
    if (!list.every((v): v is string => typeof v === 'string')) {
      throw bad(`"filters.${name}" must be a filter string like "eq.42", or a list of them.`, { field: 'filters', column: name });
    }
    clean[column] = Array.isArray(spec) ? list : list[0]!;
  }
  return clean;
}

/** Filters as the key/value pairs a query string gives, one pair per filter. */
export function filterPairs(filters: FilterSpecs): [string, string][] {
  return Object.entries(filters).flatMap(([column, spec]) =>
    (Array.isArray(spec) ? spec : [spec]).map((one): [string, string] => [column, one]),
  );
}
