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

/** A CSV field per RFC 4180: quoted when it holds a comma, quote or line break. */
export function csvField(cell: Cell, type: ScalarType): string {
  if (cell === null) return '';
  let text = typeof cell === 'string' ? cell : typeof cell === 'boolean' ? (cell ? 'true' : 'false') : String(cell);
  if (type === 'STRING') text = neutraliseFormula(text);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
