import { UserError, userMessage } from '../api/errors.ts';
import type { ScriptMode } from '../runtime/mode.ts';
import type { LockService, ScriptApp, Spreadsheet, Trigger } from '../types/apps-script.ts';
import { runRefresh, type Outcome, type RefreshContext, type StartedBy } from './engine.ts';
import { isDue } from './schedule.ts';
import type { RangeStore } from './store.ts';

/** Handler names are public globals (server/index.ts); triggers find them by name. */
export const SCHEDULED_HANDLER = 'activtrakScheduledRefresh';
export const CONTINUE_HANDLER = 'activtrakContinueRefresh';
/** Apps Script's shortest dependable one-off delay (bound scripts only). */
const CONTINUE_AFTER_MS = 60_000;

/** Where this run's triggers live: the user's triggers in this spreadsheet, never the project's. */
export interface Scheduling {
  readonly scriptApp: ScriptApp;
  readonly spreadsheet: Spreadsheet;
  readonly mode: ScriptMode;
}

function triggers(s: Scheduling, handler: string): Trigger[] {
  // Per document: an add-on is one project in many spreadsheets, and getProjectTriggers
  // would hand this spreadsheet another one's schedule to find or delete.
  return s.scriptApp.getUserTriggers(s.spreadsheet).filter((t) => t.getHandlerFunction() === handler);
}

/**
 * Creates a trigger, turning Google's refusals into sentences a spreadsheet user can act on;
 * the platform's own text goes to the execution log only.
 */
function createTrigger(create: () => unknown): void {
  try {
    create();
  } catch (err) {
    const raw = userMessage(err);
    console.warn(`ActivTrak: Apps Script refused a trigger: ${raw}`);
    if (/too many time-based triggers/i.test(raw)) {
      throw new UserError(
        'Google lets an add-on keep one timer per person in each spreadsheet, and another one of yours is already set here (left by an earlier version). Remove it at script.google.com/home/triggers, then save the schedule again.',
      );
    }
    if (/too many triggers/i.test(raw)) {
      throw new UserError(
        'Apps Script allows 20 triggers per user in this spreadsheet and they are all in use. Delete some under Extensions > Apps Script > Triggers.',
      );
    }
    throw new UserError(
      'Google would not set up the hourly timer that runs scheduled refreshes, so they will not run for now. Try saving the schedule again later; Refresh now still works.',
    );
  }
}

/**
 * One hourly trigger per user per spreadsheet serves every scheduled range and, for an
 * add-on, resumes refreshes that ran out of time: Google allows an add-on one time-driven
 * trigger per user per document, at most hourly
 * (https://developers.google.com/workspace/add-ons/concepts/editor-triggers#restrictions).
 * It exists while a range has a schedule or, for an add-on, while a refresh is unfinished.
 */
export function syncScheduleTrigger(s: Scheduling, store: RangeStore): void {
  const ranges = store.list();
  const needed = ranges.some((r) => r.every !== 'off') || (s.mode === 'addon' && ranges.some((r) => r.job !== null));
  const existing = triggers(s, SCHEDULED_HANDLER);
  if (needed && existing.length === 0) {
    createTrigger(() => s.scriptApp.newTrigger(SCHEDULED_HANDLER).timeBased().everyHours(1).create());
  }
  if (!needed) for (const trigger of existing) s.scriptApp.deleteTrigger(trigger);
  // A second hourly trigger (two people scheduling at once) would only double the work.
  for (const extra of existing.slice(1)) s.scriptApp.deleteTrigger(extra);
}

/**
 * Makes sure an unfinished refresh goes on. A bound script gets a one-off run a minute from
 * now; an add-on may not hold a second timer, so its hourly trigger carries on (and the
 * sidebar, while open, continues sooner: sidebarContinue). Returns where it continues.
 */
export function scheduleContinuation(s: Scheduling, store: RangeStore): 'soon' | 'hourly' {
  if (s.mode === 'bound') {
    if (triggers(s, CONTINUE_HANDLER).length > 0) return 'soon';
    try {
      createTrigger(() => s.scriptApp.newTrigger(CONTINUE_HANDLER).timeBased().after(CONTINUE_AFTER_MS).create());
      return 'soon';
    } catch (err) {
      // No room for a one-off trigger: the hourly one picks the work up instead.
      console.warn(JSON.stringify({ event: 'refresh.continuation_trigger_failed', message: userMessage(err) }));
    }
  }
  syncScheduleTrigger({ ...s, mode: 'addon' }, store);
  return 'hourly';
}

/** One-off triggers stay listed (and count against the 20) after firing until deleted. */
export function deleteTrigger(s: Scheduling, uniqueId: string | undefined): void {
  if (!uniqueId) return;
  for (const trigger of s.scriptApp.getUserTriggers(s.spreadsheet)) {
    if (trigger.getUniqueId() === uniqueId) s.scriptApp.deleteTrigger(trigger);
  }
}

export interface PendingRun {
  readonly outcomes: Outcome[];
  /** Where left-over work continues, when there is any. */
  readonly continued: false | 'soon' | 'hourly';
  readonly skipped?: string;
}

/**
 * Runs what is pending: refreshes that were cut short first (their sheet is half-written),
 * then ranges whose schedule is due. Stops at the time budget and leaves the rest to a
 * follow-up run. The document lock keeps an hourly run and a follow-up (or a click on
 * Refresh now) from writing the same range at once.
 */
export function runPending(
  ctx: RefreshContext,
  lockService: LockService,
  s: Scheduling,
  startedBy: StartedBy,
  onlyIds?: ReadonlySet<string>,
): PendingRun {
  const lock = lockService.getDocumentLock() ?? lockService.getScriptLock();
  if (!lock.tryLock(10_000)) {
    const continued = startedBy === 'continuation' ? scheduleContinuation(s, ctx.store) : false;
    return { outcomes: [], continued, skipped: 'Another ActivTrak refresh is running in this spreadsheet.' };
  }
  try {
    const now = ctx.now();
    const ranges = ctx.store.list().filter((r) => !onlyIds || onlyIds.has(r.id));
    const queue = onlyIds ? ranges : [...ranges.filter((r) => r.job !== null), ...ranges.filter((r) => r.job === null && isDue(r, now))];
    const outcomes: Outcome[] = [];
    let leftOver = false;
    for (const range of queue) {
      if (ctx.deadline.passed()) {
        leftOver = true;
        break;
      }
      const outcome = runRefresh(ctx, range, range.job ? 'continuation' : startedBy);
      outcomes.push(outcome);
      if (outcome.result === 'continued') {
        leftOver = true;
        break;
      }
    }
    const continued = leftOver ? scheduleContinuation(s, ctx.store) : false;
    // The last unfinished refresh of an add-on without schedules no longer needs the timer.
    if (!leftOver) syncScheduleTrigger(s, ctx.store);
    return { outcomes, continued };
  } finally {
    lock.releaseLock();
  }
}
