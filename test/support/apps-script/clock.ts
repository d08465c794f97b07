/**
 * Simulated time. Apps Script kills an execution at its limit (6 minutes, 30 seconds for a
 * custom function); tests must reach those limits without waiting, so every stand-in call
 * charges a cost in simulated milliseconds and the clock, not the wall, decides when time
 * is up. The add-on reads the same clock through `Date` inside the vm context.
 */
export class WorldClock {
  now: number;

  constructor(now: number) {
    this.now = now;
  }

  advance(ms: number): void {
    if (ms < 0 || !Number.isFinite(ms)) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.now += ms;
  }
}

export type ExecutionKind = 'custom-function' | 'simple-trigger' | 'menu' | 'sidebar' | 'time-trigger' | 'editor';

/** Apps Script's limits per kind of execution. */
export const EXECUTION_LIMIT_MS: Record<ExecutionKind, number> = {
  'custom-function': 30_000,
  'simple-trigger': 30_000,
  menu: 6 * 60_000,
  sidebar: 6 * 60_000,
  'time-trigger': 6 * 60_000,
  editor: 6 * 60_000,
};

/** What Apps Script says when it stops an execution. */
export const TIME_LIMIT_MESSAGE = 'Exceeded maximum execution time';

/**
 * An error the host raises inside the vm. Once an execution is over its limit, every
 * further service call throws again, so a `catch` in the add-on cannot carry on working:
 * the real runtime does not return control at all.
 */
class ExecutionKilled extends Error {
  constructor() {
    super(TIME_LIMIT_MESSAGE);
    this.name = 'Exception';
  }
}

let executions = 0;

/** One run of the script: a menu click, a trigger, a formula evaluation, a sidebar call. */
export class Execution {
  readonly id = `exec-${++executions}`;
  readonly startedAt: number;
  killed = false;

  readonly clock: WorldClock;
  readonly kind: ExecutionKind;
  /** The user the execution runs as ('' for an anonymous custom function). */
  readonly user: string;
  readonly limitMs: number;

  constructor(clock: WorldClock, kind: ExecutionKind, user: string, limitMs: number = EXECUTION_LIMIT_MS[kind]) {
    this.user = user;
    this.clock = clock;
    this.kind = kind;
    this.limitMs = limitMs;
    this.startedAt = clock.now;
  }

  elapsed(): number {
    return this.clock.now - this.startedAt;
  }

  /** Spends simulated time on a service call, then stops the execution if it is over. */
  charge(ms: number): void {
    this.check();
    this.clock.advance(ms);
    this.check();
  }

  check(): void {
    if (this.killed || this.elapsed() > this.limitMs) {
      this.killed = true;
      throw new ExecutionKilled();
    }
  }
}

/**
 * Simulated cost of each service call, in milliseconds: rough figures for Apps Script
 * talking to Google's back ends. A test that needs a slow network or a slow sheet raises
 * them rather than sleeping.
 */
export interface Costs {
  fetch(bytes: number): number;
  readCells(cells: number): number;
  writeCells(cells: number): number;
  /** Any other spreadsheet call (getName, getRange, insertRows...). */
  spreadsheet: number;
  properties: number;
  cache: number;
}

export const DEFAULT_COSTS: Costs = {
  fetch: (bytes) => 300 + bytes / 1024,
  readCells: (cells) => 20 + cells * 0.005,
  writeCells: (cells) => 50 + cells * 0.02,
  spreadsheet: 2,
  properties: 10,
  cache: 5,
};
