/**
 * Talking to the bridge: its base URL from the connection, the Bearer header, and its
 * problem+json errors turned into the Zapier errors users see.
 */
import type { BeforeRequestMiddleware, Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { filterSpec, NOT_COLUMNS } from '../../shared/query-vocabulary.ts';

/**
 * The bridge's base URL as the user typed it, without trailing slashes, so paths can be
 * appended; a bare host gets https:// because that is what a deployed bridge speaks.
 * @example apiBase({ authData: { api_url: 'bridge.example.com/' } }) // 'https://bridge.example.com'
 */
export function apiBase(bundle: Pick<Bundle, 'authData'>): string {
  const raw = (bundle.authData.api_url ?? '').trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(raw) ? raw : `https://${raw}`;
}

export function apiUrl(bundle: Pick<Bundle, 'authData'>, path: string): string {
  return `${apiBase(bundle)}${path}`;
}

/**
 * Sends the key with every request to the bridge, connection tests and hook calls included,
 * and with nothing else: the key reads a whole account, so no other host may see it.
 */
export const addApiKey: BeforeRequestMiddleware = (request, _z, bundle) => {
  const key = bundle.authData.api_key;
  const base = apiBase(bundle);
  request.headers = { ...request.headers, accept: 'application/json, application/problem+json' };
  if (key && (request.url === base || request.url.startsWith(`${base}/`))) request.headers.authorization = `Bearer ${key}`;
  return request;
};

/** The parts of an RFC 9457 problem the app reads. */
interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly detail?: string;
}

function readProblem(response: HttpResponse): Problem | null {
  try {
    const body: unknown = JSON.parse(response.content);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Problem) : null;
  } catch {
    return null;
  }
}

/** The last segment of a problem type URI: a stable code to switch on ("plan-required"). */
function problemCode(problem: Problem | null, status: number): string {
  const type = problem?.type ?? '';
  return type.slice(type.lastIndexOf('/') + 1) || `http-${status}`;
}

/**
 * The Zapier error for a failed answer, with the bridge's own `detail` as the message: it
 * already says what to do ("...needs the Professional (formerly Premium) plan; your key is
 * on Essentials"). A 401 means the key was revoked or mistyped, so the connection is marked
 * expired and the user asked to reconnect; RefreshAuthError would be wrong, as an API key has
 * nothing to refresh. A 429 lets Zapier retry after the bridge's Retry-After.
 */
export function bridgeError(z: ZObject, response: HttpResponse): Error {
  const problem = readProblem(response);
  const status = response.status;
  const detail =
    problem?.detail ??
    problem?.title ??
    `The ActivConnect bridge answered HTTP ${status} without an explanation. Check the Bridge URL in your connection, or try again later.`;
  if (status === 401) return new z.errors.ExpiredAuthError(detail);
  if (status === 429) {
    const retryAfter = Number.parseInt(response.getHeader('retry-after') ?? '', 10);
    return new z.errors.ThrottledError(detail, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  return new z.errors.Error(detail, problemCode(problem, status), status);
}

/**
 * afterResponse: every failed answer becomes bridgeError, before core's generic
 * throwForStatus would turn it into a message quoting raw JSON. A request that opts out with
 * `skipThrowForStatus` handles its own statuses (unsubscribing from a hook already gone).
 */
export function throwBridgeErrors(response: HttpResponse, z: ZObject): HttpResponse {
  if (response.status < 400 || response.skipThrowForStatus) return response;
  throw bridgeError(z, response);
}

/** The user's conditions, each as `column → op.value`, from the "Only Rows Where" input. */
export function filtersFrom(z: ZObject, input: unknown): Record<string, string> {
  if (input === undefined || input === null || input === '') return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new z.errors.Error('"Only Rows Where" must be pairs of a column name and a condition.', 'bad-filters', 400);
  }
  const filters: Record<string, string> = {};
  for (const [column, value] of Object.entries(input)) {
    const name = column.trim();
    if (name === '' || value === undefined || value === null || value === '') continue;
    if ((NOT_COLUMNS as readonly string[]).includes(name)) {
      throw new z.errors.Error(`"Only Rows Where" takes column names; '${name}' is a setting, not a column.`, 'bad-filters', 400);
    }
    filters[name] = filterSpec(String(value));
  }
  return filters;
}

/**
 * The "Columns" input as a list. Zapier sends a list field as an array, but a value mapped
 * from an earlier step can arrive as one comma-separated string.
 */
export function selectFrom(input: unknown): string[] | undefined {
  const items = Array.isArray(input) ? input : typeof input === 'string' ? input.split(',') : [];
  const names = items.map((item) => String(item).trim()).filter((name) => name !== '');
  return names.length > 0 ? names : undefined;
}
