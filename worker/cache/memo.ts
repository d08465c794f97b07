import type { CachedResult } from './entry.ts';

/** Large enough for the hot pages of a busy isolate, small beside its 128 MB. */
const MAX_BYTES = 16 * 1024 * 1024;
/** A page this size is served from the Cache API, not held: a few of them would fill the memo. */
const MAX_ENTRY_BYTES = 1024 * 1024;

interface Entry {
  readonly result: CachedResult;
  readonly memoAt: number;
  readonly bytes: number;
}

/**
 * Results this isolate has read from or written to the Cache API, by cache key, so a HIT on a
 * hot query costs no Cache API match and no body read. An entry is trusted for at most
 * `maxAgeMs` after it was memoised (KEY_CACHE_SECONDS, the delay keys and data versions
 * already have) and only while the result itself is fresh, which the caller decides from
 * `storedAt` as it does for a Cache API entry. The key carries tenant, data version and plan,
 * so a purge (a new data version) never reaches an old entry; what the bound covers is a copy
 * another isolate replaced early (a client's `Cache-Control: no-cache`). Bounded in bytes;
 * the least recently used entry goes first.
 */
export class ResultMemo {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get(key: string, maxAgeMs: number): CachedResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.drop(key);
    if (this.now() - entry.memoAt >= maxAgeMs) return undefined;
    // Re-inserted: Map order is then least recently used first.
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    return entry.result;
  }

  set(key: string, result: CachedResult): void {
    this.drop(key);
    const bytes = (result.body?.length ?? 0) * 2 + (result.bytes?.byteLength ?? 0) + 512;
    if (bytes > MAX_ENTRY_BYTES) return;
    while (this.bytes + bytes > MAX_BYTES && this.entries.size > 0) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { result, memoAt: this.now(), bytes });
    this.bytes += bytes;
  }

  delete(key: string): void {
    this.drop(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

/** The isolate's own memo, shared by every request it serves. */
export const isolateResultMemo = new ResultMemo();
