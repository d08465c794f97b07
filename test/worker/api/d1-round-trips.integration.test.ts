// Integration (real D1, counted): what a request costs in D1 round trips, before its answer and
// after it, as the README's table says. The key cache and the result memo are on (30 s).
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey, run } from '../../../worker/tenants/admin.ts';
import { appWith } from '../support/app-request.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';

beforeAll(async () => {
  await seedTinyDemo();
});

/** A D1 binding that counts every round trip (a statement run, or a batch) made through it or its sessions. */
function countingDb(db: D1Database) {
  const counted = { trips: 0, sql: [] as string[] };
  const inner = new WeakMap<object, D1PreparedStatement>();
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const trip =
      <T>(f: () => Promise<T>) =>
      () => {
        counted.trips++;
        counted.sql.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
        return f();
      };
    const wrapped = {
      bind: (...values: unknown[]) => statement(stmt.bind(...values), sql),
      first: (column?: string) => trip(() => (column === undefined ? stmt.first() : stmt.first(column)))(),
      all: trip(() => stmt.all()),
      raw: (options?: { columnNames?: boolean }) => trip(() => stmt.raw(options as { columnNames: true }))(),
      run: trip(() => stmt.run()),
    } as unknown as D1PreparedStatement;
    inner.set(wrapped, stmt);
    return wrapped;
  };
  const wrap = (target: D1Database | D1DatabaseSession): D1Database =>
    ({
      prepare: (sql: string) => statement(target.prepare(sql), sql),
      batch: (stmts: D1PreparedStatement[]) => {
        counted.trips++;
        // The usage write goes as a batch (worker/cache/usage.ts), one round trip for any number of queries.
        counted.sql.push('batch');
        return target.batch(stmts.map((s) => inner.get(s) ?? s));
      },
      withSession: (constraint?: string) => wrap((target as D1Database).withSession(constraint)),
      getBookmark: () => (target as D1DatabaseSession).getBookmark(),
      exec: (q: string) => (target as D1Database).exec(q),
    }) as unknown as D1Database;
  return { db: wrap(db), counted };
}

describe('D1 round trips per request', () => {
  it('a cached HIT costs none, before its answer or after it; its MISS costs the key read, the page read, a usage write and the key’s last-used stamp', async () => {
    const created = await createKey('globex', 'essentials_plus', 'round trips');
    await run(testEnv.DB, created.statement);
    const { db, counted } = countingDb(testEnv.DB);
    const app = appWith({ KEY_CACHE_SECONDS: '30', DB: db });
    const path = '/v1/views/users/rows?select=uid&limit=3';

    const miss = await app.request(path, created.key);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    await miss.text();
    await app.settle();
    // The key read and the page's one query; then (waitUntil, not awaited by the answer) the
    // usage write and the key's first last-used stamp.
    expect([...counted.sql].sort()).toEqual(['SELECT CASE WHEN', 'SELECT k.id AS', 'UPDATE api_keys SET', 'batch']);

    const tripsBefore = counted.trips;
    for (let i = 0; i < 5; i++) {
      const hit = await app.request(path, created.key);
      expect(hit.headers.get('x-cache')).toBe('HIT');
      await hit.text();
    }
    await app.settle();
    expect(counted.sql.slice(tripsBefore)).toEqual([]);
  });

  it('/version costs none', async () => {
    const { db, counted } = countingDb(testEnv.DB);
    const app = appWith({ DB: db });
    expect((await app.request('/version')).status).toBe(200);
    await app.settle();
    expect(counted.trips).toBe(0);
  });
});
