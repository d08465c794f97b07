import type { DateForm } from '../../shared/query-vocabulary.ts';
import { NUMBERED_TYPES, temporalNumber } from '../../shared/temporal-numbers.ts';
import type { ScalarType } from '../../shared/types.ts';
import type { Cell } from '../warehouse/types.ts';

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Spreadsheet formula injection (CWE-1236): titlebars, URLs and search terms in this data are
 * typed by monitored users, so a text cell that a spreadsheet would read as a formula gets a
 * leading apostrophe, which Sheets and Excel treat as "this is text" and do not display.
 */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A cell written as text for one column: chosen once per column, not per cell. */
export type CellWriter = (cell: Cell) => string;

/** Characters JSON.stringify escapes in a string: a quote, a backslash, controls, surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON.stringify escapes
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify's answer for a string, without its call where there is nothing to escape. */
const jsonString = (text: string): string => (JSON_ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`);

const jsonOther = (cell: Cell): string => {
  if (cell === null) return 'null';
  if (typeof cell === 'string') return jsonString(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'null';
  return cell ? 'true' : 'false';
};

const jsonNumeric = (cell: Cell): string => (typeof cell === 'string' && DECIMAL.test(cell) ? cell : jsonOther(cell));

/** The JSON writer for a column type. INT64 and NUMERIC are written as bare numbers, digit for digit. */
export function jsonWriter(type: ScalarType): CellWriter {
  return type === 'INT64' || type === 'NUMERIC' ? jsonNumeric : jsonOther;
}

/** A cell as JSON text. INT64 and NUMERIC are written as bare numbers, digit for digit. */
export function jsonCell(cell: Cell, type: ScalarType): string {
  return jsonWriter(type)(cell);
}

const spreadsheetText = (cell: Cell): string => {
  if (cell === null) return '""';
  return typeof cell === 'string' ? jsonString(neutraliseFormula(cell)) : jsonOther(cell);
};

/**
 * The spreadsheet-range writer for a column type: numbers stay numbers, text is neutralised.
 * With `dates` serial, DATE, DATETIME and TIMESTAMP cells are numbers too (shared/temporal-numbers.ts);
 * a cell not in the warehouses' canonical text goes out as the text it is.
 */
export function spreadsheetWriter(type: ScalarType, dates: DateForm = 'iso'): CellWriter {
  if (type === 'STRING') return spreadsheetText;
  const json = jsonWriter(type);
  if (dates === 'serial' && NUMBERED_TYPES.has(type)) {
    return (cell) => {
      if (cell === null) return '""';
      return (typeof cell === 'string' ? temporalNumber(type, cell) : null) ?? json(cell);
    };
  }
  return (cell) => (cell === null ? '""' : json(cell));
}

/**
 * A formula trigger right after a character a spreadsheet may split cells or rows on: comma,
 * semicolon (the list separator where the decimal mark is a comma), tab, pipe, CR, LF.
 */
const TRIGGER_AFTER_SEPARATOR = /([,;\t|\r\n])([=+\-@\t\r])/g;

/**
 * Text for a CSV cell. Besides a leading trigger, one after a separator gets an apostrophe:
 * an importer set to another separator, or one that ignores quotes, would start a new cell
 * there, and OWASP's CSV Injection guidance (https://owasp.org/www-community/attacks/CSV_Injection)
 * says to mind separators as well as the first character for that reason.
 * @example neutraliseCsvText('Budget Q4;=2+5') // "Budget Q4;'=2+5"
 */
function neutraliseCsvText(text: string): string {
  return neutraliseFormula(text).replace(TRIGGER_AFTER_SEPARATOR, "$1'$2");
}

const CSV_QUOTED = /[",;\t\r\n]/;

const csvQuote = (text: string): string => (CSV_QUOTED.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** Any character neutraliseCsvText or csvQuote would act on, bar a leading trigger. */
const CSV_TEXT_SPECIAL = /[",;\t\r\n|]/;

const csvText = (text: string): string => {
  // Most text has no separator, quote or leading trigger, and comes back as it is.
  if (text.length === 0 || (!FORMULA_TRIGGERS.has(text[0]!) && !CSV_TEXT_SPECIAL.test(text))) return text;
  return csvQuote(neutraliseCsvText(text));
};

const csvWith =
  (text: (t: string) => string): CellWriter =>
  (cell) => {
    if (cell === null) return '';
    return text(typeof cell === 'string' ? cell : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : String(cell));
  };

const csvStringColumn = csvWith(csvText);
const csvOtherColumn = csvWith(csvQuote);

/**
 * The CSV writer for a column type, per RFC 4180: a field is quoted when it holds a quote, a
 * line break, or any separator a spreadsheet may use (comma, semicolon, tab), so a
 * semicolon-list locale keeps it one cell.
 */
export function csvWriter(type: ScalarType): CellWriter {
  if (type === 'STRING') return csvStringColumn;
  // Decimal text (INT64 and NUMERIC as the warehouses return them) holds nothing to quote.
  if (type === 'INT64' || type === 'NUMERIC')
    return (cell) => (typeof cell === 'string' && DECIMAL.test(cell) ? cell : csvOtherColumn(cell));
  return csvOtherColumn;
}

/** A CSV field for one cell; see csvWriter. */
export function csvField(cell: Cell, type: ScalarType): string {
  return csvWriter(type)(cell);
}
