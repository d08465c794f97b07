/**
 * The slice of the Apps Script API this add-on uses, written by hand because
 * @types/google-apps-script is not a dependency. Kept to what the code calls, so the
 * Node stand-ins in test/support/apps-script/ implement exactly this and the compiler
 * tells both sides when either drifts.
 *
 * Nothing here is a global: the add-on receives these services as parameters
 * (server/services.ts reads the real globals once, at the edge).
 */

export type CellValue = string | number | boolean | Date;

export interface Services {
  readonly SpreadsheetApp: SpreadsheetApp;
  readonly UrlFetchApp: UrlFetchApp;
  readonly PropertiesService: PropertiesService;
  readonly CacheService: CacheService;
  readonly ScriptApp: ScriptApp;
  readonly HtmlService: HtmlService;
  readonly Utilities: Utilities;
  readonly Session: Session;
  readonly LockService: LockService;
}

// --- Spreadsheet ---------------------------------------------------------------------

export interface SpreadsheetApp {
  getActive(): Spreadsheet;
  getActiveSpreadsheet(): Spreadsheet;
  getUi(): Ui;
  flush(): void;
}

export interface Spreadsheet {
  getId(): string;
  getName(): string;
  getSpreadsheetTimeZone(): string;
  getSheets(): Sheet[];
  getSheetByName(name: string): Sheet | null;
  getActiveSheet(): Sheet;
  getActiveRange(): Range | null;
  insertSheet(name: string): Sheet;
  toast(message: string, title?: string, timeoutSeconds?: number): void;
}

export interface Sheet {
  getName(): string;
  getSheetId(): number;
  getParent(): Spreadsheet;
  getRange(row: number, column: number, numRows?: number, numColumns?: number): Range;
  getRange(a1Notation: string): Range;
  getLastRow(): number;
  getLastColumn(): number;
  getMaxRows(): number;
  getMaxColumns(): number;
  insertRowsAfter(afterPosition: number, howMany: number): Sheet;
  insertColumnsAfter(afterPosition: number, howMany: number): Sheet;
  setFrozenRows(rows: number): void;
  getFrozenRows(): number;
  appendRow(rowContents: CellValue[]): Sheet;
  deleteRows(rowPosition: number, howMany: number): void;
  activate(): Sheet;
}

export interface Range {
  getSheet(): Sheet;
  getRow(): number;
  getColumn(): number;
  getNumRows(): number;
  getNumColumns(): number;
  getLastRow(): number;
  getLastColumn(): number;
  getA1Notation(): string;
  getValues(): CellValue[][];
  setValues(values: CellValue[][]): Range;
  getValue(): CellValue;
  setValue(value: CellValue): Range;
  getNumberFormats(): string[][];
  setNumberFormat(format: string): Range;
  setNumberFormats(formats: string[][]): Range;
  getNote(): string;
  setNote(note: string | null): Range;
  clearContent(): Range;
  setFontWeight(weight: 'bold' | 'normal' | null): Range;
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): Range;
}

export interface Ui {
  createMenu(caption: string): Menu;
  createAddonMenu(): Menu;
  showSidebar(userInterface: HtmlOutput): void;
  showModalDialog(userInterface: HtmlOutput, title: string): void;
  alert(title: string, prompt?: string, buttons?: unknown): unknown;
  readonly ButtonSet: { readonly OK: unknown; readonly OK_CANCEL: unknown; readonly YES_NO: unknown };
  readonly Button: { readonly OK: unknown; readonly CANCEL: unknown; readonly YES: unknown; readonly NO: unknown; readonly CLOSE: unknown };
}

export interface Menu {
  addItem(caption: string, functionName: string): Menu;
  addSeparator(): Menu;
  addSubMenu(menu: Menu): Menu;
  addToUi(): void;
}

// --- UrlFetch ------------------------------------------------------------------------

export interface FetchParams {
  method?: 'get' | 'post' | 'put' | 'patch' | 'delete';
  contentType?: string;
  payload?: string;
  headers?: Record<string, string>;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
  validateHttpsCertificates?: boolean;
}

export interface HTTPResponse {
  getResponseCode(): number;
  getContentText(charset?: string): string;
  /** Header names as the server sent them; a repeated header becomes an array. */
  getHeaders(): Record<string, string | string[]>;
  getAllHeaders(): Record<string, string | string[]>;
}

export interface UrlFetchApp {
  fetch(url: string, params?: FetchParams): HTTPResponse;
}

// --- Properties, Cache, Lock ---------------------------------------------------------

export interface Properties {
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): Properties;
  setProperties(properties: Record<string, string>, deleteAllOthers?: boolean): Properties;
  getProperties(): Record<string, string>;
  getKeys(): string[];
  deleteProperty(key: string): Properties;
}

export interface PropertiesService {
  getUserProperties(): Properties;
  getDocumentProperties(): Properties | null;
  getScriptProperties(): Properties;
}

export interface Cache {
  get(key: string): string | null;
  getAll(keys: string[]): Record<string, string>;
  put(key: string, value: string, expirationInSeconds?: number): void;
  putAll(values: Record<string, string>, expirationInSeconds?: number): void;
  remove(key: string): void;
  removeAll(keys: string[]): void;
}

export interface CacheService {
  getUserCache(): Cache | null;
  getDocumentCache(): Cache | null;
  getScriptCache(): Cache;
}

export interface Lock {
  tryLock(timeoutInMillis: number): boolean;
  waitLock(timeoutInMillis: number): void;
  releaseLock(): void;
  hasLock(): boolean;
}

export interface LockService {
  getDocumentLock(): Lock | null;
  getScriptLock(): Lock;
  getUserLock(): Lock;
}

// --- Script (triggers) ---------------------------------------------------------------

export interface Trigger {
  getUniqueId(): string;
  getHandlerFunction(): string;
  getEventType(): unknown;
}

export interface ClockTriggerBuilder {
  everyMinutes(n: number): ClockTriggerBuilder;
  everyHours(n: number): ClockTriggerBuilder;
  everyDays(n: number): ClockTriggerBuilder;
  atHour(hour: number): ClockTriggerBuilder;
  nearMinute(minute: number): ClockTriggerBuilder;
  after(durationMilliseconds: number): ClockTriggerBuilder;
  inTimezone(timezone: string): ClockTriggerBuilder;
  create(): Trigger;
}

interface TriggerBuilder {
  timeBased(): ClockTriggerBuilder;
}

/**
 * getProjectTriggers is left out on purpose: it lists the user's triggers in every document
 * the add-on is installed in, so one spreadsheet would find (and delete) another's schedule.
 */
export interface ScriptApp {
  newTrigger(functionName: string): TriggerBuilder;
  /** The user's triggers of this script or add-on in one spreadsheet. */
  getUserTriggers(spreadsheet: Spreadsheet): Trigger[];
  deleteTrigger(trigger: Trigger): void;
  getInstallationSource(): unknown;
  readonly InstallationSource: {
    readonly NONE: unknown;
    readonly WEB_STORE_ADD_ON: unknown;
    readonly APPS_MARKETPLACE_DOMAIN_ADD_ON: unknown;
  };
  readonly AuthMode: { readonly NONE: unknown; readonly LIMITED: unknown; readonly FULL: unknown; readonly CUSTOM_FUNCTION: unknown };
}

/** What Apps Script passes onOpen and onInstall. */
export interface OpenEvent {
  readonly authMode?: unknown;
}

/** What a time-driven trigger passes its handler. */
export interface TimeDrivenEvent {
  readonly triggerUid?: string;
}

// --- Html ----------------------------------------------------------------------------

export interface HtmlOutput {
  setTitle(title: string): HtmlOutput;
  setWidth(width: number): HtmlOutput;
  setHeight(height: number): HtmlOutput;
  append(addedContent: string): HtmlOutput;
  getContent(): string;
  getTitle(): string;
}

export interface HtmlService {
  createHtmlOutputFromFile(filename: string): HtmlOutput;
  createHtmlOutput(html?: string): HtmlOutput;
}

// --- Utilities, Session --------------------------------------------------------------

/** Apps Script byte arrays are Java bytes: -128..127. */
export type Bytes = number[];

export interface Utilities {
  formatDate(date: Date, timeZone: string, format: string): string;
  parseDate(date: string, timeZone: string, format: string): Date;
  sleep(milliseconds: number): void;
  base64EncodeWebSafe(data: string | Bytes): string;
  computeDigest(algorithm: unknown, value: string): Bytes;
  getUuid(): string;
  readonly DigestAlgorithm: { readonly SHA_256: unknown };
}

export interface Session {
  getScriptTimeZone(): string;
  getActiveUser(): { getEmail(): string };
}
