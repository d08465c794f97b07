import { describe, expect, it } from 'vitest';
import {
  BudgetExceeded,
  exitCode,
  FIGURES,
  metText,
  selectFigures,
  skipReason,
  UsageError,
  verdict,
  withBudget,
} from '../../../bench/lib/figures.ts';

describe('selectFigures (--only)', () => {
  it('runs every figure without --only, 5 after the exports it reads', () => {
    const ids = selectFigures(undefined).map((f) => f.id);
    expect(ids).toEqual(FIGURES.map((f) => f.id));
    expect(ids.indexOf('5')).toBeGreaterThan(ids.indexOf('1'));
  });

  it('runs the chosen figures in run order, whatever order they are given in, with spaces and repeats', () => {
    expect(selectFigures('4, 3,4').map((f) => f.id)).toEqual(['3', '4']);
  });

  it('refuses an unknown figure with one line naming it and the figures there are', () => {
    expect(() => selectFigures('3,12')).toThrow(UsageError);
    expect(() => selectFigures('3,12')).toThrow(/^unknown figure '12' in --only; the figures are 1, 2, 5, 3, 4, 6, 7, 8, 9/);
    expect(() => selectFigures('2a')).toThrow(/unknown figure '2a'/);
    expect(() => selectFigures(',')).toThrow(/no figure in --only/);
  });

  it('gives every figure a budget of at least a minute', () => {
    for (const f of FIGURES) expect(f.budgetSeconds, f.id).toBeGreaterThanOrEqual(60);
  });
});

describe('the goals of issue 12', () => {
  it('3: a cached HIT meets its goal at 0.8x the req/s of /version and a p50 of 1.3x, not below or above', () => {
    const trivialLoad = { rps: 1000, p50Ms: 40 };
    expect(verdict('3', { trivialLoad, cachedLoad: { rps: 800, p50Ms: 52 } }).met).toBe(true);
    expect(verdict('3', { trivialLoad, cachedLoad: { rps: 799, p50Ms: 40 } }).met).toBe(false);
    expect(verdict('3', { trivialLoad, cachedLoad: { rps: 1000, p50Ms: 52.1 } }).met).toBe(false);
    expect(verdict('3', { trivialLoad }).met).toBeNull();
  });

  it('1, 2a, 2b: exports against sqlite3 -csv at 2x, 2.5x and 4x', () => {
    const base = { sqliteCsvSeconds: 10 };
    expect(verdict('1', { ...base, csvSeconds: 20 }).met).toBe(true);
    expect(verdict('1', { ...base, csvSeconds: 20.1 }).met).toBe(false);
    expect(verdict('2a', { ...base, ndjsonSeconds: 25 }).met).toBe(true);
    expect(verdict('2a', { ...base, ndjsonSeconds: 26 }).met).toBe(false);
    expect(verdict('2b', { ...base, jsonPagesSeconds: 40 }).met).toBe(true);
    expect(verdict('2b', { ...base, jsonPagesSeconds: 41 }).met).toBe(false);
    expect(verdict('1', { csvSeconds: 20 }).met).toBeNull();
  });

  it('4: the uncached aggregate is held to the trivial route plus 1.5x sqlite3', () => {
    expect(verdict('4', { aggregateMs: 9.5, trivialMs: 5, aggregateSqliteMs: 3 }).met).toBe(true);
    expect(verdict('4', { aggregateMs: 9.6, trivialMs: 5, aggregateSqliteMs: 3 }).met).toBe(false);
    expect(verdict('4', { aggregateMs: 9, aggregateSqliteMs: 3 }).met).toBeNull();
  });

  it('7, 8, 9: bytes per cell, rows a minute per hook, BigQuery pages ahead', () => {
    expect(verdict('7', { valuesBytes: 100, csvBytes: 100 }).met).toBe(true);
    expect(verdict('7', { valuesBytes: 112, csvBytes: 100 }).met).toBe(false);
    expect(verdict('8', { hookRowsPerMinute: 20_000 }).met).toBe(true);
    expect(verdict('8', { hookRowsPerMinute: 19_999 }).met).toBe(false);
    expect(verdict('9', { bigQueryAheadSeconds: 5, bigQuerySequentialSeconds: 10 }).met).toBe(true);
    expect(verdict('9', { bigQueryAheadSeconds: 5, bigQuerySequentialSeconds: 9.9 }).met).toBe(false);
  });

  it('rows without a goal (5, 6) get an empty goal and met column; unmeasured goals read n/a', () => {
    expect(verdict('5', {})).toEqual({ goal: '', met: null });
    expect(metText(verdict('6', {}))).toBe('');
    expect(metText(verdict('8', {}))).toBe('n/a');
    expect(metText(verdict('8', { hookRowsPerMinute: 30_000 }))).toBe('yes');
    expect(metText(verdict('8', { hookRowsPerMinute: 3 }))).toBe('NO');
    expect(verdict('3', {}).goal).toMatch(/0\.8x.*1\.3x/);
  });
});

describe('the run outcome', () => {
  it('exits 0 when every figure was measured, goals met or not, and 3 when any was skipped', () => {
    expect(exitCode([{ id: '3', status: 'measured', seconds: 1 }])).toBe(0);
    expect(exitCode([])).toBe(0);
    expect(
      exitCode([
        { id: '3', status: 'measured', seconds: 1 },
        { id: '4', status: 'skipped', reason: 'x', seconds: 1 },
      ]),
    ).toBe(3);
  });

  it('gives a skip reason in one line', () => {
    expect(skipReason(new Error('the worker answered 503\n    at stack'))).toBe('the worker answered 503');
    expect(skipReason('plain')).toBe('plain');
    expect(skipReason(new Error(''))).toBe('it failed without a message');
  });
});

describe('withBudget', () => {
  it('answers what the work answers when it finishes in time', async () => {
    await expect(withBudget(3600, async () => 42)).resolves.toBe(42);
  });

  it('passes the work failure through', async () => {
    await expect(withBudget(3600, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('gives up on work that never finishes with BudgetExceeded, and aborts the signal it handed over', async () => {
    let seen: AbortSignal | undefined;
    const never = withBudget(0, (signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    });
    await expect(never).rejects.toBeInstanceOf(BudgetExceeded);
    await expect(withBudget(0, () => new Promise<never>(() => undefined))).rejects.toThrow(/past its budget of 0 s/);
    expect(seen?.aborted).toBe(true);
  });
});
