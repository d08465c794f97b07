import type { CellValue, HtmlOutput, Menu, Range, Sheet, Spreadsheet, SpreadsheetApp, Ui } from '../../../apps-script/types/apps-script.ts';
import type { Costs, Execution } from './clock.ts';

/** Google Sheets' limit for a whole spreadsheet, all sheets together. */
const MAX_CELLS = 10_000_000;
const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;
/** What getNumberFormat() reports for a cell nobody formatted. */
const DEFAULT_FORMAT = '0.###############';
/** A cell holds at most 50,000 characters (https://support.google.com/drive/answer/37603). */
const MAX_CELL_CHARACTERS = 50_000;
export const CELL_TOO_LONG_MESSAGE = 'Your input contains more than the maximum of 50000 characters in a single cell.';

export interface Host {
  execution(): Execution;
  readonly costs: Costs;
  /** False inside a custom function, which may read the spreadsheet but never change it. */
  canWrite(): boolean;
  /** Whether this execution has a user interface (menus, sidebars, toasts). */
  hasUi(): boolean;
}

type Stored = string | number | boolean | Date;

/** One sheet's contents; the facades below read and write it for one execution at a time. */
export class SheetState {
  values: (Stored[] | undefined)[] = [];
  formats: (string[] | undefined)[] = [];
  readonly notes = new Map<string, string>();
  readonly formulas = new Map<string, string>();
  readonly bold = new Set<string>();
  frozenRows = 0;

  name: string;
  readonly id: number;

  maxRows = DEFAULT_ROWS;
  maxColumns = DEFAULT_COLUMNS;

  constructor(name: string, id: number) {
    this.name = name;
    this.id = id;
  }

  get(row: number, column: number): Stored {
    return this.values[row - 1]?.[column - 1] ?? '';
  }

  set(row: number, column: number, value: Stored): void {
    const r = (this.values[row - 1] ??= []);
    r[column - 1] = value;
  }

  format(row: number, column: number): string {
    return this.formats[row - 1]?.[column - 1] ?? DEFAULT_FORMAT;
  }

  setFormat(row: number, column: number, format: string): void {
    (this.formats[row - 1] ??= [])[column - 1] = format;
  }

  lastRow(): number {
    for (let r = this.values.length; r > 0; r--) if (this.values[r - 1]?.some((v) => v !== '' && v !== undefined)) return r;
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.values) {
      if (!row) continue;
      for (let c = row.length; c > last; c--) if (row[c - 1] !== '' && row[c - 1] !== undefined) last = c;
    }
    return last;
  }

  /** The sheet as plain rows up to its last row and column, for test assertions. */
  snapshot(): Stored[][] {
    const rows = this.lastRow();
    const columns = this.lastColumn();
    return Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => this.get(r + 1, c + 1)));
  }
}

export interface UiRecord {
  menus: Map<string, { caption: string; functionName: string | null }[]>;
  sidebars: { title: string; content: string }[];
  alerts: { title: string; prompt: string }[];
}

export class SpreadsheetState {
  readonly sheets: SheetState[] = [];
  activeSheetId: number;
  activeRange: { sheetId: number; row: number; column: number; numRows: number; numColumns: number } | null = null;
  readonly toasts: { message: string; title: string }[] = [];
  readonly ui: UiRecord = { menus: new Map(), sidebars: [], alerts: [] };
  private nextSheetId = 0;

  readonly id: string;
  name: string;
  timeZone: string;

  constructor(id: string, name: string, timeZone: string) {
    this.id = id;
    this.name = name;
    this.timeZone = timeZone;
    this.activeSheetId = this.addSheet('Sheet1').id;
  }

  addSheet(name: string): SheetState {
    if (this.sheets.some((s) => s.name === name))
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    this.checkCells(DEFAULT_ROWS * DEFAULT_COLUMNS);
    const sheet = new SheetState(name, this.nextSheetId === 0 ? 0 : 100_000 + this.nextSheetId * 7919);
    this.nextSheetId++;
    this.sheets.push(sheet);
    return sheet;
  }

  cells(): number {
    return this.sheets.reduce((n, s) => n + s.maxRows * s.maxColumns, 0);
  }

  checkCells(added: number): void {
    if (this.cells() + added > MAX_CELLS) {
      throw new Error(`This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`);
    }
  }

  sheet(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name === name);
  }
}

function columnLetters(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

function a1(row: number, column: number): string {
  return `${columnLetters(column)}${row}`;
}

function parseA1(text: string): { row: number; column: number; numRows: number; numColumns: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(text.trim());
  if (!m) throw new Error(`Range not found`);
  const col = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const r1 = Number(m[2]);
  const c1 = col(m[1]!);
  const r2 = m[4] ? Number(m[4]) : r1;
  const c2 = m[3] ? col(m[3]) : c1;
  return { row: Math.min(r1, r2), column: Math.min(c1, c2), numRows: Math.abs(r2 - r1) + 1, numColumns: Math.abs(c2 - c1) + 1 };
}

function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/**
 * A value as Sheets stores it when a script writes it: setValue/setValues read strings the
 * way typed input is read (a number, a boolean, a formula), unless the cell is plain text
 * ('@') or the string starts with an apostrophe, which Sheets hides and keeps as text.
 */
function coerce(value: unknown, format: string): { value: Stored; formula?: string } {
  if (value === null || value === undefined) return { value: '' };
  if (typeof value === 'number') return { value };
  if (typeof value === 'boolean') return { value };
  if (isDate(value)) return { value: new Date((value as Date).getTime()) };
  if (typeof value === 'string') {
    if (value.startsWith("'")) return { value: value.slice(1) };
    if (format === '@') return { value };
    if (value.startsWith('=') && value.length > 1) return { value: '', formula: value };
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) return { value: Number(value) };
    if (/^(true|false)$/i.test(value.trim())) return { value: value.trim().toLowerCase() === 'true' };
    return { value };
  }
  throw new Error(`Cannot convert ${Object.prototype.toString.call(value)} to a cell value.`);
}

abstract class Facade {
  protected readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  protected charge(ms: number = this.host.costs.spreadsheet): void {
    this.host.execution().charge(ms);
  }

  protected writing(method: string): void {
    this.charge();
    if (!this.host.canWrite()) throw new Error(`You do not have permission to call ${method}`);
  }
}

class FakeRange extends Facade implements Range {
  private readonly spreadsheet: SpreadsheetState;
  private readonly state: SheetState;
  private readonly row: number;
  private readonly column: number;
  private readonly numRows: number;
  private readonly numColumns: number;

  constructor(
    host: Host,
    spreadsheet: SpreadsheetState,
    state: SheetState,
    row: number,
    column: number,
    numRows: number,
    numColumns: number,
  ) {
    super(host);
    this.spreadsheet = spreadsheet;
    this.state = state;
    this.row = row;
    this.column = column;
    this.numRows = numRows;
    this.numColumns = numColumns;
    if (numRows < 1) throw new Error('The number of rows in the range must be at least 1.');
    if (numColumns < 1) throw new Error('The number of columns in the range must be at least 1.');
    if (row < 1 || column < 1 || row + numRows - 1 > state.maxRows || column + numColumns - 1 > state.maxColumns) {
      throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    }
  }

  getSheet(): Sheet {
    return new FakeSheet(this.host, this.spreadsheet, this.state);
  }
  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.column;
  }
  getNumRows(): number {
    return this.numRows;
  }
  getNumColumns(): number {
    return this.numColumns;
  }
  getLastRow(): number {
    return this.row + this.numRows - 1;
  }
  getLastColumn(): number {
    return this.column + this.numColumns - 1;
  }

  getA1Notation(): string {
    const start = a1(this.row, this.column);
    return this.numRows === 1 && this.numColumns === 1 ? start : `${start}:${a1(this.getLastRow(), this.getLastColumn())}`;
  }

  private each<T>(fn: (row: number, column: number) => T): T[][] {
    return Array.from({ length: this.numRows }, (_, r) =>
      Array.from({ length: this.numColumns }, (_, c) => fn(this.row + r, this.column + c)),
    );
  }

  private checkShape(data: unknown, what: string): asserts data is unknown[][] {
    if (!Array.isArray(data) || data.some((r) => !Array.isArray(r))) throw new Error(`Cannot convert ${what} to Object[][].`);
    if (data.length !== this.numRows) {
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${this.numRows}.`,
      );
    }
    for (const r of data as unknown[][]) {
      if (r.length !== this.numColumns) {
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${r.length} but the range has ${this.numColumns}.`,
        );
      }
    }
  }

  getValues(): CellValue[][] {
    this.charge(this.host.costs.readCells(this.numRows * this.numColumns));
    return this.each((r, c) => {
      const v = this.state.get(r, c);
      return isDate(v) ? new Date(v.getTime()) : v;
    });
  }

  getValue(): CellValue {
    return this.getValues()[0]![0]!;
  }

  setValues(values: CellValue[][]): Range {
    this.writing('setValues');
    this.checkShape(values, 'values');
    this.host.execution().charge(this.host.costs.writeCells(this.numRows * this.numColumns));
    const rows = values as unknown[][];
    // One cell over the limit fails the whole call before anything is written.
    if (rows.some((r) => r.some((v) => typeof v === 'string' && v.length > MAX_CELL_CHARACTERS))) throw new Error(CELL_TOO_LONG_MESSAGE);
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numColumns; c++) {
        const row = this.row + r;
        const column = this.column + c;
        const { value, formula } = coerce(rows[r]![c], this.state.format(row, column));
        this.state.set(row, column, value);
        if (formula) this.state.formulas.set(`${row},${column}`, formula);
        else this.state.formulas.delete(`${row},${column}`);
      }
    }
    return this;
  }

  setValue(value: CellValue): Range {
    return this.setValues(this.each(() => value));
  }

  getNumberFormats(): string[][] {
    this.charge(this.host.costs.readCells(this.numRows * this.numColumns));
    return this.each((r, c) => this.state.format(r, c));
  }

  setNumberFormat(format: string): Range {
    return this.setNumberFormats(this.each(() => format));
  }

  setNumberFormats(formats: string[][]): Range {
    this.writing('setNumberFormats');
    this.checkShape(formats, 'formats');
    this.host.execution().charge(this.host.costs.writeCells(this.numRows * this.numColumns) / 2);
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numColumns; c++) {
        const format = formats[r]![c];
        if (typeof format !== 'string') throw new Error('Cannot convert formats to String[][].');
        this.state.setFormat(this.row + r, this.column + c, format);
      }
    }
    return this;
  }

  getNote(): string {
    this.charge();
    return this.state.notes.get(`${this.row},${this.column}`) ?? '';
  }

  setNote(note: string | null): Range {
    this.writing('setNote');
    this.each((r, c) => (note ? this.state.notes.set(`${r},${c}`, String(note)) : this.state.notes.delete(`${r},${c}`)));
    return this;
  }

  clearContent(): Range {
    this.writing('clearContent');
    this.each((r, c) => {
      this.state.set(r, c, '');
      this.state.formulas.delete(`${r},${c}`);
    });
    return this;
  }

  setFontWeight(weight: 'bold' | 'normal' | null): Range {
    this.writing('setFontWeight');
    this.each((r, c) => (weight === 'bold' ? this.state.bold.add(`${r},${c}`) : this.state.bold.delete(`${r},${c}`)));
    return this;
  }

  offset(rowOffset: number, columnOffset: number, numRows = this.numRows, numColumns = this.numColumns): Range {
    this.charge();
    return new FakeRange(this.host, this.spreadsheet, this.state, this.row + rowOffset, this.column + columnOffset, numRows, numColumns);
  }
}

class FakeSheet extends Facade implements Sheet {
  private readonly spreadsheet: SpreadsheetState;
  readonly state: SheetState;

  constructor(host: Host, spreadsheet: SpreadsheetState, state: SheetState) {
    super(host);
    this.spreadsheet = spreadsheet;
    this.state = state;
  }

  private live(): SheetState {
    if (!this.spreadsheet.sheets.includes(this.state)) throw new Error('This sheet has been deleted.');
    return this.state;
  }

  getName(): string {
    this.charge();
    return this.live().name;
  }
  getSheetId(): number {
    this.charge();
    return this.live().id;
  }
  getParent(): Spreadsheet {
    return new FakeSpreadsheet(this.host, this.spreadsheet);
  }

  getRange(rowOrA1: number | string, column?: number, numRows = 1, numColumns = 1): Range {
    this.charge();
    if (typeof rowOrA1 === 'string') {
      const r = parseA1(rowOrA1);
      return new FakeRange(this.host, this.spreadsheet, this.live(), r.row, r.column, r.numRows, r.numColumns);
    }
    if (!Number.isInteger(rowOrA1) || !Number.isInteger(column))
      throw new Error('Cannot find method getRange(number,number) with non-integer arguments.');
    return new FakeRange(this.host, this.spreadsheet, this.live(), rowOrA1, column!, numRows, numColumns);
  }

  getLastRow(): number {
    this.charge();
    return this.live().lastRow();
  }
  getLastColumn(): number {
    this.charge();
    return this.live().lastColumn();
  }
  getMaxRows(): number {
    this.charge();
    return this.live().maxRows;
  }
  getMaxColumns(): number {
    this.charge();
    return this.live().maxColumns;
  }

  insertRowsAfter(afterPosition: number, howMany: number): Sheet {
    this.writing('insertRowsAfter');
    const s = this.live();
    if (afterPosition < 1 || afterPosition > s.maxRows || howMany < 1) throw new Error('Those rows are out of bounds.');
    this.spreadsheet.checkCells(howMany * s.maxColumns);
    // Rows are stored sparsely: only rows below the insertion point that hold something move.
    const shift = <T>(rows: (T | undefined)[]) =>
      afterPosition < rows.length
        ? rows.slice(0, afterPosition).concat(new Array<T | undefined>(howMany), rows.slice(afterPosition))
        : rows;
    s.values = shift(s.values);
    s.formats = shift(s.formats);
    s.maxRows += howMany;
    return this;
  }

  insertColumnsAfter(afterPosition: number, howMany: number): Sheet {
    this.writing('insertColumnsAfter');
    const s = this.live();
    if (afterPosition < 1 || afterPosition > s.maxColumns || howMany < 1) throw new Error('Those columns are out of bounds.');
    this.spreadsheet.checkCells(howMany * s.maxRows);
    s.values = s.values.map((row) =>
      row && afterPosition < row.length
        ? row.slice(0, afterPosition).concat(new Array<Stored>(howMany).fill(''), row.slice(afterPosition))
        : row,
    );
    s.formats = s.formats.map((row) =>
      row && afterPosition < row.length
        ? row.slice(0, afterPosition).concat(new Array<string>(howMany).fill(DEFAULT_FORMAT), row.slice(afterPosition))
        : row,
    );
    s.maxColumns += howMany;
    return this;
  }

  deleteRows(rowPosition: number, howMany: number): void {
    this.writing('deleteRows');
    const s = this.live();
    if (rowPosition < 1 || howMany < 1 || rowPosition + howMany - 1 > s.maxRows) throw new Error('Those rows are out of bounds.');
    if (howMany >= s.maxRows) throw new Error("You can't delete all the rows on the sheet.");
    s.values.splice(rowPosition - 1, howMany);
    s.formats.splice(rowPosition - 1, howMany);
    s.maxRows -= howMany;
  }

  setFrozenRows(rows: number): void {
    this.writing('setFrozenRows');
    this.live().frozenRows = rows;
  }
  getFrozenRows(): number {
    this.charge();
    return this.live().frozenRows;
  }

  appendRow(rowContents: CellValue[]): Sheet {
    this.writing('appendRow');
    const s = this.live();
    const row = s.lastRow() + 1;
    if (row > s.maxRows) {
      this.spreadsheet.checkCells(s.maxColumns);
      s.maxRows = row;
    }
    if (rowContents.length > s.maxColumns) {
      this.spreadsheet.checkCells((rowContents.length - s.maxColumns) * s.maxRows);
      s.maxColumns = rowContents.length;
    }
    rowContents.forEach((v, i) => s.set(row, i + 1, coerce(v, s.format(row, i + 1)).value));
    return this;
  }

  activate(): Sheet {
    this.charge();
    this.spreadsheet.activeSheetId = this.live().id;
    return this;
  }
}

class FakeSpreadsheet extends Facade implements Spreadsheet {
  readonly state: SpreadsheetState;

  constructor(host: Host, state: SpreadsheetState) {
    super(host);
    this.state = state;
  }

  getId(): string {
    return this.state.id;
  }
  getName(): string {
    this.charge();
    return this.state.name;
  }
  getSpreadsheetTimeZone(): string {
    this.charge();
    return this.state.timeZone;
  }
  getSheets(): Sheet[] {
    this.charge();
    return this.state.sheets.map((s) => new FakeSheet(this.host, this.state, s));
  }
  getSheetByName(name: string): Sheet | null {
    this.charge();
    const s = this.state.sheet(name);
    return s ? new FakeSheet(this.host, this.state, s) : null;
  }
  getActiveSheet(): Sheet {
    this.charge();
    const s = this.state.sheets.find((x) => x.id === this.state.activeSheetId) ?? this.state.sheets[0]!;
    return new FakeSheet(this.host, this.state, s);
  }
  getActiveRange(): Range | null {
    this.charge();
    const a = this.state.activeRange;
    const s = a && this.state.sheets.find((x) => x.id === a.sheetId);
    return a && s ? new FakeRange(this.host, this.state, s, a.row, a.column, a.numRows, a.numColumns) : null;
  }
  insertSheet(name: string): Sheet {
    this.writing('insertSheet');
    const s = this.state.addSheet(name);
    this.state.activeSheetId = s.id;
    return new FakeSheet(this.host, this.state, s);
  }
  toast(message: string, title = '', _timeoutSeconds?: number): void {
    this.writing('toast');
    this.state.toasts.push({ message: String(message), title: String(title) });
  }
}

class FakeMenu implements Menu {
  private readonly items: { caption: string; functionName: string | null }[] = [];
  private readonly caption: string;
  private readonly record: UiRecord;

  constructor(caption: string, record: UiRecord) {
    this.caption = caption;
    this.record = record;
  }
  addItem(caption: string, functionName: string): Menu {
    this.items.push({ caption, functionName });
    return this;
  }
  addSeparator(): Menu {
    this.items.push({ caption: '---', functionName: null });
    return this;
  }
  addSubMenu(menu: Menu): Menu {
    this.items.push({ caption: (menu as FakeMenu).caption, functionName: null });
    return this;
  }
  addToUi(): void {
    this.record.menus.set(this.caption, [...this.items]);
  }
}

class FakeUi implements Ui {
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' } as const;
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' } as const;
  private readonly record: UiRecord;

  constructor(record: UiRecord) {
    this.record = record;
  }
  createMenu(caption: string): Menu {
    return new FakeMenu(caption, this.record);
  }
  createAddonMenu(): Menu {
    // Under Extensions, named after the add-on (or, for a bound script, the project): https://developers.google.com/apps-script/reference/base/ui#createAddonMenu()
    return new FakeMenu('Extensions > ActivTrak', this.record);
  }
  showSidebar(output: HtmlOutput): void {
    this.record.sidebars.push({ title: output.getTitle(), content: output.getContent() });
  }
  showModalDialog(output: HtmlOutput, title: string): void {
    this.record.sidebars.push({ title, content: output.getContent() });
  }
  alert(title: string, prompt = ''): unknown {
    this.record.alerts.push({ title, prompt });
    return this.Button.OK;
  }
}

export class FakeSpreadsheetApp implements SpreadsheetApp {
  private readonly host: Host;
  private readonly state: SpreadsheetState;

  constructor(host: Host, state: SpreadsheetState) {
    this.host = host;
    this.state = state;
  }
  getActive(): Spreadsheet {
    this.host.execution().charge(this.host.costs.spreadsheet);
    return new FakeSpreadsheet(this.host, this.state);
  }
  getActiveSpreadsheet(): Spreadsheet {
    return this.getActive();
  }
  getUi(): Ui {
    if (!this.host.hasUi()) throw new Error('Cannot call SpreadsheetApp.getUi() from this context.');
    return new FakeUi(this.state.ui);
  }
  flush(): void {
    this.host.execution().charge(this.host.costs.spreadsheet);
  }
}
