import { describe, expect, it } from 'vitest';
import type { CachedResult } from '../../../worker/cache/entry.ts';
import { ResultMemo } from '../../../worker/cache/memo.ts';

const result = (body: string, storedAt = 0): CachedResult => ({ body, etag: `"${body.length}"`, headers: {}, storedAt });

describe('ResultMemo, the fresh results an isolate holds', () => {
  it('serves an entry for less than the bound after it was memoised, and forgets it once the bound has passed', () => {
    let now = 1_000_000;
    const memo = new ResultMemo(() => now);
    memo.set('k', result('page'));
    now += 29_999;
    expect(memo.get('k', 30_000)?.body).toBe('page');
    now += 1;
    expect(memo.get('k', 30_000)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it('restarts the bound when an entry is memoised again', () => {
    let now = 0;
    const memo = new ResultMemo(() => now);
    memo.set('k', result('v1'));
    now = 20_000;
    memo.set('k', result('v2'));
    now = 45_000;
    expect(memo.get('k', 30_000)?.body).toBe('v2');
  });

  it('does not hold a page of more than 1 MB', () => {
    const memo = new ResultMemo(() => 0);
    memo.set('big', result('x'.repeat(600_000)));
    expect(memo.get('big', 30_000)).toBeUndefined();
    expect(memo.heldBytes).toBe(0);
  });

  it('stays within 16 MB by dropping the least recently used entry first', () => {
    const memo = new ResultMemo(() => 0);
    const body = 'x'.repeat(400_000); // about 800 KB held each
    for (let i = 0; i < 20; i++) memo.set(`k${i}`, result(body));
    expect(memo.get('k0', 30_000)).toBeDefined(); // now the most recently used
    for (let i = 20; i < 30; i++) memo.set(`k${i}`, result(body));
    expect(memo.heldBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(memo.get('k0', 30_000)).toBeDefined();
    expect(memo.get('k1', 30_000)).toBeUndefined();
    expect(memo.get('k29', 30_000)).toBeDefined();
  });

  it('forgets a deleted entry and counts its bytes out', () => {
    const memo = new ResultMemo(() => 0);
    memo.set('k', result('page'));
    memo.delete('k');
    expect(memo.get('k', 30_000)).toBeUndefined();
    expect(memo.heldBytes).toBe(0);
  });
});
