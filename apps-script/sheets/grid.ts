import { UserError } from '../api/errors.ts';
import type { CellValue, Sheet } from '../types/apps-script.ts';
import type { SheetColumn } from './columns.ts';

/**
 * Grows the sheet's grid to hold (lastRow, lastColumn). Sheets refuses a range outside the
 * grid, so rows and columns are added first, in one call each.
 */
function ensureGrid(sheet: Sheet, lastRow: number, lastColumn: number): void {
  try {
    const rows = sheet.getMaxRows();
    if (lastRow > rows) sheet.insertRowsAfter(rows, lastRow - rows);
    const columns = sheet.getMaxColumns();
    if (lastColumn > columns) sheet.insertColumnsAfter(columns, lastColumn - columns);
  } catch (err) {
    if (err instanceof Error && /limit of [\d,]+ cells/i.test(err.message)) {
      throw new UserError(
        "This would take the spreadsheet past Google Sheets' limit of 10,000,000 cells. Select fewer columns, a shorter date range or filters, or use another spreadsheet.",
      );
    }
    throw err;
  }
}

/**
 * Writes a block of rows with one setNumberFormats and one setValues: formats first, so a
 * text column is already plain text when "00123" arrives.
 */
export function writeBlock(sheet: Sheet, row: number, column: number, values: CellValue[][], columns: readonly SheetColumn[]): void {
  if (values.length === 0) return;
  const width = values[0]!.length;
  ensureGrid(sheet, row + values.length - 1, column + width - 1);
  const range = sheet.getRange(row, column, values.length, width);
  const formatRow = columns.slice(0, width).map((c) => c.numberFormat);
  range.setNumberFormats(values.map(() => formatRow));
  range.setValues(values);
}

export function writeHeader(sheet: Sheet, row: number, column: number, header: readonly string[]): void {
  ensureGrid(sheet, row, column + header.length - 1);
  const range = sheet.getRange(row, column, 1, header.length);
  range.setNumberFormats([header.map(() => '@')]);
  range.setValues([[...header]]);
  range.setFontWeight('bold');
  // Freezing the header only where it is the top of the sheet: freezing row 7 would pin
  // whatever the user put above it.
  if (row === 1 && sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
}

/** Empties rows [fromRow, toRow] of a block, for a refresh that came back shorter. */
export function clearRows(sheet: Sheet, fromRow: number, toRow: number, column: number, width: number): void {
  if (toRow < fromRow || width < 1) return;
  const last = Math.min(toRow, sheet.getMaxRows());
  if (last < fromRow) return;
  sheet.getRange(fromRow, column, last - fromRow + 1, width).clearContent();
}
