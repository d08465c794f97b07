import type { Cache } from '../types/apps-script.ts';

/** CacheService holds at most 100 KB per value; stay under it with room for the encoding. */
export const CHUNK_BYTES = 96 * 1024;
/** CacheService keeps a value at most six hours. */
export const MAX_TTL_SECONDS = 21_600;
/**
 * Past this a result is not cached at all: reading 60 chunks back costs about what asking
 * the API again does, and a large cache entry crowds out the small ones.
 */
export const MAX_CACHED_BYTES = 5 * 1024 * 1024;

interface Manifest {
  readonly n: number;
  readonly len: number;
}

/**
 * Stores text of any size under one key as chunks plus a manifest, all with the same
 * expiry. The cache may evict any chunk at any time, so a read that finds one missing,
 * or a total length that disagrees with the manifest, is a miss, never a wrong answer.
 * Returns false when the text is too large to be worth caching.
 */
export function putChunked(cache: Cache, key: string, text: string, ttlSeconds: number): boolean {
  if (utf8Length(text) > MAX_CACHED_BYTES) return false;
  const chunks = splitUtf8(text, CHUNK_BYTES);
  const ttl = Math.max(1, Math.min(MAX_TTL_SECONDS, Math.floor(ttlSeconds)));
  const entries: Record<string, string> = {};
  chunks.forEach((chunk, i) => (entries[`${key}.${i}`] = chunk));
  entries[key] = JSON.stringify({ n: chunks.length, len: text.length } satisfies Manifest);
  cache.putAll(entries, ttl);
  return true;
}

export function getChunked(cache: Cache, key: string): string | null {
  const manifestText = cache.get(key);
  if (!manifestText) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    return null;
  }
  if (!Number.isInteger(manifest.n) || manifest.n < 0) return null;
  const keys = Array.from({ length: manifest.n }, (_, i) => `${key}.${i}`);
  const found = keys.length > 0 ? cache.getAll(keys) : {};
  let text = '';
  for (const k of keys) {
    const chunk = found[k];
    if (chunk === undefined) return null;
    text += chunk;
  }
  return text.length === manifest.len ? text : null;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Pieces of at most `maxBytes` UTF-8 bytes each, never splitting a surrogate pair. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) {
      chunks.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    if (pair) i++;
  }
  if (start < text.length || chunks.length === 0) chunks.push(text.slice(start));
  return chunks;
}
