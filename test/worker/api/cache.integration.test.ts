// Integration: results are cached per tenant, plan and data version, keyed on the query's meaning.
// Unit (real Cache API, injected clock): stale-while-revalidate, stale-if-error and one query per key.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Freshness } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import {
  cachedResult,
  inflightCount,
  type CacheOutcome,
  type CachedResultOptions,
  type Computed,
} from '../../../worker/cache/cached-result.ts';
import type { CachedResult } from '../../../worker/cache/entry.ts';
import { requestMaxAge } from '../../../worker/cache/policy.ts';
import { ResultMemo } from '../../../worker/cache/memo.ts';
import { ResultStore } from '../../../worker/cache/store.ts';
import { ApiError } from '../../../worker/http/errors.ts';
import { bumpDataVersion, createKey, run } from '../../../worker/tenants/admin.ts';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import { api, ALL_VIEWS, TENANTS, leafColumns, qs, rowsPath, tableOf, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

/** Each test uses its own queries (a distinct limit), so no test depends on what another cached. */
const fetchRows = async (path: string, key = keys.acme, headers: Record<string, string> = {}) => {
  const res = await api(path, key, { headers });
  return { res, status: res.status, cache: res.headers.get('x-cache'), etag: res.headers.get('etag'), body: await res.text() };
};

describe('the result cache', () => {
  it('answers a repeated request from the cache: MISS, then HIT with the same bytes and ETag', async () => {
    const path = rowsPath('events', qs({ select: 'user_id,titlebar', limit: 11 }));
    const first = await fetchRows(path);
    const second = await fetchRows(path);
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(second.body).toBe(first.body);
    expect(second.etag).toBe(first.etag);
    expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('tells clients the truth: private, max-age within the view freshness, Vary on the key headers, Age', async () => {
    const view = VIEWS.events;
    const { res } = await fetchRows(rowsPath(view, qs({ limit: 12 })));
    const cc = res.headers.get('cache-control')!;
    expect(cc).toMatch(/^private, /);
    const maxAge = Number(/max-age=(\d+)/.exec(cc)![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(view.freshness.maxAgeSeconds);
    expect(cc).toContain(`stale-while-revalidate=${view.freshness.staleSeconds}`);
    expect(cc).toMatch(/stale-if-error=\d+/);
    expect(res.headers.get('vary')).toMatch(/Authorization/);
    expect(res.headers.get('vary')).toMatch(/X-API-Key/);
    expect(Number(res.headers.get('age'))).toBeGreaterThanOrEqual(0);
  });

  it('serves spelling variants of one query from one entry: parameter order, order=a vs a.asc, in.(b,a) vs in.(a,b)', async () => {
    const [a, b] = (await direct<{ id: number }>(`SELECT DISTINCT user_id AS id FROM ${tableOf('acme', 'events')} ORDER BY 1 LIMIT 2`)).map(
      (r) => r.id,
    );
    const first = await fetchRows(rowsPath('events', `select=user_id,titlebar&user_id=in.(${a},${b})&order=titlebar&limit=13`));
    expect(first.cache).toBe('MISS');
    for (const variant of [
      `limit=13&order=titlebar.asc&user_id=in.(${b},${a})&select=user_id,titlebar`,
      `user_id=in.( ${b} , ${a} )&limit=13&select=user_id%2Ctitlebar&order=titlebar.ASC`,
      `select=user_id,titlebar&user_id=in.(${a},${b},${a})&order=titlebar&limit=13`,
    ]) {
      const again = await fetchRows(rowsPath('events', variant));
      expect(again.cache, variant).toBe('HIT');
      expect(again.body).toBe(first.body);
    }
    // A different meaning is a different entry.
    const other = await fetchRows(rowsPath('events', `select=user_id,titlebar&user_id=in.(${a})&order=titlebar&limit=13`));
    expect(other.cache).toBe('MISS');
    expect(other.body).not.toBe(first.body);
  });

  it('answers If-None-Match with the current ETag with 304 and no body; another ETag gets 200', async () => {
    const path = rowsPath('users', qs({ limit: 14 }));
    const { etag, body } = await fetchRows(path);
    for (const inm of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await fetchRows(path, keys.acme, { 'if-none-match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.body).toBe('');
      expect(res.etag).toBe(etag);
    }
    const changed = await fetchRows(path, keys.acme, { 'if-none-match': '"0123"' });
    expect(changed.status).toBe(200);
    expect(changed.body).toBe(body);
  });

  describe('never shares an entry between tenants', () => {
    const withAccount = ALL_VIEWS.filter((v) =>
      leafColumns(v).some((c) => (c.name === 'accountid' || c.name === 'account_id') && c.minPlan === 'essentials'),
    );
    it.each(withAccount.map((v) => [v.name, v] as const))(
      '%s: the same query for each tenant returns only that tenant account ids',
      async (_n, view) => {
        const column = leafColumns(view).find((c) => c.name === 'accountid' || c.name === 'account_id')!.name;
        const path = rowsPath(view, qs({ select: `${column},${view.rowKey.join(',')}`, limit: 15 }));
        const bodies: string[] = [];
        for (const tenant of TENANTS) {
          const { status, body } = await fetchRows(path, keys[tenant.id]);
          expect(status).toBe(200);
          const rows = (JSON.parse(body) as { rows: Record<string, number>[] }).rows;
          expect(rows.length).toBeGreaterThan(0);
          expect(new Set(rows.map((r) => r[column])), tenant.id).toEqual(new Set([tenant.accountId]));
          bodies.push(body);
        }
        expect(new Set(bodies).size).toBe(TENANTS.length);
      },
    );
  });

  it('never shares an entry between two tenants on the same plan and data version', async () => {
    // An acme key limited to Essentials, like initech's; both tenants on one fresh data version.
    const limited = await createKey('acme', 'essentials', 'essentials-only key for acme');
    await run(testEnv.DB, limited.statement, { sql: `UPDATE tenants SET data_version = 7 WHERE id IN ('acme', 'initech')`, params: [] });
    const path = rowsPath('events', qs({ select: 'accountid,user_id', limit: 19 }));
    const initech = await fetchRows(path, keys.initech);
    const acme = await fetchRows(path, limited.key);
    expect([initech.cache, acme.cache]).toEqual(['MISS', 'MISS']);
    const accounts = (body: string) => new Set((JSON.parse(body) as { rows: { accountid: number }[] }).rows.map((r) => r.accountid));
    expect(accounts(initech.body)).toEqual(new Set([TENANTS.find((t) => t.id === 'initech')!.accountId]));
    expect(accounts(acme.body)).toEqual(new Set([TENANTS.find((t) => t.id === 'acme')!.accountId]));
  });

  it('a data-version bump makes every cached result of that tenant a MISS, and only of that tenant', async () => {
    const path = rowsPath('daily_user_summary', qs({ select: 'user_id,local_date,total_duration_seconds', limit: 16 }));
    for (const key of [keys.acme, keys.globex]) {
      expect((await fetchRows(path, key)).cache).toBe('MISS');
      expect((await fetchRows(path, key)).cache).toBe('HIT');
    }
    // New data arrives, then the version is bumped: the change is visible at once.
    await testEnv.DB.prepare(
      `UPDATE ${tableOf('acme', 'daily_user_summary')} SET total_duration_seconds = total_duration_seconds + 1`,
    ).run();
    const stale = await fetchRows(path);
    expect(stale.cache).toBe('HIT');
    await run(testEnv.DB, bumpDataVersion('acme'));
    const fresh = await fetchRows(path);
    expect(fresh.cache).toBe('MISS');
    expect(fresh.body).not.toBe(stale.body);
    expect((await fetchRows(path, keys.globex)).cache).toBe('HIT');
  });

  it('20 concurrent identical requests all get 200 and the same rows from one warehouse query', async () => {
    const path = rowsPath('events', qs({ select: 'user_id,utc_timestamp,titlebar', order: 'titlebar.desc', limit: 17 }));
    const db = testEnv.DB as D1Database & { prepare: D1Database['prepare'] };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to restore it below, and called with .call(this)
    const prepare = db.prepare;
    const warehouseQueries: string[] = [];
    db.prepare = function (this: D1Database, sql: string) {
      if (sql.includes(tableOf('acme', 'events'))) warehouseQueries.push(sql);
      return prepare.call(this, sql);
    };
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetchRows(path)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(warehouseQueries).toHaveLength(1);
      // And the counter does see warehouse queries: a new query is one more.
      await fetchRows(rowsPath('events', qs({ select: 'user_id', limit: 17 })));
      expect(warehouseQueries).toHaveLength(2);
    } finally {
      db.prepare = prepare;
    }
  });
});

describe('a client asking for a fresh read (RFC 9111 section 5.2.1)', () => {
  it.each([
    ['Cache-Control: no-cache', { 'cache-control': 'no-cache' }, 21],
    ['Cache-Control: max-age=0', { 'cache-control': 'max-age=0' }, 22],
    ['Pragma: no-cache, with no Cache-Control', { pragma: 'no-cache' }, 23],
    ['no-cache among other directives', { 'cache-control': 'no-transform, NO-CACHE' }, 24],
  ])('revalidates with the warehouse on %s instead of answering HIT', async (_label, headers, limit) => {
    const path = rowsPath('events', qs({ select: 'user_id,titlebar', limit }));
    expect((await fetchRows(path)).cache).toBe('MISS');
    expect((await fetchRows(path)).cache).toBe('HIT');
    const fresh = await fetchRows(path, keys.acme, headers);
    expect(fresh.status).toBe(200);
    expect(fresh.cache).toBe('REVALIDATED');
    expect(Number(fresh.res.headers.get('age'))).toBe(0);
  });

  it('serves the new data on a fresh read after the warehouse changed, where a plain read still gets the cached copy', async () => {
    const path = rowsPath('daily_user_summary', qs({ select: 'user_id,local_date,total_duration_seconds', limit: 25 }));
    const first = await fetchRows(path, keys.globex);
    await testEnv.DB.prepare(
      `UPDATE ${tableOf('globex', 'daily_user_summary')} SET total_duration_seconds = total_duration_seconds + 1`,
    ).run();
    expect((await fetchRows(path, keys.globex)).body).toBe(first.body);
    const fresh = await fetchRows(path, keys.globex, { 'cache-control': 'no-cache' });
    expect(fresh.cache).toBe('MISS');
    expect(fresh.body).not.toBe(first.body);
    // The fresh answer replaced the entry.
    expect((await fetchRows(path, keys.globex)).body).toBe(fresh.body);
  });

  it('still answers HIT when the client accepts the copy’s age (max-age=3600), and a 304 to If-None-Match after revalidating', async () => {
    const path = rowsPath('events', qs({ select: 'user_id,titlebar', limit: 26 }));
    const { etag } = await fetchRows(path);
    expect((await fetchRows(path, keys.acme, { 'cache-control': 'max-age=3600' })).cache).toBe('HIT');
    const revalidated = await fetchRows(path, keys.acme, { 'cache-control': 'no-cache', 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.cache).toBe('REVALIDATED');
  });

  it('reads the request directives as RFC 9111 writes them', () => {
    expect(requestMaxAge(undefined)).toBeUndefined();
    expect(requestMaxAge('no-store')).toBeUndefined();
    expect(requestMaxAge('no-cache')).toBe(0);
    expect(requestMaxAge('max-age=0')).toBe(0);
    expect(requestMaxAge('max-age="120", max-age=60')).toBe(60);
    expect(requestMaxAge('max-age=soon')).toBeUndefined();
    expect(requestMaxAge(undefined, 'no-cache')).toBe(0);
    // Cache-Control present: Pragma is ignored (section 5.4).
    expect(requestMaxAge('max-age=60', 'no-cache')).toBe(60);
  });
});

const FRESHNESS: Freshness = { kind: 'daily', maxAgeSeconds: 60, staleSeconds: 300, why: 'test' };
const T0 = Date.UTC(2026, 10, 20, 12);
const seconds = (s: number) => T0 + s * 1000;

/**
 * One cache entry under test: its own Cache and key, a clock the test moves, a compute that
 * counts calls and answers what the test says, and the background work handed to waitUntil.
 */
async function harness(name: string) {
  const store = new ResultStore(await caches.open(`cached-result-test-${name}`), 3600);
  // Every read of the store, the very promises cachedResult awaits (see `reads` below).
  const reads: Promise<unknown>[] = [];
  const read = store.get.bind(store);
  store.get = (key) => {
    const p = read(key);
    reads.push(p);
    return p;
  };
  let now = T0;
  let calls = 0;
  let answer: () => Promise<Computed> = async () => ({
    body: `v${calls}`,
    headers: { 'content-type': 'text/plain', 'x-row-count': String(calls) },
  });
  const background: Promise<unknown>[] = [];
  const get = (client: Pick<CachedResultOptions, 'clientMaxAgeSeconds' | 'beforeForcedRefresh' | 'memo'> = {}) =>
    cachedResult({
      ...client,
      store,
      key: `https://cache.test/${name}`,
      freshness: FRESHNESS,
      compute: () => {
        calls++;
        return answer();
      },
      waitUntil: (p) => background.push(p),
      now: () => now,
    }).then(readable);
  return {
    get,
    at: (t: number) => (now = t),
    answer: (f: () => Promise<Computed>) => (answer = f),
    calls: () => calls,
    settle: () => Promise.all(background.splice(0)),
    /**
     * Resolves once every get() so far has read the store and acted on what it read: a
     * promise's reactions run in the order they were added, and each get() awaited its read
     * before this adds its own.
     */
    readsDone: () => Promise.all(reads.splice(0)),
  };
}

const failing = (err: Error) => () => Promise.reject(err);

/**
 * A result with its content as text: a computed result holds its text and bytes, one read
 * back from the Cache API only its bytes, and these tests are about which copy is served.
 */
const withText = <R extends CachedResult | null>(result: R) =>
  result && { ...result, text: result.body ?? new TextDecoder().decode(result.bytes) };
const readable = (outcome: CacheOutcome) => ({ ...outcome, result: withText(outcome.result) });

describe('cachedResult', () => {
  it('computes on a miss, then serves HIT without the warehouse while fresh', async () => {
    const h = await harness('fresh');
    const miss = await h.get();
    expect(miss.status).toBe('MISS');
    expect(miss.result).toMatchObject({ text: 'v1', storedAt: T0, headers: { 'content-type': 'text/plain', 'x-row-count': '1' } });
    h.at(seconds(59));
    const hit = await h.get();
    expect(hit.status).toBe('HIT');
    expect(hit.result.text).toBe('v1');
    expect(hit.result.etag).toBe(miss.result.etag);
    expect(hit.result.headers['x-row-count']).toBe('1');
    expect(h.calls()).toBe(1);
  });

  it('when stale, serves the old copy at once (STALE, revalidating) and refreshes in the background', async () => {
    const h = await harness('swr');
    await h.get();
    h.at(seconds(61));
    const stale = await h.get();
    expect(stale).toMatchObject({ status: 'STALE', staleReason: 'revalidating' });
    expect(stale.result.text).toBe('v1');
    await h.settle();
    expect(h.calls()).toBe(2);
    const after = await h.get();
    expect(after.status).toBe('HIT');
    expect(after.result).toMatchObject({ text: 'v2', storedAt: seconds(61) });
  });

  it('when stale and the background refresh fails, keeps serving the old copy and the failure does not escape', async () => {
    const h = await harness('swr-failing');
    await h.get();
    h.at(seconds(120));
    h.answer(failing(new ApiError(503, 'warehouse-unavailable', 'down')));
    expect((await h.get()).status).toBe('STALE');
    await expect(h.settle()).resolves.toBeDefined();
    const again = await h.get();
    expect(again).toMatchObject({ status: 'STALE', result: { text: 'v1' } });
  });

  it.each([
    ['a 503 from the warehouse', new ApiError(503, 'warehouse-unavailable', 'down'), 'warehouse-unavailable'],
    ['a quota error', new ApiError(403, 'quota-exceeded', 'quota'), 'quota-exceeded'],
    ['rate limiting', new ApiError(429, 'rate-limited', 'slow down'), 'rate-limited'],
    ['an unexpected exception', new TypeError('fetch failed'), 'warehouse-error'],
  ])(
    'when expired and the warehouse fails with %s, serves the old copy as STALE with the reason (stale-if-error)',
    async (_l, err, reason) => {
      const h = await harness(`sie-${reason}`);
      const first = await h.get();
      h.at(seconds(60 + 300 + 1));
      h.answer(failing(err));
      const served = await h.get();
      expect(served).toMatchObject({ status: 'STALE', staleReason: reason });
      expect(served.result.etag).toBe(first.result.etag);
      expect(h.calls()).toBe(2);
    },
  );

  it('when expired and the data is unchanged, answers REVALIDATED and restarts the freshness clock', async () => {
    const h = await harness('revalidated');
    h.answer(async () => ({ body: 'same', headers: {} }));
    const first = await h.get();
    h.at(seconds(1000));
    const again = await h.get();
    expect(again.status).toBe('REVALIDATED');
    expect(again.result.etag).toBe(first.result.etag);
    expect(again.result.storedAt).toBe(seconds(1000));
    h.at(seconds(1030));
    expect((await h.get()).status).toBe('HIT');
    expect(h.calls()).toBe(2);
  });

  it('when expired and the data changed, answers the new data as a MISS', async () => {
    const h = await harness('expired-changed');
    await h.get();
    h.at(seconds(1000));
    const fresh = await h.get();
    expect(fresh).toMatchObject({ status: 'MISS', result: { text: 'v2' } });
  });

  it('does not hide a bad request behind a stale copy, and has nothing to serve when the first compute fails', async () => {
    const h = await harness('bad-request');
    await h.get();
    h.at(seconds(1000));
    h.answer(failing(new ApiError(400, 'invalid-parameter', 'bad')));
    await expect(h.get()).rejects.toMatchObject({ status: 400 });
    const empty = await harness('first-fails');
    empty.answer(failing(new ApiError(503, 'warehouse-unavailable', 'down')));
    await expect(empty.get()).rejects.toMatchObject({ status: 503 });
  });

  it('20 concurrent misses for one key run the computation once and share its result', async () => {
    const h = await harness('concurrent');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.answer(async () => {
      await gate;
      return { body: 'shared', headers: {} };
    });
    const pending = Array.from({ length: 20 }, () => h.get());
    expect(await h.readsDone()).toHaveLength(20);
    expect(inflightCount()).toBe(1);
    release();
    const outcomes = await Promise.all(pending);
    expect(h.calls()).toBe(1);
    expect(new Set(outcomes.map((o) => o.result.text))).toEqual(new Set(['shared']));
    expect(inflightCount()).toBe(0);
  });

  it('on a forced revalidation, asks the warehouse even while fresh, and serves no stale copy if it fails', async () => {
    const h = await harness('forced');
    await h.get();
    h.at(seconds(5));
    const charged: number[] = [];
    const forced = await h.get({ clientMaxAgeSeconds: 0, beforeForcedRefresh: async () => void charged.push(1) });
    expect(forced.status).toBe('MISS');
    expect(forced.result.text).toBe('v2');
    expect(charged).toEqual([1]);
    h.answer(failing(new ApiError(503, 'warehouse-unavailable', 'down')));
    await expect(h.get({ clientMaxAgeSeconds: 0 })).rejects.toMatchObject({ status: 503 });
    // Without the directive the cached copy is still there for everyone else.
    expect((await h.get()).status).toBe('HIT');
  });

  it('on max-age=N, revalidates only a copy older than N seconds, and a refused charge stops the revalidation', async () => {
    const h = await harness('client-max-age');
    await h.get();
    h.at(seconds(30));
    expect((await h.get({ clientMaxAgeSeconds: 30 })).status).toBe('HIT');
    h.at(seconds(31));
    const refused = new ApiError(429, 'rate-limited', 'slow down');
    await expect(
      h.get({
        clientMaxAgeSeconds: 30,
        beforeForcedRefresh: () => Promise.reject(refused),
      }),
    ).rejects.toBe(refused);
    expect(h.calls()).toBe(1);
  });

  it('with a memo, serves a fresh result it holds without asking the Cache API, for less than the bound', async () => {
    const h = await harness('memo');
    let memoNow = 0;
    const memo = { results: new ResultMemo(() => memoNow), maxAgeMs: 30_000 };
    const gone = new ResultStore(await caches.open('cached-result-test-memo-empty'), 3600);
    const first = await h.get({ memo });
    expect(first.status).toBe('MISS');
    await h.settle();
    // The Cache API copy is out of reach (another store): only the memo can answer HIT.
    const fromMemo = () =>
      cachedResult({
        store: gone,
        key: 'https://cache.test/memo',
        freshness: FRESHNESS,
        compute: async () => ({ body: 'recomputed', headers: {} }),
        waitUntil: () => undefined,
        now: () => seconds(10),
        memo,
      }).then(readable);
    memoNow = 29_999;
    expect(await fromMemo()).toMatchObject({ status: 'HIT', result: { text: 'v1', etag: first.result.etag } });
    memoNow = 30_000;
    expect(await fromMemo()).toMatchObject({ status: 'MISS', result: { text: 'recomputed' } });
  });

  it('with a memo, never serves a held copy that is no longer fresh, nor one the client asked to revalidate', async () => {
    const h = await harness('memo-stale');
    const memo = { results: new ResultMemo(() => 0), maxAgeMs: 30_000 };
    await h.get({ memo });
    h.at(seconds(61));
    expect(await h.get({ memo })).toMatchObject({ status: 'STALE', result: { text: 'v1' } });
    await h.settle();
    h.at(seconds(62));
    expect(await h.get({ memo, clientMaxAgeSeconds: 0 })).toMatchObject({ status: 'MISS', result: { text: 'v3' } });
  });

  it('with a bound of 0, holds nothing in the memo', async () => {
    const h = await harness('memo-off');
    const results = new ResultMemo(() => 0);
    await h.get({ memo: { results, maxAgeMs: 0 } });
    expect(results.size).toBe(0);
  });

  it('answers a miss before the Cache API put lands, and a request in between is a HIT on the same result', async () => {
    const cache = await caches.open('cached-result-test-slow-put');
    let land!: () => void;
    const landed = new Promise<void>((r) => (land = r));
    const store = new ResultStore(cache, 3600);
    const put = store.put.bind(store);
    store.put = async (key, result) => {
      await landed;
      await put(key, result);
    };
    const background: Promise<unknown>[] = [];
    let calls = 0;
    const get = () =>
      cachedResult({
        store,
        key: 'https://cache.test/slow-put',
        freshness: FRESHNESS,
        compute: async () => ({ body: `v${++calls}`, headers: {} }),
        waitUntil: (p) => background.push(p),
        now: () => T0,
      }).then(readable);
    const miss = await get();
    expect(miss).toMatchObject({ status: 'MISS', result: { text: 'v1' } });
    expect(background).toHaveLength(1);
    expect(await get()).toMatchObject({ status: 'HIT', result: { text: 'v1', etag: miss.result.etag } });
    land();
    await Promise.all(background);
    expect(withText(await store.get('https://cache.test/slow-put'))).toMatchObject({ text: 'v1', etag: miss.result.etag });
    expect(calls).toBe(1);
  });

  it('a put that fails is logged, not turned into a failed answer', async () => {
    const store = new ResultStore(await caches.open('cached-result-test-failing-put'), 3600);
    store.put = () => Promise.reject(new Error('cache full'));
    const background: Promise<unknown>[] = [];
    const outcome = await cachedResult({
      store,
      key: 'https://cache.test/failing-put',
      freshness: FRESHNESS,
      compute: async () => ({ body: 'v1', headers: {} }),
      waitUntil: (p) => background.push(p),
      now: () => T0,
    });
    expect(outcome.status).toBe('MISS');
    await expect(Promise.all(background)).resolves.toBeDefined();
  });
});
