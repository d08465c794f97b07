import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { authenticate, touchKey } from '../tenants/tenants.ts';
import { ApiError } from './errors.ts';
import { LIMITS } from '../query/limits.ts';

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

/** `Authorization: Bearer <key>` or `X-API-Key: <key>`; sets the caller. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  let key = c.req.header('x-api-key')?.trim();
  if (!key && header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the API key as "Authorization: Bearer <key>" or in an X-API-Key header.',
        {},
        {
          'www-authenticate': 'Bearer realm="activconnect-bridge"',
        },
      );
    }
    key = m[1]!.trim();
  }
  if (!key) {
    throw new ApiError(
      401,
      'unauthorized',
      'An API key is required. Send it as "Authorization: Bearer <key>" or in an X-API-Key header.',
      {},
      {
        'www-authenticate': 'Bearer realm="activconnect-bridge"',
      },
    );
  }
  const caller = await authenticate(c.env.DB, key);
  c.set('caller', caller);
  c.executionCtx.waitUntil(touchKey(c.env.DB, caller).catch(() => undefined));
  await next();
});
