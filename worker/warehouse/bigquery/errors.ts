/**
 * BigQuery's failures as the API's errors. Google's text is logged, never shown: it can
 * quote the SQL. What the caller reads says what to do, and to whom (the user: narrow the
 * query, wait; the administrator: grant a role, fix a setting).
 */
import { ApiError } from '../../http/errors.ts';
import { warnRecovered } from '../../log.ts';

/** Google's JSON error body: `{ error: { code, message, errors: [{ reason, message }], status } }`. */
export interface GoogleError {
  readonly status: number;
  readonly reason: string | null;
  readonly message: string;
  readonly retryAfterSeconds: number | null;
}

/** Retry-After as seconds, from either of its forms (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Reads Google's JSON error body (or what a proxy sent instead) without trusting its shape. */
export async function readGoogleError(res: Response): Promise<GoogleError> {
  const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'));
  // A proxy's HTML page instead of Google's JSON: the status alone decides what the caller is told.
  const body = (await res.json().catch((err: unknown) => {
    warnRecovered('bigquery.error_body_unreadable', err, { status: res.status });
    return null;
  })) as { error?: { message?: unknown; errors?: { reason?: unknown }[] } } | null;
  const reason = body?.error?.errors?.find((e) => typeof e.reason === 'string')?.reason;
  const message = typeof body?.error?.message === 'string' ? body.error.message : '';
  return { status: res.status, reason: typeof reason === 'string' ? reason : null, message, retryAfterSeconds };
}

/** What the messages name: the tenant's BigQuery settings and the service account. */
export interface ErrorContext {
  readonly project: string;
  readonly dataset: string;
  readonly location: string | null;
  readonly maximumBytesBilled: number | null;
  readonly principal: string;
}

/**
 * Turns a BigQuery failure into the API's error. Google's message is logged (it may quote
 * the SQL) and only numbers read from it reach the caller.
 */
export function mapGoogleError(failure: GoogleError, ctx: ErrorContext, retryAfter: number | null): ApiError {
  console.error('bigquery call failed', failure.status, failure.reason, failure.message.slice(0, 300));
  const dataset = `${ctx.project}.${ctx.dataset}`;
  const where = { project: ctx.project, dataset: ctx.dataset };
  const after = (seconds: number) => ({ 'retry-after': String(retryAfter ?? failure.retryAfterSeconds ?? seconds) });
  switch (failure.reason) {
    case 'quotaExceeded':
      // Google: a long-term quota; wait ten minutes or more.
      return new ApiError(
        429,
        'quota-exceeded',
        `The BigQuery project ${ctx.project} has used up a query quota. Try again later; if it keeps happening, the administrator can raise the quota in Google Cloud or schedule fewer refreshes.`,
        where,
        after(600),
      );
    case 'rateLimitExceeded':
      return new ApiError(
        429,
        'rate-limited',
        'BigQuery is receiving too many queries for this account right now. Wait a moment and try again.',
        where,
        after(5),
      );
    // The job* reasons arrive as HTTP 400 once the client has run the query again as new jobs
    // and given up: https://cloud.google.com/bigquery/docs/error-messages
    case 'jobRateLimitExceeded':
      return new ApiError(
        429,
        'rate-limited',
        `BigQuery would not start this query: the BigQuery project ${ctx.project} has reached its limit of queries running at the same time (the account's concurrent-query limit). Wait a minute and try again; if it keeps happening, the administrator can schedule fewer refreshes at once or ask Google to raise the limit.`,
        { ...where, limit: 'concurrentQueries' },
        after(10),
      );
    case 'jobBackendError':
    case 'jobInternalError':
      return new ApiError(
        503,
        'warehouse-unavailable',
        'BigQuery failed this query on its side several times in a row (an internal BigQuery error, not a problem with the query). Try again in a minute.',
        where,
        after(30),
      );
    case 'bytesBilledLimitExceeded': {
      const required = /(\d+) or higher required/i.exec(failure.message)?.[1];
      const limit = ctx.maximumBytesBilled;
      return new ApiError(
        400,
        'limit-exceeded',
        `This query would scan more data than this account allows per query${limit !== null ? ` (${formatBytes(limit)})` : ''}. Narrow the date range with from= and to=, select fewer columns, or ask the administrator to raise the limit.`,
        { limit: 'maxBytesBilled', maximum_bytes_billed: limit, ...(required ? { bytes_required: Number(required) } : {}) },
      );
    }
    case 'responseTooLarge':
      return new ApiError(
        400,
        'limit-exceeded',
        'The result is too large for BigQuery to return at once. Ask for fewer rows (limit=) or fewer columns (select=).',
        {
          limit: 'responseSize',
        },
      );
    case 'resourcesExceeded':
      return new ApiError(
        400,
        'limit-exceeded',
        'This query needs more resources than BigQuery allows. Narrow the date range (from=, to=) or group by fewer columns.',
        {
          limit: 'queryResources',
        },
      );
    case 'billingNotEnabled':
      return new ApiError(
        502,
        'warehouse-error',
        `Billing is not enabled for the BigQuery project ${ctx.project}. An administrator must enable it in Google Cloud.`,
        where,
      );
    case 'accessDenied':
      return accessDenied(ctx, dataset, where);
    case 'notFound':
      return new ApiError(
        502,
        'warehouse-error',
        `BigQuery has no dataset ${dataset}${ctx.location ? ` in location ${ctx.location}` : ''}, or it lacks this ActivConnect view. An administrator should check this account's BigQuery project, dataset and location settings.`,
        where,
      );
    case 'timeout':
    case 'stopped':
      return new ApiError(
        504,
        'warehouse-unavailable',
        'BigQuery stopped this query before it finished. Try again, or narrow it: a shorter date range, fewer columns, or a smaller limit.',
        where,
        after(30),
      );
  }
  if (failure.status === 429) {
    return new ApiError(
      429,
      'rate-limited',
      'BigQuery is receiving too many queries for this account right now. Wait a moment and try again.',
      where,
      after(5),
    );
  }
  if (failure.status === 401 || failure.status === 403) return accessDenied(ctx, dataset, where);
  if (failure.status === 404) {
    return new ApiError(
      502,
      'warehouse-error',
      `BigQuery has no dataset ${dataset}. An administrator should check this account's BigQuery project, dataset and location settings.`,
      where,
    );
  }
  if (failure.status === 0 || failure.status >= 500 || failure.reason === 'backendError' || failure.reason === 'internalError') {
    return new ApiError(503, 'warehouse-unavailable', 'BigQuery is not answering right now. Try again in a minute.', where, after(30));
  }
  return new ApiError(
    502,
    'warehouse-error',
    `BigQuery could not run this query against ${dataset}. Its views may differ from the ActivConnect definitions this server knows; the administrator can find the reason in the server log.`,
    where,
  );
}

function accessDenied(ctx: ErrorContext, dataset: string, where: Record<string, string>): ApiError {
  return new ApiError(
    502,
    'warehouse-error',
    `BigQuery denied the service account ${ctx.principal} access to ${dataset}. An administrator should grant it the BigQuery Data Viewer role on the dataset and the BigQuery Job User role on the project ${ctx.project}.`,
    { ...where, service_account: ctx.principal, roles: ['roles/bigquery.dataViewer', 'roles/bigquery.jobUser'] },
  );
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}
