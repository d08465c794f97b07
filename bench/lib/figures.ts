/**
 * The bench's figures and the goals of issue 12, as data and pure functions: which figures a
 * run measures (`--only 3,4`), each figure's time budget, whether a measured figure met its
 * goal, and the run's exit code. No I/O here, so all of it is unit-tested
 * (test/node/bench/figures.unit.test.ts).
 */

/** One figure: a section of the run with its own budget; it may print more than one row (2a, 2b). */
export interface FigureDef {
  readonly id: string;
  readonly title: string;
  /** The longest it may take on a busy 2-core machine before it is skipped, in seconds. */
  readonly budgetSeconds: number;
}

/** In the order they run: 5 follows 1 and 2 because it reads their exports' memory. */
export const FIGURES = [
  { id: '1', title: 'csv export vs sqlite3 -csv', budgetSeconds: 360 },
  { id: '2', title: 'ndjson export and json pages vs sqlite3 -csv', budgetSeconds: 600 },
  { id: '5', title: 'memory during a csv export', budgetSeconds: 360 },
  { id: '3', title: 'cached /rows HIT under 50 connections vs /version', budgetSeconds: 180 },
  { id: '4', title: 'uncached group_by aggregate vs sqlite3 and a trivial route', budgetSeconds: 180 },
  { id: '6', title: 'the aggregate cached vs uncached', budgetSeconds: 120 },
  { id: '7', title: 'Sheets values pages vs CSV', budgetSeconds: 300 },
  { id: '8', title: 'webhook drain per hook after one cron trigger', budgetSeconds: 300 },
  { id: '9', title: 'BigQuery export, pages fetched ahead vs one after another', budgetSeconds: 240 },
] as const satisfies readonly FigureDef[];

export type FigureId = (typeof FIGURES)[number]['id'];

/** A command-line mistake: printed as one line, exit code 1. */
export class UsageError extends Error {}

/**
 * The figures `--only` names, in run order; every figure without it. Refuses a name that is
 * not a figure, saying which ones are.
 * @example selectFigures('4,3') // the definitions of 3 and 4, in the order they run
 */
export function selectFigures(only: string | undefined): FigureDef[] {
  if (only === undefined) return [...FIGURES];
  const asked = only
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const ids = FIGURES.map((f) => f.id) as readonly string[];
  const unknown = asked.filter((id) => !ids.includes(id));
  if (unknown.length > 0 || asked.length === 0) {
    const what =
      unknown.length > 0 ? `unknown figure${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}` : 'no figure';
    throw new UsageError(`${what} in --only; the figures are ${ids.join(', ')} (for example --only 3,4)`);
  }
  return FIGURES.filter((f) => asked.includes(f.id));
}

/** What each goal is checked on, from one run's measurements. */
export interface GoalInputs {
  /** 3: the cached HIT and /version under the same load. */
  readonly cachedLoad?: { readonly rps: number; readonly p50Ms: number };
  readonly trivialLoad?: { readonly rps: number; readonly p50Ms: number };
  /** 1, 2a, 2b: seconds for the whole view, and sqlite3 -csv's seconds on the same SELECT. */
  readonly csvSeconds?: number;
  readonly ndjsonSeconds?: number;
  readonly jsonPagesSeconds?: number;
  readonly sqliteCsvSeconds?: number;
  /** 4: medians in ms. */
  readonly aggregateMs?: number;
  readonly aggregateSqliteMs?: number;
  readonly trivialMs?: number;
  /** 7: bytes of the same cells as values pages and as CSV. */
  readonly valuesBytes?: number;
  readonly csvBytes?: number;
  /** 8: rows a minute one hook drained after one cron trigger (the median hook). */
  readonly hookRowsPerMinute?: number;
  /** 9: the BigQuery export's seconds, pages fetched ahead and sequential. */
  readonly bigQueryAheadSeconds?: number;
  readonly bigQuerySequentialSeconds?: number;
}

export interface Verdict {
  /** The goal in words, for the table's "goal" column. */
  readonly goal: string;
  /** Met, not met, or null when the row has no goal or its inputs were not measured. */
  readonly met: boolean | null;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a / b) ? undefined : a / b;
const atMost = (value: number | undefined, limit: number) => (value === undefined ? null : value <= limit);
const atLeast = (value: number | undefined, limit: number) => (value === undefined ? null : value >= limit);
const both = (a: boolean | null, b: boolean | null) => (a === null || b === null ? null : a && b);

/** The goals of issue 12, by table row. */
export const GOALS = {
  '1': { goal: '<= 2x sqlite3 -csv', check: (m) => atMost(ratio(m.csvSeconds, m.sqliteCsvSeconds), 2) },
  '2a': { goal: '<= 2.5x sqlite3 -csv', check: (m) => atMost(ratio(m.ndjsonSeconds, m.sqliteCsvSeconds), 2.5) },
  '2b': { goal: '<= 4x sqlite3 -csv', check: (m) => atMost(ratio(m.jsonPagesSeconds, m.sqliteCsvSeconds), 4) },
  '3': {
    goal: '>= 0.8x the req/s of /version and p50 <= 1.3x',
    check: (m) =>
      both(atLeast(ratio(m.cachedLoad?.rps, m.trivialLoad?.rps), 0.8), atMost(ratio(m.cachedLoad?.p50Ms, m.trivialLoad?.p50Ms), 1.3)),
  },
  '4': {
    goal: '<= /version latency + 1.5x sqlite3',
    check: (m) =>
      m.aggregateMs === undefined || m.trivialMs === undefined || m.aggregateSqliteMs === undefined
        ? null
        : m.aggregateMs <= m.trivialMs + 1.5 * m.aggregateSqliteMs,
  },
  '7': { goal: '<= 1.0x the bytes per cell of CSV', check: (m) => atMost(ratio(m.valuesBytes, m.csvBytes), 1) },
  '8': { goal: '>= 20,000 rows/min per hook', check: (m) => atLeast(m.hookRowsPerMinute, 20_000) },
  '9': {
    goal: '>= 2x faster than the sequential page loop',
    check: (m) => atLeast(ratio(m.bigQuerySequentialSeconds, m.bigQueryAheadSeconds), 2),
  },
} as const satisfies Record<string, { goal: string; check: (m: GoalInputs) => boolean | null }>;

/** The goal of a table row and whether this run met it; rows without a goal get none. */
export function verdict(rowId: string, measured: GoalInputs): Verdict {
  const g = (GOALS as Record<string, { goal: string; check: (m: GoalInputs) => boolean | null }>)[rowId];
  return g ? { goal: g.goal, met: g.check(measured) } : { goal: '', met: null };
}

/** The table's "met" column. */
export function metText(v: Verdict): string {
  if (v.goal === '') return '';
  return v.met === null ? 'n/a' : v.met ? 'yes' : 'NO';
}

export type FigureOutcome =
  | { readonly id: string; readonly status: 'measured'; readonly seconds: number }
  | { readonly id: string; readonly status: 'skipped'; readonly reason: string; readonly seconds: number };

/** Exit codes of `npm run bench`. */
export const EXIT = { measured: 0, failedToStart: 1, someSkipped: 3 } as const;

/** 0 when every chosen figure was measured, goals met or not; 3 when any was skipped. */
export function exitCode(outcomes: readonly FigureOutcome[]): number {
  return outcomes.some((o) => o.status === 'skipped') ? EXIT.someSkipped : EXIT.measured;
}

/** Why a figure was skipped, in one line: the first line of an error's message. */
export function skipReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 300) || 'it failed without a message';
}

/** A figure that ran past its budget. */
export class BudgetExceeded extends Error {}

/**
 * Runs `work` with `seconds` to finish: its result, or a BudgetExceeded once the time is up.
 * The signal handed to `work` is aborted then, so loops that check it stop; a request in
 * flight is abandoned, which is why the runner restarts the Worker after an overrun.
 */
export async function withBudget<T>(seconds: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new BudgetExceeded(`it ran past its budget of ${seconds} s`);
      controller.abort(err);
      reject(err);
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
