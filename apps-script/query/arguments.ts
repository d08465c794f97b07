import { filterSpec, readLimit } from '../../shared/query-vocabulary.ts';
import { UserError } from '../api/errors.ts';
import type { QuerySpec } from './spec.ts';

/**
 * What Sheets passes a custom function: a cell value, a 2D array for a range, or
 * undefined for an argument left out. Dates arrive as JavaScript Dates.
 */
export type SheetArgument = unknown;

export interface FunctionArguments {
  readonly view: SheetArgument;
  readonly columns?: SheetArgument;
  readonly from?: SheetArgument;
  readonly to?: SheetArgument;
  readonly filters?: SheetArgument;
  readonly options?: SheetArgument;
}

export interface ParsedArguments {
  readonly spec: QuerySpec;
  readonly header: boolean;
  /** True when the user set limit= themselves, so a longer result may be cut to it. */
  readonly limitGiven: boolean;
}

/** Rows a formula loads when it does not say limit=; past it the user is told to narrow. */
export const DEFAULT_FUNCTION_ROWS = 10_000;
/** The most a formula may ask for: beyond this the sheet, not the API, becomes the problem. */
export const MAX_FUNCTION_ROWS = 50_000;

const COMPARISONS: Record<string, string> = { '>=': 'gte', '<=': 'lte', '!=': 'neq', '<>': 'neq', '>': 'gt', '<': 'lt' };
const FILTER_START = /^\s*[A-Za-z_][\w.]*\s*(>=|<=|!=|<>|=|>|<)/;
const OPTION_START = /^\s*[A-Za-z_]+\s*=/;
const OPTIONS = ['limit', 'order', 'group_by', 'header'] as const;

/**
 * Turns what a sheet user typed into a query: a range of column names or "a,b", a date
 * cell or "2026-09-01", filters as `column=op.value` cells, options like
 * "limit=500, order=local_date.desc".
 * @example
 * parseFunctionArguments({ view: 'daily_user_summary', columns: [['user_name'], ['local_date']],
 *   from: new Date(2026, 8, 1), filters: 'productive_active_duration_seconds>3600' }, dateText)
 */
export function parseFunctionArguments(args: FunctionArguments, dateText: (date: Date) => string): ParsedArguments {
  const view = firstText(args.view);
  if (!view)
    throw new UserError('Name a view as the first argument, like =ACTIVTRAK("daily_user_summary"). =ACTIVTRAK_VIEWS() lists them.');
  if (view.length > 100 || /[\s/?#]/.test(view))
    throw new UserError(`'${view.slice(0, 40)}' is not a view name. =ACTIVTRAK_VIEWS() lists them.`);

  const select = texts(args.columns).flatMap(splitSelect);
  const from = dateArgument('from', args.from, dateText);
  const to = dateArgument('to', args.to, dateText);
  const filters = parseFilters(args.filters);
  const options = parseOptions(args.options);

  const spec: QuerySpec = {
    view,
    ...(select.length > 0 && !(select.length === 1 && select[0] === '*') ? { select } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    ...(options.order ? { order: options.order } : {}),
    ...(options.group_by ? { groupBy: options.group_by } : {}),
    limit: options.limit ?? DEFAULT_FUNCTION_ROWS,
  };
  return { spec, header: options.header, limitGiven: options.limit !== undefined };
}

/** Every non-empty cell of a scalar or range argument, as trimmed text. */
function texts(arg: SheetArgument): string[] {
  if (arg === undefined || arg === null) return [];
  const cells = Array.isArray(arg) ? (arg as unknown[]).flat(2) : [arg];
  return cells.map((c) => (c === null || c === undefined ? '' : String(c).trim())).filter((t) => t.length > 0);
}

function firstText(arg: SheetArgument): string {
  return texts(arg)[0] ?? '';
}

function isDate(value: unknown): value is Date {
  // Not instanceof: a Date from Sheets and one made by the script need not share a realm.
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** Days from Sheets' epoch (1899-12-30) to 1970-01-01. */
const SHEETS_EPOCH_OFFSET = 25_569;

function dateArgument(label: 'from' | 'to', arg: SheetArgument, dateText: (date: Date) => string): string | undefined {
  const value = Array.isArray(arg) ? (arg as unknown[]).flat(2).find((c) => c !== '' && c !== null && c !== undefined) : arg;
  if (value === undefined || value === null || value === '') return undefined;
  if (isDate(value)) {
    if (Number.isNaN(value.getTime())) throw new UserError(`${label} is not a valid date.`);
    return dateText(value);
  }
  if (typeof value === 'number') {
    // A date cell formatted as a number arrives as its serial day count.
    if (!Number.isFinite(value) || value < 1 || value > 2_958_465)
      throw new UserError(`${label}=${value} is not a date; use a date cell or write YYYY-MM-DD.`);
    const d = new Date(Math.round((Math.floor(value) - SHEETS_EPOCH_OFFSET) * 86_400_000));
    return d.toISOString().slice(0, 10);
  }
  if (typeof value === 'string') return value.trim() || undefined;
  throw new UserError(`${label} must be a date, like a date cell or "2026-09-01".`);
}

/** Splits on `separator`-like boundaries outside parentheses and double quotes. */
function splitTopLevel(text: string, commaStartsNext: RegExp | null): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth = Math.max(0, depth - 1);
    const top = depth === 0 && !quoted;
    if (top && (ch === ';' || ch === '\n' || (ch === ',' && (commaStartsNext === null || commaStartsNext.test(text.slice(i + 1)))))) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

function splitSelect(text: string): string[] {
  return splitTopLevel(text, null);
}

/** A filter range may also be two columns: name in one cell, spec in the next. */
function pairs(arg: SheetArgument, startsNext: RegExp): string[] {
  if (arg === undefined || arg === null || arg === '') return [];
  if (!Array.isArray(arg)) return splitTopLevel(String(arg), startsNext);
  const out: string[] = [];
  for (const row of arg as unknown[]) {
    const cells = (Array.isArray(row) ? row : [row]).map((c) => (c === null || c === undefined ? '' : String(c).trim())).filter((c) => c);
    if (cells.length >= 2 && !/[=<>]/.test(cells[0]!)) {
      out.push(`${cells[0]}=${cells.slice(1).join(',')}`);
    } else {
      for (const cell of cells) out.push(...splitTopLevel(cell, startsNext));
    }
  }
  return out;
}

/**
 * `column=op.value` as the API takes it; a bare value means eq., and `>`, `>=`, `<`, `<=`,
 * `!=` are accepted because that is how people write conditions in a sheet.
 */
export function parseFilters(arg: SheetArgument): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const expression of pairs(arg, FILTER_START)) {
    const m = /^([^=<>!]+?)\s*(>=|<=|!=|<>|=|>|<)\s*(.*)$/s.exec(expression);
    if (!m || !m[1]!.trim()) {
      throw new UserError(
        `Filter '${expression.slice(0, 60)}' needs the form column=op.value, like productivity=eq.Productive or duration_seconds>3600.`,
      );
    }
    const column = m[1]!.trim();
    const value = m[3]!.trim();
    const spec = m[2] === '=' ? filterSpec(value) : `${COMPARISONS[m[2]!]}.${value}`;
    (filters[column] ??= []).push(spec);
  }
  return filters;
}

interface Options {
  limit?: number;
  order?: string;
  group_by?: string;
  header: boolean;
}

function parseOptions(arg: SheetArgument): Options {
  const options: Options = { header: true };
  for (const item of pairs(arg, OPTION_START)) {
    const eq = item.indexOf('=');
    const key = (eq === -1 ? item : item.slice(0, eq))
      .trim()
      .toLowerCase()
      .replace(/^groupby$/, 'group_by');
    const value = eq === -1 ? '' : item.slice(eq + 1).trim();
    if (eq === -1 || !(OPTIONS as readonly string[]).includes(key)) {
      throw new UserError(
        `Unknown option '${item.slice(0, 40)}'. Options: ${OPTIONS.map((o) => `${o}=…`).join(', ')}, like "limit=500, order=local_date.desc".`,
      );
    }
    switch (key) {
      case 'limit': {
        // The API's rule for every limit: blank is the default, otherwise plain digits in range.
        const reading = readLimit(value, { default: DEFAULT_FUNCTION_ROWS, max: MAX_FUNCTION_ROWS });
        if (!reading.ok) {
          throw new UserError(`limit must be a whole number from 1 to ${MAX_FUNCTION_ROWS}; for more rows use ActivTrak > Insert a view.`);
        }
        if (!reading.defaulted) options.limit = reading.limit;
        break;
      }
      case 'header': {
        const v = value.toLowerCase();
        if (!['true', 'false', 'yes', 'no', '1', '0'].includes(v)) throw new UserError('header must be true or false.');
        options.header = v === 'true' || v === 'yes' || v === '1';
        break;
      }
      case 'order':
        options.order = value;
        break;
      case 'group_by':
        options.group_by = value;
        break;
    }
  }
  return options;
}
