import { UserError } from '../api/errors.ts';
import { utf8Length } from '../cache/chunked.ts';
import type { QuerySpec } from '../query/spec.ts';
import type { DurationStyle } from '../sheets/columns.ts';
import type { Properties } from '../types/apps-script.ts';

/** replace rewrites the range; append adds rows past the change column; merge updates by row key. */
export const MODES = ['replace', 'append', 'merge'] as const;

/** Why merge is refused for a view whose rows can share their key (group_goals). */
export const cannotMerge = (view: string) =>
  `${view} can hold identical rows (it has no column that tells them apart), so merge cannot tell which row to update. Use replace.`;
export type Mode = (typeof MODES)[number];
export const SCHEDULES = ['off', 'hour', 'day'] as const;
export type Every = (typeof SCHEDULES)[number];

interface LastRun {
  readonly at: number;
  readonly result: 'ok' | 'unchanged' | 'error' | 'continued';
  /** Rows written (appended, updated or rewritten) by the run. */
  readonly written: number;
  readonly error?: string;
}

/** A refresh that ran out of time and goes on in a follow-up execution. */
export interface Job {
  readonly cursor: string | null;
  readonly written: number;
  readonly startedAt: number;
  readonly runs: number;
  /** The change-column mark the run's query filters on; fixed for the whole run. */
  readonly since: string | null;
  /** The highest change-column value written so far by this run. */
  readonly newMark: string | null;
  readonly reason: string;
  /** The ETag of the run's first page, kept only once the whole run has been written. */
  readonly etag: string | null;
}

/**
 * A range an insert wrote, with everything needed to refresh it: where it is, the query,
 * how and when to refresh, and where the last run left off.
 */
export interface SavedRange {
  readonly id: string;
  readonly sheetId: number;
  /** The header cell: the range's top-left corner. */
  readonly row: number;
  readonly column: number;
  readonly spec: QuerySpec;
  readonly mode: Mode;
  readonly every: Every;
  /** For daily refreshes: the hour of day, in the spreadsheet's time zone. */
  readonly atHour: number;
  readonly durations: DurationStyle;
  /** Data rows below the header, and columns, as last written. */
  readonly rows: number;
  readonly width: number;
  /** The highest change-column value in the range (append and merge refreshes). */
  readonly mark: string | null;
  readonly etag: string | null;
  /** Fingerprint of the request the ETag answered; an ETag is only good for that request. */
  readonly etagFor: string | null;
  readonly last: LastRun | null;
  readonly job: Job | null;
  readonly nextDue: number | null;
}

/** Apps Script's limits: 9 KB per property value, 500 KB per store. */
const MAX_VALUE_BYTES = 9 * 1024;
const MAX_STORE_BYTES = 500 * 1024;

const PREFIX = 'acb.range.';

// Short names keep a saved range small: the store is 500 KB for every range of the document.
type Table = Record<string, string | readonly [string, Table]>;
const SPEC: Table = { view: 'v', select: 's', from: 'f', to: 't', filters: 'w', order: 'o', groupBy: 'g', limit: 'l' };
const LAST: Table = { at: 'a', result: 'r', written: 'n', error: 'e' };
const JOB: Table = { cursor: 'c', written: 'n', startedAt: 'a', runs: 'r', since: 'k', newMark: 'nk', reason: 'y', etag: 't' };
const RANGE: Table = {
  id: 'i',
  sheetId: 's',
  row: 'r',
  column: 'c',
  spec: ['q', SPEC],
  mode: 'm',
  every: 'e',
  atHour: 'h',
  durations: 'd',
  rows: 'n',
  width: 'wd',
  mark: 'k',
  etag: 't',
  etagFor: 'tf',
  last: ['l', LAST],
  job: ['j', JOB],
  nextDue: 'x',
};

function compact(value: Record<string, unknown>, table: Table): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [long, rule] of Object.entries(table)) {
    const v = value[long];
    if (v === null || v === undefined) continue;
    if (typeof rule === 'string') out[rule] = v;
    else out[rule[0]] = compact(v as Record<string, unknown>, rule[1]);
  }
  return out;
}

function expand(value: Record<string, unknown>, table: Table): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [long, rule] of Object.entries(table)) {
    const short = typeof rule === 'string' ? rule : rule[0];
    const v = value[short];
    if (v === undefined) continue;
    out[long] = typeof rule === 'string' ? v : expand(v as Record<string, unknown>, rule[1]);
  }
  return out;
}

export function encodeRange(range: SavedRange): string {
  return JSON.stringify(compact(range as unknown as Record<string, unknown>, RANGE));
}

export function decodeRange(text: string): SavedRange | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const r = expand(raw as Record<string, unknown>, RANGE);
  if (typeof r.id !== 'string' || typeof r.sheetId !== 'number' || !r.spec || typeof (r.spec as QuerySpec).view !== 'string') return null;
  return {
    id: r.id,
    sheetId: r.sheetId,
    row: Number(r.row) || 1,
    column: Number(r.column) || 1,
    spec: r.spec as QuerySpec,
    mode: (MODES as readonly unknown[]).includes(r.mode) ? (r.mode as Mode) : 'replace',
    every: (SCHEDULES as readonly unknown[]).includes(r.every) ? (r.every as Every) : 'off',
    atHour: Number(r.atHour ?? 6),
    durations: r.durations === 'hms' ? 'hms' : 'seconds',
    rows: Number(r.rows ?? 0),
    width: Number(r.width ?? 0),
    mark: (r.mark as string | undefined) ?? null,
    etag: (r.etag as string | undefined) ?? null,
    etagFor: (r.etagFor as string | undefined) ?? null,
    last: (r.last as LastRun | undefined) ?? null,
    job: r.job ? decodeJob(r.job as Partial<Job>) : null,
    nextDue: (r.nextDue as number | undefined) ?? null,
  };
}

// null fields are left out when saved; put them back so `cursor === null` means "first page".
function decodeJob(j: Partial<Job>): Job {
  return {
    cursor: j.cursor ?? null,
    written: Number(j.written ?? 0),
    startedAt: Number(j.startedAt ?? 0),
    runs: Number(j.runs ?? 0),
    since: j.since ?? null,
    newMark: j.newMark ?? null,
    reason: j.reason ?? '',
    etag: j.etag ?? null,
  };
}

/** Saved ranges of the document, read and written through its DocumentProperties. */
export class RangeStore {
  private readonly properties: Properties;

  constructor(properties: Properties) {
    this.properties = properties;
  }

  list(): SavedRange[] {
    const all = this.properties.getProperties();
    const ranges: SavedRange[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(PREFIX)) continue;
      const range = decodeRange(value);
      if (range) ranges.push(range);
    }
    return ranges.sort((a, b) => a.sheetId - b.sheetId || a.row - b.row || a.column - b.column);
  }

  get(id: string): SavedRange | null {
    const text = this.properties.getProperty(PREFIX + id);
    return text ? decodeRange(text) : null;
  }

  /**
   * Saves a range, refusing one that would not fit the property limits with a message that
   * says what to shorten, rather than letting Apps Script's "Argument too large" surface.
   */
  save(range: SavedRange): SavedRange {
    const text = encodeRange(range);
    const bytes = utf8Length(text);
    if (bytes > MAX_VALUE_BYTES) {
      throw new UserError(
        `This query is too long to save for refreshing (${Math.ceil(bytes / 1024)} KB; a saved query holds at most 9 KB). Use fewer filter values or columns.`,
      );
    }
    const key = PREFIX + range.id;
    const previous = this.properties.getProperty(key);
    let total = 0;
    for (const [k, v] of Object.entries(this.properties.getProperties())) total += utf8Length(k) + utf8Length(v);
    total += utf8Length(key) + bytes - (previous === null ? 0 : utf8Length(key) + utf8Length(previous));
    if (total > MAX_STORE_BYTES) {
      throw new UserError(
        'This spreadsheet has too many saved ActivTrak ranges to add another. Remove some under ActivTrak > Manage scheduled refreshes.',
      );
    }
    this.properties.setProperty(key, text);
    return range;
  }

  remove(id: string): void {
    this.properties.deleteProperty(PREFIX + id);
  }
}
