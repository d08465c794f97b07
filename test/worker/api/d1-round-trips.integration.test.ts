// Integration (real D1, counted): what a request costs in D1 round trips, before its answer and
// after it, as the README's table says. The key cache and the result memo are on (30 s).
// And how many rows a walk of json pages reads from the warehouse for the rows it returns.
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { forgetPageRows } from '../../../worker/rows/page-rows-hint.ts';
import { bumpDataVersion, createKey, run } from '../../../worker/tenants/admin.ts';
import { appWith } from '../support/app-request.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

/** A D1 binding that counts every round trip (a statement run, or a batch) made through it or its sessions. */
function countingDb(db: D1Database) {
  const counted = { trips: 0, sql: [] as string[], rowsRead: 0 };
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
      raw: (options?: { columnNames?: boolean }) =>
        trip(async () => {
          const rows = await stmt.raw(options as { columnNames: true });
          counted.rowsRead += rows.length;
          return rows;
        })(),
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

describe('warehouse rows read by a walk of json pages', () => {
  it('a page of wide rows reads about as many as the last page of its query held, and its bytes are those of a page read in whole chunks', async () => {
    const budget = LIMITS.maxPageBytes;
    // A budget the tiny demo's events fill many times over, so pages stop well short of a chunk.
    (LIMITS as { maxPageBytes: number }).maxPageBytes = 40_000;
    try {
      // No key cache, so no result memo either: every page below is computed (a MISS).
      const { db, counted } = countingDb(testEnv.DB);
      const app = appWith({ KEY_CACHE_SECONDS: '0', DB: db });
      const walk = async (knownSizes: boolean) => {
        const pages: string[] = [];
        const rowsBefore = counted.rowsRead;
        let path: string | null = '/v1/views/events/rows?limit=10000';
        while (path) {
          // A new isolate knows no page's size: it reads whole chunks.
          if (!knownSizes) forgetPageRows();
          const res = await app.request(path, keys.acme);
          expect(res.status).toBe(200);
          expect(res.headers.get('x-cache')).toBe('MISS');
          const text = await res.text();
          pages.push(text);
          const next = (JSON.parse(text) as { next: string | null }).next;
          path = next ? new URL(next).pathname + new URL(next).search : null;
        }
        await app.settle();
        return { pages, rowsRead: counted.rowsRead - rowsBefore };
      };
      const wholeChunks = await walk(false);
      // A new data version: the same pages again, computed rather than served from the cache.
      await run(testEnv.DB, bumpDataVersion('acme'));
      const sized = await walk(true);
      expect(wholeChunks.pages.length).toBeGreaterThan(4);
      expect(sized.pages).toEqual(wholeChunks.pages);
      expect(sized.rowsRead).toBeLessThan(wholeChunks.rowsRead / 2);
    } finally {
      (LIMITS as { maxPageBytes: number }).maxPageBytes = budget;
    }
  });
});
