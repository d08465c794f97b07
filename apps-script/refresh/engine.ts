import { getView } from '../../shared/views/index.ts';
import type { ApiCell, ApiClient } from '../api/client.ts';
import { ApiProblem, userMessage, UserError } from '../api/errors.ts';
import { MAX_PAGE_SIZE, queryBody, type QuerySpec } from '../query/spec.ts';
import type { Deadline } from '../runtime/deadline.ts';
import { apiKeyText, keyText, sheetColumns, toCells, type CellContext, type SheetColumn } from '../sheets/columns.ts';
import { clearRows, writeBlock, writeHeader } from '../sheets/grid.ts';
import { appendLog, formatCount } from '../sheets/log.ts';
import type { CellValue, Sheet, Spreadsheet, Utilities } from '../types/apps-script.ts';
import { nextDue } from './schedule.ts';
import { writeStatus } from './status.ts';
import { cannotMerge, type Job, type Mode, type RangeStore, type SavedRange } from './store.ts';

export type StartedBy = 'insert' | 'manual' | 'schedule' | 'continuation';

export interface RefreshContext {
  readonly spreadsheet: Spreadsheet;
  readonly client: ApiClient;
  readonly store: RangeStore;
  readonly utilities: Pick<Utilities, 'formatDate' | 'parseDate'>;
  readonly timeZone: string;
  readonly deadline: Deadline;
  /** A short stable fingerprint of a text (the request an ETag belongs to). */
  readonly fingerprint: (text: string) => string;
  readonly now: () => number;
  /** Progress for a person watching (a toast); absent for scheduled runs. */
  readonly progress?: (message: string) => void;
  /** Rows per request; the API's largest page unless a test wants more pages. */
  readonly pageSize?: number;
}

export interface Outcome {
  readonly result: 'ok' | 'unchanged' | 'continued' | 'error';
  readonly written: number;
  readonly range: SavedRange;
  readonly detail: string;
}

/** What one run asks the API for: the saved query, narrowed for append and merge. */
interface RunPlan {
  readonly mode: Mode;
  readonly spec: QuerySpec;
  readonly extraFilters: Record<string, string>;
}

function planRun(range: SavedRange, since: string | null): RunPlan {
  // Nothing in the sheet yet: every mode starts with a full load.
  if (range.rows === 0 || range.mode === 'replace') return { mode: 'replace', spec: range.spec, extraFilters: {} };
  const view = getView(range.spec.view);
  const change = view?.changeColumn ?? null;
  if (range.mode === 'append') {
    // No mark (the range was switched to append, or its change column was never loaded):
    // without one every row would count as new, so this run rewrites the range and sets it.
    if (!since) return { mode: 'replace', spec: range.spec, extraFilters: {} };
    if (!change)
      throw new UserError(
        `${range.spec.view} has no column that moves forward as data arrives, so it cannot be appended to. Use ${view?.rowKeyUnique === false ? 'replace' : 'replace or merge'}.`,
      );
    // Ordered by the change column so new rows land in order below the old ones.
    return { mode: 'append', spec: { ...range.spec, order: `${change}.asc` }, extraFilters: { [change]: `gt.${since}` } };
  }
  if (view?.rowKeyUnique === false) throw new UserError(cannotMerge(range.spec.view));
  // Merge re-reads from the mark on (gte, not gt): the newest period is the one still being updated.
  return { mode: 'merge', spec: range.spec, extraFilters: change && since ? { [change]: `gte.${since}` } : {} };
}

function findSheet(spreadsheet: Spreadsheet, sheetId: number): Sheet | null {
  return spreadsheet.getSheets().find((s) => s.getSheetId() === sheetId) ?? null;
}

/** "Sheet1!A1" of the range's header cell, for the log. */
export function rangeLabel(spreadsheet: Spreadsheet, range: SavedRange): string {
  const sheet = findSheet(spreadsheet, range.sheetId);
  return sheet ? `${sheet.getName()}!${sheet.getRange(range.row, range.column).getA1Notation()}` : `(deleted sheet ${range.sheetId})`;
}

/**
 * Refreshes one saved range: replace rewrites it, append adds the rows past its mark,
 * merge updates rows in place by the view's row key and adds the new ones. Writes page by
 * page and saves its place after each page, so a run that reaches the time budget (or is
 * stopped) continues where it left off instead of writing rows twice.
 */
export function runRefresh(ctx: RefreshContext, saved: SavedRange, startedBy: StartedBy): Outcome {
  const startedAt = ctx.now();
  let range = saved;
  let written = 0;
  let outcome: Outcome;
  try {
    outcome = refreshPages(ctx, saved, startedBy, (r, w) => {
      range = r;
      written = w;
    });
  } catch (err) {
    const message = userMessage(err);
    // A failure of the network or the warehouse keeps the job: its cursor is still good and
    // the next run picks up from it. A request the API refuses (4xx) would only be refused
    // again, so that job is dropped and the next run starts over.
    const refused = err instanceof ApiProblem && err.status >= 400 && err.status < 500;
    range = ctx.store.save({
      ...range,
      ...(refused ? { job: null } : {}),
      last: { at: ctx.now(), result: 'error', written, error: message.slice(0, 500) },
      nextDue: nextDue(range, ctx.now(), ctx.timeZone, ctx.utilities),
    });
    outcome = { result: 'error', written, range, detail: message };
  }
  record(ctx, outcome, startedBy, (ctx.now() - startedAt) / 1000);
  return outcome;
}

function refreshPages(
  ctx: RefreshContext,
  saved: SavedRange,
  startedBy: StartedBy,
  progress: (range: SavedRange, written: number) => void,
): Outcome {
  const sheet = findSheet(ctx.spreadsheet, saved.sheetId);
  if (!sheet)
    throw new UserError('The sheet this range was on has been deleted. Remove the range under ActivTrak > Manage scheduled refreshes.');
  if (!getView(saved.spec.view)) throw new UserError(`The view '${saved.spec.view}' no longer exists.`);

  const pageSize = ctx.pageSize ?? MAX_PAGE_SIZE;
  let job: Job = saved.job ?? {
    cursor: null,
    written: 0,
    startedAt: ctx.now(),
    runs: 0,
    since: saved.mark,
    newMark: null,
    reason: startedBy,
    etag: null,
  };
  job = { ...job, runs: job.runs + 1 };
  const continuing = saved.job !== null;
  const plan = planRun(saved, job.since);
  const fingerprint = ctx.fingerprint(JSON.stringify(queryBody(plan.spec, { limit: pageSize, extraFilters: plan.extraFilters })));
  const cellContext: CellContext = { timeZone: ctx.timeZone, utilities: ctx.utilities, durations: saved.durations, literalText: false };
  const changeColumn = getView(saved.spec.view)?.changeColumn ?? null;

  let range = saved;
  let mergeIndex: Map<string, number> | null = null;
  let columns: SheetColumn[];
  let firstRequest = true;

  for (;;) {
    if (!firstRequest && ctx.deadline.passed()) {
      range = ctx.store.save({ ...range, job, last: { at: ctx.now(), result: 'continued', written: job.written } });
      progress(range, job.written);
      return { result: 'continued', written: job.written, range, detail: `${job.written} rows so far; continuing in a follow-up run` };
    }
    const etag = firstRequest && !continuing && saved.etagFor === fingerprint ? saved.etag : null;
    // A saved limit caps each run's rows (for append: the rows one refresh may add).
    const limit = Math.min(pageSize, (plan.spec.limit ?? Infinity) - job.written);
    const result = ctx.client.query(
      plan.spec.view,
      queryBody(plan.spec, { limit, cursor: job.cursor, extraFilters: plan.extraFilters }),
      etag,
    );
    if (!result.changed) {
      range = ctx.store.save({
        ...range,
        job: null,
        last: { at: ctx.now(), result: 'unchanged', written: 0 },
        nextDue: nextDue(range, ctx.now(), ctx.timeZone, ctx.utilities),
      });
      return { result: 'unchanged', written: 0, range, detail: 'The data has not changed since the last refresh.' };
    }
    const page = result.page;
    columns = sheetColumns(saved.spec.view, page.columns, saved.durations);
    const header = (page.values[0] ?? page.columns.map((c) => c.name)) as string[];
    const rows = page.values.slice(1);
    const firstPageOfJob = job.cursor === null;
    if (firstRequest) {
      if (plan.mode === 'replace') {
        if (firstPageOfJob) writeHeader(sheet, saved.row, saved.column, header);
      } else {
        checkHeader(sheet, saved, header);
      }
      if (firstPageOfJob) job = { ...job, etag: page.etag };
    }
    firstRequest = false;

    const cells = toCells(rows, columns, cellContext);
    switch (plan.mode) {
      case 'replace':
        writeBlock(sheet, saved.row + 1 + job.written, saved.column, cells, columns);
        break;
      case 'append':
        writeBlock(sheet, saved.row + 1 + range.rows, saved.column, cells, columns);
        range = { ...range, rows: range.rows + cells.length };
        break;
      case 'merge': {
        mergeIndex ??= readKeyIndex(sheet, range, header, columns, cellContext);
        const added = mergeRows(sheet, range, header, columns, rows, cells, mergeIndex);
        range = { ...range, rows: range.rows + added };
        break;
      }
    }
    const newMark = highestMark(job.newMark, changeColumn, header, rows);
    const written = job.written + rows.length;
    const more = page.next_cursor !== null && written < (plan.spec.limit ?? Infinity);
    job = { ...job, cursor: more ? page.next_cursor : null, written, newMark };
    if (!more) return finish(ctx, sheet, saved, range, job, plan, header, fingerprint, progress);
    // Saved after every page, so an execution stopped before the budget check loses one page at most.
    range = ctx.store.save({ ...range, job, width: Math.max(range.width, header.length) });
    progress(range, job.written);
    ctx.progress?.(`Loaded ${formatCount(job.written)} rows of ${saved.spec.view}…`);
  }
}

function finish(
  ctx: RefreshContext,
  sheet: Sheet,
  saved: SavedRange,
  range: SavedRange,
  job: Job,
  plan: RunPlan,
  header: readonly string[],
  fingerprint: string,
  progress: (range: SavedRange, written: number) => void,
): Outcome {
  let rows = range.rows;
  if (plan.mode === 'replace') {
    // A shorter result than last time: the old rows below it must go, or they would read as current.
    clearRows(sheet, saved.row + 1 + job.written, saved.row + saved.rows, saved.column, Math.max(saved.width, header.length));
    if (saved.width > header.length)
      clearRows(sheet, saved.row, saved.row + job.written, saved.column + header.length, saved.width - header.length);
    rows = job.written;
  }
  const now = ctx.now();
  const done: SavedRange = {
    ...range,
    rows,
    width: header.length,
    // After a full rewrite the mark is what the range now holds; otherwise it only moves on.
    mark: plan.mode === 'replace' ? job.newMark : laterMark(range.mark, job.newMark),
    etag: job.etag,
    etagFor: job.etag ? fingerprint : null,
    job: null,
    last: { at: now, result: 'ok', written: job.written },
    nextDue: nextDue(range, now, ctx.timeZone, ctx.utilities),
  };
  const stored = ctx.store.save(done);
  progress(stored, job.written);
  const verb = plan.mode === 'replace' ? 'written' : plan.mode === 'append' ? 'added' : 'merged';
  return {
    result: 'ok',
    written: job.written,
    range: stored,
    detail: `${job.written} rows ${verb}${plan.mode !== saved.mode ? ' (first load)' : ''}`,
  };
}

/** Append and merge line new rows up with the columns already in the sheet. */
function checkHeader(sheet: Sheet, range: SavedRange, header: readonly string[]): void {
  const current = sheet.getRange(range.row, range.column, 1, header.length).getValues()[0]!.map(String);
  if (current.join('\u0000') !== header.join('\u0000')) {
    throw new UserError(
      `The columns of ${range.spec.view} no longer match the header in the sheet (now: ${header.slice(0, 5).join(', ')}${header.length > 5 ? ', …' : ''}). Switch this range to replace and refresh it once.`,
    );
  }
}

function keyPositions(range: SavedRange, header: readonly string[]): number[] {
  const key = getView(range.spec.view)?.rowKey ?? [];
  const positions = key.map((name) => header.indexOf(name));
  if (key.length === 0 || positions.some((p) => p < 0)) {
    throw new UserError(`A merge refresh needs the row key columns of ${range.spec.view} (${key.join(', ')}) in the range.`);
  }
  return positions;
}

/** Row key → offset below the header, read from the key columns only (one read per column). */
function readKeyIndex(
  sheet: Sheet,
  range: SavedRange,
  header: readonly string[],
  columns: readonly SheetColumn[],
  ctx: CellContext,
): Map<string, number> {
  const positions = keyPositions(range, header);
  const index = new Map<string, number>();
  if (range.rows === 0) return index;
  const columnValues = positions.map((p) => sheet.getRange(range.row + 1, range.column + p, range.rows, 1).getValues());
  for (let i = 0; i < range.rows; i++) {
    const key = JSON.stringify(positions.map((p, k) => keyText(columnValues[k]![i]![0]!, columns[p]!, ctx)));
    index.set(key, i);
  }
  return index;
}

/**
 * Writes rows whose key is already in the range over their old row, in runs of adjacent
 * rows (one setValues per run, not per row), and the rest below the range.
 * Returns how many rows were added.
 */
function mergeRows(
  sheet: Sheet,
  range: SavedRange,
  header: readonly string[],
  columns: readonly SheetColumn[],
  rows: readonly (readonly ApiCell[])[],
  cells: CellValue[][],
  index: Map<string, number>,
): number {
  const positions = keyPositions(range, header);
  const updates: { offset: number; cells: CellValue[] }[] = [];
  const added: CellValue[][] = [];
  rows.forEach((row, i) => {
    const key = JSON.stringify(positions.map((p) => apiKeyText(row[p] ?? null, columns[p]!)));
    const offset = index.get(key);
    if (offset === undefined) {
      index.set(key, range.rows + added.length);
      added.push(cells[i]!);
    } else {
      updates.push({ offset, cells: cells[i]! });
    }
  });
  updates.sort((a, b) => a.offset - b.offset);
  for (let start = 0; start < updates.length;) {
    let end = start + 1;
    while (end < updates.length && updates[end]!.offset === updates[end - 1]!.offset + 1) end++;
    writeBlock(
      sheet,
      range.row + 1 + updates[start]!.offset,
      range.column,
      updates.slice(start, end).map((u) => u.cells),
      columns,
    );
    start = end;
  }
  writeBlock(sheet, range.row + 1 + range.rows, range.column, added, columns);
  return added.length;
}

/** Change columns are DATE, DATETIME or TIMESTAMP in ISO form, which sort as text. */
function laterMark(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

function highestMark(
  current: string | null,
  changeColumn: string | null,
  header: readonly string[],
  rows: readonly (readonly ApiCell[])[],
): string | null {
  if (!changeColumn) return current;
  const p = header.indexOf(changeColumn);
  if (p < 0) return current;
  let mark = current;
  for (const row of rows) {
    const v = row[p];
    if (typeof v === 'string' && v) mark = laterMark(mark, v);
  }
  return mark;
}

function record(ctx: RefreshContext, outcome: Outcome, startedBy: StartedBy, seconds: number): void {
  const range = outcome.range;
  try {
    const sheet = findSheet(ctx.spreadsheet, range.sheetId);
    if (sheet) writeStatus(sheet, range, ctx.timeZone, ctx.utilities);
    appendLog(ctx.spreadsheet, {
      at: new Date(ctx.now()),
      range: rangeLabel(ctx.spreadsheet, range),
      view: range.spec.view,
      mode: range.mode,
      startedBy,
      result: outcome.result,
      written: outcome.written,
      rows: range.rows,
      seconds,
      detail: outcome.detail,
    });
  } catch (err) {
    // The refresh itself is saved; a log that cannot be written must not turn it into a failure.
    console.warn(`ActivTrak: could not record the refresh: ${userMessage(err)}`);
  }
}
