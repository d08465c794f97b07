import { userMessage } from '../api/errors.ts';
import { deleteTrigger, runPending } from '../refresh/scheduler.ts';
import type { SavedRange } from '../refresh/store.ts';
import { refreshContext } from '../runtime/context.ts';
import { formatCount } from '../sheets/log.ts';
import type { Services, TimeDrivenEvent, Ui } from '../types/apps-script.ts';

/** Menu items and the public globals they call (server/index.ts exports each one). */
export const MENU_ITEMS = [
  ['Connect…', 'activtrakShowConnect'],
  ['Insert a view…', 'activtrakShowInsert'],
  ['Refresh now', 'activtrakRefreshNow'],
  ['Manage scheduled refreshes…', 'activtrakShowSchedules'],
] as const;

export const PANELS = ['connect', 'insert', 'schedules'] as const;
export type Panel = (typeof PANELS)[number];

/** Runs in onOpen's limited mode, so it touches nothing but the menu. */
export function addMenu(ui: Ui): void {
  const menu = ui.createMenu('ActivTrak');
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
    const run = runPending(ctx, services.LockService, services.ScriptApp, 'manual', new Set(chosen.map((r) => r.id)));
    const message =
      run.skipped ??
      summary(
        run.outcomes.map((o) => ({ result: o.result, written: o.written, detail: o.detail })),
        run.continued,
      );
    spreadsheet.toast(message, 'ActivTrak', 10);
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

function summary(outcomes: readonly { result: string; written: number; detail: string }[], continued: boolean): string {
  const failed = outcomes.filter((o) => o.result === 'error');
  const written = outcomes.reduce((n, o) => n + o.written, 0);
  const parts = [`${formatCount(written)} rows loaded`];
  if (outcomes.some((o) => o.result === 'unchanged')) parts.push('some ranges unchanged');
  if (continued) parts.push('the rest continues in the background');
  if (failed.length > 0) parts.push(`${failed.length} failed: ${failed[0]!.detail}`);
  return parts.join('; ') + '.';
}

/** The hourly trigger: every range that is due, plus any refresh left unfinished. */
export function scheduledRefresh(services: Services): void {
  runPending(refreshContext(services), services.LockService, services.ScriptApp, 'schedule');
}

/** The one-off follow-up trigger: deletes itself (it would count against the 20), then carries on. */
export function continueRefresh(services: Services, event: TimeDrivenEvent | undefined): void {
  deleteTrigger(services.ScriptApp, event?.triggerUid);
  runPending(refreshContext(services), services.LockService, services.ScriptApp, 'continuation');
}
