/**
 * A stand-in for BigQuery and Google's OAuth token endpoint, speaking their documented
 * REST wire format, so the BigQuery backend is tested end to end without an account:
 *
 * - `POST /token`: the JWT bearer grant. Verifies the assertion's RS256 signature with the
 *   test key's public half and its iss/aud/scope/iat/exp, then issues short-lived tokens.
 * - `POST /bigquery/v2/projects/{p}/queries` (jobs.query), `GET .../queries/{job}`
 *   (jobs.getQueryResults) with maxResults/pageToken/startIndex, `jobComplete: false`
 *   for the first N polls, dry runs with totalBytesProcessed, maximumBytesBilled,
 *   jobTimeoutMs, `GET .../jobs/{job}` (jobs.get) and `POST .../jobs/{job}/cancel`, each
 *   checking the token's OAuth scopes as Google documents them per method.
 * - `GET .../datasets/{d}/tables/{t}` (tables.get): the table's schema from the definitions,
 *   a REPEATED record as RECORD/REPEATED with its fields.
 * - `requestId` ignored, as BigQuery may for read-only queries: a retried jobs.query starts
 *   (and bills) a second job.
 * - Errors in Google's JSON error format; injectable latency and faults (429 with
 *   Retry-After, 500/503 backendError, quotaExceeded, rateLimitExceeded, accessDenied,
 *   bytesBilledLimitExceeded, ...), and pages capped below maxResults, as BigQuery does
 *   for large rows.
 *
 * Queries run over the demo tables through `translate.ts`; a view with a REPEATED record is
 * held nested, one row per parent (`nested.ts`), as BigQuery holds it. The handler is a plain
 * `(Request) => Promise<Response>` over a `SqlExecutor`, so it runs inside workerd as the
 * client's `fetch` (over env.DB) and can be served from Node over node:sqlite.
 */
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { BIGQUERY_QUERY_LIMITS } from '../../../worker/warehouse/bigquery/dialect.ts';
import { standInTable } from './nested.ts';
import { QueryRejected, translate, type OutputColumn, type Translation, type WireParameter } from './translate.ts';

/** Runs SQLite; rows come back as arrays in select order. */
export interface SqlExecutor {
  all(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
}

/** A SqlExecutor over a D1 database (env.DB in tests). */
export function d1Executor(db: D1Database): SqlExecutor {
  return {
    all: (sql, params) =>
      db
        .prepare(sql)
        .bind(...params)
        .raw(),
  };
}

export type Endpoint = 'token' | 'query' | 'getQueryResults' | 'getJob' | 'cancel' | 'getTable';

const SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;
/**
 * The OAuth scopes each method accepts, from the "Authorization scopes" section of its REST
 * reference page: https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query,
 * .../jobs/getQueryResults and .../jobs/get take any of the four; .../jobs/cancel only
 * `bigquery` or `cloud-platform`; .../tables/get, a read, any of the four.
 */
const METHOD_SCOPES: Record<Exclude<Endpoint, 'token'>, readonly string[]> = {
  query: [SCOPE('bigquery'), SCOPE('cloud-platform'), SCOPE('bigquery.readonly'), SCOPE('cloud-platform.read-only')],
  getQueryResults: [SCOPE('bigquery'), SCOPE('cloud-platform'), SCOPE('bigquery.readonly'), SCOPE('cloud-platform.read-only')],
  getJob: [SCOPE('bigquery'), SCOPE('cloud-platform'), SCOPE('bigquery.readonly'), SCOPE('cloud-platform.read-only')],
  cancel: [SCOPE('bigquery'), SCOPE('cloud-platform')],
  getTable: [SCOPE('bigquery'), SCOPE('cloud-platform'), SCOPE('bigquery.readonly'), SCOPE('cloud-platform.read-only')],
};

/** Thrown by `handle` for a fault with `drop`: the connection died after the work was done. */
export class ConnectionDropped extends Error {
  constructor() {
    super('Network connection lost.');
  }
}

/**
 * A failure to answer with instead of the real response, for the next `times` matching calls.
 * The job failures BigQuery reports as HTTP 400 and says to retry as a new job are reasons
 * `jobRateLimitExceeded`, `jobBackendError` and `jobInternalError`
 * (https://cloud.google.com/bigquery/docs/error-messages, and
 * https://cloud.google.com/bigquery/docs/troubleshoot-queries): inject them with status 400.
 */
export interface Fault {
  readonly endpoint: Endpoint | 'any';
  /** Ignored with `drop`. */
  readonly status: number;
  /** ErrorProto reason (`rateLimitExceeded`, `backendError`...); for `token`, the OAuth error code. */
  readonly reason?: string;
  /**
   * Do the work (a jobs.query starts its job), then drop the connection before the answer:
   * the client sees a network error and cannot know the job exists.
   */
  readonly drop?: boolean;
  readonly message?: string;
  /** Sent as the Retry-After header. */
  readonly retryAfter?: string;
  readonly times?: number;
}

export interface StandInOptions {
  readonly db: SqlExecutor;
  /** The one project the service account may bill. */
  readonly project: string;
  /** The service account: its email (iss) and the public half of its key. */
  readonly clientEmail: string;
  readonly publicKey: CryptoKey;
  readonly tokenUri?: string;
  /** Datasets the service account may not read (accessDenied). */
  readonly deniedDatasets?: readonly string[];
  /** When set, jobs must run in this location, as a single-region dataset requires. */
  readonly location?: string;
  readonly tokenLifetimeSeconds?: number;
  /** getQueryResults answers `jobComplete: false` this many times before the rows. */
  readonly pollsBeforeComplete?: number;
  /** Rows per page at most, whatever maxResults asks: BigQuery's 10 MB page cap. */
  readonly maxRowsPerPage?: number;
  /** Bytes a referenced column costs per row, for totalBytesProcessed. */
  readonly bytesPerValue?: number;
  readonly latencyMs?: number | ((endpoint: Endpoint) => number);
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RecordedRequest {
  readonly endpoint: Endpoint | 'unknown';
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

interface Job {
  readonly id: string;
  readonly project: string;
  readonly location: string;
  readonly sql: string;
  readonly sqlite: string;
  readonly outputs: readonly OutputColumn[];
  readonly rows: readonly unknown[][];
  readonly bytes: number;
  /** When BigQuery stops the job by itself (jobTimeoutMs), in the stand-in's clock. */
  readonly timeoutAt: number | null;
  pollsLeft: number;
  cancelled: boolean;
}

/** What a test can see of a job. */
export interface JobSummary {
  readonly id: string;
  readonly sql: string;
  /** What the stand-in ran for it: the translation into SQLite over its own tables. */
  readonly sqlite: string;
  readonly state: 'RUNNING' | 'DONE';
  /** Why a job that is DONE did not succeed: `stopped` (cancelled) or `timeout` (jobTimeoutMs). */
  readonly error: 'stopped' | 'timeout' | null;
}

const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
/** On-demand queries bill at least 10 MB. */
const MIN_BILLED_BYTES = 10 * 1024 * 1024;
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
const DEFAULT_MESSAGES: Record<string, string> = {
  rateLimitExceeded:
    'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
  quotaExceeded:
    'Quota exceeded: Your project exceeded quota for free query bytes scanned. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
  backendError: 'Error encountered during execution. Retrying may solve the problem.',
  internalError: 'An internal error occurred and the request could not be completed.',
  accessDenied: 'Access Denied: Project standin: User does not have bigquery.jobs.create permission in project standin.',
  responseTooLarge: 'Response too large to return. Consider specifying a destination table in your job configuration.',
  timeout: 'Query exceeded the job timeout.',
};

/** The BigQuery + OAuth stand-in. Use `fetch` as the client's fetch. */
export class BigQueryStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Decoded claims of every assertion the token endpoint accepted. */
  readonly assertions: Record<string, unknown>[] = [];
  readonly cancelled: string[] = [];
  tokensIssued = 0;
  private readonly faults_: { fault: Fault; left: number }[] = [];
  private readonly tokens_ = new Map<string, { expires: number; scopes: readonly string[] }>();
  private readonly jobs_ = new Map<string, Job>();
  private jobCounter_ = 0;
  private readonly now_: () => number;
  private readonly sleep_: (ms: number) => Promise<void>;
  // A plain field, not a parameter property: Node runs this file with type stripping only.
  private readonly options: StandInOptions;

  constructor(options: StandInOptions) {
    this.options = options;
    this.now_ = options.now ?? Date.now;
    this.sleep_ = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Answers the next `times` (default 1) matching calls with this failure. */
  inject(fault: Fault): this {
    this.faults_.push({ fault, left: fault.times ?? 1 });
    return this;
  }

  /** Drops every pending fault. */
  heal(): void {
    this.faults_.length = 0;
  }

  /** Every job started, billed whether or not anyone read its result, in start order. */
  jobs(): JobSummary[] {
    return [...this.jobs_.values()].map((job) => {
      const error = this.jobError_(job);
      return { id: job.id, sql: job.sql, sqlite: job.sqlite, state: job.pollsLeft > 0 && error === null ? 'RUNNING' : 'DONE', error };
    });
  }

  /** The number of recorded calls to an endpoint. */
  count(endpoint: Endpoint): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  /** A `fetch` for the client; honours the request's AbortSignal like a real connection. */
  readonly fetch: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? null;
    if (signal?.aborted) return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    const answer = this.handle(request).catch((err: unknown) => {
      throw err instanceof ConnectionDropped ? new TypeError(err.message) : err;
    });
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  /** Answers one HTTP request, as Google would. */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const endpoint = route(request.method, url.pathname);
    const body = request.method === 'POST' ? await readBody(request) : null;
    this.requests.push({ endpoint: endpoint?.name ?? 'unknown', method: request.method, url, headers: request.headers, body });
    if (!endpoint) return googleError(404, 'notFound', `Not found: ${request.method} ${url.pathname}`);
    const latency = typeof this.options.latencyMs === 'function' ? this.options.latencyMs(endpoint.name) : (this.options.latencyMs ?? 0);
    if (latency > 0) await this.sleep_(latency);
    const fault = this.takeFault_(endpoint.name);
    if (fault?.drop) {
      await this.answer_(request, endpoint, url, body);
      throw new ConnectionDropped();
    }
    if (fault) {
      if (endpoint.name === 'token')
        return json(
          fault.status,
          { error: fault.reason ?? 'internal_failure', error_description: fault.message ?? 'Fault injected.' },
          fault.retryAfter,
        );
      return googleError(
        fault.status,
        fault.reason ?? 'backendError',
        fault.message ?? DEFAULT_MESSAGES[fault.reason ?? 'backendError'] ?? 'Fault injected.',
        fault.retryAfter,
      );
    }
    return this.answer_(request, endpoint, url, body);
  }

  private async answer_(request: Request, endpoint: Route, url: URL, body: unknown): Promise<Response> {
    if (endpoint.name === 'token') return this.token_(body);
    const auth = this.authenticate_(request, endpoint.name);
    if (auth) return auth;
    if (endpoint.project !== this.options.project) {
      return googleError(
        403,
        'accessDenied',
        `Access Denied: Project ${endpoint.project}: User does not have bigquery.jobs.create permission in project ${endpoint.project}.`,
      );
    }
    try {
      switch (endpoint.name) {
        case 'query':
          return await this.query_(body);
        case 'getQueryResults':
          return this.getQueryResults_(endpoint.jobId!, url.searchParams);
        case 'getJob':
          return this.getJob_(endpoint.jobId!, url.searchParams);
        case 'cancel':
          return this.cancel_(endpoint.jobId!);
        case 'getTable':
          return await this.getTable_(endpoint.project, endpoint.dataset!, endpoint.table!);
      }
    } catch (err) {
      if (err instanceof QueryRejected) return googleError(err.reason === 'notFound' ? 404 : 400, err.reason, err.message);
      return googleError(400, 'invalidQuery', err instanceof Error ? err.message : String(err));
    }
  }

  private takeFault_(endpoint: Endpoint): Fault | null {
    const i = this.faults_.findIndex((f) => f.fault.endpoint === endpoint || (f.fault.endpoint === 'any' && endpoint !== 'token'));
    if (i === -1) return null;
    const entry = this.faults_[i]!;
    if (--entry.left <= 0) this.faults_.splice(i, 1);
    return entry.fault;
  }

  // ---- OAuth --------------------------------------------------------------------------

  private async token_(body: unknown): Promise<Response> {
    const form = typeof body === 'string' ? new URLSearchParams(body) : null;
    const invalid = (error: string, description: string) => json(400, { error, error_description: description });
    if (!form || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return invalid('unsupported_grant_type', 'Invalid grant_type: ');
    const assertion = form.get('assertion') ?? '';
    const parts = assertion.split('.');
    if (parts.length !== 3) return invalid('invalid_grant', 'Invalid JWT: malformed.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(fromBase64urlText(parts[0]!)) as Record<string, unknown>;
      claims = JSON.parse(fromBase64urlText(parts[1]!)) as Record<string, unknown>;
    } catch {
      return invalid('invalid_grant', 'Invalid JWT: cannot decode.');
    }
    if (header['alg'] !== 'RS256' || (header['typ'] !== undefined && header['typ'] !== 'JWT'))
      return invalid('invalid_grant', 'Invalid JWT: unsupported algorithm.');
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const valid = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', this.options.publicKey, fromBase64url(parts[2]!), signed);
    if (!valid) return invalid('invalid_grant', 'Invalid JWT Signature.');
    const now = Math.floor(this.now_() / 1000);
    const iat = claims['iat'];
    const exp = claims['exp'];
    if (claims['iss'] !== this.options.clientEmail) return invalid('invalid_grant', 'Invalid JWT: iss is not a known service account.');
    if (claims['aud'] !== (this.options.tokenUri ?? DEFAULT_TOKEN_URI))
      return invalid('invalid_grant', 'Invalid JWT: aud must be the token endpoint.');
    if (typeof iat !== 'number' || typeof exp !== 'number' || iat > now + 60 || exp <= now || exp - iat > 3600) {
      return invalid(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    }
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    if (
      !scopes.some(
        (s) => s.startsWith('https://www.googleapis.com/auth/bigquery') || s === 'https://www.googleapis.com/auth/cloud-platform',
      )
    ) {
      return invalid('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    }
    this.assertions.push({ header, ...claims });
    const lifetime = this.options.tokenLifetimeSeconds ?? 3599;
    const token = `ya29.standin-${++this.tokensIssued}`;
    this.tokens_.set(token, { expires: this.now_() + lifetime * 1000, scopes });
    return json(200, { access_token: token, expires_in: lifetime, token_type: 'Bearer' });
  }

  /** Revokes every token issued so far, as if Google had rotated them. */
  revokeTokens(): void {
    this.tokens_.clear();
  }

  private authenticate_(request: Request, method: Exclude<Endpoint, 'token'>): Response | null {
    const m = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '');
    const token = m ? this.tokens_.get(m[1]!) : undefined;
    if (token === undefined || token.expires <= this.now_()) {
      return googleError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    if (!token.scopes.some((s) => METHOD_SCOPES[method].includes(s))) {
      // Google's answer to a valid token without a scope the method accepts.
      return googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
    }
    return null;
  }

  // ---- jobs ---------------------------------------------------------------------------

  private async query_(body: unknown): Promise<Response> {
    if (typeof body !== 'string') throw new QueryRejected('invalidQuery', 'Invalid JSON payload received.');
    const req = JSON.parse(body) as {
      query?: unknown;
      useLegacySql?: unknown;
      parameterMode?: unknown;
      queryParameters?: WireParameter[];
      maxResults?: unknown;
      location?: unknown;
      maximumBytesBilled?: unknown;
      dryRun?: unknown;
      jobTimeoutMs?: unknown;
      formatOptions?: { useInt64Timestamp?: unknown };
    };
    // requestId is not looked at: "Read only queries can ignore this token since they are
    // nullipotent by definition", and a duplicate must be the same request, never just the
    // same id (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query#QueryRequest).
    // Every query this stand-in runs is a SELECT, so every call starts a job of its own.
    if (typeof req.query !== 'string' || req.query.trim() === '')
      throw new QueryRejected('invalidQuery', 'Required parameter is missing: query');
    // jobs.query defaults to legacy SQL, which would not parse our backtick paths and @params.
    if (req.useLegacySql !== false) throw new QueryRejected('invalidQuery', 'Query parameters cannot be used in legacy SQL queries.');
    const params = req.queryParameters ?? [];
    // Google's own Node client sends 'named' in lower case, which BigQuery takes.
    if (params.length > 0 && (typeof req.parameterMode !== 'string' || req.parameterMode.toUpperCase() !== 'NAMED'))
      throw new QueryRejected('invalidQuery', 'Positional parameters are not supported here; set parameterMode to NAMED.');
    // https://cloud.google.com/bigquery/quotas, "Query jobs": query length and parameter count.
    if (req.query.length > BIGQUERY_QUERY_LIMITS.maxQueryChars) {
      throw new QueryRejected('invalidQuery', 'The query is too large. The maximum standard SQL query length is 1024.00K characters.');
    }
    if (params.length > BIGQUERY_QUERY_LIMITS.maxParameters) {
      throw new QueryRejected('invalidQuery', `Too many query parameters: ${params.length}. The maximum is 10000.`);
    }
    const location = typeof req.location === 'string' ? req.location : 'US';
    const t = translate(req.query, params, this.options.project);
    if (this.options.location && location.toLowerCase() !== this.options.location.toLowerCase()) {
      throw new QueryRejected('notFound', `Not found: Dataset ${t.project}:${t.dataset} was not found in location ${location}`);
    }
    if (this.options.deniedDatasets?.includes(t.dataset)) {
      return googleError(
        403,
        'accessDenied',
        `Access Denied: Table ${t.project}:${t.dataset}.${t.view.name}: User does not have permission to query table ${t.project}:${t.dataset}.${t.view.name}, or perhaps it does not exist.`,
      );
    }
    await this.checkTable_(t);
    const bytes = await this.bytesProcessed_(t);
    if (req.dryRun === true) {
      return json(200, {
        kind: 'bigquery#queryResponse',
        jobReference: { projectId: t.project, location },
        totalBytesProcessed: String(bytes),
        jobComplete: true,
        cacheHit: false,
        schema: schemaOf(t.outputs),
      });
    }
    const limit = typeof req.maximumBytesBilled === 'string' ? Number(req.maximumBytesBilled) : null;
    const billed = Math.max(MIN_BILLED_BYTES, Math.ceil(bytes / (1024 * 1024)) * 1024 * 1024);
    if (limit !== null && Number.isFinite(limit) && billed > limit) {
      return googleError(400, 'bytesBilledLimitExceeded', `Query exceeded limit for bytes billed: ${limit}. ${billed} or higher required.`);
    }
    const rows = await this.options.db.all(t.sqlite, t.binds);
    const jobTimeoutMs = num(req.jobTimeoutMs);
    const job: Job = {
      id: `job_standin_${++this.jobCounter_}`,
      project: t.project,
      location,
      sql: req.query,
      sqlite: t.sqlite,
      outputs: t.outputs,
      rows,
      bytes,
      timeoutAt: jobTimeoutMs !== null ? this.now_() + jobTimeoutMs : null,
      pollsLeft: this.options.pollsBeforeComplete ?? 0,
      cancelled: false,
    };
    this.jobs_.set(job.id, job);
    return this.respond_(job, num(req.maxResults), undefined, req.formatOptions?.useInt64Timestamp === true, 'query');
  }

  private getQueryResults_(jobId: string, search: URLSearchParams): Response {
    const job = this.jobs_.get(jobId);
    const location = search.get('location');
    if (!job || (location !== null && location.toLowerCase() !== job.location.toLowerCase())) {
      return googleError(404, 'notFound', `Not found: Job ${this.options.project}:${jobId}`);
    }
    const error = this.jobError_(job);
    if (error === 'stopped') return googleError(400, 'stopped', 'Job execution was cancelled: User requested cancellation');
    if (error === 'timeout') return googleError(400, 'timeout', DEFAULT_MESSAGES['timeout']!);
    const start = search.get('pageToken') ?? search.get('startIndex') ?? undefined;
    return this.respond_(
      job,
      num(search.get('maxResults')),
      start,
      search.get('formatOptions.useInt64Timestamp') === 'true',
      'getQueryResults',
    );
  }

  /** A job still running past its jobTimeoutMs has been stopped by BigQuery. */
  private jobError_(job: Job): 'stopped' | 'timeout' | null {
    if (job.cancelled) return 'stopped';
    if (job.pollsLeft > 0 && job.timeoutAt !== null && this.now_() >= job.timeoutAt) return 'timeout';
    return null;
  }

  private getJob_(jobId: string, search: URLSearchParams): Response {
    const job = this.jobs_.get(jobId);
    const location = search.get('location');
    if (!job || (location !== null && location.toLowerCase() !== job.location.toLowerCase())) {
      return googleError(404, 'notFound', `Not found: Job ${this.options.project}:${jobId}`);
    }
    const error = this.jobError_(job);
    const done = job.pollsLeft === 0 || error !== null;
    const errorResult =
      error === null
        ? undefined
        : { reason: error, message: error === 'timeout' ? DEFAULT_MESSAGES['timeout'] : 'Job execution was cancelled' };
    return json(200, {
      kind: 'bigquery#job',
      id: `${job.project}:${job.location}.${job.id}`,
      jobReference: jobRef(job),
      configuration: { jobType: 'QUERY', query: { query: job.sql, useLegacySql: false } },
      status: { state: done ? 'DONE' : 'RUNNING', ...(errorResult ? { errorResult, errors: [errorResult] } : {}) },
      statistics: { query: { totalBytesProcessed: String(job.bytes) } },
    });
  }

  private cancel_(jobId: string): Response {
    const job = this.jobs_.get(jobId);
    if (!job) return googleError(404, 'notFound', `Not found: Job ${this.options.project}:${jobId}`);
    job.cancelled = true;
    this.cancelled.push(jobId);
    return json(200, { kind: 'bigquery#jobCancelResponse', job: { jobReference: jobRef(job), status: { state: 'DONE' } } });
  }

  private respond_(
    job: Job,
    maxResults: number | null,
    start: string | undefined,
    int64Timestamps: boolean,
    kind: 'query' | 'getQueryResults',
  ): Response {
    const base = {
      kind: kind === 'query' ? 'bigquery#queryResponse' : 'bigquery#getQueryResultsResponse',
      jobReference: jobRef(job),
    };
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      return json(200, { ...base, jobComplete: false });
    }
    let offset = 0;
    if (start !== undefined) {
      const decoded = /^\d+$/.test(start) ? Number(start) : parsePageToken(start, job.id);
      if (decoded === null) return googleError(400, 'invalid', 'Invalid page token.');
      offset = decoded;
    }
    const size = Math.max(1, Math.min(maxResults ?? Infinity, this.options.maxRowsPerPage ?? Infinity, 100_000));
    const slice = job.rows.slice(offset, offset + size);
    const next = offset + slice.length;
    return json(200, {
      ...base,
      schema: schemaOf(job.outputs),
      jobComplete: true,
      totalRows: String(job.rows.length),
      totalBytesProcessed: String(job.bytes),
      cacheHit: false,
      ...(slice.length
        ? { rows: slice.map((row) => ({ f: row.map((v, i) => ({ v: encodeOutput(v, job.outputs[i]!, int64Timestamps) })) })) }
        : {}),
      ...(next < job.rows.length ? { pageToken: pageToken(job.id, next) } : {}),
    });
  }

  /**
   * tables.get (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/get): the
   * Table resource with its schema, which declares each REPEATED record as type RECORD, mode
   * REPEATED, with its fields (https://cloud.google.com/bigquery/docs/nested-repeated), and
   * numRows counting stored rows: parents, not the elements UNNEST would make of them.
   */
  private async getTable_(project: string, dataset: string, tableId: string): Promise<Response> {
    const view = Object.hasOwn(VIEWS, tableId) ? (VIEWS as Record<string, ViewDef>)[tableId]! : null;
    if (!view) throw new QueryRejected('notFound', `Not found: Table ${project}:${dataset}.${tableId}`);
    if (this.options.deniedDatasets?.includes(dataset)) {
      return googleError(
        403,
        'accessDenied',
        `Access Denied: Table ${project}:${dataset}.${tableId}: Permission bigquery.tables.get denied on table ${project}:${dataset}.${tableId} (or it may not exist).`,
      );
    }
    await this.checkTable_({ project, dataset, view });
    const [row] = await this.options.db.all(`SELECT COUNT(*) FROM "${standInTable(dataset, view)}"`, []);
    return json(200, {
      kind: 'bigquery#table',
      id: `${project}:${dataset}.${tableId}`,
      tableReference: { projectId: project, datasetId: dataset, tableId },
      type: 'TABLE',
      location: this.options.location ?? 'US',
      numRows: String(Number(row?.[0] ?? 0)),
      schema: tableSchemaOf(view),
    });
  }

  private async checkTable_(t: Pick<Translation, 'project' | 'dataset' | 'view'>): Promise<void> {
    const prefix = `${t.dataset}__`;
    const tables = await this.options.db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?1) = ?2", [
      prefix.length,
      prefix,
    ]);
    if (tables.length === 0)
      throw new QueryRejected(
        'notFound',
        `Not found: Dataset ${t.project}:${t.dataset} was not found in location ${this.options.location ?? 'US'}`,
      );
    if (!tables.some((r) => r[0] === standInTable(t.dataset, t.view))) {
      throw new QueryRejected(
        'notFound',
        `Not found: Table ${t.project}:${t.dataset}.${t.view.name} was not found in location ${this.options.location ?? 'US'}`,
      );
    }
  }

  /**
   * Columnar billing, roughly: every referenced column, every row the FROM clause yields
   * (one per element of an unnested record, as the flat rows a client sees).
   */
  private async bytesProcessed_(t: Translation): Promise<number> {
    const [row] = await this.options.db.all(`SELECT COUNT(*) FROM ${t.from}`, []);
    const count = Number(row?.[0] ?? 0);
    return count * Math.max(1, t.referenced.size) * (this.options.bytesPerValue ?? 8);
  }
}

interface Route {
  readonly name: Endpoint;
  readonly project?: string;
  readonly jobId?: string;
  readonly dataset?: string;
  readonly table?: string;
}

function route(method: string, path: string): Route | null {
  if (method === 'POST' && /\/token$/.test(path)) return { name: 'token' };
  let m = /\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(path);
  if (m && method === 'POST') return { name: 'query', project: decodeURIComponent(m[1]!) };
  m = /\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path);
  if (m && method === 'GET') return { name: 'getQueryResults', project: decodeURIComponent(m[1]!), jobId: decodeURIComponent(m[2]!) };
  m = /\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path);
  if (m && method === 'GET') return { name: 'getJob', project: decodeURIComponent(m[1]!), jobId: decodeURIComponent(m[2]!) };
  m = /\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path);
  if (m && method === 'GET') {
    const [project, dataset, table] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent) as [string, string, string];
    return { name: 'getTable', project, dataset, table };
  }
  m = /\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)\/cancel$/.exec(path);
  if (m && method === 'POST') return { name: 'cancel', project: decodeURIComponent(m[1]!), jobId: decodeURIComponent(m[2]!) };
  return null;
}

async function readBody(request: Request): Promise<string> {
  return request.text();
}

function json(status: number, body: unknown, retryAfter?: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  return new Response(JSON.stringify(body), { status, headers });
}

/** Google's JSON error body (google.rpc.Status with the legacy `errors` list BigQuery still sends). */
function googleError(status: number, reason: string, message: string, retryAfter?: string): Response {
  return json(
    status,
    {
      error: {
        code: status,
        message,
        errors: [{ message, domain: 'global', reason }],
        status: STATUS_NAMES[status] ?? 'UNKNOWN',
      },
    },
    retryAfter,
  );
}

function jobRef(job: Job) {
  return { projectId: job.project, jobId: job.id, location: job.location };
}

function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function pageToken(jobId: string, offset: number): string {
  return btoa(`${jobId}:${offset}`);
}

function parsePageToken(token: string, jobId: string): number | null {
  try {
    const [id, offset] = atob(token).split(':');
    return id === jobId && /^\d+$/.test(offset ?? '') ? Number(offset) : null;
  } catch {
    return null;
  }
}

const LEGACY_TYPE_NAMES: Partial<Record<ScalarType, string>> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };

/**
 * The result schema, with the legacy type names the REST API still writes; an ARRAY<STRUCT>
 * is type RECORD, mode REPEATED, with its fields
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TableFieldSchema).
 */
const scalarField = (name: string, type: ScalarType) => ({ name, type: LEGACY_TYPE_NAMES[type] ?? type, mode: 'NULLABLE' });

/** A view's table schema, from its definition: records keep their mode and fields. */
function tableSchemaOf(view: ViewDef) {
  return {
    fields: view.columns.map((c) =>
      c.type === 'RECORD'
        ? { name: c.name, type: 'RECORD', mode: c.mode, fields: c.fields.map((f) => scalarField(f.name, f.type)) }
        : scalarField(c.name, c.type),
    ),
  };
}

function schemaOf(outputs: readonly OutputColumn[]) {
  return {
    fields: outputs.map((o) =>
      o.record
        ? { name: o.name, type: 'RECORD', mode: 'REPEATED', fields: o.record.fields.map((f) => scalarField(f.name, f.type)) }
        : scalarField(o.name, o.type),
    ),
  };
}

/**
 * One output cell. A REPEATED RECORD is a list of cells whose values are rows:
 * `{"v": [{"v": {"f": [{"v": "1"}, ...]}}, ...]}`, an empty list for none
 * (https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list, TableRow/TableCell;
 * jobs.query and jobs.getQueryResults return `rows` as the same TableRow list). A NULL
 * array leaves as an empty one, as BigQuery writes it in a result (see translate.ts).
 */
function encodeOutput(value: unknown, output: OutputColumn, int64Timestamps: boolean): unknown {
  if (!output.record) return encodeCell(value, output.type, int64Timestamps);
  const elements = typeof value === 'string' ? (JSON.parse(value) as unknown[][]) : [];
  const fields = output.record.fields;
  return elements.map((element) => ({ v: { f: fields.map((f, k) => ({ v: encodeCell(element[k], f.type, int64Timestamps) })) } }));
}

/** One SQLite value in BigQuery's JSON cell form: every scalar as a string. */
function encodeCell(value: unknown, type: ScalarType, int64Timestamps: boolean): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'INT64':
      return typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : String(value);
    case 'FLOAT64':
      return javaDouble(Number(value));
    case 'NUMERIC':
      return plainDecimal(typeof value === 'number' ? Number(value.toPrecision(15)) : String(value));
    case 'BOOL':
      return value === 1 || value === true || value === '1' ? 'true' : 'false';
    case 'TIMESTAMP': {
      const micros = timestampMicros(String(value));
      return int64Timestamps ? micros.toString() : javaDouble(Number(micros) / 1e6);
    }
    default:
      return String(value);
  }
}

/** 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z' (the demo's TIMESTAMP text) to microseconds since the epoch. */
function timestampMicros(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!m) throw new Error(`stand-in cannot read TIMESTAMP '${text}'`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0') || '0');
}

/** How BigQuery (Java's Double.toString) writes a FLOAT64: '6.0', '0.25', '1.7887113E9'. */
function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** NUMERIC as BigQuery writes it: plain decimal, no exponent, no trailing zeros. */
function plainDecimal(value: number | string): string {
  const text = typeof value === 'number' ? value.toFixed(9) : value;
  if (!/^[+-]?\d+(\.\d*)?$/.test(text)) throw new Error(`stand-in cannot write NUMERIC '${text}'`);
  const [int, frac = ''] = text.replace(/^\+/, '').split('.') as [string, string?];
  const trimmed = frac.replace(/0+$/, '');
  const result = trimmed ? `${int}.${trimmed}` : int;
  return result === '-0' ? '0' : result;
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function fromBase64urlText(text: string): string {
  return new TextDecoder().decode(fromBase64url(text));
}
