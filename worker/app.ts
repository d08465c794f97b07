import { type Context, Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { AppEnv } from './env.ts';
import { ApiError, problemInstance, problemResponse, toApiError } from './http/errors.ts';
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
  // Answers after the routes: a 404 for a path some route takes with another method becomes a 405.
  app.use('*', methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedProblem }));
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

  app.notFound((c) =>
    problemAnswer(c, new ApiError(404, 'not-found', `No route ${c.req.method} ${problemInstance(c.req.url)}. See /docs for the API.`)),
  );
  app.onError((err, c) => problemAnswer(c, err));
  return app;
}

/**
 * The one way a request's failure is answered: onError, the 404 of an unknown route and the
 * 405 of a wrong method all give the same problem+json, with the request id and the path.
 */
function problemAnswer(c: Context<AppEnv>, err: unknown): Response {
  const requestId = c.get('requestId');
  const res = problemResponse(toApiError(err), requestId, problemInstance(c.req.url));
  res.headers.set('x-request-id', requestId ?? '');
  return res;
}

/** A known path asked with a method it does not take: 405 naming the ones it does. */
function methodNotAllowedProblem(c: Context<AppEnv>, methods: string[]): Response {
  const allow = [...methods].sort();
  return problemAnswer(
    c,
    new ApiError(
      405,
      'method-not-allowed',
      `${c.req.method} is not supported on ${problemInstance(c.req.url)}; use ${allow.join(', ')}.`,
      { allow },
      { allow: allow.join(', ') },
    ),
  );
}
