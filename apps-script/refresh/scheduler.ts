import { UserError, userMessage } from '../api/errors.ts';
import type { LockService, ScriptApp } from '../types/apps-script.ts';
import { runRefresh, type Outcome, type RefreshContext, type StartedBy } from './engine.ts';
import { isDue } from './schedule.ts';

/** Handler names are public globals (server/index.ts); triggers find them by name. */
export const SCHEDULED_HANDLER = 'activtrakScheduledRefresh';
export const CONTINUE_HANDLER = 'activtrakContinueRefresh';
/** Apps Script's shortest dependable one-off delay. */
export const CONTINUE_AFTER_MS = 60_000;

function createTrigger(create: () => unknown): void {
  try {
    create();
  } catch (err) {
    if (/too many triggers/i.test(userMessage(err))) {
      throw new UserError(
        'Apps Script allows 20 triggers per user in this spreadsheet and they are all in use. Delete some under Extensions > Apps Script > Triggers.',
      );
    }
    throw err;
  }
}

/**
 * One hourly trigger serves every scheduled range (Apps Script allows 20 triggers per
 * user per script): created when the first range gets a schedule, deleted with the last.
 */
export function syncScheduleTrigger(scriptApp: ScriptApp, anyScheduled: boolean): void {
  const existing = scriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === SCHEDULED_HANDLER);
  if (anyScheduled && existing.length === 0) {
    createTrigger(() => scriptApp.newTrigger(SCHEDULED_HANDLER).timeBased().everyHours(1).create());
  }
  if (!anyScheduled) for (const trigger of existing) scriptApp.deleteTrigger(trigger);
  // A second hourly trigger (two people scheduling at once) would only double the work.
  for (const extra of existing.slice(1)) scriptApp.deleteTrigger(extra);
}

/** A one-off run a minute from now to carry on with refreshes that ran out of time. */
export function scheduleContinuation(scriptApp: ScriptApp): void {
  if (scriptApp.getProjectTriggers().some((t) => t.getHandlerFunction() === CONTINUE_HANDLER)) return;
  createTrigger(() => scriptApp.newTrigger(CONTINUE_HANDLER).timeBased().after(CONTINUE_AFTER_MS).create());
}

/** One-off triggers stay listed (and count against the 20) after firing until deleted. */
export function deleteTrigger(scriptApp: ScriptApp, uniqueId: string | undefined): void {
  if (!uniqueId) return;
  for (const trigger of scriptApp.getProjectTriggers()) {
    if (trigger.getUniqueId() === uniqueId) scriptApp.deleteTrigger(trigger);
  }
}

export interface PendingRun {
  readonly outcomes: Outcome[];
  /** True when work was left for a follow-up run. */
  readonly continued: boolean;
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
  scriptApp: ScriptApp,
  startedBy: StartedBy,
  onlyIds?: ReadonlySet<string>,
): PendingRun {
  const lock = lockService.getDocumentLock() ?? lockService.getScriptLock();
  if (!lock.tryLock(10_000)) {
    if (startedBy === 'continuation') scheduleContinuation(scriptApp);
    return { outcomes: [], continued: startedBy === 'continuation', skipped: 'Another ActivTrak refresh is running in this spreadsheet.' };
  }
  try {
    const now = ctx.now();
    const ranges = ctx.store.list().filter((r) => !onlyIds || onlyIds.has(r.id));
    const queue = onlyIds ? ranges : [...ranges.filter((r) => r.job !== null), ...ranges.filter((r) => r.job === null && isDue(r, now))];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < queue.length; i++) {
      if (ctx.deadline.passed()) {
        scheduleContinuation(scriptApp);
        return { outcomes, continued: true };
      }
      const outcome = runRefresh(ctx, queue[i]!, queue[i]!.job ? 'continuation' : startedBy);
      outcomes.push(outcome);
      if (outcome.result === 'continued') {
        scheduleContinuation(scriptApp);
        return { outcomes, continued: true };
      }
    }
    return { outcomes, continued: false };
  } finally {
    lock.releaseLock();
  }
}
