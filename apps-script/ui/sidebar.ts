import type { ApiCell, ViewColumn } from '../api/client.ts';
import { connect, disconnect, keyHint, loadConnection, requireConnection } from '../api/connection.ts';
import { UserError, userMessage } from '../api/errors.ts';
import { queryBody } from '../query/spec.ts';
import { insertView, specForMode, specFromRequest, type InsertRequest, type InsertResult } from '../refresh/insert.ts';
import { nextDue } from '../refresh/schedule.ts';
import { runPending, syncScheduleTrigger } from '../refresh/scheduler.ts';
import { writeStatus } from '../refresh/status.ts';
import { MODES, SCHEDULES, type Every, type Mode, type SavedRange } from '../refresh/store.ts';
import { clientFor, rangeStore, refreshContext, scheduling } from '../runtime/context.ts';
import { Deadline, LIMITS } from '../runtime/deadline.ts';
import { formatCount, formatTime } from '../sheets/log.ts';
import type { Services } from '../types/apps-script.ts';

/*
 * What the sidebar calls through google.script.run. Arguments and results are plain data
 * (no Dates: google.script.run refuses them), and every failure is rethrown with its
 * readable message only, which the sidebar shows as is.
 */

interface SidebarView {
  readonly name: string;
  readonly description: string;
  readonly dateColumn: string | null;
  readonly changeColumn: string | null;
  readonly rowKey: readonly string[];
}

export interface SidebarState {
  readonly connected: boolean;
  readonly url: string;
  readonly keyHint: string;
  readonly plan: string;
  readonly views: readonly SidebarView[];
  readonly sheets: readonly string[];
  readonly activeSheet: string;
  readonly activeCell: string;
  readonly timeZone: string;
  /** Set when the saved connection no longer works (revoked key, API down). */
  readonly error: string;
}

export interface RangeInfo {
  readonly id: string;
  readonly sheet: string;
  readonly cell: string;
  readonly view: string;
  readonly mode: Mode;
  readonly every: Every;
  readonly atHour: number;
  readonly rows: number;
  readonly lastRun: string;
  readonly lastResult: string;
  readonly error: string;
  readonly next: string;
  readonly inProgress: boolean;
}

export interface PreviewResult {
  readonly header: readonly string[];
  readonly rows: readonly (readonly ApiCell[])[];
  readonly more: boolean;
  /** Columns the refresh mode added to the selection, to tell the user. */
  readonly added: readonly string[];
}

const PREVIEW_ROWS = 20;

function readable<T>(body: () => T): T {
  try {
    return body();
  } catch (err) {
    throw new Error(userMessage(err), { cause: err });
  }
}

export function sidebarState(services: Services): SidebarState {
  return readable(() => {
    const spreadsheet = services.SpreadsheetApp.getActive();
    const active = spreadsheet.getActiveSheet();
    const base = {
      sheets: spreadsheet.getSheets().map((s) => s.getName()),
      activeSheet: active.getName(),
      activeCell: spreadsheet.getActiveRange()?.getA1Notation().split(':')[0] ?? 'A1',
      timeZone: spreadsheet.getSpreadsheetTimeZone(),
    };
    const connection = loadConnection(services.PropertiesService.getUserProperties());
    if (!connection) return { ...base, connected: false, url: '', keyHint: '', plan: '', views: [], error: '' };
    try {
      const deadline = new Deadline(Date.now(), LIMITS.executionBudgetMs);
      const catalog = clientFor(services, connection, deadline).catalog();
      return {
        ...base,
        connected: true,
        url: connection.url,
        keyHint: keyHint(connection),
        plan: catalog.plan,
        views: catalog.views.map((v) => ({
          name: v.name,
          description: v.description,
          dateColumn: v.date_column,
          changeColumn: v.change_column,
          rowKey: [...v.row_key],
        })),
        error: '',
      };
    } catch (err) {
      return { ...base, connected: true, url: connection.url, keyHint: keyHint(connection), plan: '', views: [], error: userMessage(err) };
    }
  });
}

export function sidebarConnect(services: Services, url: string, key: string): SidebarState {
  return readable(() => {
    connect(services, url, key);
    return sidebarState(services);
  });
}

export function sidebarDisconnect(services: Services): SidebarState {
  return readable(() => {
    disconnect(services.PropertiesService.getUserProperties());
    return sidebarState(services);
  });
}

export function sidebarColumns(services: Services, view: string): readonly ViewColumn[] {
  return readable(() => {
    const connection = requireConnection(services.PropertiesService.getUserProperties());
    return clientFor(services, connection, new Deadline(Date.now(), LIMITS.executionBudgetMs)).view(view).columns;
  });
}

export function sidebarPreview(services: Services, request: InsertRequest): PreviewResult {
  return readable(() => {
    const base = specFromRequest(request);
    const spec = specForMode(base, request.mode ?? 'replace');
    const connection = requireConnection(services.PropertiesService.getUserProperties());
    const client = clientFor(services, connection, new Deadline(Date.now(), LIMITS.executionBudgetMs));
    const result = client.query(spec.view, queryBody(spec, { limit: Math.min(PREVIEW_ROWS, spec.limit ?? PREVIEW_ROWS) }));
    if (!result.changed) throw new Error('304 without If-None-Match');
    const [header = [], ...rows] = result.page.values;
    return {
      header: header.map(String),
      rows,
      more: result.page.next_cursor !== null,
      added: (spec.select ?? []).filter((c) => !(base.select ?? []).includes(c)),
    };
  });
}

export function sidebarInsert(services: Services, request: InsertRequest): InsertResult {
  return readable(() => {
    const ctx = refreshContext(services, { toasts: true });
    return insertView(ctx, scheduling(services, ctx.spreadsheet), services.Utilities, request);
  });
}

function info(services: Services, range: SavedRange): RangeInfo {
  const spreadsheet = services.SpreadsheetApp.getActive();
  const tz = spreadsheet.getSpreadsheetTimeZone();
  const sheet = spreadsheet.getSheets().find((s) => s.getSheetId() === range.sheetId);
  return {
    id: range.id,
    sheet: sheet?.getName() ?? '(deleted sheet)',
    cell: sheet ? sheet.getRange(range.row, range.column).getA1Notation() : '',
    view: range.spec.view,
    mode: range.mode,
    every: range.every,
    atHour: range.atHour,
    rows: range.rows,
    lastRun: range.last ? formatTime(services.Utilities, tz, range.last.at) : '',
    lastResult: range.last?.result ?? '',
    error: range.last?.error ?? '',
    next: range.every !== 'off' && range.nextDue !== null ? formatTime(services.Utilities, tz, range.nextDue) : '',
    inProgress: range.job !== null,
  };
}

export function sidebarRanges(services: Services): RangeInfo[] {
  return readable(() =>
    rangeStore(services)
      .list()
      .map((r) => info(services, r)),
  );
}

export interface RangeSettings {
  readonly mode: Mode;
  readonly every: Every;
  readonly atHour?: number;
}

export function sidebarUpdateRange(services: Services, id: string, settings: RangeSettings): RangeInfo[] {
  return readable(() => {
    const store = rangeStore(services);
    const range = store.get(id);
    if (!range) throw new UserError('That range is no longer saved.');
    if (!(MODES as readonly string[]).includes(settings.mode) || !(SCHEDULES as readonly string[]).includes(settings.every)) {
      throw new UserError('Pick a refresh mode and a schedule.');
    }
    const spec = specForMode(range.spec, settings.mode);
    if (spec !== range.spec) {
      const missing = (spec.select ?? []).filter((c) => !(range.spec.select ?? []).includes(c));
      throw new UserError(
        `${settings.mode} needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the range. Insert the view again with ${missing.length > 1 ? 'them' : 'it'}.`,
      );
    }
    const atHour = Number(settings.atHour ?? range.atHour);
    if (!Number.isInteger(atHour) || atHour < 0 || atHour > 23) throw new UserError('The hour of a daily refresh must be 0 to 23.');
    const spreadsheet = services.SpreadsheetApp.getActive();
    const tz = spreadsheet.getSpreadsheetTimeZone();
    const updated = store.save({
      ...range,
      mode: settings.mode,
      every: settings.every,
      atHour,
      nextDue: nextDue({ every: settings.every, atHour }, Date.now(), tz, services.Utilities),
    });
    const sheet = spreadsheet.getSheets().find((s) => s.getSheetId() === range.sheetId);
    if (sheet) writeStatus(sheet, updated, tz, services.Utilities);
    syncScheduleTrigger(scheduling(services), store);
    return store.list().map((r) => info(services, r));
  });
}

/** Forgets a range (its data stays in the sheet) and drops the trigger if nothing is scheduled. */
export function sidebarRemoveRange(services: Services, id: string): RangeInfo[] {
  return readable(() => {
    const store = rangeStore(services);
    const range = store.get(id);
    store.remove(id);
    const sheet =
      range &&
      services.SpreadsheetApp.getActive()
        .getSheets()
        .find((s) => s.getSheetId() === range.sheetId);
    if (sheet && range) sheet.getRange(range.row, range.column).setNote(null);
    syncScheduleTrigger(scheduling(services), store);
    return store.list().map((r) => info(services, r));
  });
}

export function sidebarRefreshRange(services: Services, id: string): RangeInfo[] {
  return readable(() => {
    const ctx = refreshContext(services, { toasts: true });
    const run = runPending(ctx, services.LockService, scheduling(services, ctx.spreadsheet), 'manual', new Set([id]));
    if (run.skipped) throw new UserError(run.skipped);
    const failed = run.outcomes.find((o) => o.result === 'error');
    if (failed) throw new UserError(failed.detail);
    return ctx.store.list().map((r) => info(services, r));
  });
}

export interface ContinueResult {
  /** Refreshes still unfinished after this call; the sidebar calls again while any are. */
  readonly pending: number;
  readonly message: string;
  readonly ranges: readonly RangeInfo[];
}

/**
 * Carries on with refreshes that ran out of time, one execution at a time, for as long as
 * the sidebar stays open and calls it. This is how an add-on finishes a long load sooner
 * than its one hourly trigger would: Google allows it no second timer in a document.
 */
export function sidebarContinue(services: Services): ContinueResult {
  return readable(() => {
    const ctx = refreshContext(services, { toasts: true });
    const unfinished = new Set(
      ctx.store
        .list()
        .filter((r) => r.job !== null)
        .map((r) => r.id),
    );
    const run =
      unfinished.size > 0 ? runPending(ctx, services.LockService, scheduling(services, ctx.spreadsheet), 'continuation', unfinished) : null;
    const ranges = ctx.store.list();
    const pending = ranges.filter((r) => r.job !== null);
    const written = pending.reduce((n, r) => n + (r.job?.written ?? 0), 0);
    const failed = run?.outcomes.find((o) => o.result === 'error');
    const message = failed
      ? failed.detail
      : run?.skipped
        ? `${run.skipped} Trying again…`
        : pending.length > 0
          ? `Still loading: ${formatCount(written)} rows so far. Keep this sidebar open to finish sooner.`
          : 'Every refresh has finished.';
    return { pending: failed ? 0 : pending.length, message, ranges: ranges.map((r) => info(services, r)) };
  });
}
