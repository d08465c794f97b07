import { leafColumns } from '../../shared/columns.ts';
import type { ScalarType } from '../../shared/types.ts';
import { VIEWS } from '../../shared/views/index.ts';
import type { ApiCell } from '../api/client.ts';
import type { CellValue, Utilities } from '../types/apps-script.ts';

/** How columns in seconds are shown: the number of seconds, or hours as [h]:mm:ss. */
export type DurationStyle = 'seconds' | 'hms';

/** A result column as the sheet needs it: how to format it and how to turn a value into a cell. */
export interface SheetColumn {
  readonly name: string;
  readonly type: ScalarType;
  readonly duration: boolean;
  readonly numberFormat: string;
}

/** What Sheets reports as the format of a cell nobody formatted ("Automatic"). */
const AUTOMATIC_FORMAT = '0.###############';

const FORMATS: Record<ScalarType, string> = {
  DATE: 'yyyy-mm-dd',
  DATETIME: 'yyyy-mm-dd hh:mm:ss',
  TIMESTAMP: 'yyyy-mm-dd hh:mm:ss',
  TIME: 'hh:mm:ss',
  INT64: '0',
  NUMERIC: '#,##0.00',
  FLOAT64: '#,##0.00',
  BOOL: AUTOMATIC_FORMAT,
  // Plain text, so Sheets does not turn "00123" or "1/2" in a text column into a number or a date.
  STRING: '@',
};

const NUMERIC: ReadonlySet<string> = new Set(['INT64', 'FLOAT64', 'NUMERIC']);

/**
 * Columns whose definition gives them the unit `seconds`, per view. A name is no guide:
 * `break_time_minutes` and `first_activity_minutes_in_day` count minutes, and a new column
 * named `*_seconds` is a duration only once its definition says so.
 */
export const DURATION_COLUMNS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.values(VIEWS).map((view) => [
    view.name,
    new Set(
      leafColumns(view)
        .filter((c) => c.unit === 'seconds')
        .map((c) => c.name),
    ),
  ]),
);

/** The API names an aggregate `<fn>_<column>` (sum(duration_seconds) is sum_duration_seconds). */
const AGGREGATE_OF_SAME_UNIT = /^(sum|avg|min|max)_/;

function isDuration(view: string | undefined, name: string, type: string): boolean {
  const durations = view === undefined ? undefined : DURATION_COLUMNS.get(view);
  if (!durations || !NUMERIC.has(type)) return false;
  // A sum, mean or extreme of seconds is seconds; count() is never a duration.
  return durations.has(name) || durations.has(name.replace(AGGREGATE_OF_SAME_UNIT, ''));
}

function isScalarType(type: string): type is ScalarType {
  return Object.hasOwn(FORMATS, type);
}

/** The sheet's view of the API's result columns for `view` (its definition says which count seconds). */
export function sheetColumns(
  view: string | undefined,
  columns: readonly { readonly name: string; readonly type: string }[],
  durations: DurationStyle,
): SheetColumn[] {
  return columns.map((c) => {
    const type: ScalarType = isScalarType(c.type) ? c.type : 'STRING';
    const duration = isDuration(view, c.name, type);
    const numberFormat = duration ? (durations === 'hms' ? '[h]:mm:ss' : '#,##0') : FORMATS[type];
    return { name: c.name, type, duration, numberFormat };
  });
}

export interface CellContext {
  readonly timeZone: string;
  readonly utilities: Pick<Utilities, 'parseDate' | 'formatDate'>;
  readonly durations: DurationStyle;
  /**
   * True for custom-function results, which Sheets never reads as formulas: there the
   * apostrophe the API puts before text starting with = + - @ would show, so it is removed.
   */
  readonly literalText: boolean;
}

const FORMULA_GUARD = /^'[=+\-@\t\r]/;

/**
 * An API value as a sheet cell: dates become real dates in the spreadsheet's time zone
 * (DATE and DATETIME are wall-clock values there; TIMESTAMP is an instant), durations
 * optionally become day fractions for [h]:mm:ss, null becomes an empty cell.
 */
export function toCell(value: ApiCell, column: SheetColumn, ctx: CellContext): CellValue {
  if (value === null || value === '') return '';
  switch (column.type) {
    case 'DATE':
      return typeof value === 'string' ? ctx.utilities.parseDate(value, ctx.timeZone, 'yyyy-MM-dd') : value;
    case 'DATETIME':
      return typeof value === 'string' ? ctx.utilities.parseDate(value.slice(0, 19), ctx.timeZone, "yyyy-MM-dd'T'HH:mm:ss") : value;
    case 'TIMESTAMP':
      return typeof value === 'string' ? new Date(value) : value;
    case 'TIME': {
      const m = typeof value === 'string' ? /^(\d{2}):(\d{2}):(\d{2})/.exec(value) : null;
      return m ? (+m[1]! * 3600 + +m[2]! * 60 + +m[3]!) / 86_400 : value;
    }
    case 'INT64':
    case 'FLOAT64':
    case 'NUMERIC': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return String(value);
      return column.duration && ctx.durations === 'hms' ? n / 86_400 : n;
    }
    case 'BOOL':
      return value === true || value === 'true';
    default: {
      const text = String(value);
      return fitCell(ctx.literalText && FORMULA_GUARD.test(text) ? text.slice(1) : text);
    }
  }
}

/**
 * Sheets refuses a cell over 50,000 characters, and with it the whole setValues of the page
 * (https://support.google.com/drive/answer/37603: "Cells: up to 50,000 characters").
 */
export const MAX_CELL_CHARACTERS = 50_000;
export const CUT_MARKER = '… [cut: 50,000-character cell limit]';

/** Text as a cell holds it: cut to the limit with a marker that says so, never mid-character. */
function fitCell(text: string): string {
  if (text.length <= MAX_CELL_CHARACTERS) return text;
  let end = MAX_CELL_CHARACTERS - CUT_MARKER.length;
  // A high surrogate left at the end would be half a character (an emoji in a titlebar).
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + CUT_MARKER;
}

export function toCells(rows: readonly (readonly ApiCell[])[], columns: readonly SheetColumn[], ctx: CellContext): CellValue[][] {
  return rows.map((row) => columns.map((column, i) => toCell(row[i] ?? null, column, ctx)));
}

/**
 * A cell read back from the sheet, in the API's text form, so a row key written last week
 * can be matched with the same row arriving today (merge refreshes).
 */
export function keyText(cell: CellValue, column: SheetColumn, ctx: Pick<CellContext, 'timeZone' | 'utilities'>): string {
  if (cell === '' || cell === null || cell === undefined) return '';
  if (Object.prototype.toString.call(cell) === '[object Date]') {
    const d = cell as Date;
    switch (column.type) {
      case 'DATE':
        return ctx.utilities.formatDate(d, ctx.timeZone, 'yyyy-MM-dd');
      case 'TIMESTAMP':
        return ctx.utilities.formatDate(d, 'UTC', "yyyy-MM-dd'T'HH:mm:ss'Z'");
      default:
        return ctx.utilities.formatDate(d, ctx.timeZone, "yyyy-MM-dd'T'HH:mm:ss");
    }
  }
  if (column.type === 'TIME' && typeof cell === 'number') {
    const s = Math.round(cell * 86_400);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  }
  return String(cell);
}

/** The API's own value as key text: the same form keyText gives for the sheet's copy. */
export function apiKeyText(value: ApiCell, column: SheetColumn): string {
  if (value === null || value === '') return '';
  if (column.type === 'DATETIME' && typeof value === 'string') return value.slice(0, 19);
  if (column.type === 'STRING' && typeof value === 'string' && FORMULA_GUARD.test(value)) return value.slice(1);
  return String(value);
}
