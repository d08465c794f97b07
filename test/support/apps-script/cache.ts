import type { Cache, CacheService } from '../../../apps-script/types/apps-script.ts';
import type { WorldClock } from './clock.ts';
import type { Host } from './spreadsheet.ts';

/**
 * CacheService's limits (https://developers.google.com/apps-script/reference/cache/cache):
 * 250-character keys, 100 KB values, 6 hours, 10 minutes by default, and at most 1,000
 * items: past that, the cache keeps the 900 items farthest from expiring.
 */
const MAX_KEY_LENGTH = 250;
const MAX_VALUE_BYTES = 100 * 1024;
const MAX_EXPIRATION_SECONDS = 21_600;
const DEFAULT_EXPIRATION_SECONDS = 600;
const MAX_PUT_ALL = 1000;
const MAX_ITEMS = 1000;
const ITEMS_KEPT = 900;

/** One cache's entries with their expiry on the simulated clock. */
export class CacheStore {
  readonly entries = new Map<string, { value: string; expires: number }>();

  /** The documented cap: over 1,000 items, only the 900 farthest from expiring stay. */
  enforceCap(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    if (this.entries.size <= MAX_ITEMS) return;
    const kept = [...this.entries].sort((a, b) => b[1].expires - a[1].expires).slice(0, ITEMS_KEPT);
    this.entries.clear();
    for (const [key, entry] of kept) this.entries.set(key, entry);
  }

  /** What Google may do at any moment: drop entries before they expire. */
  evict(predicate: (key: string) => boolean = () => true): number {
    let n = 0;
    for (const key of [...this.entries.keys()]) if (predicate(key) && this.entries.delete(key)) n++;
    return n;
  }
}

class FakeCache implements Cache {
  private readonly host: Host;
  private readonly clock: WorldClock;
  private readonly store: CacheStore;

  constructor(host: Host, clock: WorldClock, store: CacheStore) {
    this.host = host;
    this.clock = clock;
    this.store = store;
  }

  private charge(): void {
    this.host.execution().charge(this.host.costs.cache);
  }

  private checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) throw new Error('Invalid argument: key');
    if (key.length > MAX_KEY_LENGTH) throw new Error('Argument too large: key');
  }

  private expiry(seconds: number | undefined): number {
    const s = seconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (!Number.isFinite(s) || s < 1 || s > MAX_EXPIRATION_SECONDS) throw new Error('Invalid argument: expirationInSeconds');
    return this.clock.now + Math.floor(s) * 1000;
  }

  private read(key: string): string | null {
    const entry = this.store.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.clock.now) {
      this.store.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  private put1(key: string, value: string, expires: number): void {
    this.checkKey(key);
    const text = String(value);
    if (Buffer.byteLength(text, 'utf8') > MAX_VALUE_BYTES) throw new Error('Argument too large: value');
    this.store.entries.set(key, { value: text, expires });
  }

  get(key: string): string | null {
    this.charge();
    this.checkKey(key);
    return this.read(key);
  }
  getAll(keys: string[]): Record<string, string> {
    this.charge();
    const out: Record<string, string> = {};
    for (const key of keys) {
      this.checkKey(key);
      const v = this.read(key);
      if (v !== null) out[key] = v;
    }
    return out;
  }
  put(key: string, value: string, expirationInSeconds?: number): void {
    this.charge();
    this.put1(key, value, this.expiry(expirationInSeconds));
    this.store.enforceCap(this.clock.now);
  }
  putAll(values: Record<string, string>, expirationInSeconds?: number): void {
    this.charge();
    const entries = Object.entries(values);
    if (entries.length > MAX_PUT_ALL) throw new Error(`Argument too large: values (at most ${MAX_PUT_ALL} entries)`);
    const expires = this.expiry(expirationInSeconds);
    for (const [k, v] of entries) this.put1(k, v, expires);
    this.store.enforceCap(this.clock.now);
  }
  remove(key: string): void {
    this.charge();
    this.store.entries.delete(key);
  }
  removeAll(keys: string[]): void {
    this.charge();
    for (const k of keys) this.store.entries.delete(k);
  }
}

export interface CacheStores {
  readonly script: CacheStore;
  readonly document: CacheStore;
  user(email: string): CacheStore;
}

export function createCacheService(host: Host, clock: WorldClock, stores: CacheStores, user: () => string): CacheService {
  return {
    getScriptCache: () => new FakeCache(host, clock, stores.script),
    getDocumentCache: () => new FakeCache(host, clock, stores.document),
    getUserCache: () => new FakeCache(host, clock, stores.user(user())),
  };
}
