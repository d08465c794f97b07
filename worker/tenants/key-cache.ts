import type { Caller } from './tenants.ts';

/** Seconds an isolate trusts a verified key when KEY_CACHE_SECONDS is not set. */
export const DEFAULT_KEY_CACHE_SECONDS = 30;
/** Enough for every active key of a busy deployment; the oldest entry goes first past it. */
const MAX_ENTRIES = 5000;

interface Entry {
  readonly caller: Caller;
  readonly verifiedAt: number;
}

/**
 * Keys this isolate has verified against D1, by key hash, so a cached answer does not pay a
 * D1 round trip (one primary region, possibly far away) for authentication. An entry is
 * trusted for at most `maxAgeMs`: that is how long a revocation, a plan change or a purge
 * made elsewhere (the admin command writes D1 directly) takes to reach this isolate. Only
 * keys that verified are kept, so unknown keys cannot fill it and a new key works at once.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  // A plain field, not a parameter property: the admin script runs this file under Node's type stripping.
  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get(hash: string, maxAgeMs: number): Caller | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (this.now() - entry.verifiedAt >= maxAgeMs) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.caller;
  }

  set(hash: string, caller: Caller): void {
    this.entries.delete(hash);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, { caller, verifiedAt: this.now() });
  }

  /** Forgets a key at once: a revocation through this isolate needs no wait. */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.caller.keyId === keyId) this.entries.delete(hash);
  }

  /** Forgets every key of an account: a purge or a plan change through this isolate needs no wait. */
  forgetTenant(tenantId: string): void {
    for (const [hash, entry] of this.entries) if (entry.caller.tenant.id === tenantId) this.entries.delete(hash);
  }

  /** Keeps the cached `lastUsedAt` current, so touchKey's hourly write is not repeated per request. */
  noteUsed(keyId: string, lastUsedAt: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.caller.keyId === keyId) this.entries.set(hash, { ...entry, caller: { ...entry.caller, lastUsedAt } });
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The isolate's own cache, shared by every request it serves. */
export const isolateKeyCache = new KeyCache();

/** KEY_CACHE_SECONDS as milliseconds; a value that is not a number of seconds >= 0 falls back to the default. */
export function keyCacheMaxAgeMs(setting: string | undefined): number {
  const seconds = setting === undefined || setting.trim() === '' ? NaN : Number(setting);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_KEY_CACHE_SECONDS) * 1000;
}
