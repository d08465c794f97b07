import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadAhead, type RangeAnswer } from '../../../worker/warehouse/bigquery/read-ahead.ts';

/** A range request the test answers by hand, in whatever order it likes. */
interface Asked {
  readonly start: number;
  readonly size: number;
  readonly signal: AbortSignal;
  answer(rows?: number): void;
  fail(err: unknown): void;
}

/** A result of `total` rows numbered from 0, each range answered when the test says so. */
function result(total: number) {
  const asked: Asked[] = [];
  const fetchRange = (start: number, size: number, signal: AbortSignal) =>
    new Promise<() => RangeAnswer<number>>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
      asked.push({
        start,
        size,
        signal,
        answer: (rows = size) => {
          const answer = { rows: Array.from({ length: Math.min(rows, total - start) }, (_, i) => start + i) };
          resolve(() => answer);
        },
        fail: reject,
      });
    });
  const at = (start: number) => asked.find((a) => a.start === start)!;
  return { asked, fetchRange, at };
}

/** Lets every settled answer reach the ReadAhead. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pages fetched ahead by startIndex', () => {
  it('hands the ranges over in result order when later ones answer first', async () => {
    const r = result(8);
    const ahead = new ReadAhead(3, 2, 2, 8, r.fetchRange);
    expect(r.asked.map((a) => a.start)).toEqual([2, 4, 6]);
    const first = ahead.next();
    // Answers arrive last-first: the reader still gets startIndex 2 first.
    r.at(6).answer();
    r.at(4).answer();
    await settle();
    r.at(2).answer();
    const seen: number[] = [];
    for (let page = await first; page; page = await ahead.next()) {
      seen.push(...page.rows);
      for (const a of r.asked) a.answer();
    }
    expect(seen).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('never has more than `depth` ranges requested or held beyond the page the reader has', async () => {
    const r = result(40);
    const depth = 3;
    const ahead = new ReadAhead(depth, 2, 0, 40, r.fetchRange);
    let taken = 0;
    for (;;) {
      // Every range asked for answers at once; the reader is the slow side.
      for (const a of r.asked) a.answer();
      await settle();
      expect(r.asked.length - taken).toBeLessThanOrEqual(depth);
      const page = await ahead.next();
      if (!page) break;
      taken++;
      expect(r.asked.length - taken).toBeLessThanOrEqual(depth);
    }
    expect(taken).toBe(20);
  });

  it('finishes a range BigQuery cut short before handing over any later one', async () => {
    const r = result(6);
    const ahead = new ReadAhead(2, 3, 0, 6, r.fetchRange);
    r.at(0).answer(2);
    r.at(3).answer();
    expect((await ahead.next())!.rows).toEqual([0, 1]);
    const rest = r.asked.find((a) => a.start === 2)!;
    expect(rest.size).toBe(1);
    rest.answer();
    expect((await ahead.next())!.rows).toEqual([2]);
    expect((await ahead.next())!.rows).toEqual([3, 4, 5]);
    expect(await ahead.next()).toBeNull();
  });

  it('a range that fails fails the reader once, when it gets there, and aborts every request still in flight', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = result(20);
    const ahead = new ReadAhead(3, 2, 0, 20, r.fetchRange);
    r.at(0).answer();
    const boom = new Error('403 accessDenied');
    r.at(2).fail(boom);
    expect((await ahead.next())!.rows).toEqual([0, 1]);
    await expect(ahead.next()).rejects.toBe(boom);
    expect(r.asked.filter((a) => a.start !== 0 && a.start !== 2).every((a) => a.signal.aborted)).toBe(true);
    const asked = r.asked.length;
    expect(await ahead.next()).toBeNull();
    expect(r.asked).toHaveLength(asked);
    // The failure the reader got is not logged a second time.
    expect(warn).not.toHaveBeenCalled();
  });

  it('cancel aborts what is in flight, asks for nothing more, and logs a failure nobody read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = result(20);
    const ahead = new ReadAhead(3, 2, 0, 20, r.fetchRange);
    r.at(0).answer();
    r.at(4).fail(new Error('503 backendError'));
    expect((await ahead.next())!.rows).toEqual([0, 1]);
    await settle();
    ahead.cancel();
    expect(r.asked.filter((a) => a.start !== 0).every((a) => a.signal.aborted)).toBe(true);
    expect(await ahead.next()).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({ event: 'bigquery.prefetch_failed', start_index: 4 });
  });
});
