import { ApiError } from '../../http/errors.ts';
import type { BoundParam } from '../../query/sql.ts';
import type { TokenSource } from './auth.ts';
import { toQueryParameter } from './dialect.ts';
import { mapGoogleError, readGoogleError, type GoogleError } from './errors.ts';
import type { TableRow, TableSchema, TimestampFormat } from './rows.ts';

/** The REST API root; tests and a local stand-in replace it through `apiBase`. */
export const BIGQUERY_API = 'https://bigquery.googleapis.com/bigquery/v2';

/** Retry timing: exponential from `baseMs`, capped at `maxMs`, with full jitter. */
export interface BackoffOptions {
  /** First retry waits up to this long (full jitter: a random time from 0 to the cap). */
  readonly baseMs?: number;
  /** The cap stops doubling here. */
  readonly maxMs?: number;
  /** Attempts per HTTP call, the first included. */
  readonly maxAttempts?: number;
}

/** Everything a test swaps out; production uses the defaults. */
export interface BigQueryClientOptions {
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); the jitter source. */
  readonly random?: () => number;
  readonly apiBase?: string;
  /**
   * Budget for one query from the first request to the last page, retries and polling
   * included. Sheets abandons a custom function after 30 s, so the default leaves room.
   */
  readonly deadlineMs?: number;
  /** How long each jobs.query / getQueryResults call asks BigQuery to wait for completion. */
  readonly pollTimeoutMs?: number;
  /** Rows per page (maxResults); BigQuery also caps a page at about 10 MB. */
  readonly pageSize?: number;
  readonly backoff?: BackoffOptions;
  /** Keeps work started after the answer (cancelling an abandoned job) alive: the request's ctx.waitUntil. */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/** One query to run: the SQL and parameters from compileSelect, and where and how to run it. */
export interface QuerySpec {
  readonly sql: string;
  readonly params: readonly BoundParam[];
  /** The project billed for the job, and the tenant's dataset (named in error messages). */
  readonly project: string;
  readonly dataset: string;
  readonly location: string | null;
  readonly maximumBytesBilled: number | null;
}

/** Every row of a finished query, still in BigQuery's f/v form (decode with rows.ts). */
export interface QueryResult {
  readonly schema: TableSchema;
  readonly rows: readonly TableRow[];
  readonly totalBytesProcessed: number | null;
  readonly timestamps: TimestampFormat;
}

interface JobReference {
  readonly projectId: string;
  readonly jobId: string;
  readonly location?: string;
}

/** The fields of QueryResponse and GetQueryResultsResponse this client reads. */
interface ResultsPage {
  readonly jobComplete?: boolean;
  readonly jobReference?: JobReference;
  readonly schema?: TableSchema;
  readonly rows?: readonly TableRow[];
  readonly pageToken?: string;
  readonly totalBytesProcessed?: string;
  readonly errors?: readonly { reason?: string; message?: string }[];
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Reasons that are short-lived by Google's own description: retry with backoff. */
const RETRYABLE_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError']);

/** Timed out against our own deadline (not an HTTP answer). */
class DeadlineExceeded extends Error {}

/**
 * A small BigQuery REST client: jobs.query, then jobs.getQueryResults while the job runs and
 * for every further page. Retries 429/5xx and short-lived reasons with exponential backoff
 * and full jitter, honouring Retry-After, inside one overall deadline. Failures become
 * ApiErrors whose messages say what to do and never quote the SQL or Google's message.
 */
export class BigQueryClient {
  private readonly fetch_: typeof fetch;
  private readonly waitUntil_: (promise: Promise<unknown>) => void;
  private readonly now_: () => number;
  private readonly sleep_: (ms: number) => Promise<void>;
  private readonly random_: () => number;
  private readonly apiBase_: string;
  private readonly deadlineMs_: number;
  private readonly pollTimeoutMs_: number;
  private readonly pageSize_: number;
  private readonly baseMs_: number;
  private readonly maxMs_: number;
  private readonly maxAttempts_: number;

  constructor(
    private readonly tokens: TokenSource,
    options: BigQueryClientOptions = {},
  ) {
    this.fetch_ = options.fetch ?? ((input, init) => fetch(input, init));
    this.waitUntil_ = options.waitUntil ?? (() => undefined);
    this.now_ = options.now ?? Date.now;
    this.sleep_ = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random_ = options.random ?? Math.random;
    this.apiBase_ = (options.apiBase ?? BIGQUERY_API).replace(/\/+$/, '');
    this.deadlineMs_ = options.deadlineMs ?? 25_000;
    this.pollTimeoutMs_ = options.pollTimeoutMs ?? 10_000;
    this.pageSize_ = options.pageSize ?? 10_000;
    this.baseMs_ = options.backoff?.baseMs ?? 250;
    this.maxMs_ = options.backoff?.maxMs ?? 8_000;
    this.maxAttempts_ = options.backoff?.maxAttempts ?? 6;
  }

  /** Runs the query and reads every page of its result. */
  async query(spec: QuerySpec): Promise<QueryResult> {
    const deadline = this.now_() + this.deadlineMs_;
    let page = await this.call_<ResultsPage>(spec, deadline, 'POST', this.queriesUrl_(spec.project), () =>
      this.requestBody_(spec, deadline, false),
    );
    const job = page.jobReference;
    while (page.jobComplete === false) {
      if (!job) throw this.protocolError_('a running job without a jobReference');
      page = await this.getResults_(spec, job, deadline, undefined);
    }
    failOnJobErrors(page, spec, this.tokens.principal);
    const schema = page.schema ?? { fields: [] };
    const rows: TableRow[] = [...(page.rows ?? [])];
    const seen = new Set<string>();
    while (page.pageToken) {
      if (!job) throw this.protocolError_('a page token without a jobReference');
      if (seen.has(page.pageToken)) throw this.protocolError_('a repeated page token');
      seen.add(page.pageToken);
      page = await this.getResults_(spec, job, deadline, page.pageToken);
      rows.push(...(page.rows ?? []));
    }
    return { schema, rows, totalBytesProcessed: bytes(page.totalBytesProcessed), timestamps: 'int64-micros' };
  }

  /** Validates the query and returns the bytes it would scan, without running it. */
  async dryRun(spec: QuerySpec): Promise<{ totalBytesProcessed: number | null }> {
    const deadline = this.now_() + this.deadlineMs_;
    const page = await this.call_<ResultsPage>(spec, deadline, 'POST', this.queriesUrl_(spec.project), () =>
      this.requestBody_(spec, deadline, true),
    );
    return { totalBytesProcessed: bytes(page.totalBytesProcessed) };
  }

  private queriesUrl_(project: string): string {
    return `${this.apiBase_}/projects/${encodeURIComponent(project)}/queries`;
  }

  private requestBody_(spec: QuerySpec, deadline: number, dryRun: boolean): string {
    const remaining = Math.max(1, deadline - this.now_());
    return JSON.stringify({
      query: spec.sql,
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: spec.params.map(toQueryParameter),
      timeoutMs: Math.min(this.pollTimeoutMs_, remaining),
      // BigQuery stops the job itself once nobody is waiting for it, so it is not billed further.
      jobTimeoutMs: String(this.deadlineMs_),
      maxResults: this.pageSize_,
      // Microseconds as an integer are exact; the default float seconds are not.
      formatOptions: { useInt64Timestamp: true },
      // The same requestId on a retried call makes BigQuery return the first job, not start a second.
      requestId: crypto.randomUUID(),
      ...(spec.location ? { location: spec.location } : {}),
      ...(spec.maximumBytesBilled !== null ? { maximumBytesBilled: String(Math.floor(spec.maximumBytesBilled)) } : {}),
      ...(dryRun ? { dryRun: true } : {}),
    });
  }

  private getResults_(spec: QuerySpec, job: JobReference, deadline: number, pageToken: string | undefined): Promise<ResultsPage> {
    const url = new URL(`${this.queriesUrl_(job.projectId)}/${encodeURIComponent(job.jobId)}`);
    const remaining = Math.max(1, deadline - this.now_());
    url.searchParams.set('timeoutMs', String(Math.min(this.pollTimeoutMs_, remaining)));
    url.searchParams.set('maxResults', String(this.pageSize_));
    url.searchParams.set('formatOptions.useInt64Timestamp', 'true');
    const location = job.location ?? spec.location;
    if (location) url.searchParams.set('location', location);
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    return this.call_<ResultsPage>(spec, deadline, 'GET', url.toString(), null, job);
  }

  /**
   * One API call with retries. The request body is built per attempt (its timeoutMs follows
   * the remaining budget) but keeps one requestId, so a retried jobs.query is idempotent.
   */
  private async call_<T>(
    spec: QuerySpec,
    deadline: number,
    method: string,
    url: string,
    body: (() => string) | null,
    job?: JobReference,
  ): Promise<T> {
    let requestBody: string | null = null;
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - this.now_();
      if (remaining <= 0) throw this.timedOut_(spec, job);
      if (body && requestBody === null) requestBody = body();
      else if (body && requestBody !== null) requestBody = withTimeout(requestBody, Math.min(this.pollTimeoutMs_, remaining));
      let failure: GoogleError;
      try {
        const token = await this.tokens.token();
        const res = await this.fetchWithin_(
          url,
          {
            method,
            headers: requestHeaders(token, requestBody !== null),
            ...(requestBody !== null ? { body: requestBody } : {}),
          },
          remaining,
        );
        if (res.ok) return (await res.json()) as T;
        failure = await readGoogleError(res);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        if (err instanceof DeadlineExceeded) throw this.timedOut_(spec, job);
        // A dropped connection: as retryable as a 503.
        failure = {
          status: 0,
          reason: 'network',
          message: err instanceof Error ? err.message : String(err),
          retryAfterSeconds: null,
        };
      }
      if (failure.status === 401 && !refreshedToken) {
        // The cached token was revoked or expired early: fetch a new one once, at once.
        this.tokens.invalidate();
        refreshedToken = true;
        attempt--;
        continue;
      }
      const retryable =
        failure.status === 0 || RETRYABLE_STATUS.has(failure.status) || (failure.reason !== null && RETRYABLE_REASONS.has(failure.reason));
      if (!retryable || failure.reason === 'quotaExceeded' || attempt + 1 >= this.maxAttempts_) throw this.mapped_(failure, spec, null);
      const cap = Math.min(this.maxMs_, this.baseMs_ * 2 ** attempt);
      const jitter = this.random_() * cap;
      const delay = Math.max(jitter, (failure.retryAfterSeconds ?? 0) * 1000);
      if (this.now_() + delay >= deadline) {
        // Waiting would overrun the budget: answer now, and pass on when to come back.
        throw this.mapped_(failure, spec, Math.max(1, Math.ceil(delay / 1000)));
      }
      console.warn('bigquery call retried', failure.status, failure.reason, `attempt ${attempt + 1}`, `wait ${Math.round(delay)}ms`);
      await this.sleep_(delay);
    }
  }

  private async fetchWithin_(url: string, init: RequestInit, remainingMs: number): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remainingMs);
    try {
      return await this.fetch_(url, { ...init, signal: controller.signal });
    } catch (err) {
      if (controller.signal.aborted) throw new DeadlineExceeded();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private timedOut_(spec: QuerySpec, job: JobReference | undefined): ApiError {
    // Without waitUntil a Worker may drop the cancel once the 504 is sent, and the job runs on, billed.
    if (job) this.waitUntil_(this.cancel_(job).catch(() => undefined));
    return new ApiError(
      504,
      'warehouse-unavailable',
      `BigQuery did not finish this query within ${Math.round(this.deadlineMs_ / 1000)} seconds. Try again, or narrow it: a shorter date range (from=, to=), fewer columns, or a smaller limit.`,
      { project: spec.project, dataset: spec.dataset },
      { 'retry-after': '30' },
    );
  }

  /** Best effort: stop a job we no longer wait for, so it is not billed to the end. */
  private async cancel_(job: JobReference): Promise<void> {
    const url = new URL(`${this.apiBase_}/projects/${encodeURIComponent(job.projectId)}/jobs/${encodeURIComponent(job.jobId)}/cancel`);
    if (job.location) url.searchParams.set('location', job.location);
    const token = await this.tokens.token();
    await this.fetch_(url.toString(), { method: 'POST', headers: requestHeaders(token, false) });
  }

  private protocolError_(what: string): ApiError {
    console.error('bigquery protocol error', what);
    return new ApiError(
      502,
      'warehouse-error',
      'BigQuery sent an answer this server does not understand. Try again; if it persists, tell the administrator.',
    );
  }

  private mapped_(failure: GoogleError, spec: QuerySpec, retryAfter: number | null): ApiError {
    return mapGoogleError(failure, { ...spec, principal: this.tokens.principal }, retryAfter);
  }
}

function requestHeaders(token: string, json: boolean): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

function withTimeout(body: string, timeoutMs: number): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, timeoutMs });
}

function bytes(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A completed job can still carry its failure in `errors` (and no schema); treat it as the HTTP error it would be. */
function failOnJobErrors(page: ResultsPage, spec: QuerySpec, principal: string): void {
  if (page.schema || !page.errors?.length) return;
  const first = page.errors[0]!;
  throw mapGoogleError(
    { status: 400, reason: first.reason ?? null, message: first.message ?? '', retryAfterSeconds: null },
    { ...spec, principal },
    null,
  );
}
