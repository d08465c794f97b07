/**
 * A computed result as the cache keeps it: the body and the headers that describe it,
 * plus when it was made, because the Cache API implements neither stale-while-revalidate
 * nor stale-if-error and both need the entry's age.
 */
import { sha256Hex } from '../encoding/sha256.ts';
/**
 * A result's content: its text, or its UTF-8 bytes, or both. A page just computed comes as
 * bytes, encoded as it was built (worker/encoding/utf8-builder.ts) and then hashed for its
 * ETag, cached and sent as they are; a result a test or another caller computes as text is
 * encoded once, for all three.
 */
export type Content = { readonly body: string; readonly bytes?: Uint8Array } | { readonly body?: undefined; readonly bytes: Uint8Array };

export type CachedResult = Content & {
  readonly etag: string;
  /** Headers that belong to the content (content-type, link, x-row-count...). */
  readonly headers: Record<string, string>;
  /** Epoch milliseconds when the warehouse produced it. */
  readonly storedAt: number;
};

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED' | 'BYPASS';

/** Strong ETag over the exact bytes served. */
export async function etagOf(body: string | Uint8Array): Promise<string> {
  return `"${await sha256Hex(body, 16)}"`;
}

/** RFC 9110 If-None-Match: a list of entity tags or `*`; weak comparison. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}
