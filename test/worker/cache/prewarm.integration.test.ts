import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { prewarm } from '../../../worker/cache/prewarm.ts';
import type { Env } from '../../../worker/env.ts';
import { bumpDataVersion, run } from '../../../worker/tenants/admin.ts';
import { api, seedTinyDemo } from '../support/demo.ts';
import { isoSeconds } from '../../../worker/encoding/iso-seconds.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const pending: Promise<unknown>[] = [];
const waitUntil = (p: Promise<unknown>) => void pending.push(p);

describe('cache pre-warming by the cron', () => {
  it('keeps the most used first pages warm, so the next request after a purge is a HIT', async () => {
    const path = '/v1/views/daily_user_summary/rows?select=user_id,local_date&limit=5';
    expect((await api(path, keys.acme)).headers.get('x-cache')).toBe('MISS');
    // The purge makes the entry unreachable; without pre-warming the next request would miss.
    await run((env as unknown as Env).DB, bumpDataVersion('acme'));
    const report = await prewarm(env as unknown as Env, waitUntil);
    await Promise.all(pending);
    expect(report.warmed).toBeGreaterThanOrEqual(1);
    expect(report.failed).toBe(0);
    const after = await api(path, keys.acme);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-cache')).toBe('HIT');
  });

  it('records usage by canonical query, so spellings of one query count together', async () => {
    await api('/v1/views/users/rows?limit=3&select=uid', keys.globex);
    await api('/v1/views/users/rows?select=uid&limit=3&order=uid.asc', keys.globex);
    const { results } = await (env as unknown as Env).DB.prepare(
      "SELECT query, uses FROM query_usage WHERE tenant_id = 'globex' AND view = 'users'",
    ).all<{
      query: string;
      uses: number;
    }>();
    expect(results).toHaveLength(1);
    expect(results[0]!.query).not.toContain('cursor');
  });

  it('skips queries whose key was revoked since', async () => {
    const db = (env as unknown as Env).DB;
    // A query of a live key too, so something is considered whichever test ran before this one.
    await api('/v1/views/users/rows?limit=4', keys.acme);
    await api('/v1/views/consumers/rows?limit=2', keys.initech);
    await db.prepare("UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z' WHERE tenant_id = 'initech'").run();
    const report = await prewarm(env as unknown as Env, waitUntil);
    await Promise.all(pending);
    const { results } = await db.prepare("SELECT count(*) AS n FROM query_usage WHERE tenant_id = 'initech'").all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
    expect(report.considered).toBeGreaterThan(0);
    // initech's query is not among those considered: only acme's and globex's remain.
    const considered = await db
      .prepare(`SELECT count(*) AS n FROM query_usage u JOIN api_keys k ON k.id = u.key_id AND k.revoked_at IS NULL`)
      .first<{ n: number }>();
    expect(report.considered).toBe(considered!.n);
  });
});

describe('warming is not use', () => {
  it('leaves uses and last_used_at of a warmed query as they were, so it can still go cold', async () => {
    const db = (env as unknown as Env).DB;
    const path = '/v1/views/daily_user_summary/rows?select=user_id,total_duration_seconds&limit=7';
    await api(path, keys.acme);
    const recorded = "tenant_id = 'acme' AND query LIKE '%total_duration_seconds%limit=7%'";
    await db.prepare(`UPDATE query_usage SET last_used_at = ? WHERE ${recorded}`).bind(hoursAgo(40)).run();
    const before = await db.prepare(`SELECT uses, last_used_at FROM query_usage WHERE ${recorded}`).first();
    expect(before).toMatchObject({ uses: 1 });
    // A purge makes the warm-up a MISS, which a client's request would always record.
    await run(db, bumpDataVersion('acme'));
    const report = await prewarm(env as unknown as Env, waitUntil);
    await Promise.all(pending);
    expect(report.queries).toContain('acme/daily_user_summary');
    expect(await db.prepare(`SELECT uses, last_used_at FROM query_usage WHERE ${recorded}`).first()).toEqual(before);
    // A client's request after the warm-up is a HIT, and does count.
    expect((await api(path, keys.acme)).headers.get('x-cache')).toBe('HIT');
  });
});

function hoursAgo(hours: number): string {
  return isoSeconds(Date.now() - hours * 3_600_000);
}

describe('POST /admin/tenants/{id}/purge', () => {
  it('is 404 while no ADMIN_TOKEN is configured, so the endpoint does not exist by default', async () => {
    const res = await api('/admin/tenants/acme/purge', undefined, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('the admin purge with ADMIN_TOKEN set', () => {
  const adminEnv = () => ({ ...(env as unknown as Env), ADMIN_TOKEN: 'op-secret-token' });
  it('refuses a wrong token with 401 and bumps the data version with the right one', async () => {
    const { createApp } = await import('../../../worker/app.ts');
    const app = createApp();
    const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
    const wrong = await app.request(
      '/admin/tenants/globex/purge',
      { method: 'POST', headers: { authorization: 'Bearer nope' } },
      adminEnv(),
      ctx,
    );
    expect(wrong.status).toBe(401);
    const before = await (env as unknown as Env).DB.prepare("SELECT data_version FROM tenants WHERE id = 'globex'").first<{
      data_version: number;
    }>();
    const ok = await app.request(
      '/admin/tenants/globex/purge',
      { method: 'POST', headers: { authorization: 'Bearer op-secret-token' } },
      adminEnv(),
      ctx,
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ tenant: 'globex', data_version: before!.data_version + 1 });
    const missing = await app.request(
      '/admin/tenants/nosuch/purge',
      { method: 'POST', headers: { authorization: 'Bearer op-secret-token' } },
      adminEnv(),
      ctx,
    );
    expect(missing.status).toBe(404);
  });
});
