// Integration (real D1): query_usage stays bounded in what one row holds and in how many rows
// it keeps, and a usage or last-used write that fails never fails the request it describes.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_USAGE_ROWS_PER_TENANT, pruneControlPlane, RECENT_HOURS } from '../../../worker/cache/prune.ts';
import { HIT_WINDOW_MS, HitTally, MAX_USAGE_QUERY_CHARS, recordUsage } from '../../../worker/cache/usage.ts';
import { resolveView } from '../../../worker/catalog/views.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { authenticate } from '../../../worker/tenants/tenants.ts';
import { appWith } from '../support/app-request.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import { isoSeconds } from '../../../worker/encoding/iso-seconds.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});
const db = () => testEnv.DB;
// D1 is shared by the tests of this file, which run in any order: each starts from an empty
// usage table, so one test's rows are never counted by another.
afterEach(async () => {
  vi.restoreAllMocks();
  await db().prepare('DELETE FROM query_usage').run();
});
const usageRows = async (tenant: string) =>
  (
    await db()
      .prepare('SELECT query_hash, query, uses FROM query_usage WHERE tenant_id = ?')
      .bind(tenant)
      .all<{ query_hash: string; query: string; uses: number }>()
  ).results;
const iso = isoSeconds;

describe('what one usage row holds', () => {
  it('keys a recorded query on its hash and keeps its canonical text to replay it', async () => {
    const app = appWith();
    await app.request('/v1/views/users/rows?select=uid&limit=4', keys.globex);
    await app.settle();
    const rows = await usageRows('globex');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.query_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.query).toContain('limit=4');
  });

  it('records nothing for a query longer than the bound, such as a large in() list, and answers it all the same', async () => {
    const app = appWith();
    const ids = Array.from({ length: 400 }, (_, i) => 900000 + i).join(',');
    const res = await app.request(`/v1/views/users/rows?select=uid&uid=in.(${ids})&limit=5`, keys.initech);
    expect(res.status).toBe(200);
    await app.settle();
    expect(`uid=in.(${ids})`.length).toBeGreaterThan(MAX_USAGE_QUERY_CHARS);
    expect(await usageRows('initech')).toEqual([]);
  });

  it('is held to the bound by the table itself', async () => {
    const insert = db()
      .prepare(
        `INSERT INTO query_usage (tenant_id, plan, key_id, view, query_hash, query, origin, uses, last_used_at)
         VALUES ('acme', 'professional', 'k', 'users', ?, ?, 'http://x', 1, '2026-01-01T00:00:00Z')`,
      )
      .bind('0'.repeat(64), 'x'.repeat(MAX_USAGE_QUERY_CHARS + 1));
    await expect(insert.run()).rejects.toThrow(/CHECK constraint/);
  });
});

describe('HITs added up in the isolate', () => {
  it('writes nothing for HITs inside the window, then every query once with its exact count when a HIT closes it', async () => {
    const caller = await authenticate(db(), keys.initech, { maxAgeMs: 0 });
    const query = (limit: number) =>
      parseQuery([['limit', String(limit)]], { view: resolveView('users', caller.plan), plan: caller.plan }).query;
    let now = 5_000_000;
    const tally = new HitTally(() => now);
    const hit = (limit: number) => recordUsage(db(), caller, query(limit), 'http://tally.test', 'HIT', tally);
    for (let i = 0; i < 5; i++) await hit(41);
    for (let i = 0; i < 2; i++) await hit(42);
    now += HIT_WINDOW_MS - 1;
    await hit(42);
    const tallied = async () =>
      (await usageRows('initech')).filter((r) => /limit=4[12]/.test(r.query)).map((r) => [/limit=(\d+)/.exec(r.query)![1], r.uses]);
    expect(await tallied()).toEqual([]);
    expect(tally.pending).toBe(2);
    now += 1;
    await hit(41);
    expect((await tallied()).sort()).toEqual([
      ['41', 6],
      ['42', 3],
    ]);
    expect(tally.pending).toBe(0);
  });

  it('writes a MISS at once, and takes along the tally of a window that has ended', async () => {
    const caller = await authenticate(db(), keys.initech, { maxAgeMs: 0 });
    const q = (limit: number) =>
      parseQuery([['limit', String(limit)]], { view: resolveView('users', caller.plan), plan: caller.plan }).query;
    let now = 0;
    const tally = new HitTally(() => now);
    const uses = async (limit: number) =>
      (await usageRows('initech'))
        .filter((r) => r.query.includes(`limit=${limit}&`) || r.query.endsWith(`limit=${limit}`))
        .map((r) => r.uses);
    await recordUsage(db(), caller, q(44), 'http://tally.test', 'HIT', tally);
    await recordUsage(db(), caller, q(43), 'http://tally.test', 'MISS', tally);
    expect(await uses(43)).toEqual([1]);
    expect(await uses(44)).toEqual([]);
    now = HIT_WINDOW_MS;
    await recordUsage(db(), caller, q(45), 'http://tally.test', 'MISS', tally);
    expect(await uses(44)).toEqual([1]);
    expect(tally.pending).toBe(0);
  });
});

describe('a usage table that cannot be written', () => {
  /** A real failing write: the trigger makes D1 refuse it as a full database would. */
  async function refuseWrites(table: string, when: string, run: () => Promise<void>) {
    const trigger = `refuse_${table}`;
    await db().prepare(`CREATE TRIGGER ${trigger} ${when} ON ${table} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`).run();
    try {
      await run();
    } finally {
      await db().prepare(`DROP TRIGGER ${trigger}`).run();
    }
  }

  it('still answers the request and logs the failed usage write', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await refuseWrites('query_usage', 'BEFORE INSERT', async () => {
      const app = appWith();
      const res = await app.request('/v1/views/consumers/rows?limit=3', keys.acme);
      expect(res.status).toBe(200);
      await app.settle();
    });
    expect(warn).toHaveBeenCalledWith('could not record query usage', 'acme', 'consumers', expect.stringMatching(/full/));
  });

  it('still authenticates and answers when the last-used stamp cannot be written, and logs it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await db().prepare("UPDATE api_keys SET last_used_at = NULL WHERE tenant_id = 'globex'").run();
    await refuseWrites('api_keys', 'BEFORE UPDATE OF last_used_at', async () => {
      const app = appWith();
      expect((await app.request('/v1/views', keys.globex)).status).toBe(200);
      await app.settle();
    });
    expect(warn).toHaveBeenCalledWith('could not record key use', expect.stringMatching(/^key_/), expect.stringMatching(/full/));
  });
});

describe('pruning by the cron', () => {
  it('deletes usage older than the pre-warm window and past the per-account cap, keeping the most used', async () => {
    const now = Date.UTC(2026, 10, 20, 12);
    const recent = iso(now - 3_600_000);
    const old = iso(now - (RECENT_HOURS + 1) * 3_600_000);
    const row = (i: number, uses: number, at: string) =>
      db()
        .prepare(
          `INSERT INTO query_usage (tenant_id, plan, key_id, view, query_hash, query, origin, uses, last_used_at)
           VALUES ('acme', 'professional', 'k', 'users', ?, ?, 'http://prune.test', ?, ?)`,
        )
        .bind(i.toString(16).padStart(64, '0'), `limit=${i}`, uses, at);
    await db().prepare("DELETE FROM query_usage WHERE tenant_id = 'acme'").run();
    const statements = Array.from({ length: MAX_USAGE_ROWS_PER_TENANT + 10 }, (_, i) => row(i, i + 1, recent));
    statements.push(row(100_000, 1_000_000, old));
    await db().batch(statements);
    const report = await pruneControlPlane(db(), new Date(now));
    expect(report.usageRows).toBe(11);
    const kept = await usageRows('acme');
    expect(kept).toHaveLength(MAX_USAGE_ROWS_PER_TENANT);
    // The ten least used went, and the old one however much it was used.
    expect(Math.min(...kept.map((r) => r.uses))).toBe(11);
    expect(kept.some((r) => r.query === 'limit=100000')).toBe(false);
  });

  it('deletes export leases past their expiry and keeps live ones', async () => {
    const now = Date.UTC(2026, 10, 20, 12);
    await db().batch([
      db()
        .prepare("INSERT INTO export_leases (id, tenant_id, view, started_at, expires_at) VALUES ('gone', 'acme', 'events', ?, ?)")
        .bind(new Date(now - 2_000_000).toISOString(), new Date(now - 1).toISOString()),
      db()
        .prepare("INSERT INTO export_leases (id, tenant_id, view, started_at, expires_at) VALUES ('live', 'acme', 'events', ?, ?)")
        .bind(new Date(now).toISOString(), new Date(now + 60_000).toISOString()),
    ]);
    expect((await pruneControlPlane(db(), new Date(now))).exportLeases).toBe(1);
    const { results } = await db().prepare('SELECT id FROM export_leases').all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual(['live']);
  });
});
