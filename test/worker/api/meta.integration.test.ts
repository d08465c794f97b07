import { afterEach, describe, expect, it, vi } from 'vitest';
import { VIEW_NAMES } from '../../../shared/views/index.ts';
import { API_VERSION } from '../../../worker/version.ts';
import { appWith } from '../support/app-request.ts';
import { api, expectProblem, INTERNALS } from './support/contract.ts';
import { expectDocumentedResponse } from './support/openapi-contract.ts';

afterEach(() => vi.restoreAllMocks());

/** A D1 binding that fails the way an unavailable one does, with a message full of internals. */
const unavailableDatabase = {
  prepare() {
    throw new Error('D1_ERROR: SQLITE_BUSY: database is locked while running SELECT 1 FROM "acme__events"');
  },
} as unknown as D1Database;

describe('health and version, without a key', () => {
  it('GET /healthz answers ok once the control-plane database answers', async () => {
    const res = await api('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });
  it('GET /healthz is a 503 problem+json when the control-plane database fails, with no stack or SQL, and logs why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const res = await appWith({ DB: unavailableDatabase }).request('/healthz');
    await expectDocumentedResponse('GET', '/healthz', res);
    expect(res.headers.get('retry-after')).toBe('30');
    const body = await expectProblem(res, 503, 'service-unavailable');
    expect(body.instance).toBe('/healthz');
    const text = JSON.stringify(body);
    expect(text).not.toMatch(INTERNALS);
    expect(text).not.toMatch(/SELECT|SQLITE|stack|\bat \S+:\d+/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toEqual({
      event: 'healthz.database_failed',
      message: expect.stringContaining('database is locked'),
    });
  });
  it('GET /version names the API version and how many views it serves', async () => {
    expect(await (await api('/version')).json()).toEqual({
      name: 'activconnect-bridge',
      version: API_VERSION,
      api: 'v1',
      views: VIEW_NAMES.length,
    });
  });
  it('GET / points to the docs and the OpenAPI document', async () => {
    const body = (await (await api('/')).json()) as { docs: string; openapi: string };
    expect(body.docs).toBe('http://bridge.test/docs');
    expect(body.openapi).toBe('http://bridge.test/openapi.json');
  });
});
