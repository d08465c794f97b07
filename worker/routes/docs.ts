import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { docsContentSecurityPolicy, docsPage } from '../openapi/docs-page.ts';
import { openApiDocument } from '../openapi/document.ts';

/**
 * Serialised documents by server URL. The Host header picks the URL, so the cache is
 * bounded: a client sending many Host values cannot grow an isolate's memory.
 */
const documents = new Map<string, string>();
const MAX_DOCUMENTS = 8;

function documentText(serverUrl: string): string {
  let text = documents.get(serverUrl);
  if (text === undefined) {
    text = JSON.stringify(openApiDocument(serverUrl));
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(serverUrl, text);
  }
  return text;
}

let csp: Promise<string> | null = null;

/**
 * `GET /openapi.json` and `GET /docs`: public, so mount before the API-key middleware.
 * @example app.route('/', docs)
 */
export const docs = new Hono<AppEnv>()
  .get('/openapi.json', (c) =>
    c.body(documentText(new URL(c.req.url).origin), 200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      // Public and credential-free, so editors and code generators on other origins may read it.
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    }),
  )
  .get('/docs', async (c) => {
    csp ??= docsContentSecurityPolicy();
    return c.html(docsPage(), 200, {
      'content-security-policy': await csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'public, max-age=300',
    });
  });
