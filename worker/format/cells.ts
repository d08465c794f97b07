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

/** A cell as JSON text. INT64 and NUMERIC are written as bare numbers, digit for digit. */
export function jsonCell(cell: Cell, type: ScalarType): string {
  if (cell === null) return 'null';
  if (typeof cell === 'string') {
    if ((type === 'INT64' || type === 'NUMERIC') && DECIMAL.test(cell)) return cell;
    return JSON.stringify(cell);
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'null';
  return cell ? 'true' : 'false';
}

/** A cell for a spreadsheet range: numbers stay numbers, text is neutralised. */
export function spreadsheetCell(cell: Cell, type: ScalarType): string {
  if (cell === null) return '""';
  if (type === 'STRING' && typeof cell === 'string') return JSON.stringify(neutraliseFormula(cell));
  return jsonCell(cell, type);
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

/**
 * A CSV field per RFC 4180, quoted when it holds a quote, a line break, or any separator a
 * spreadsheet may use (comma, semicolon, tab), so a semicolon-list locale keeps it one cell.
 */
export function csvField(cell: Cell, type: ScalarType): string {
  if (cell === null) return '';
  let text = typeof cell === 'string' ? cell : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : String(cell);
  if (type === 'STRING') text = neutraliseCsvText(text);
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
