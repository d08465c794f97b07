import type { Spreadsheet, Utilities } from '../types/apps-script.ts';

const LOG_SHEET = 'ActivTrak log';
const HEADER = ['Time', 'Range', 'View', 'Mode', 'Started by', 'Result', 'Rows written', 'Rows in range', 'Seconds', 'Detail'];
const FORMATS = ['yyyy-mm-dd hh:mm:ss', '@', '@', '@', '@', '@', '0', '0', '0.0', '@'];
/** Runs kept: the sheet is a history, not an archive, and must stay quick to open. */
const MAX_LOG_ROWS = 1000;

export interface LogEntry {
  readonly at: Date;
  readonly range: string;
  readonly view: string;
  readonly mode: string;
  readonly startedBy: string;
  readonly result: string;
  readonly written: number;
  readonly rows: number;
  readonly seconds: number;
  readonly detail: string;
}

/** Adds a run to the "ActivTrak log" sheet, creating it on first use, newest at the bottom. */
export function appendLog(spreadsheet: Spreadsheet, entry: LogEntry): void {
  let sheet = spreadsheet.getSheetByName(LOG_SHEET);
  if (!sheet) {
    sheet = spreadsheet.insertSheet(LOG_SHEET);
    const header = sheet.getRange(1, 1, 1, HEADER.length);
    header.setValues([HEADER]);
    header.setFontWeight('bold');
    sheet.setFrozenRows(1);
  }
  let last = sheet.getLastRow();
  if (last > MAX_LOG_ROWS) {
    sheet.deleteRows(2, last - MAX_LOG_ROWS);
    last = MAX_LOG_ROWS;
  }
  const row = last + 1;
  if (row > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), 100);
  const range = sheet.getRange(row, 1, 1, HEADER.length);
  range.setNumberFormats([FORMATS]);
  range.setValues([
    [
      entry.at,
      entry.range,
      entry.view,
      entry.mode,
      entry.startedBy,
      entry.result,
      entry.written,
      entry.rows,
      Math.round(entry.seconds * 10) / 10,
      entry.detail.slice(0, 1000),
    ],
  ]);
}

/** "2026-09-05 08:00" in the spreadsheet's zone, for notes and the sidebar. */
export function formatTime(utilities: Pick<Utilities, 'formatDate'>, timeZone: string, ms: number): string {
  return utilities.formatDate(new Date(ms), timeZone, 'yyyy-MM-dd HH:mm');
}

/** 12,345: digit grouping without Intl, whose locale data Apps Script does not promise. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
