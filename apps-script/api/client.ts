import type { HTTPResponse, UrlFetchApp, Utilities } from '../types/apps-script.ts';
import { ApiProblem, UserError } from './errors.ts';
import { isoDatesInPlace, REQUESTED_DATES } from './serial-dates.ts';

/** Where the API is and the key to send; kept in UserProperties (api/connection.ts). */
export interface Connection {
  readonly url: string;
  readonly key: string;
}

interface CatalogView {
  readonly name: string;
  readonly description: string;
  readonly min_plan: string;
  readonly columns: number;
  readonly row_key: readonly string[];
  readonly date_column: string | null;
  readonly change_column: string | null;
  readonly freshness: { readonly kind: string; readonly max_age_seconds: number };
}

export interface Catalog {
  readonly plan: string;
  readonly views: readonly CatalogView[];
}

export interface ViewColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly min_plan: string;
  readonly readable: boolean;
}

export interface ViewDetail extends Omit<CatalogView, 'columns'> {
  readonly plan: string;
  readonly columns: readonly ViewColumn[];
}

/** The JSON body of POST /v1/views/{view}/query (worker/routes/query-body.ts). */
export interface QueryBody {
  readonly select?: readonly string[];
  readonly filters?: Readonly<Record<string, readonly string[]>>;
  readonly from?: string;
  readonly to?: string;
  readonly order?: string;
  readonly group_by?: string;
  readonly limit?: number;
  readonly cursor?: string;
  readonly format: 'values';
  /** DATE, DATETIME and TIMESTAMP as numbers on the wire; `query` hands them back as ISO text. */
  readonly dates?: typeof REQUESTED_DATES;
}

export type ApiCell = string | number | boolean | null;

/** One page of `format=values`: values[0] is the header row. */
interface ValuesPage {
  readonly view: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly values: readonly (readonly ApiCell[])[];
  readonly row_count: number;
  readonly next_cursor: string | null;
  /** The ETag the API sent, if any: a later If-None-Match with it can answer 304. */
  readonly etag: string | null;
}

export type PageResult = { readonly changed: true; readonly page: ValuesPage } | { readonly changed: false };

export interface ClientOptions {
  /** Retries for 429/502/503/504, each after a pause that `sleep` takes. */
  readonly retries?: number;
  /** Called before a retry pause; returning false gives up (the caller's time is running out). */
  readonly mayWait?: (ms: number) => boolean;
}

/** What UrlFetchApp accepts at most; longer URLs throw "Limit Exceeded: URLFetch URL Length". */
const URL_FETCH_MAX_URL = 2000;

const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * The ActivTrak bridge API as Apps Script can call it: synchronous, through the UrlFetchApp
 * it is given. Queries go out as POST bodies because UrlFetchApp refuses URLs over ~2 KB and
 * a sheet user's filter list easily passes that.
 */
export class ApiClient {
  private readonly base: string;

  private readonly fetchApp: UrlFetchApp;
  private readonly utilities: Pick<Utilities, 'sleep'>;
  private readonly connection: Connection;
  private readonly options: ClientOptions;

  constructor(fetchApp: UrlFetchApp, utilities: Pick<Utilities, 'sleep'>, connection: Connection, options: ClientOptions = {}) {
    this.fetchApp = fetchApp;
    this.utilities = utilities;
    this.connection = connection;
    this.options = options;
    this.base = connection.url.replace(/\/+$/, '');
  }

  catalog(): Catalog {
    return this.getJson<Catalog>('/v1/views');
  }

  view(name: string): ViewDetail {
    return this.getJson<ViewDetail>(`/v1/views/${encodeURIComponent(name)}`);
  }

  /**
   * One page of rows. With `etag`, a 304 comes back as `{ changed: false }`: the data behind
   * the query has not changed since that ETag was issued.
   */
  query(view: string, body: QueryBody, etag?: string | null): PageResult {
    const headers: Record<string, string> = {};
    if (etag) headers['If-None-Match'] = etag;
    const response = this.send(`/v1/views/${encodeURIComponent(view)}/query`, 'post', JSON.stringify(body), headers);
    if (response.getResponseCode() === 304) return { changed: false };
    const page = parseJson<Omit<ValuesPage, 'etag'>>(response, this.base);
    if (!Array.isArray(page.values) || !Array.isArray(page.columns)) {
      throw new UserError(`The ActivTrak API at ${this.base} did not answer with rows. Is this the bridge API's address?`);
    }
    if (body.dates === REQUESTED_DATES) isoDatesInPlace(page.columns, page.values as ApiCell[][]);
    return { changed: true, page: { ...page, next_cursor: page.next_cursor ?? null, etag: header(response, 'etag') } };
  }

  private getJson<T>(path: string): T {
    return parseJson<T>(this.send(path, 'get'), this.base);
  }

  private send(path: string, method: 'get' | 'post', payload?: string, extraHeaders: Record<string, string> = {}): HTTPResponse {
    const url = this.base + path;
    if (url.length > URL_FETCH_MAX_URL) {
      throw new UserError(
        `That request is too long for Apps Script (${url.length} characters in the address; at most ${URL_FETCH_MAX_URL}).`,
      );
    }
    const params = {
      method,
      muteHttpExceptions: true,
      followRedirects: false,
      headers: { Authorization: `Bearer ${this.connection.key}`, Accept: 'application/json', ...extraHeaders },
      ...(payload === undefined ? {} : { contentType: 'application/json', payload }),
    };
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let response: HTTPResponse;
      try {
        response = this.fetchApp.fetch(url, params);
      } catch (err) {
        const reason = err instanceof Error ? err.message.replace(/^Exception:\s*/, '') : String(err);
        throw new UserError(`Could not reach the ActivTrak API at ${this.base}: ${reason}`);
      }
      const code = response.getResponseCode();
      if (code < 400 || code === 304) {
        if (code >= 300 && code !== 304) {
          throw new UserError(
            `The ActivTrak API at ${this.base} redirected (HTTP ${code}). Use the address it redirects to, starting with https://.`,
          );
        }
        return response;
      }
      if (RETRYABLE.has(code) && attempt < retries) {
        const wait = retryDelay(response, attempt);
        if (this.options.mayWait?.(wait) ?? true) {
          this.utilities.sleep(wait);
          continue;
        }
      }
      throw problemFrom(response, this.base);
    }
  }
}

/** Retry-After when the API gives one (capped: Apps Script time is short), else backoff. */
function retryDelay(response: HTTPResponse, attempt: number): number {
  const given = Number(header(response, 'retry-after'));
  if (Number.isFinite(given) && given > 0) return Math.min(given, 10) * 1000;
  return 1000 * 2 ** attempt;
}

/** A header by name, whatever case the server or UrlFetchApp used. */
function header(response: HTTPResponse, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.getHeaders())) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? (value[0] ?? null) : value;
  }
  return null;
}

function parseJson<T>(response: HTTPResponse, base: string): T {
  try {
    return JSON.parse(response.getContentText()) as T;
  } catch {
    throw new UserError(
      `The ActivTrak API at ${base} did not answer with JSON (HTTP ${response.getResponseCode()}). Check the API address.`,
    );
  }
}

function problemFrom(response: HTTPResponse, base: string): ApiProblem {
  const code = response.getResponseCode();
  const text = response.getContentText();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not problem+json: a proxy or a wrong address answered; say so rather than show HTML.
  }
  if (body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string') {
    const problem = body as { detail: string; type?: unknown; suggestions?: unknown; request_id?: unknown };
    const suggestions = Array.isArray(problem.suggestions) ? problem.suggestions.filter((s): s is string => typeof s === 'string') : [];
    return new ApiProblem(
      code,
      problem.detail,
      typeof problem.type === 'string' ? problem.type : '',
      suggestions,
      typeof problem.request_id === 'string' ? problem.request_id : null,
    );
  }
  return new ApiProblem(code, `The ActivTrak API at ${base} answered HTTP ${code}. Check the API address, or try again later.`);
}
