import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { ApiError, problemResponse, toApiError } from './http/errors.ts';
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
