import type { CachedResult } from './entry.ts';

const STORED_AT = 'x-acb-stored-at';
const ETAG = 'etag';

/**
 * The Workers Cache API as a key/value store of CachedResults. Entries are kept for the
 * whole stale-if-error horizon; freshness is decided by the caller from `storedAt`.
 */
export class ResultStore {
  constructor(
    private readonly cache: Cache,
    private readonly keepSeconds: number,
  ) {}

  async get(key: string): Promise<CachedResult | null> {
    const res = await this.cache.match(new Request(key));
    if (!res) return null;
    const storedAt = Number(res.headers.get(STORED_AT));
    const etag = res.headers.get(ETAG);
    if (!Number.isFinite(storedAt) || !etag) return null;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name !== STORED_AT && name !== ETAG && name !== 'cache-control' && name !== 'content-length') headers[name] = value;
    });
    // Kept as the bytes it was stored as: a HIT is sent without decoding it to text and back.
    return { bytes: new Uint8Array(await res.arrayBuffer()), etag, headers, storedAt };
  }

  async put(key: string, result: CachedResult): Promise<void> {
    const headers = new Headers(result.headers);
    headers.set(ETAG, result.etag);
    headers.set(STORED_AT, String(result.storedAt));
    headers.set('cache-control', `public, max-age=${this.keepSeconds}`);
    await this.cache.put(new Request(key), new Response(result.bytes ?? result.body, { headers }));
  }

  async delete(key: string): Promise<void> {
    await this.cache.delete(new Request(key));
  }
}
