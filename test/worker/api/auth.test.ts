// Integration: API keys choose the tenant and the plan; every refusal is a 401 that says what to fix.
import { beforeAll, describe, expect, it } from 'vitest';
import { readableColumns } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { createKey, revokeKey, run } from '../../../worker/tenants/admin.ts';
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
