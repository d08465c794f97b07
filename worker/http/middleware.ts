import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { keyCacheMaxAgeMs } from '../tenants/key-cache.ts';
import { authenticate, touchKey } from '../tenants/tenants.ts';
import { ApiError } from './errors.ts';
import { chargeKey } from './rate-limit.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';

/** A request id on every response, taken from the caller when it looks like one. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('x-request-id');
  const id = given && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  c.set('requestId', id);
  c.header('x-request-id', id);
  await next();
  // Responses built outside the context (notFound, problemResponse) miss c.header's headers.
  if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', id);
});

export const maxUrlLength = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.url.length > LIMITS.maxUrlLength) {
    throw new ApiError(
      414,
      'uri-too-long',
      `This URL is ${c.req.url.length} characters; the limit is ${LIMITS.maxUrlLength}. Send the query as JSON to POST /v1/views/{view}/query instead.`,
      { limit: 'maxUrlLength', maximum: LIMITS.maxUrlLength },
    );
  }
  await next();
});

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="activconnect-bridge"' };

/**
 * The key a request carries: `Authorization: Bearer <key>` or `X-API-Key: <key>`. Both with
 * the same key is fine (some tools add one of their own); two different keys are a 400, since
 * answering with either would serve one account's data to a caller who may have meant the other.
 */
function requestKey(authorization: string | undefined, xApiKey: string | undefined): string {
  const fromHeader = xApiKey?.trim() || undefined;
  let bearer: string | undefined;
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (m) bearer = m[1]!.trim();
    else if (!fromHeader) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the API key as "Authorization: Bearer <key>" or in an X-API-Key header.',
        {},
        WWW_AUTHENTICATE,
      );
    }
  }
  if (bearer !== undefined && fromHeader !== undefined && bearer !== fromHeader) {
    throw new ApiError(
      400,
      'bad-request',
      'This request carries two different API keys, one in Authorization and one in X-API-Key. Send one key, in one of the two headers.',
    );
  }
  const key = fromHeader ?? bearer;
  if (!key) {
    throw new ApiError(
      401,
      'unauthorized',
      'An API key is required. Send it as "Authorization: Bearer <key>" or in an X-API-Key header.',
      {},
      WWW_AUTHENTICATE,
    );
  }
  return key;
}

/**
 * Sets the caller from the request's key. A key this isolate verified in the last
 * KEY_CACHE_SECONDS costs no D1 read (worker/tenants/key-cache.ts). The last-used stamp is
 * written after the answer and at most hourly; a failure to write it (D1 full, say) is
 * logged and never refuses the request.
 */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = requestKey(c.req.header('authorization'), c.req.header('x-api-key'));
  const caller = await authenticate(c.env.DB, key, { maxAgeMs: keyCacheMaxAgeMs(c.env.KEY_CACHE_SECONDS) });
  c.set('caller', caller);
  c.executionCtx.waitUntil(
    touchKey(c.env.DB, caller).catch((err: unknown) =>
      console.warn('could not record key use', caller.keyId, err instanceof Error ? err.message : err),
    ),
  );
  await next();
});

/** One token from the caller's key per request (worker/http/rate-limit.ts). */
export const rateLimitKey = createMiddleware<AppEnv>(async (c, next) => {
  await chargeKey(c.env, c.get('caller'));
  await next();
});
