/**
 * Dates as whole day numbers (days since 1970-01-01) and times as seconds since local
 * midnight: integer arithmetic is fast and exact, and Date objects would drag the host's
 * time zone into a generator that must give the same bytes everywhere.
 */

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type DayName = (typeof DAY_NAMES)[number];

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Day number of a 'YYYY-MM-DD' string; throws on anything else. */
export function parseDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`expected a date as YYYY-MM-DD, got '${date}'`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / 86_400_000;
  if (formatDay(day) !== date) throw new Error(`'${date}' is not a calendar date`);
  return day;
}

/** 'YYYY-MM-DD' */
export function formatDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function dayName(day: number): DayName {
  return DAY_NAMES[weekday(day)]!;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** ActivTrak weeks start on Sunday. */
function weekStart(day: number): number {
  return day - weekday(day);
}

/** BigQuery's EXTRACT(WEEK FROM date): Sunday-based, days before the year's first Sunday are week 0. */
function weekOfYear(day: number): number {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / 86_400_000;
  const firstSunday = jan1 + ((7 - weekday(jan1)) % 7);
  return day < firstSunday ? 0 : Math.floor((day - firstSunday) / 7) + 1;
}

/** 'HH:MM:SS' for seconds since midnight (0 ≤ s < 86400). */
export function formatTime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}`;
}

/** DATETIME text 'YYYY-MM-DDTHH:MM:SS'; seconds may run past midnight into the next day. */
export function formatDateTime(day: number, seconds: number): string {
  const extra = Math.floor(seconds / 86_400);
  return `${formatDay(day + extra)}T${formatTime(seconds - extra * 86_400)}`;
}

/** TIMESTAMP text 'YYYY-MM-DDTHH:MM:SSZ' for a local time at the given UTC offset. */
export function formatUtc(day: number, localSeconds: number, offsetMinutes: number): string {
  return `${formatDateTime(day, localSeconds - offsetMinutes * 60)}Z`;
}

/**
 * UTC offset of a US time zone on a day: daylight time (+60) from the second Sunday of
 * March to the first Sunday of November. Taken per day, not per instant, because demo
 * users are never at work at 2 a.m. when the clocks change.
 */
export function usOffsetMinutes(standardOffsetMinutes: number, day: number): number {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  const nthSunday = (month: number, n: number) => {
    const first = Date.UTC(year, month, 1) / 86_400_000;
    return first + ((7 - weekday(first)) % 7) + 7 * (n - 1);
  };
  return day >= nthSunday(2, 2) && day < nthSunday(10, 1) ? standardOffsetMinutes + 60 : standardOffsetMinutes;
}

/** BigQuery-style period names the events view reports. */
export function periodOfDay(seconds: number): string {
  const h = Math.floor(seconds / 3600) % 24;
  if (h < 6) return 'Night';
  if (h < 12) return 'Morning';
  if (h < 18) return 'Afternoon';
  return 'Evening';
}

/** The calendar columns every daily view repeats, formatted once per day. */
export interface DayFields {
  readonly localDate: string;
  readonly dayOfWeek: DayName;
  readonly dayType: 'Weekday' | 'Weekend';
  readonly activityWeek: string;
  readonly weekOfYear: number;
}

export function dayFields(day: number): DayFields {
  return {
    localDate: formatDay(day),
    dayOfWeek: dayName(day),
    dayType: isWeekend(day) ? 'Weekend' : 'Weekday',
    activityWeek: formatDay(weekStart(day)),
    weekOfYear: weekOfYear(day),
  };
}
