import type { MiddlewareHandler } from 'hono';

/**
 * The API's answers are JSON, CSV and NDJSON, never pages: nothing in them may run, load or be
 * framed. A route that serves a page (/docs) sets its own Content-Security-Policy, which wins.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every response carries, errors and 404s included (OWASP HTTP Headers Cheat Sheet,
 * https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html):
 * - nosniff, so a browser never reads a CSV of user-typed titlebars as HTML or script;
 * - no-referrer, so a next link with a cursor never leaks to another site;
 * - frame-ancestors 'none' (and X-Frame-Options for older browsers): nothing here is framed;
 * - Cross-Origin-Resource-Policy same-origin: another site's page cannot embed an answer with
 *   `<script>` or `<img>` (no-cors). It does not restrict CORS reads, which is how a public
 *   resource such as /openapi.json is shared; such a route sets `cross-origin` itself.
 */
const DEFAULTS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': API_CSP,
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/** Adds DEFAULTS to a response's headers where the route has not set its own. */
function withSecurityHeaders(res: Response): Response {
  let out = res;
  try {
    for (const [name, value] of Object.entries(DEFAULTS)) if (!out.headers.has(name)) out.headers.set(name, value);
  } catch {
    // Headers of a response another API made may be immutable: copy it, then set them.
    out = new Response(res.body, res);
    for (const [name, value] of Object.entries(DEFAULTS)) if (!out.headers.has(name)) out.headers.set(name, value);
  }
  return out;
}

/**
 * First middleware of the app: runs after every route, notFound and onError have answered.
 * @example app.use('*', securityHeaders)
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const res = withSecurityHeaders(c.res);
  // Assigning c.res makes Hono copy the response, its body re-wrapped as a stream that is then
  // pumped through: headers set in place need no copy, so only a new response is assigned.
  if (res !== c.res) c.res = res;
};
