import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, getChunked, MAX_CACHED_BYTES, putChunked, splitUtf8, utf8Length } from '../../../apps-script/cache/chunked.ts';
import type { Cache } from '../../../apps-script/types/apps-script.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';

// CacheService holds 100 KB a value; a formula's result is often larger.

const worlds: AppsScriptWorld[] = [];
afterEach(async () => Promise.all(worlds.splice(0).map((w) => w.close())));

function cache() {
  const world = new AppsScriptWorld({});
  worlds.push(world);
  const run = <T>(body: (c: Cache) => T) => {
    const result = world.direct('editor', (s) => body(s.CacheService.getDocumentCache()!));
    if (result.error !== undefined) throw new Error(result.error);
    return result.value as T;
  };
  return { world, run };
}

describe('chunked cache', () => {
  it('stores text of any size as chunks under the 100 KB limit and reads it back whole', () => {
    const { world, run } = cache();
    const text = 'café 東京 😀 '.repeat(40_000);
    expect(run((c) => putChunked(c, 'k', text, 600))).toBe(true);
    const chunks = [...world.caches.document.entries.keys()].filter((k) => k.startsWith('k.'));
    expect(chunks.length).toBe(Math.ceil(utf8Length(text) / CHUNK_BYTES));
    expect(run((c) => getChunked(c, 'k'))).toBe(text);
  });

  it('treats a chunk the cache dropped as a miss', () => {
    const { world, run } = cache();
    run((c) => putChunked(c, 'k', 'x'.repeat(300_000), 600));
    world.caches.document.evict((key) => key === 'k.2');
    expect(run((c) => getChunked(c, 'k'))).toBeNull();
  });

  it('expires all chunks together, after at most six hours', () => {
    const { world, run } = cache();
    run((c) => putChunked(c, 'k', 'x'.repeat(200_000), 99_999));
    world.advance(6 * 3600_000 + 1000);
    expect(run((c) => getChunked(c, 'k'))).toBeNull();
  });

  it('does not cache results too large to be worth it', () => {
    const { world, run } = cache();
    expect(run((c) => putChunked(c, 'k', 'x'.repeat(MAX_CACHED_BYTES + 1), 600))).toBe(false);
    expect(world.caches.document.entries.size).toBe(0);
  });

  it('never splits a character across chunks', () => {
    const pieces = splitUtf8('a😀b😀c', 5);
    expect(pieces.join('')).toBe('a😀b😀c');
    for (const piece of pieces) expect(utf8Length(piece)).toBeLessThanOrEqual(5);
    expect(pieces.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });
});
