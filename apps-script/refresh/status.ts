import { formatCount, formatTime } from '../sheets/log.ts';
import type { Sheet, Utilities } from '../types/apps-script.ts';
import type { SavedRange } from './store.ts';

const EVERY: Record<SavedRange['every'], string> = { off: 'no schedule', hour: 'every hour', day: 'every day' };

/** The note on a range's header cell: what it holds and how its last refresh went. */
function statusNote(range: SavedRange, timeZone: string, utilities: Pick<Utilities, 'formatDate'>): string {
  const schedule = range.every === 'day' ? `${EVERY.day} at ${String(range.atHour).padStart(2, '0')}:00` : EVERY[range.every];
  const lines = [`ActivTrak: ${range.spec.view} (${range.mode}, ${schedule})`, `Rows: ${formatCount(range.rows)}`];
  const last = range.last;
  if (last) {
    const when = formatTime(utilities, timeZone, last.at);
    const what =
      last.result === 'ok'
        ? `${formatCount(last.written)} rows loaded`
        : last.result === 'unchanged'
          ? 'no change'
          : last.result === 'continued'
            ? `in progress, ${formatCount(last.written)} rows so far`
            : 'failed';
    lines.push(`Last refresh: ${when} (${what})`);
    if (last.result === 'error' && last.error) lines.push(`Error: ${last.error}`);
  }
  if (range.nextDue !== null && range.every !== 'off') lines.push(`Next: ${formatTime(utilities, timeZone, range.nextDue)}`);
  return lines.join('\n');
}

export function writeStatus(sheet: Sheet, range: SavedRange, timeZone: string, utilities: Pick<Utilities, 'formatDate'>): void {
  sheet.getRange(range.row, range.column).setNote(statusNote(range, timeZone, utilities));
}
