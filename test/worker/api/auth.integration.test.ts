// Integration: API keys choose the tenant and the plan; every refusal is a 401 that says what to fix.
import { beforeAll, describe, expect, it } from 'vitest';
import { readableColumns } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { createKey, revokeKey, run, upsertTenant } from '../../../worker/tenants/admin.ts';
import { acquireExportLease, EXPORT_LEASE_SECONDS } from '../../../worker/tenants/export-leases.ts';
import { DEFAULT_KEY_CACHE_SECONDS, KeyCache, keyCacheMaxAgeMs } from '../../../worker/tenants/key-cache.ts';
import { RATE_TIERS } from '../../../worker/tenants/rate-tiers.ts';
import { authenticate, type Tenant } from '../../../worker/tenants/tenants.ts';
import { appWith } from '../support/app-request.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import { api, expectProblem, getRows, rowsPath, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const path = rowsPath('users', 'select=uid&limit=1');
const raw = (headers: Record<string, string>, p = path) => api(p, undefined, { headers });

async function expectUnauthorized(res: Response, detail: RegExp) {
  const body = await expectProblem(res, 401, 'unauthorized');
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
  expect(body.detail).toMatch(detail);
}

describe('authentication', () => {
  it('without a key: 401 with WWW-Authenticate, telling how to send one', async () => {
    await expectUnauthorized(await raw({}), /Authorization: Bearer/);
    await expectUnauthorized(await raw({}, '/v1/views'), /API key is required/);
  });

  it('with a wrong, malformed or non-Bearer key: 401', async () => {
    await expectUnauthorized(await api(path, 'acb_this_is_not_a_key_we_issued_000000'), /incorrect/);
    await expectUnauthorized(await api(path, 'short'), /not in the right form/);
    await expectUnauthorized(await raw({ authorization: `Basic ${btoa('acme:secret')}` }), /Bearer/);
    await expectUnauthorized(await raw({ 'x-api-key': `${keys.acme}x` }), /incorrect/);
  });

  it('accepts the key as a Bearer token (any case) and as X-API-Key', async () => {
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${keys.acme}` },
      { authorization: `bearer  ${keys.acme}` },
      { 'x-api-key': keys.acme },
    ];
    for (const headers of ways) {
      const res = await raw(headers);
      expect(res.status, JSON.stringify(Object.keys(headers))).toBe(200);
    }
  });

  it('refuses a revoked key with 401 saying so, and the others keep working', async () => {
    const created = await createKey('globex', 'essentials_plus', 'revoked in a test');
    await run(testEnv.DB, created.statement);
    expect((await api(path, created.key)).status).toBe(200);
    await run(testEnv.DB, revokeKey(created.id));
    await expectUnauthorized(await api(path, created.key), /revoked/);
    expect((await api(path, keys.globex)).status).toBe(200);
  });
});

describe('plans come from the key', () => {
  it('a key limited to a lower plan than its tenant sees the lower plan, even for a result the tenant key cached', async () => {
    const limited = await createKey('acme', 'essentials', 'essentials-only key for acme');
    await run(testEnv.DB, limited.statement);
    const view = VIEWS.daily_user_summary;
    const full = await getRows(rowsPath(view, 'limit=3'), keys.acme);
    const lower = await getRows(rowsPath(view, 'limit=3'), limited.key);
    expect(full.columns.map((c) => c.name)).toEqual(readableColumns(view, 'professional').map((c) => c.name));
    expect(lower.columns.map((c) => c.name)).toEqual(readableColumns(view, 'essentials').map((c) => c.name));
    expect(lower.columns.length).toBeLessThan(full.columns.length);

    const catalog = (await (await api('/v1/views', limited.key)).json()) as { plan: string; views: { name: string }[] };
    expect(catalog.plan).toBe('essentials');
    await expectProblem(await api(rowsPath('daily_group_benchmarks'), limited.key), 403, 'plan-required');
    await expectProblem(await api(rowsPath(view, 'select=focused_duration_seconds'), limited.key), 403, 'plan-required');
  });

  it('a key above its tenant plan gets the tenant plan', async () => {
    const above = await createKey('initech', 'professional', 'over-generous key');
    await run(testEnv.DB, above.statement);
    const catalog = (await (await api('/v1/views', above.key)).json()) as { plan: string };
    expect(catalog.plan).toBe('essentials');
    await expectProblem(await api(rowsPath('daily_group_benchmarks'), above.key), 403, 'plan-required');
  });
});

describe('a request with the key in both headers', () => {
  it('answers 400 telling the caller to send one key when Authorization and X-API-Key differ', async () => {
    const body = await expectProblem(await raw({ authorization: `Bearer ${keys.acme}`, 'x-api-key': keys.globex }), 400, 'bad-request');
    expect(body.detail).toMatch(/two different API keys.*Send one key/);
  });

  it('accepts the same key in both headers', async () => {
    expect((await raw({ authorization: `Bearer ${keys.acme}`, 'x-api-key': keys.acme })).status).toBe(200);
  });
});

/** A key of its own on a new account that reads acme's demo tables, on the given tier. */
async function accountOnTier(id: string, rateTier: 'restricted' | 'standard') {
  const created = await createKey(id, 'professional', `${rateTier} tier test`);
  await run(testEnv.DB, upsertTenant({ id, name: id, plan: 'professional', dataset: 'acme', rateTier }), created.statement);
  return created;
}

describe('verified keys cached in the isolate', () => {
  it('keeps accepting a key revoked in D1 for less than the bound, and refuses it once the bound has passed', async () => {
    const created = await createKey('globex', 'essentials_plus', 'cached then revoked');
    await run(testEnv.DB, created.statement);
    let now = 1_000_000;
    const cache = new KeyCache(() => now);
    const options = { cache, maxAgeMs: 30_000 };
    expect((await authenticate(testEnv.DB, created.key, options)).keyId).toBe(created.id);
    await run(testEnv.DB, revokeKey(created.id));
    now += 29_999;
    // The documented delay: this isolate has not asked D1 again yet.
    expect((await authenticate(testEnv.DB, created.key, options)).keyId).toBe(created.id);
    now += 1;
    await expect(authenticate(testEnv.DB, created.key, options)).rejects.toMatchObject({ status: 401, message: /revoked/ });
  });

  it('reads the bound from KEY_CACHE_SECONDS, falling back to the default for a value that is not seconds', () => {
    expect(keyCacheMaxAgeMs('30')).toBe(30_000);
    expect(keyCacheMaxAgeMs('0')).toBe(0);
    expect(keyCacheMaxAgeMs('2.5')).toBe(2500);
    for (const bad of [undefined, '', 'soon', '-5']) expect(keyCacheMaxAgeMs(bad)).toBe(DEFAULT_KEY_CACHE_SECONDS * 1000);
  });

  it('asks D1 every time when the bound is 0', async () => {
    const created = await createKey('globex', 'essentials_plus', 'never cached');
    await run(testEnv.DB, created.statement);
    const cache = new KeyCache(() => 0);
    await authenticate(testEnv.DB, created.key, { cache, maxAgeMs: 0 });
    expect(cache.size).toBe(0);
    await run(testEnv.DB, revokeKey(created.id));
    await expect(authenticate(testEnv.DB, created.key, { cache, maxAgeMs: 0 })).rejects.toMatchObject({ status: 401 });
  });

  it('never caches a key that failed, so a key created a moment later works at once', async () => {
    const cache = new KeyCache(() => 0);
    await expect(authenticate(testEnv.DB, 'acb_not_issued_yet_0000000000000000', { cache, maxAgeMs: 30_000 })).rejects.toMatchObject({
      status: 401,
    });
    expect(cache.size).toBe(0);
  });

  it('POST /admin/keys/{id}/revoke refuses the key at once in the isolate that served it', async () => {
    const app = appWith({ KEY_CACHE_SECONDS: '30', ADMIN_TOKEN: 'op-secret-token' });
    const created = await createKey('globex', 'essentials_plus', 'revoked through the admin endpoint');
    await run(testEnv.DB, created.statement);
    expect((await app.request(path, created.key)).status).toBe(200);
    const revoke = await app.request(`/admin/keys/${created.id}/revoke`, 'op-secret-token', { method: 'POST' });
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toEqual({ key: created.id, revoked: true, refused_everywhere_within_seconds: 30 });
    await expectUnauthorized(await app.request(path, created.key), /revoked/);
    const again = await app.request(`/admin/keys/${created.id}/revoke`, 'op-secret-token', { method: 'POST' });
    expect(await again.json()).toMatchObject({ revoked: false });
    await expectProblem(await app.request('/admin/keys/key_0000000000000000/revoke', 'op-secret-token', { method: 'POST' }), 404);
    await expectProblem(await app.request('/admin/keys/nonsense/revoke', 'op-secret-token', { method: 'POST' }), 400);
  });
});

describe('rate limits per key (the Workers Rate Limiting binding, run by Miniflare)', () => {
  const tier = RATE_TIERS.restricted;

  it('answers 429 problem+json with Retry-After once a key passes its tier, and other keys carry on', async () => {
    const { key } = await accountOnTier('throttled', 'restricted');
    // The binding counts in fixed windows of `period` seconds. 2 * limit + 1 requests fall in at
    // most two windows (unless the run stalls for a whole period), so one window must overflow.
    let refused: Response | undefined;
    for (let i = 0; i < 2 * tier.limit + 1 && !refused; i++) {
      const res = await api('/v1/views', key);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(200);
    }
    expect(refused, 'no 429 within 2 * limit + 1 requests').toBeDefined();
    const body = await expectProblem(refused!, 429, 'rate-limited');
    expect(refused!.headers.get('retry-after')).toBe(String(tier.period));
    expect(body).toMatchObject({ limit: 'requestsPerKey', maximum: tier.limit, period_seconds: tier.period, rate_tier: 'restricted' });
    expect(body.detail).toMatch(new RegExp(`more than ${tier.limit} requests in ${tier.period} seconds`));
    expect((await api('/v1/views', keys.globex)).status).toBe(200);
  });

  it('counts each key of an account on its own', async () => {
    const first = await accountOnTier('throttled_two', 'restricted');
    const second = await createKey('throttled_two', 'professional', 'second key');
    await run(testEnv.DB, second.statement);
    let refused = false;
    for (let i = 0; i < 2 * tier.limit + 1 && !refused; i++) refused = (await api('/v1/views', first.key)).status === 429;
    expect(refused).toBe(true);
    expect((await api('/v1/views', second.key)).status).toBe(200);
  });

  it('takes a second token for a read that bypasses the cache with Cache-Control: no-cache', async () => {
    const { key, id } = await accountOnTier('revalidator', 'restricted');
    const counted: string[] = [];
    const real = testEnv.RATE_LIMIT_RESTRICTED;
    // The real binding, with each call noted.
    const app = appWith({ RATE_LIMIT_RESTRICTED: { limit: (options) => (counted.push(options.key), real.limit(options)) } });
    const rows = rowsPath('users', 'select=uid&limit=2');
    await app.request(rows, key);
    await app.request(rows, key);
    expect(counted).toEqual([id, id]);
    const fresh = await app.request(rows, key, { headers: { 'cache-control': 'no-cache' } });
    expect(fresh.headers.get('x-cache')).toBe('REVALIDATED');
    expect(counted).toEqual([id, id, id, id]);
  });

  it('lets no request of an unmetered account touch a limiter', async () => {
    const counted: string[] = [];
    const app = appWith({
      RATE_LIMIT_STANDARD: { limit: async (o) => (counted.push(o.key), { success: false }) },
      RATE_LIMIT_RESTRICTED: { limit: async (o) => (counted.push(o.key), { success: false }) },
      RATE_LIMIT_HIGH: { limit: async (o) => (counted.push(o.key), { success: false }) },
    });
    expect((await app.request('/v1/views', keys.acme)).status).toBe(200);
    expect(counted).toEqual([]);
  });
});

describe('concurrent whole-view exports per account', () => {
  it('refuses an export past the tier cap with 429 and Retry-After, and frees the slot when an export ends', async () => {
    const { key } = await accountOnTier('exporter', 'restricted');
    expect(RATE_TIERS.restricted.concurrentExports).toBe(1);
    const app = appWith();
    const exportPath = '/v1/views/events/rows.csv';
    const first = await app.request(exportPath, key);
    expect(first.status).toBe(200);
    // The first export's body is not read, so it is still running.
    const second = await app.request(exportPath, key);
    const body = await expectProblem(second, 429, 'rate-limited');
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(body).toMatchObject({ limit: 'concurrentExports', maximum: 1 });
    expect(body.detail).toMatch(/already has 1 whole-view export running/);
    // A page is not an export: it is still served.
    expect((await app.request(rowsPath('events', 'format=csv&limit=5'), key)).status).toBe(200);
    await first.body!.cancel();
    await app.settle();
    const third = await app.request(exportPath, key);
    expect(third.status).toBe(200);
    await third.text();
    await app.settle();
    const { n } = (await testEnv.DB.prepare("SELECT count(*) AS n FROM export_leases WHERE tenant_id = 'exporter'").first<{
      n: number;
    }>())!;
    expect(n).toBe(0);
  });

  const standardTenant = (id: string): Tenant => ({
    id,
    name: id,
    plan: 'professional',
    warehouse: 'd1',
    dataset: 'acme',
    bqProject: null,
    bqLocation: null,
    maxBytesBilled: null,
    timeZone: 'UTC',
    dataVersion: 1,
    rateTier: 'standard',
  });

  it('gives out exactly as many slots as the tier has to claims made at the same moment', async () => {
    await accountOnTier('racer', 'standard');
    const tenant = standardTenant('racer');
    const claims = await Promise.allSettled(Array.from({ length: 6 }, () => acquireExportLease(testEnv.DB, tenant, 'events')));
    const granted = claims.filter((c) => c.status === 'fulfilled');
    expect(granted).toHaveLength(RATE_TIERS.standard.concurrentExports);
    expect(claims.filter((c) => c.status === 'rejected').map((c) => (c as PromiseRejectedResult).reason)).toEqual(
      Array(6 - RATE_TIERS.standard.concurrentExports).fill(expect.objectContaining({ status: 429 })),
    );
    await Promise.all(granted.map((c) => (c as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release()));
  });

  it('stops counting a lease its isolate never released once it expires', async () => {
    await accountOnTier('abandoned', 'standard');
    const tenant = standardTenant('abandoned');
    const t0 = Date.UTC(2026, 10, 20, 12);
    // Two exports whose isolates died: never released.
    await acquireExportLease(testEnv.DB, tenant, 'events', t0);
    await acquireExportLease(testEnv.DB, tenant, 'events', t0);
    await expect(acquireExportLease(testEnv.DB, tenant, 'events', t0 + 1000)).rejects.toMatchObject({ status: 429 });
    const later = await acquireExportLease(testEnv.DB, tenant, 'events', t0 + EXPORT_LEASE_SECONDS * 1000);
    await later.release();
  });
});
