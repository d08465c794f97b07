/**
 * Apps Script stops an execution outright at its limit (30 s for a custom function, 6 min
 * otherwise) with no chance to save anything. Work is therefore cut into pieces, and no new
 * piece starts once `budgetMs` has gone: the rest of the limit is the margin one piece
 * (a page fetch and its write) needs to finish.
 */
export class Deadline {
  readonly startedAt: number;
  readonly budgetMs: number;
  private readonly now: () => number;

  constructor(startedAt: number, budgetMs: number, now: () => number = () => Date.now()) {
    this.startedAt = startedAt;
    this.budgetMs = budgetMs;
    this.now = now;
  }

  elapsed(): number {
    return this.now() - this.startedAt;
  }

  passed(): boolean {
    return this.elapsed() >= this.budgetMs;
  }

  /** Whether a wait of `ms` still ends inside the budget. */
  allows(ms: number): boolean {
    return this.elapsed() + ms < this.budgetMs;
  }
}

/** Apps Script's limits, and the part of each this add-on lets itself use before stopping. */
export const LIMITS = {
  executionMs: 6 * 60_000,
  /** Past 4.5 minutes a long refresh saves its place and continues in a follow-up run. */
  executionBudgetMs: 4.5 * 60_000,
  customFunctionMs: 30_000,
  /** Past 20 seconds a formula stops loading pages and says the result is too large. */
  customFunctionBudgetMs: 20_000,
} as const;
