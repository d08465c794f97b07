import { getView } from '../../shared/views/index.ts';
import { UserError } from '../api/errors.ts';
import { parseFilters } from '../query/arguments.ts';
import { queryBody, withColumns, type QuerySpec } from '../query/spec.ts';
import type { DurationStyle } from '../sheets/columns.ts';
import type { Sheet, Spreadsheet, Utilities } from '../types/apps-script.ts';
import { runRefresh, type Outcome, type RefreshContext } from './engine.ts';
import { nextDue } from './schedule.ts';
import { scheduleContinuation, syncScheduleTrigger, type Scheduling } from './scheduler.ts';
import { writeStatus } from './status.ts';
import { cannotMerge, MODES, SCHEDULES, type Every, type Mode, type SavedRange } from './store.ts';

/** What the sidebar sends to insert a view: plain data, as google.script.run requires. */
export interface InsertRequest {
  readonly view: string;
  /** Column names; empty for every column the key can read. */
  readonly columns: readonly string[];
  readonly from?: string;
  readonly to?: string;
  /** One `column=op.value` per line, as in =ACTIVTRAK's filters argument. */
  readonly filters?: string;
  readonly order?: string;
  readonly limit?: number;
  readonly target:
    { readonly kind: 'new'; readonly name?: string } | { readonly kind: 'existing'; readonly sheet: string; readonly cell: string };
  readonly mode: Mode;
  readonly every: Every;
  readonly atHour?: number;
  readonly durations?: DurationStyle;
}

export interface InsertResult {
  readonly id: string;
  readonly sheet: string;
  readonly cell: string;
  readonly result: Outcome['result'];
  readonly rows: number;
  readonly detail: string;
}

/** The query a request describes, before any mode adjustments. */
export function specFromRequest(
  request: Pick<InsertRequest, 'view' | 'columns' | 'from' | 'to' | 'filters' | 'order' | 'limit'>,
): QuerySpec {
  const view = String(request.view ?? '').trim();
  if (!view) throw new UserError('Pick a view.');
  const columns = (request.columns ?? []).map((c) => String(c).trim()).filter((c) => c);
  const filters = parseFilters(request.filters ? String(request.filters) : undefined);
  const limit =
    request.limit === undefined || request.limit === null || (request.limit as unknown) === '' ? undefined : Number(request.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UserError('The row limit must be a whole number above 0, or empty for all rows.');
  return {
    view,
    ...(columns.length > 0 ? { select: columns } : {}),
    ...(request.from ? { from: String(request.from).trim() } : {}),
    ...(request.to ? { to: String(request.to).trim() } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    ...(request.order ? { order: String(request.order).trim() } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/**
 * A refresh mode needs columns to work with: append the view's change column, merge its
 * row key. They are added to the selection rather than refused, and the sidebar says so.
 */
export function specForMode(spec: QuerySpec, mode: Mode): QuerySpec {
  const view = getView(spec.view);
  if (!view || mode === 'replace') return spec;
  if (spec.groupBy)
    throw new UserError('A grouped query can only be refreshed with replace: its rows are totals, not rows that grow or change.');
  if (mode === 'append') {
    if (!view.changeColumn)
      throw new UserError(
        `${view.name} has no column that moves forward as data arrives, so append cannot tell new rows from old. Use ${view.rowKeyUnique ? 'replace or merge' : 'replace'}.`,
      );
    return withColumns(spec, [view.changeColumn]);
  }
  if (!view.rowKeyUnique) throw new UserError(cannotMerge(view.name));
  return withColumns(spec, view.rowKey);
}

function uniqueSheetName(spreadsheet: Spreadsheet, wanted: string): string {
  const base =
    wanted
      .replace(/[[\]*?:/\\]/g, ' ')
      .trim()
      .slice(0, 90) || 'ActivTrak';
  let name = base;
  for (let i = 2; spreadsheet.getSheetByName(name); i++) name = `${base} (${i})`;
  return name;
}

function targetSheet(spreadsheet: Spreadsheet, request: InsertRequest): { sheet: Sheet; row: number; column: number } {
  if (request.target.kind === 'new') {
    const sheet = spreadsheet.insertSheet(uniqueSheetName(spreadsheet, request.target.name || request.view));
    return { sheet, row: 1, column: 1 };
  }
  const sheet = spreadsheet.getSheetByName(request.target.sheet);
  if (!sheet) throw new UserError(`There is no sheet named '${request.target.sheet}'.`);
  const cell = String(request.target.cell || 'A1')
    .trim()
    .toUpperCase();
  if (!/^[A-Z]{1,3}[1-9]\d{0,6}$/.test(cell)) throw new UserError(`'${cell}' is not a cell; write it like A1 or C5.`);
  const anchor = sheet.getRange(cell);
  return { sheet, row: anchor.getRow(), column: anchor.getColumn() };
}

/**
 * Inserts a view into a sheet and remembers the query so the range can be refreshed:
 * saves the range, loads it (continuing in the background if it is large), and creates the
 * hourly trigger when the range has a schedule.
 */
export function insertView(
  ctx: RefreshContext,
  where: Scheduling,
  utilities: Pick<Utilities, 'getUuid'>,
  request: InsertRequest,
): InsertResult {
  const mode = request.mode ?? 'replace';
  const every = request.every ?? 'off';
  if (!(MODES as readonly string[]).includes(mode)) throw new UserError(`Refresh mode must be one of ${MODES.join(', ')}.`);
  if (!(SCHEDULES as readonly string[]).includes(every)) throw new UserError(`Schedule must be one of ${SCHEDULES.join(', ')}.`);
  const atHour = Number(request.atHour ?? 6);
  if (!Number.isInteger(atHour) || atHour < 0 || atHour > 23) throw new UserError('The hour of a daily refresh must be 0 to 23.');
  const spec = specForMode(specFromRequest(request), mode);
  // A one-row query first: a bad column or filter is reported before a sheet is created.
  ctx.client.query(spec.view, queryBody(spec, { limit: 1 }));
  const { sheet, row, column } = targetSheet(ctx.spreadsheet, request);

  const existing = ctx.store.list().find((r) => r.sheetId === sheet.getSheetId() && r.row === row && r.column === column);
  const schedule = { every, atHour };
  const range = ctx.store.save({
    id: existing?.id ?? utilities.getUuid().replace(/-/g, '').slice(0, 10),
    sheetId: sheet.getSheetId(),
    row,
    column,
    spec,
    mode,
    ...schedule,
    durations: request.durations === 'hms' ? 'hms' : 'seconds',
    // What the old range covered, so the first load can clear what it no longer needs.
    rows: existing?.rows ?? 0,
    width: existing?.width ?? 0,
    mark: null,
    etag: null,
    etagFor: null,
    last: null,
    job: null,
    nextDue: nextDue(schedule, ctx.now(), ctx.timeZone, ctx.utilities),
  } satisfies SavedRange);
  // The first load always writes everything, whatever the mode says for later refreshes.
  const outcome = runRefresh(ctx, { ...range, mode: 'replace' }, 'insert');
  const saved = ctx.store.save({ ...outcome.range, mode });
  writeStatus(sheet, saved, ctx.timeZone, ctx.utilities);
  const continues = outcome.result === 'continued' ? scheduleContinuation(where, ctx.store) : null;
  syncScheduleTrigger(where, ctx.store);
  if (outcome.result === 'error') throw new UserError(outcome.detail);
  sheet.activate();
  return {
    id: saved.id,
    sheet: sheet.getName(),
    cell: sheet.getRange(row, column).getA1Notation(),
    result: outcome.result,
    rows: outcome.written,
    detail: continues === 'hourly' ? `${outcome.detail}; keep this sidebar open to finish sooner than the next hourly run` : outcome.detail,
  };
}
