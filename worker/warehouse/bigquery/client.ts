import { ApiError } from '../../http/errors.ts';
import type { BoundParam } from '../../query/sql.ts';
import type { TokenSource } from './auth.ts';
import { toQueryParameter } from './dialect.ts';
import { mapGoogleError, readGoogleError, type GoogleError } from './errors.ts';
import { ReadAhead } from './read-ahead.ts';
import type { TableRow, TableSchema, TimestampFormat } from './rows.ts';

/** The REST API root; tests and a local stand-in replace it through `apiBase`. */
const BIGQUERY_API = 'https://bigquery.googleapis.com/bigquery/v2';

/** Retry timing: exponential from `baseMs`, capped at `maxMs`, with full jitter. */
interface BackoffOptions {
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
   * Budget for one query from the first request to its first page of results, retries, new
   * jobs and polling included; each later page of a finished job gets the same budget of its
   * own. Sheets abandons a custom function after 30 s, so the default leaves room.
   */
  readonly deadlineMs?: number;
  /** How long each jobs.query / getQueryResults call asks BigQuery to wait for completion. */
  readonly pollTimeoutMs?: number;
  /**
   * Rows per page (maxResults); BigQuery also caps a page at about 10 MB. With pagesAhead,
   * one parsed page and up to pagesAhead more as bytes sit in memory at once (read-ahead.ts):
   * for `events`, about 20 MB parsed and 5 MB per page ahead at 5,000 rows, well below 128 MB.
   */
  readonly pageSize?: number;
  /**
   * Result pages fetched ahead of the reader (by startIndex, in parallel), so the next pages
   * arrive while the current one is encoded. Memory holds at most this many pages beyond the
   * current one. 0 reads page after page, each only when the reader asks for it.
   */
  readonly pagesAhead?: number;
  readonly backoff?: BackoffOptions;
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

/** One page of a finished query's result, in result order. */
export type ResultPage = QueryResult;

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
  readonly totalRows?: string;
  readonly totalBytesProcessed?: string;
  readonly errors?: readonly { reason?: string; message?: string }[];
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Reasons that are short-lived by Google's own description: retry the same call with backoff. */
const RETRYABLE_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError']);
/**
 * Reasons for which the job itself failed (they arrive as HTTP 400): asking again for the same
 * job returns the same failure, so the query is run again as a new job, with backoff.
 * https://cloud.google.com/bigquery/docs/error-messages (jobRateLimitExceeded, jobBackendError,
 * jobInternalError: "retry the job").
 */
const JOB_RETRY_REASONS = new Set(['jobRateLimitExceeded', 'jobBackendError', 'jobInternalError']);

/** Timed out against our own deadline (not an HTTP answer). */
class DeadlineExceeded extends Error {}

/** Stopped by the reader (it failed or went away), not by BigQuery: nobody waits for the answer. */
class Cancelled extends Error {
  constructor() {
    super('cancelled: the reader no longer wants this page');
  }
}

/** The job failed for a reason that a new job may not meet. */
class JobFailed extends Error {
  readonly failure: GoogleError;
  constructor(failure: GoogleError) {
    super(failure.reason ?? 'job failed');
    this.failure = failure;
  }
}

/**
 * A small BigQuery REST client: jobs.query, then jobs.getQueryResults while the job runs and
 * for every further page. Retries 429/5xx and short-lived reasons with exponential backoff
 * and full jitter, honouring Retry-After, inside one overall deadline; a failed job is run
 * again as a new job. Failures become ApiErrors whose messages say what to do and never
 * quote the SQL or Google's message.
 *
 * It never calls jobs.cancel: that method needs the `bigquery` or `cloud-platform` scope
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel, "Authorization
 * scopes") and the token carries only `bigquery.readonly`. Every job is sent with a
 * jobTimeoutMs of what is left of the deadline, so BigQuery stops a job by itself at the
 * moment this client stops waiting for it.
 */
export class BigQueryClient {
  private readonly tokens_: TokenSource;
  private readonly fetch_: typeof fetch;
  private readonly now_: () => number;
  private readonly sleep_: (ms: number) => Promise<void>;
  private readonly random_: () => number;
  private readonly apiBase_: string;
  private readonly deadlineMs_: number;
  private readonly pollTimeoutMs_: number;
  private readonly pageSize_: number;
  private readonly pagesAhead_: number;
  private readonly baseMs_: number;
  private readonly maxMs_: number;
  private readonly maxAttempts_: number;

  constructor(tokens: TokenSource, options: BigQueryClientOptions = {}) {
    this.tokens_ = tokens;
    this.fetch_ = options.fetch ?? ((input, init) => fetch(input, init));
    this.now_ = options.now ?? Date.now;
    this.sleep_ = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random_ = options.random ?? Math.random;
    this.apiBase_ = (options.apiBase ?? BIGQUERY_API).replace(/\/+$/, '');
    this.deadlineMs_ = options.deadlineMs ?? 25_000;
    this.pollTimeoutMs_ = options.pollTimeoutMs ?? 10_000;
    this.pageSize_ = options.pageSize ?? 5_000;
    this.pagesAhead_ = Math.max(0, Math.floor(options.pagesAhead ?? 2));
    this.baseMs_ = options.backoff?.baseMs ?? 250;
    this.maxMs_ = options.backoff?.maxMs ?? 8_000;
    this.maxAttempts_ = options.backoff?.maxAttempts ?? 6;
  }

  /** Runs the query and reads every page of its result. */
  async query(spec: QuerySpec): Promise<QueryResult> {
    let schema: TableSchema = { fields: [] };
    let totalBytesProcessed: number | null = null;
    const rows: TableRow[] = [];
    for await (const page of this.pages(spec)) {
      schema = page.schema;
      totalBytesProcessed = page.totalBytesProcessed;
      rows.push(...page.rows);
    }
    return { schema, rows, totalBytesProcessed, timestamps: 'int64-micros' };
  }

  /**
   * Runs the query and yields its result page by page, fetching up to `pagesAhead` pages
   * ahead of the reader (read-ahead.ts), in order. A page that fails fails the reader once;
   * it, or a reader that stops early, cancels the requests still in flight.
   * @example for await (const page of client.pages(spec)) encode(page.rows);
   */
  async *pages(spec: QuerySpec): AsyncGenerator<ResultPage> {
    const deadline = this.now_() + this.deadlineMs_;
    const { job, first } = await this.completedJob_(spec, deadline);
    const schema = first.schema ?? { fields: [] };
    const totalBytesProcessed = bytes(first.totalBytesProcessed);
    const page = (rows: readonly TableRow[]): ResultPage => ({ schema, rows, totalBytesProcessed, timestamps: 'int64-micros' });
    const totalRows = first.totalRows !== undefined ? Number(first.totalRows) : NaN;
    if (!first.pageToken || this.pagesAhead_ === 0 || !Number.isSafeInteger(totalRows)) {
      yield page(first.rows ?? []);
      if (!first.pageToken) return;
      // The job is done and its result kept for a day: each later page gets a budget of its own,
      // so a reader slow to take pages (a client downloading an export) is not timed out.
      if (!job) throw this.protocolError_('a page token without a jobReference');
      yield* this.followTokens_(spec, job, first.pageToken, page);
      return;
    }
    if (!job) throw this.protocolError_('a page token without a jobReference');
    // The next pages are asked for before the first is handed over, so they travel while the
    // reader decodes and encodes it.
    const ahead = new ReadAhead(this.pagesAhead_, this.pageSize_, first.rows?.length ?? 0, totalRows, async (start, size, signal) => {
      const at = { startIndex: start, maxResults: size };
      const held = await this.getResults_<ArrayBuffer>(spec, job, this.now_() + this.deadlineMs_, at, signal, 'bytes');
      return () => this.parsePage_(held);
    });
    try {
      yield page(first.rows ?? []);
      for (;;) {
        const next = await ahead.next();
        if (next === null) return;
        if (next.rows.length === 0) throw this.protocolError_(`no rows at startIndex ${next.start} of ${totalRows}`);
        yield page(next.rows);
      }
    } finally {
      // An error, a reader that stopped early, or the end: nothing still in flight is wanted.
      ahead.cancel();
    }
  }

  /** Validates the query and returns the bytes it would scan, without running it. */
  async dryRun(spec: QuerySpec): Promise<{ totalBytesProcessed: number | null }> {
    const deadline = this.now_() + this.deadlineMs_;
    const page = await this.call_<ResultsPage>(spec, deadline, 'POST', this.queriesUrl_(spec.project), () =>
      this.requestBody_(spec, deadline, true, crypto.randomUUID()),
    );
    return { totalBytesProcessed: bytes(page.totalBytesProcessed) };
  }

  /**
   * jobs.query, then polling until the job is done: the first page of its result. A job that
   * failed for a passing reason is run again as a new job (a new requestId, since a reused one
   * would name the failed job where BigQuery honours it) while the budget lasts.
   */
  private async completedJob_(spec: QuerySpec, deadline: number): Promise<{ job: JobReference | undefined; first: ResultsPage }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const requestId = crypto.randomUUID();
        let page = await this.call_<ResultsPage>(spec, deadline, 'POST', this.queriesUrl_(spec.project), () =>
          this.requestBody_(spec, deadline, false, requestId),
        );
        const job = page.jobReference;
        while (page.jobComplete === false) {
          if (!job) throw this.protocolError_('a running job without a jobReference');
          page = await this.getResults_(spec, job, deadline, {});
        }
        failOnJobErrors(page, spec, this.tokens_.principal);
        return { job, first: page };
      } catch (err) {
        if (!(err instanceof JobFailed)) throw err;
        const delay = this.backoffMs_(attempt, err.failure.retryAfterSeconds);
        if (attempt + 1 >= this.maxAttempts_ || this.now_() + delay >= deadline) {
          throw this.mapped_(err.failure, spec, Math.max(1, Math.ceil(delay / 1000)));
        }
        console.warn('bigquery job failed, running it again as a new job', err.failure.reason, `attempt ${attempt + 1}`);
        await this.sleep_(delay);
      }
    }
  }

  /** The sequential loop: each page names the next by its pageToken. */
  private async *followTokens_(
    spec: QuerySpec,
    job: JobReference,
    firstToken: string,
    page: (rows: readonly TableRow[]) => ResultPage,
  ): AsyncGenerator<ResultPage> {
    const seen = new Set<string>();
    let token: string | undefined = firstToken;
    while (token) {
      if (seen.has(token)) throw this.protocolError_('a repeated page token');
      seen.add(token);
      const next: ResultsPage = await this.getResults_(spec, job, this.now_() + this.deadlineMs_, { pageToken: token });
      yield page(next.rows ?? []);
      token = next.pageToken;
    }
  }

  private queriesUrl_(project: string): string {
    return `${this.apiBase_}/projects/${encodeURIComponent(project)}/queries`;
  }

  private requestBody_(spec: QuerySpec, deadline: number, dryRun: boolean, requestId: string): string {
    const remaining = Math.max(1, deadline - this.now_());
    return JSON.stringify({
      query: spec.sql,
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: spec.params.map(toQueryParameter),
      timeoutMs: Math.min(this.pollTimeoutMs_, remaining),
      // BigQuery stops the job itself once nobody waits for it any more: no jobs.cancel needed.
      jobTimeoutMs: String(Math.ceil(remaining)),
      maxResults: this.pageSize_,
      // Microseconds as an integer are exact; the default float seconds are not.
      formatOptions: { useInt64Timestamp: true },
      // Kept across transport retries of this call. Read-only queries may ignore it
      // (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest):
      // a retry can start a second job, which is why only the answered job is ever read.
      requestId,
      ...(spec.location ? { location: spec.location } : {}),
      ...(spec.maximumBytesBilled !== null ? { maximumBytesBilled: String(Math.floor(spec.maximumBytesBilled)) } : {}),
      ...(dryRun ? { dryRun: true } : {}),
    });
  }

  private getResults_<T = ResultsPage>(
    spec: QuerySpec,
    job: JobReference,
    deadline: number,
    at: { pageToken?: string; startIndex?: number; maxResults?: number },
    signal?: AbortSignal,
    read: 'json' | 'bytes' = 'json',
  ): Promise<T> {
    const url = new URL(`${this.queriesUrl_(job.projectId)}/${encodeURIComponent(job.jobId)}`);
    const remaining = Math.max(1, deadline - this.now_());
    url.searchParams.set('timeoutMs', String(Math.min(this.pollTimeoutMs_, remaining)));
    url.searchParams.set('maxResults', String(at.maxResults ?? this.pageSize_));
    url.searchParams.set('formatOptions.useInt64Timestamp', 'true');
    const location = job.location ?? spec.location;
    if (location) url.searchParams.set('location', location);
    if (at.pageToken) url.searchParams.set('pageToken', at.pageToken);
    if (at.startIndex !== undefined) url.searchParams.set('startIndex', String(at.startIndex));
    return this.call_<T>(spec, deadline, 'GET', url.toString(), null, job, signal, read);
  }

  /** A page held as its bytes (read-ahead.ts), parsed when the reader takes it. */
  private parsePage_(held: ArrayBuffer): ResultsPage {
    try {
      return JSON.parse(new TextDecoder().decode(held)) as ResultsPage;
    } catch {
      throw this.protocolError_('a result page that is not JSON');
    }
  }

  /** Exponential from baseMs, capped, with full jitter; never shorter than Retry-After. */
  private backoffMs_(attempt: number, retryAfterSeconds: number | null): number {
    const cap = Math.min(this.maxMs_, this.baseMs_ * 2 ** attempt);
    return Math.max(this.random_() * cap, (retryAfterSeconds ?? 0) * 1000);
  }

  /**
   * One API call with retries. The request body is built per attempt (its timeoutMs follows
   * the remaining budget) but keeps its requestId.
   */
  private async call_<T>(
    spec: QuerySpec,
    deadline: number,
    method: string,
    url: string,
    body: (() => string) | null,
    job?: JobReference,
    signal?: AbortSignal,
    read: 'json' | 'bytes' = 'json',
  ): Promise<T> {
    let requestBody: string | null = null;
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new Cancelled();
      const remaining = deadline - this.now_();
      if (remaining <= 0) throw this.timedOut_(spec);
      if (body && requestBody === null) requestBody = body();
      else if (body && requestBody !== null) requestBody = withTimeout(requestBody, Math.min(this.pollTimeoutMs_, remaining));
      let failure: GoogleError;
      try {
        const token = await this.tokens_.token();
        const res = await this.fetchWithin_(
          url,
          {
            method,
            headers: requestHeaders(token, requestBody !== null),
            ...(requestBody !== null ? { body: requestBody } : {}),
          },
          remaining,
          signal,
        );
        if (res.ok) return (read === 'bytes' ? await res.arrayBuffer() : await res.json()) as T;
        failure = await readGoogleError(res);
      } catch (err) {
        if (err instanceof ApiError || err instanceof Cancelled) throw err;
        if (signal?.aborted) throw new Cancelled();
        if (err instanceof DeadlineExceeded) throw this.timedOut_(spec);
        // A dropped connection: as retryable as a 503.
        failure = {
          status: 0,
          reason: 'network',
          message: err instanceof Error ? err.message : String(err),
          retryAfterSeconds: null,
        };
      }
      if (failure.reason !== null && JOB_RETRY_REASONS.has(failure.reason)) throw new JobFailed(failure);
      if (failure.status === 401 && !refreshedToken) {
        // The cached token was revoked or expired early: fetch a new one once, at once.
        this.tokens_.invalidate();
        refreshedToken = true;
        attempt--;
        continue;
      }
      const retryable =
        failure.status === 0 || RETRYABLE_STATUS.has(failure.status) || (failure.reason !== null && RETRYABLE_REASONS.has(failure.reason));
      if (!retryable || failure.reason === 'quotaExceeded' || attempt + 1 >= this.maxAttempts_) throw this.mapped_(failure, spec, null);
      const delay = this.backoffMs_(attempt, failure.retryAfterSeconds);
      if (this.now_() + delay >= deadline) {
        // Waiting would overrun the budget: answer now, and pass on when to come back.
        throw this.mapped_(failure, spec, Math.max(1, Math.ceil(delay / 1000)));
      }
      console.warn(
        'bigquery call retried',
        job ? 'getQueryResults' : 'jobs.query',
        failure.status,
        failure.reason,
        `attempt ${attempt + 1}`,
        `wait ${Math.round(delay)}ms`,
      );
      await this.pause_(delay, signal);
    }
  }

  /** The backoff wait, cut short when the reader cancels (the loop then stops before sending). */
  private pause_(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return this.sleep_(ms);
    return new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.sleep_(ms).then(done, done);
    });
  }

  private async fetchWithin_(url: string, init: RequestInit, remainingMs: number, cancel?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remainingMs);
    const onCancel = () => controller.abort();
    cancel?.addEventListener('abort', onCancel, { once: true });
    try {
      return await this.fetch_(url, { ...init, signal: controller.signal });
    } catch (err) {
      if (cancel?.aborted) throw new Cancelled();
      if (controller.signal.aborted) throw new DeadlineExceeded();
      throw err;
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  private timedOut_(spec: QuerySpec): ApiError {
    return new ApiError(
      504,
      'warehouse-unavailable',
      `BigQuery did not finish this query within ${Math.round(this.deadlineMs_ / 1000)} seconds. Try again, or narrow it: a shorter date range (from=, to=), fewer columns, or a smaller limit.`,
      { project: spec.project, dataset: spec.dataset },
      { 'retry-after': '30' },
    );
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
    return mapGoogleError(failure, { ...spec, principal: this.tokens_.principal }, retryAfter);
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
  const failure: GoogleError = { status: 400, reason: first.reason ?? null, message: first.message ?? '', retryAfterSeconds: null };
  if (failure.reason !== null && JOB_RETRY_REASONS.has(failure.reason)) throw new JobFailed(failure);
  throw mapGoogleError(failure, { ...spec, principal }, null);
}
