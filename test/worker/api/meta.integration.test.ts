import { describe, expect, it } from 'vitest';
import { VIEW_NAMES } from '../../../shared/views/index.ts';
import { API_VERSION } from '../../../worker/version.ts';
import { api } from './support/contract.ts';

describe('health and version, without a key', () => {
  it('GET /healthz answers ok once the control-plane database answers', async () => {
    const res = await api('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
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
