import type { Freshness } from '../../shared/types.ts';
import { ApiError } from '../http/errors.ts';
import { etagOf, type CacheStatus, type CachedResult, type Content } from './entry.ts';
import { warnRecovered } from '../log.ts';
import { ageOf } from './policy.ts';
import type { ResultMemo } from './memo.ts';
import type { ResultStore } from './store.ts';

export type Computed = Content & { readonly headers: Record<string, string> };

export interface CacheOutcome {
  readonly result: CachedResult;
  readonly status: CacheStatus;
  /** Why a stale copy was served instead of a fresh one, when it was. */
  readonly staleReason?: string;
}

/** Identical concurrent misses in one isolate share one warehouse query. */
const inflight = new Map<string, Promise<CachedResult>>();
/**
 * Results computed here whose Cache API put has not landed yet: the put runs after the
 * answer (waitUntil), and a request for the same key in the meantime must still find them.
 */
const landing = new Map<string, CachedResult>();

/** Warehouse trouble (down, over quota, timing out) as opposed to a bad request. */
function isWarehouseFailure(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status >= 500 || err.type === 'quota-exceeded' || err.type === 'rate-limited';
}

export interface CachedResultOptions {
  readonly store: ResultStore;
  readonly key: string;
  readonly freshness: Freshness;
  readonly compute: () => Promise<Computed>;
  readonly waitUntil: (promise: Promise<unknown>) => void;
  readonly now?: () => number;
  /**
   * The oldest copy the client accepts, in seconds, from its request's Cache-Control
   * (`no-cache` is 0; see requestMaxAge). An older copy is revalidated with the warehouse
   * first, and never served in its place if the warehouse fails: the client asked for a
   * validated answer (https://www.rfc-editor.org/rfc/rfc9111#section-5.2.1.4).
   */
  readonly clientMaxAgeSeconds?: number;
  /** Runs before a revalidation the client forced, and may refuse it (the rate limit's 429). */
  readonly beforeForcedRefresh?: () => Promise<void>;
  /** Fresh results held in the isolate for at most `maxAgeMs` (worker/cache/memo.ts); none when left out or 0. */
  readonly memo?: { readonly results: ResultMemo; readonly maxAgeMs: number };
}

/**
 * Serves a result from the Cache API with stale-while-revalidate and stale-if-error built
 * on top, and one warehouse query per key at a time. A fresh result this isolate holds
 * (`memo`) costs no Cache API match; a computed result is answered before its put lands.
 */
export async function cachedResult(options: CachedResultOptions): Promise<CacheOutcome> {
  const { store, key, freshness, compute, waitUntil } = options;
  const now = options.now ?? Date.now;
  const memo = options.memo && options.memo.maxAgeMs > 0 ? options.memo : undefined;

  const refresh = (): Promise<CachedResult> => {
    let running = inflight.get(key);
    if (!running) {
      running = (async () => {
        const computed = await compute();
        const bytes = computed.bytes ?? new TextEncoder().encode(computed.body);
        const result: CachedResult = { ...computed, bytes, etag: await etagOf(bytes), storedAt: now() };
        // The answer does not wait for the Cache API: the put finishes after it.
        landing.set(key, result);
        waitUntil(
          store
            .put(key, result)
            .catch((err: unknown) => warnRecovered('cache.put_failed', err))
            .finally(() => {
              if (landing.get(key) === result) landing.delete(key);
            }),
        );
        memo?.results.set(key, result);
        return result;
      })().finally(() => inflight.delete(key));
      inflight.set(key, running);
    }
    return running;
  };

  const maxAge = options.clientMaxAgeSeconds;
  if (memo && maxAge === undefined) {
    const held = memo.results.get(key, memo.maxAgeMs);
    if (held && ageOf(held.storedAt, now(), freshness) === 'fresh') return { result: held, status: 'HIT' };
  }
  const existing = newer(await store.get(key), landing.get(key));
  if (existing && maxAge !== undefined && (maxAge === 0 || now() - existing.storedAt > maxAge * 1000)) {
    await options.beforeForcedRefresh?.();
    const fresh = await refresh();
    return { result: fresh, status: fresh.etag === existing.etag ? 'REVALIDATED' : 'MISS' };
  }
  if (!existing) {
    // Another request in this isolate may already be computing it; refresh() joins it.
    return { result: await refresh(), status: 'MISS' };
  }
  switch (ageOf(existing.storedAt, now(), freshness)) {
    case 'fresh':
      memo?.results.set(key, existing);
      return { result: existing, status: 'HIT' };
    case 'stale':
      waitUntil(refresh().catch((err: unknown) => warnRecovered('cache.revalidation_failed', err)));
      return { result: existing, status: 'STALE', staleReason: 'revalidating' };
    case 'expired':
      try {
        const fresh = await refresh();
        return { result: fresh, status: fresh.etag === existing.etag ? 'REVALIDATED' : 'MISS' };
      } catch (err) {
        if (!isWarehouseFailure(err)) throw err;
        return { result: existing, status: 'STALE', staleReason: err instanceof ApiError ? err.type : 'warehouse-error' };
      }
  }
}

function newer(a: CachedResult | null, b: CachedResult | undefined): CachedResult | null {
  if (!b) return a;
  return a && a.storedAt >= b.storedAt ? a : b;
}

/** For tests: forget in-flight computations. */
export function inflightCount(): number {
  return inflight.size;
}
