import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { readBodyText } from '../http/body.ts';
import { ApiError } from '../http/errors.ts';
import { checkFieldNames, filterPairs, readFilters } from '../query/body-fields.ts';
import { LIMITS, RESERVED_PARAMS, type ReservedParam } from '../../shared/query-vocabulary.ts';

const LIST_KEYS: ReadonlySet<string> = new Set(['select', 'order', 'group_by'] satisfies ReservedParam[]);
const SCALAR_KEYS: ReadonlySet<string> = new Set(RESERVED_PARAMS.filter((key) => !LIST_KEYS.has(key)));
const FIELDS = [...LIST_KEYS, 'filters', ...SCALAR_KEYS];

const bad = (detail: string) => new ApiError(400, 'bad-request', detail);

/**
 * The JSON body of POST /v1/views/{view}/query, as the same key/value pairs a GET query
 * string gives, so both go through one parser:
 * `{ "select": ["user_id", "sum(duration_seconds)"], "filters": { "productivity": "eq.Productive" },
 *    "from": "2026-09-01", "group_by": "user_id", "limit": 100 }`.
 * `filters` values may be a string or a list of strings (several filters on one column).
 */
export async function bodyEntries(c: Context<AppEnv>): Promise<[string, string][]> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported-media-type', 'Send the query as JSON with "Content-Type: application/json".');
  }
  const text = await readBodyText(c.req.raw, LIMITS.maxQueryBodyBytes, 'The query body', 'maxQueryBodyBytes');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('The body must be a JSON object, like {"select": ["user_id"]}.');
  checkFieldNames(body, FIELDS);
  const entries: [string, string][] = [];
  const scalar = (key: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw bad(`"${key}" must be a string${key === 'limit' ? ' or a number' : ''}.`);
  };
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (LIST_KEYS.has(key)) {
      entries.push([key, Array.isArray(value) ? value.map((v) => scalar(key, v)).join(',') : scalar(key, value)]);
    } else if (SCALAR_KEYS.has(key)) {
      entries.push([key, scalar(key, value)]);
    } else {
      entries.push(...filterPairs(readFilters(value)));
    }
  }
  return entries;
}
