import type { Utilities } from '../types/apps-script.ts';
import type { SavedRange } from './store.ts';

/**
 * The hourly trigger fires at a minute of Google's choosing that drifts from hour to hour;
 * a range refreshed at 10:07 must still be due when the trigger fires at 11:02.
 */
const HOURLY_SLACK_MS = 10 * 60_000;

/**
 * When a range is next due, given a run that finished at `after`: an hour later for hourly
 * ranges, the next `atHour` o'clock in the spreadsheet's zone for daily ones, never for the rest.
 */
export function nextDue(
  range: Pick<SavedRange, 'every' | 'atHour'>,
  after: number,
  timeZone: string,
  utilities: Pick<Utilities, 'formatDate' | 'parseDate'>,
): number | null {
  switch (range.every) {
    case 'off':
      return null;
    case 'hour':
      return after + 60 * 60_000 - HOURLY_SLACK_MS;
    case 'day': {
      const hour = String(Math.min(23, Math.max(0, Math.floor(range.atHour)))).padStart(2, '0');
      const at = (ms: number) =>
        utilities
          .parseDate(`${utilities.formatDate(new Date(ms), timeZone, 'yyyy-MM-dd')} ${hour}:00`, timeZone, 'yyyy-MM-dd HH:mm')
          .getTime();
      const today = at(after);
      // Going through the date text rather than adding 24 h keeps the hour right across DST changes.
      return today > after ? today : at(after + 26 * 60 * 60_000);
    }
  }
}

export function isDue(range: SavedRange, now: number): boolean {
  return range.every !== 'off' && (range.nextDue === null || range.nextDue <= now);
}
