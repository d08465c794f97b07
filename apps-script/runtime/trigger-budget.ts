import type { Properties } from '../types/apps-script.ts';
import { LIMITS } from './deadline.ts';

/**
 * Google gives each user 90 minutes of trigger runtime a day on a consumer account and
 * 6 hours on Workspace, counted over 24 hours from the first use, for all their scripts
 * together (https://developers.google.com/apps-script/guides/services/quotas). Past it,
 * every trigger run fails until the window ends. An hourly refresh therefore budgets each
 * run from what its own runs have left of the day, so it slows down rather than being cut off.
 */
const DAILY_TRIGGER_MINUTES = { consumer: 90, workspace: 360 } as const;
/** ScriptProperties key: minutes of trigger runtime a day the add-on may plan with (360 on Workspace). */
const DAILY_MINUTES_PROPERTY = 'activtrak.daily_trigger_minutes';
const LEDGER_PROPERTY = 'activtrak.trigger_runtime';
const WINDOW_MS = 24 * 60 * 60_000;
/** Less than this is not worth starting: one page fetch and its write. */
const SMALLEST_USEFUL_MS = 30_000;

interface Ledger {
  /** When the 24-hour window began. */
  readonly start: number;
  readonly usedMs: number;
  /** When a run now in progress began; still set next time means that run was stopped. */
  readonly running: number | null;
}

export interface TriggerBudget {
  /** Milliseconds this run may start work in, or 0 when it must not run at all. */
  readonly budgetMs: number;
  /** Why the run is shorter than usual or skipped, for the run log; null for a full run. */
  readonly note: string | null;
  /** Records the run's actual runtime; call when it ends. */
  finish(now: number): void;
}

function read(properties: Properties): Ledger | null {
  try {
    const value = JSON.parse(properties.getProperty(LEDGER_PROPERTY) ?? 'null') as Partial<Ledger> | null;
    if (!value || typeof value.start !== 'number' || typeof value.usedMs !== 'number') return null;
    return { start: value.start, usedMs: value.usedMs, running: typeof value.running === 'number' ? value.running : null };
  } catch {
    return null;
  }
}

const minutes = (ms: number) => Math.max(0, Math.floor(ms / 60_000));

/**
 * Starts a trigger run against the day's budget, kept in the user's properties because the
 * quota is the user's, across every spreadsheet the add-on is used in.
 */
export function startTriggerRun(userProperties: Properties, dailyMinutes: number, now: number): TriggerBudget {
  const dailyMs = dailyMinutes * 60_000;
  let ledger = read(userProperties);
  if (!ledger || now - ledger.start >= WINDOW_MS) ledger = { start: now, usedMs: 0, running: null };
  // A run that never recorded its end was stopped by Apps Script: it used the full limit.
  if (ledger.running !== null) ledger = { ...ledger, usedMs: ledger.usedMs + LIMITS.executionMs, running: null };
  const left = dailyMs - ledger.usedMs;
  // A piece of work may run past the budget by up to this much before it stops.
  const allowed = Math.min(LIMITS.executionBudgetMs, left - (LIMITS.executionMs - LIMITS.executionBudgetMs));
  const resumes = new Date(ledger.start + WINDOW_MS).toISOString().slice(0, 16).replace('T', ' ');
  if (allowed < SMALLEST_USEFUL_MS) {
    userProperties.setProperty(LEDGER_PROPERTY, JSON.stringify(ledger));
    return {
      budgetMs: 0,
      note: `Skipped: ${minutes(ledger.usedMs)} of the ${dailyMinutes} minutes of trigger runtime Google allows a day are used up. Scheduled refreshes resume after ${resumes} UTC; Refresh now still works.`,
      finish: () => undefined,
    };
  }
  const started = { ...ledger, running: now };
  userProperties.setProperty(LEDGER_PROPERTY, JSON.stringify(started));
  const note =
    allowed < LIMITS.executionBudgetMs
      ? `Shortened to ${Math.round(allowed / 1000)} seconds: only ${minutes(left)} of the ${dailyMinutes} minutes of trigger runtime Google allows a day are left (until ${resumes} UTC).`
      : null;
  return {
    budgetMs: allowed,
    note,
    finish: (end) => {
      const current = read(userProperties) ?? started;
      userProperties.setProperty(
        LEDGER_PROPERTY,
        JSON.stringify({ start: current.start, usedMs: current.usedMs + Math.max(0, end - now), running: null } satisfies Ledger),
      );
    },
  };
}

/** The plan's daily minutes: ScriptProperties' setting, else a consumer account's 90. */
export function dailyTriggerMinutes(scriptProperties: Properties): number {
  const raw = Number(scriptProperties.getProperty(DAILY_MINUTES_PROPERTY));
  return Number.isFinite(raw) && raw >= 10 && raw <= DAILY_TRIGGER_MINUTES.workspace ? raw : DAILY_TRIGGER_MINUTES.consumer;
}
