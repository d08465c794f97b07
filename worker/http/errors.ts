import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Problem types: stable URIs a client can switch on (RFC 9457 `type`). */
export const PROBLEM_TYPES = {
  'bad-request': 'Bad request',
  'invalid-parameter': 'Invalid parameter',
  'unknown-view': 'Unknown view',
  'unknown-column': 'Unknown column',
  'plan-required': 'Your plan does not include this',
  unauthorized: 'Missing or invalid API key',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'limit-exceeded': 'Request too large',
  'uri-too-long': 'URL too long',
  'not-acceptable': 'Format not available',
  'unsupported-media-type': 'Unsupported media type',
  'invalid-cursor': 'Invalid cursor',
  'warehouse-error': 'The data warehouse could not answer',
  'warehouse-unavailable': 'The data warehouse is unavailable',
  'service-unavailable': 'The service is unavailable',
  'quota-exceeded': 'Warehouse quota exceeded',
  'rate-limited': 'Too many requests',
  conflict: 'Conflict',
  internal: 'Internal error',
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

export const PROBLEM_BASE = 'https://activconnect-bridge.dev/problems/';

/**
 * The one error type of the API. Everything a caller can get wrong or the warehouse can
 * fail at becomes an ApiError with a status and a message a spreadsheet user can act on;
 * `onError` turns it into application/problem+json.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly type: ProblemType;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    type: ProblemType,
    detail: string,
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.extensions = extensions;
    this.headers = headers;
  }

  get title(): string {
    return PROBLEM_TYPES[this.type];
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  [extension: string]: unknown;
}

export function problemBody(err: ApiError, requestId?: string, instance?: string): ProblemBody {
  return {
    ...err.extensions,
    type: PROBLEM_BASE + err.type,
    title: err.title,
    status: err.status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(requestId ? { request_id: requestId } : {}),
  };
}

/** A problem's `instance`: the request path, cut short so a hostile URL cannot fill a log or a body. */
export function problemInstance(url: string): string {
  return new URL(url).pathname.slice(0, 200);
}

/** A problem+json Response; the app builds every error answer through it (worker/app.ts). */
export function problemResponse(err: ApiError, requestId?: string, instance?: string): Response {
  return new Response(JSON.stringify(problemBody(err, requestId, instance)), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...err.headers },
  });
}

/** Everything a failure can be, as the one ApiError shape; unexpected ones never show internals. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    return new ApiError(
      err.status === 500 ? 500 : (err.status as 400),
      err.status === 413 ? 'limit-exceeded' : 'bad-request',
      err.message || 'Bad request',
    );
  }
  if (err instanceof URIError) return new ApiError(400, 'bad-request', 'The URL has invalid percent-encoding.');
  console.error('unhandled error', err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new ApiError(500, 'internal', 'Something went wrong on our side. Try again; if it persists, contact support with the request id.');
}
