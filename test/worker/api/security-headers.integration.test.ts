// Integration: every answer carries the security headers, errors and 404s included; /docs keeps its own CSP.
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../../worker/http/security-headers.ts';
import { api, seedTinyDemo } from '../support/demo.ts';
import { rowsPath, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const post = (path: string, body: string) =>
  api(path, keys.acme, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const answers: [label: string, status: number, send: () => Promise<Response>][] = [
  ['the catalog', 200, () => api('/v1/views', keys.acme)],
  ['a JSON page of rows', 200, () => api(rowsPath('events', 'limit=2'), keys.acme)],
  ['a CSV export', 200, () => api(rowsPath('events', 'format=csv'), keys.acme)],
  ['a CSV page', 200, () => api(rowsPath('events', 'format=csv&limit=2'), keys.acme)],
  ['a POST query', 200, () => post('/v1/views/events/query', '{"limit": 1}')],
  ['the changes feed', 200, () => api('/v1/views/daily_user_summary/changes?limit=1', keys.acme)],
  ['the hook list', 200, () => api('/v1/hooks', keys.acme)],
  ['the version', 200, () => api('/version')],
  ['the OpenAPI document', 200, () => api('/openapi.json')],
  [
    'a 304',
    304,
    async () => {
      const first = await api(rowsPath('users', 'limit=1'), keys.acme);
      return api(rowsPath('users', 'limit=1'), keys.acme, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
    },
  ],
  ['a missing key (401)', 401, () => api('/v1/views')],
  ['an unknown route (404)', 404, () => api('/nothing/here')],
  ['an unknown view (404)', 404, () => api(rowsPath('evnets'), keys.acme)],
  ['a bad parameter (400)', 400, () => api(rowsPath('events', 'order=a%0Db'), keys.acme)],
  ['a bad body (400)', 400, () => post('/v1/views/events/query', '{')],
  ['a wrong method (405)', 405, () => api('/v1/views', keys.acme, { method: 'DELETE' })],
  ['a URL too long (414)', 414, () => api(rowsPath('events', `x=${'y'.repeat(9000)}`), keys.acme)],
];

describe('security headers', () => {
  it.each(answers)(
    '%s carries nosniff, no-referrer, a CSP with frame-ancestors none and a resource policy',
    async (_label, status, send) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
      expect(res.headers.get('cross-origin-resource-policy')).toMatch(/^(same-origin|cross-origin)$/);
      await res.body?.cancel();
    },
  );

  it('keeps API answers same-origin for embedding, and lets the public OpenAPI document be read from anywhere', async () => {
    expect((await api('/v1/views', keys.acme)).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const doc = await api('/openapi.json');
    expect(doc.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(doc.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('sets them on the response the route built, not on a copy, and copies only a response whose headers cannot change', async () => {
    const built = new Response(new Uint8Array(64), { headers: { 'content-type': 'application/json' } });
    const app = new Hono()
      .use('*', securityHeaders)
      .get('/built', () => built)
      .get('/immutable', () => Response.redirect('http://bridge.test/built', 302)); // headers immutable (Fetch standard)
    const res = await app.request('/built');
    // A copy would re-wrap the body as a stream to be pumped through: a cost on every answer.
    expect(res).toBe(built);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const redirect = await app.request('/immutable');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("keeps /docs's own policy, which lets its own script and style run", async () => {
    const res = await api('/docs');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'sha256-/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
