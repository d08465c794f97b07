import { userMessage } from '../api/errors.ts';
import { rangeLabel } from '../refresh/engine.ts';
import { deleteTrigger, runPending, scheduleContinuation, type PendingRun } from '../refresh/scheduler.ts';
import type { SavedRange } from '../refresh/store.ts';
import { rangeStore, refreshContext, scheduling } from '../runtime/context.ts';
import { Deadline } from '../runtime/deadline.ts';
import type { ScriptMode } from '../runtime/mode.ts';
import { dailyTriggerMinutes, startTriggerRun } from '../runtime/trigger-budget.ts';
import { appendLog, formatCount } from '../sheets/log.ts';
import type { Services, Spreadsheet, TimeDrivenEvent, Ui } from '../types/apps-script.ts';

/** Menu items and the public globals they call (server/index.ts exports each one). */
export const MENU_ITEMS = [
  ['Connect…', 'activtrakShowConnect'],
  ['Insert a view…', 'activtrakShowInsert'],
  ['Refresh now', 'activtrakRefreshNow'],
  ['Manage scheduled refreshes…', 'activtrakShowSchedules'],
] as const;

const PANELS = ['connect', 'insert', 'schedules'] as const;
export type Panel = (typeof PANELS)[number];

/**
 * Runs in onOpen's limited mode, so it touches nothing but the menu. An add-on's menu goes
 * under Extensions (createAddonMenu, named after the add-on); a bound script gets its own
 * ActivTrak menu (https://developers.google.com/workspace/add-ons/concepts/menus).
 */
export function addMenu(ui: Ui, mode: ScriptMode): void {
  const menu = mode === 'addon' ? ui.createAddonMenu() : ui.createMenu('ActivTrak');
  MENU_ITEMS.forEach(([caption, handler], i) => {
    if (i === 2) menu.addSeparator();
    menu.addItem(caption, handler);
  });
  menu.addToUi();
}

export function showSidebar(services: Services, panel: Panel): void {
  const output = services.HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('ActivTrak');
  // The panel name comes from the fixed list above, never from user input.
  output.append(`<script>window.ACTIVTRAK_PANEL = ${JSON.stringify(PANELS.includes(panel) ? panel : 'insert')};</script>`);
  services.SpreadsheetApp.getUi().showSidebar(output);
}

/**
 * Refresh now: the saved ranges under the selection, or every range on the active sheet,
 * or, when the sheet has none, every range in the spreadsheet.
 */
export function refreshNow(services: Services): string {
  const spreadsheet = services.SpreadsheetApp.getActive();
  const ui = services.SpreadsheetApp.getUi();
  try {
    const ctx = refreshContext(services, { toasts: true });
    const ranges = ctx.store.list();
    if (ranges.length === 0) {
      const message = 'There are no ActivTrak ranges in this spreadsheet yet. Use ActivTrak > Insert a view first.';
      ui.alert('ActivTrak', message, ui.ButtonSet.OK);
      return message;
    }
    const sheet = spreadsheet.getActiveSheet();
    const active = spreadsheet.getActiveRange();
    const onSheet = ranges.filter((r) => r.sheetId === sheet.getSheetId());
    const under = active ? onSheet.filter((r) => contains(r, active.getRow(), active.getColumn())) : [];
    const chosen = under.length > 0 ? under : onSheet.length > 0 ? onSheet : ranges;
    spreadsheet.toast(`Refreshing ${chosen.length} range${chosen.length > 1 ? 's' : ''}…`, 'ActivTrak', 5);
    const where = scheduling(services, spreadsheet);
    const run = runPending(ctx, services.LockService, where, 'manual', new Set(chosen.map((r) => r.id)));
    const message =
      run.skipped ??
      summary(
        run.outcomes.map((o) => ({ result: o.result, written: o.written, detail: o.detail })),
        run.continued,
      );
    spreadsheet.toast(message, 'ActivTrak', 10);
    // An add-on has no timer to spare for a quick follow-up: the sidebar carries on instead.
    if (run.continued === 'hourly') showSidebar(services, 'schedules');
    return message;
  } catch (err) {
    const message = userMessage(err);
    ui.alert('ActivTrak', message, ui.ButtonSet.OK);
    return message;
  }
}

function contains(range: SavedRange, row: number, column: number): boolean {
  return (
    row >= range.row &&
    row <= range.row + Math.max(range.rows, 0) &&
    column >= range.column &&
    column < range.column + Math.max(range.width, 1)
  );
}

function summary(outcomes: readonly { result: string; written: number; detail: string }[], continued: PendingRun['continued']): string {
  const failed = outcomes.filter((o) => o.result === 'error');
  const written = outcomes.reduce((n, o) => n + o.written, 0);
  const parts = [`${formatCount(written)} rows loaded`];
  if (outcomes.some((o) => o.result === 'unchanged')) parts.push('some ranges unchanged');
  if (continued === 'soon') parts.push('the rest continues in the background');
  if (continued === 'hourly') parts.push('the rest continues in the ActivTrak sidebar while it stays open, or in the next hourly run');
  if (failed.length > 0) parts.push(`${failed.length} failed: ${failed[0]!.detail}`);
  return parts.join('; ') + '.';
}

/**
 * A trigger run, budgeted from the day's trigger runtime left: shortened when little is
 * left, skipped when none is, and either said in the run log.
 */
function triggerRun(services: Services, startedBy: 'schedule' | 'continuation', event: TimeDrivenEvent | undefined): void {
  const now = Date.now();
  const spreadsheet = services.SpreadsheetApp.getActive();
  const where = scheduling(services, spreadsheet);
  if (startedBy === 'continuation') deleteTrigger(where, event?.triggerUid);
  const budget = startTriggerRun(
    services.PropertiesService.getUserProperties(),
    dailyTriggerMinutes(services.PropertiesService.getScriptProperties()),
    now,
  );
  let run: PendingRun | null = null;
  try {
    if (budget.budgetMs === 0) {
      // Nothing may run now: an unfinished refresh waits for the hourly trigger, never a
      // one-off that would only be skipped again.
      const store = rangeStore(services);
      if (store.list().some((r) => r.job !== null)) scheduleContinuation({ ...where, mode: 'addon' }, store);
    } else {
      run = runPending(
        refreshContext(services, { spreadsheet, deadline: new Deadline(now, budget.budgetMs) }),
        services.LockService,
        where,
        startedBy,
      );
    }
  } finally {
    budget.finish(Date.now());
    if (budget.note && (budget.budgetMs === 0 || run?.continued)) logBudget(services, spreadsheet, startedBy, budget.note, run);
  }
}

/** One row in the run log for a run the daily budget shortened or skipped, if work was waiting. */
function logBudget(services: Services, spreadsheet: Spreadsheet, startedBy: string, note: string, run: PendingRun | null): void {
  try {
    const ranges = refreshContext(services, { spreadsheet }).store.list();
    const waiting = ranges.filter((r) => r.job !== null || (r.every !== 'off' && (r.nextDue === null || r.nextDue <= Date.now())));
    if (waiting.length === 0 && !run?.continued) return;
    appendLog(spreadsheet, {
      at: new Date(),
      range: waiting.length === 1 ? rangeLabel(spreadsheet, waiting[0]!) : `${waiting.length} ranges`,
      view: [...new Set(waiting.map((r) => r.spec.view))].join(', '),
      mode: '',
      startedBy,
      result: run ? 'shortened' : 'skipped',
      written: run ? run.outcomes.reduce((n, o) => n + o.written, 0) : 0,
      rows: 0,
      seconds: 0,
      detail: note,
    });
  } catch (err) {
    console.warn(`ActivTrak: could not log the trigger budget: ${userMessage(err)}`);
  }
}

/** The hourly trigger: every range that is due, plus any refresh left unfinished. */
export function scheduledRefresh(services: Services, event?: TimeDrivenEvent): void {
  triggerRun(services, 'schedule', event);
}

/** A bound script's one-off follow-up: deletes itself (it would count against the 20), then carries on. */
export function continueRefresh(services: Services, event: TimeDrivenEvent | undefined): void {
  triggerRun(services, 'continuation', event);
}
