import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, seedTinyDemo } from '../support/demo.ts';
import { getHook, removeAllHooks, subscribe, type HookBody } from './helpers.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});
afterEach(removeAllHooks);

const TARGET = 'https://hooks.zapier.com/hooks/catch/123/abc/';

async function post(key: string, body: unknown, contentType = 'application/json') {
  const res = await api('/v1/hooks', key, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

describe('POST /v1/hooks', () => {
  it('creates a hook with 201, an id, a whsec_ secret shown once and status active', async () => {
    const res = await api('/v1/hooks', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target_url: TARGET,
        view: 'daily_user_summary',
        filters: { user_id: 'eq.210003' },
        select: ['user_id', 'local_date'],
      }),
    });
    expect(res.status).toBe(201);
    const hook = (await res.json()) as HookBody & { filters: unknown; select: unknown };
    expect(hook.id).toMatch(/^hook_[0-9a-f]{24}$/);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook.status).toBe('active');
    expect(hook.filters).toEqual({ user_id: 'eq.210003' });
    expect(hook.select).toEqual(['user_id', 'local_date']);
    expect(res.headers.get('location')).toMatch(new RegExp(`/v1/hooks/${hook.id}$`));

    const again = await getHook(keys.acme, hook.id);
    expect(again).not.toHaveProperty('secret');
    expect(again.target_url).toBe(TARGET);
  });

  it('starts the cursor at the newest matching row, so a new hook does not replay history', async () => {
    const hook = await subscribe(keys.acme, { target_url: TARGET, view: 'daily_user_summary' });
    expect(hook.cursor).toEqual({ change_value: '2026-11-20', row_id: '210005|2026-11-20' });
    const filtered = await subscribe(keys.acme, { target_url: TARGET, view: 'daily_user_summary', filters: { user_id: 'lt.210003' } });
    expect(filtered.cursor).toEqual({ change_value: '2026-11-20', row_id: '210002|2026-11-20' });
  });

  it('refuses a view with no change column with 400 saying why', async () => {
    const { status, body } = await post(keys.acme, { target_url: TARGET, view: 'users' });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/users cannot be polled or followed with a webhook/);
  });

  it('refuses an unknown view with 404 and suggestions, as /rows does', async () => {
    const { status, body } = await post(keys.acme, { target_url: TARGET, view: 'daily_user_sumary' });
    expect(status).toBe(404);
    expect(body.detail).toMatch(/did you mean 'daily_user_summary'/i);
  });

  it('refuses an unknown filter column with 400 and the /rows message', async () => {
    const { status, body } = await post(keys.acme, { target_url: TARGET, view: 'daily_user_summary', filters: { usr_id: 'eq.1' } });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/Unknown column or parameter 'usr_id' in daily_user_summary/);
  });

  it('refuses a malformed filter value with 400 naming the column and the expected type', async () => {
    const { status, body } = await post(keys.acme, {
      target_url: TARGET,
      view: 'daily_user_summary',
      filters: { local_date: 'gte.last week' },
    });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/not a valid value for local_date \(DATE\)/);
  });

  it('refuses a view above the key’s plan with 403', async () => {
    const { status, body } = await post(keys.initech, { target_url: TARGET, view: 'daily_group_benchmarks' });
    expect(status).toBe(403);
    expect(body.detail).toMatch(/needs the Professional/);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /cloud metadata endpoint/],
    ['https://10.0.0.7/hook', /private network address/],
    ['https://printer.local/hook', /only resolves inside private networks/],
    ['ftp://example.com/hook', /must use https:\/\//],
    ['https://user:pw@example.com/hook', /username or password/],
    ['not a url', /not a valid absolute URL/],
  ])('refuses the target %s with a clear 400', async (target, pattern) => {
    const { status, type, body } = await post(keys.acme, { target_url: target, view: 'daily_user_summary' });
    expect(status).toBe(400);
    expect(type).toMatch(/^application\/problem\+json/);
    expect(body.detail).toMatch(pattern);
    expect(body.field).toBe('target_url');
  });

  it.each([
    [{ view: 'daily_user_summary' }, /"target_url" is required/],
    [{ target_url: TARGET }, /"view" is required/],
    [{ target_url: TARGET, view: 'events', filter: {} }, /Unknown field "filter"/],
    [{ target_url: TARGET, view: 'events', filters: ['user_id=eq.1'] }, /"filters" must be an object/],
    [{ target_url: TARGET, view: 'events', filters: { user_id: 1 } }, /must be a filter string like "eq.42"/],
    [{ target_url: TARGET, view: 'events', filters: { limit: '5' } }, /'limit' is a query parameter, not a column/],
    [{ target_url: TARGET, view: 'events', filters: { user_id: [] } }, /"filters.user_id" is an empty list/],
    [{ target_url: TARGET, view: 'events', filtres: {} }, /Unknown field "filtres"\. Did you mean 'filters'\?/],
    [{ target_url: TARGET, view: 'events', select: [] }, /"select" is empty/],
    [{ target_url: TARGET, view: 'events', select: ['count()'] }, /Aggregates do not apply/],
  ])('refuses the body %j with 400 saying what to fix', async (body, pattern) => {
    const res = await post(keys.acme, body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(pattern);
  });

  it('refuses a body that is not JSON with 415 or 400', async () => {
    expect((await post(keys.acme, 'target_url=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(keys.acme, '{"target_url":', 'application/json')).status).toBe(400);
  });

  it('allows a plain-http localhost target under test, as in local development', async () => {
    const hook = await subscribe(keys.acme, { target_url: 'http://localhost:8788/hook', view: 'events' });
    expect(hook.target_url).toBe('http://localhost:8788/hook');
  });
});

describe('GET, DELETE /v1/hooks', () => {
  it('lists the caller’s hooks', async () => {
    const a = await subscribe(keys.acme, { target_url: TARGET, view: 'events' });
    const b = await subscribe(keys.acme, { target_url: TARGET, view: 'consumers' });
    const res = await api('/v1/hooks', keys.acme);
    const body = (await res.json()) as { hooks: HookBody[] };
    expect(body.hooks.map((h) => h.id).sort()).toEqual([a.id, b.id].sort());
    expect(body.hooks.every((h) => !('secret' in h))).toBe(true);
  });

  it('deletes a hook (Zapier’s unsubscribe), after which it is 404', async () => {
    const hook = await subscribe(keys.acme, { target_url: TARGET, view: 'events' });
    const res = await api(`/v1/hooks/${hook.id}`, keys.acme, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: hook.id, deleted: true });
    expect((await api(`/v1/hooks/${hook.id}`, keys.acme)).status).toBe(404);
    expect((await api(`/v1/hooks/${hook.id}`, keys.acme, { method: 'DELETE' })).status).toBe(404);
  });

  it('shows an empty delivery log for a new hook', async () => {
    const hook = await subscribe(keys.acme, { target_url: TARGET, view: 'events' });
    const res = await api(`/v1/hooks/${hook.id}/deliveries`, keys.acme);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ hook_id: hook.id, status: 'active', deliveries: [] });
  });

  it('answers 404 for an id that is not a hook id at all', async () => {
    expect((await api('/v1/hooks/not-a-hook', keys.acme)).status).toBe(404);
    expect((await api('/v1/hooks/hook_zzz', keys.acme)).status).toBe(404);
  });

  it('requires an API key', async () => {
    expect((await api('/v1/hooks')).status).toBe(401);
  });
});

describe('tenant isolation', () => {
  it('hides another account’s hook: list, read, deliveries, resume and delete are all 404 or empty', async () => {
    const hook = await subscribe(keys.acme, { target_url: TARGET, view: 'daily_user_summary' });
    const list = (await (await api('/v1/hooks', keys.globex)).json()) as { hooks: HookBody[] };
    expect(list.hooks).toEqual([]);
    for (const [method, path] of [
      ['GET', `/v1/hooks/${hook.id}`],
      ['GET', `/v1/hooks/${hook.id}/deliveries`],
      ['POST', `/v1/hooks/${hook.id}/resume`],
      ['DELETE', `/v1/hooks/${hook.id}`],
    ] as const) {
      const res = await api(path, keys.globex, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/No hook .* in this account/);
    }
    // Still there for its owner.
    expect((await getHook(keys.acme, hook.id)).status).toBe('active');
  });
});

describe('hooks across keys of one account', () => {
  it('hides a hook made with a higher-plan key from a lower-plan key of the same account', async () => {
    const { createKey, run } = await import('../../../worker/tenants/admin.ts');
    const { workerEnv } = await import('./helpers.ts');
    const limited = await createKey('acme', 'essentials', 'essentials-only key');
    await run(workerEnv.DB, limited.statement);
    const pro = await subscribe(keys.acme, {
      target_url: TARGET,
      view: 'daily_user_summary',
      filters: { focused_duration_seconds: 'gt.3600' },
    });
    const own = await subscribe(limited.key, { target_url: TARGET, view: 'daily_user_summary' });

    const listed = (await (await api('/v1/hooks', limited.key)).json()) as { hooks: { id: string }[] };
    expect(listed.hooks.map((h) => h.id)).toContain(own.id);
    expect(listed.hooks.map((h) => h.id)).not.toContain(pro.id);
    expect((await api(`/v1/hooks/${pro.id}`, limited.key)).status).toBe(404);
    expect((await api(`/v1/hooks/${pro.id}`, limited.key, { method: 'DELETE' })).status).toBe(404);
    // The professional key still sees both.
    const all = (await (await api('/v1/hooks', keys.acme)).json()) as { hooks: { id: string }[] };
    expect(all.hooks.map((h) => h.id)).toEqual(expect.arrayContaining([pro.id, own.id]));
  });
});

describe('the 100-hook cap', () => {
  it('holds under 130 concurrent POSTs: exactly 100 are created, the rest get 409 naming the limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 130 }, (_, i) => post(keys.acme, { target_url: `${TARGET}${i}`, view: 'events' })),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(100);
    expect(refused).toHaveLength(30);
    expect(refused[0]!.body).toMatchObject({ limit: 'maxHooksPerTenant', detail: expect.stringMatching(/already has 100 hooks/) });
    const { workerEnv } = await import('./helpers.ts');
    const stored = await workerEnv.DB.prepare('SELECT COUNT(*) AS n FROM hook_subscriptions WHERE tenant_id = ?')
      .bind('acme')
      .first<{ n: number }>();
    expect(stored?.n).toBe(100);
    // Another account's cap is its own.
    expect((await post(keys.globex, { target_url: TARGET, view: 'events' })).status).toBe(201);
  });
});

describe('after a plan downgrade', () => {
  it('every key of the account still lists, reads, resumes and deletes the hooks made on the higher plan', async () => {
    const { workerEnv } = await import('./helpers.ts');
    const hook = await subscribe(keys.acme, { target_url: TARGET, view: 'daily_user_summary', filters: { user_id: 'eq.210003' } });
    await workerEnv.DB.prepare(`UPDATE tenants SET plan = 'essentials' WHERE id = 'acme'`).run();
    try {
      const listed = (await (await api('/v1/hooks', keys.acme)).json()) as { hooks: HookBody[] };
      expect(listed.hooks.map((h) => h.id)).toEqual([hook.id]);
      expect((await getHook(keys.acme, hook.id)).id).toBe(hook.id);
      expect((await api(`/v1/hooks/${hook.id}/deliveries`, keys.acme)).status).toBe(200);
      expect((await api(`/v1/hooks/${hook.id}/resume`, keys.acme, { method: 'POST' })).status).toBe(200);
      expect((await api(`/v1/hooks/${hook.id}`, keys.acme, { method: 'DELETE' })).status).toBe(200);
      expect((await api(`/v1/hooks/${hook.id}`, keys.acme)).status).toBe(404);
    } finally {
      await workerEnv.DB.prepare(`UPDATE tenants SET plan = 'professional' WHERE id = 'acme'`).run();
    }
  });

  it('shows a hook whose key was lowered to the plan it now reads with', async () => {
    const { createKey, run } = await import('../../../worker/tenants/admin.ts');
    const { workerEnv } = await import('./helpers.ts');
    const maker = await createKey('acme', 'professional', 'maker');
    const viewer = await createKey('acme', 'essentials', 'viewer');
    await run(workerEnv.DB, maker.statement);
    await run(workerEnv.DB, viewer.statement);
    const hook = await subscribe(maker.key, { target_url: TARGET, view: 'daily_user_summary' });
    expect((await api(`/v1/hooks/${hook.id}`, viewer.key)).status).toBe(404);
    // The making key is limited to Essentials: the hook reads at Essentials from now on.
    await workerEnv.DB.prepare(`UPDATE api_keys SET plan = 'essentials' WHERE id = ?`).bind(maker.id).run();
    expect((await api(`/v1/hooks/${hook.id}`, viewer.key)).status).toBe(200);
    expect((await api(`/v1/hooks/${hook.id}`, viewer.key, { method: 'DELETE' })).status).toBe(200);
  });
});

describe('headers the target requires (Make’s x-make-apikey)', () => {
  const MAKE = 'https://hook.eu1.make.com/abc123';

  it('accepts x-make-apikey at creation and never shows it again: not in the 201, GET, the list or the delivery log', async () => {
    const secretKey = 'mk-live-7f3a9c2e-UNIQUE-VALUE';
    const res = await api('/v1/hooks', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: MAKE, view: 'events', headers: { 'X-Make-ApiKey': secretKey } }),
    });
    expect(res.status).toBe(201);
    const created = await res.text();
    expect(created).not.toContain(secretKey);
    const { id } = JSON.parse(created) as { id: string };
    for (const path of [`/v1/hooks/${id}`, '/v1/hooks', `/v1/hooks/${id}/deliveries`]) {
      const text = await (await api(path, keys.acme)).text();
      expect(text, path).toContain(id);
      expect(text, path).not.toContain(secretKey);
    }
  });

  it.each([
    [{ 'x-make-apikey': '' }, /"headers.x-make-apikey" must be a Make custom webhook's API key/],
    [{ 'x-make-apikey': 42 }, /must be a Make custom webhook's API key, as text/],
    [{ 'x-make-apikey': 'k'.repeat(513) }, /is 513 characters long; .* at most 512/],
    [{ 'x-make-apikey': 'line\r\nx-injected: 1' }, /must be printable ASCII/],
    [{ 'x-make-apikey': 'nul\u0000byte' }, /must be printable ASCII/],
    [{ 'x-make-apikey': 'clé' }, /must be printable ASCII/],
    [{ 'x-make-apikey': ' padded ' }, /no space at either end/],
    [{ authorization: 'Bearer x' }, /may only set x-make-apikey; 'authorization' is not one of them/],
    [{ 'webhook-signature': 'v1,forged' }, /may only set x-make-apikey/],
    [['x-make-apikey', 'k'], /"headers" must be an object/],
  ])('refuses the headers %j with a 400 that says what to fix', async (headers, pattern) => {
    const res = await post(keys.acme, { target_url: MAKE, view: 'events', headers });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ field: 'headers', detail: expect.stringMatching(pattern) });
  });

  it('takes a key of exactly 512 printable characters, the most Make allows', async () => {
    const res = await post(keys.acme, { target_url: MAKE, view: 'events', headers: { 'x-make-apikey': `a b~${'k'.repeat(508)}` } });
    expect(res.status).toBe(201);
  });
});
