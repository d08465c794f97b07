import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.ts';
import { ApiError, problemResponse } from './http/errors.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { maxUrlLength, rateLimitKey, requestId, requireApiKey } from './http/middleware.ts';
import { securityHeaders } from './http/security-headers.ts';
import { mcp } from './mcp/route.ts';
import { admin } from './routes/admin.ts';
import { catalog } from './routes/catalog.ts';
import { changes } from './routes/changes.ts';
import { docs } from './routes/docs.ts';
import { hooks } from './routes/hooks.ts';
import { meta } from './routes/meta.ts';
import { rows } from './routes/rows.ts';

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

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders);
  app.use('*', requestId);
  app.use('*', maxUrlLength);
  app.route('/', meta);
  app.route('/', docs);
  app.route('/admin', admin);
  app.use('/v1/*', requireApiKey, rateLimitKey);
  app.route('/v1/views', catalog);
  app.route('/v1/views', rows);
  app.route('/v1/views', changes);
  app.route('/v1/hooks', hooks);
  // Authenticated and rate-limited inside, POST only: GET and DELETE get their 405 without a key.
  app.route('/mcp', mcp);

  let allowed: ((path: string) => string[]) | undefined;
  app.notFound((c) => {
    allowed ??= allowedMethods(app.routes);
    const path = new URL(c.req.url).pathname;
    const methods = allowed(path);
    if (methods.length > 0 && !methods.includes(c.req.method)) {
      const err = new ApiError(
        405,
        'method-not-allowed',
        `${c.req.method} is not supported on ${path.slice(0, 200)}; use ${methods.join(', ')}.`,
        { allow: methods },
        { allow: methods.join(', ') },
      );
      return problemResponse(err, c.get('requestId'));
    }
    const err = new ApiError(
      404,
      'not-found',
      `No route ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}. See /docs for the API.`,
    );
    return problemResponse(err, c.get('requestId'));
  });
  app.onError((err, c) => {
    const apiError = toApiError(err);
    const res = problemResponse(apiError, c.get('requestId'), new URL(c.req.url).pathname.slice(0, 200));
    res.headers.set('x-request-id', c.get('requestId') ?? '');
    return res;
  });
  return app;
}
