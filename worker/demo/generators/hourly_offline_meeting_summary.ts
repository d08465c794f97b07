/**
 * hourly_offline_meeting_summary: each user-day's calendar meetings split into clock
 * hours, so a day's rows add up to daily_user_summary.offline_meeting_duration_seconds.
 */
import { hourlyOfflineMeetingSummary } from '../../../shared/views/hourly_offline_meeting_summary.ts';
import { formatDateTime } from './calendar.ts';
import { FIRST_NAMES, LAST_NAMES } from './catalog.ts';
import { viewTable } from './table.ts';
import type { World } from './world.ts';
import { userDays, type UserDay } from './user-day.ts';

interface HourRow {
  readonly ud: UserDay;
  readonly hour: number;
  readonly seconds: number;
  readonly titles: readonly string[];
}

/** More users than the name pool allows can never exist, so ids below never collide. */
const MAX_USERS = FIRST_NAMES.length * LAST_NAMES.length;

export const hourlyOfflineMeetingSummaryTable = viewTable(
  hourlyOfflineMeetingSummary,
  function* (world: World): Generator<HourRow> {
    for (const ud of userDays(world)) {
      if (ud.meetings.length === 0) continue;
      const hours = new Map<number, { seconds: number; titles: string[] }>();
      for (const m of ud.meetings) {
        for (let h = Math.floor(m.start / 3600); h * 3600 < m.start + m.duration; h++) {
          const seconds = Math.min(m.start + m.duration, (h + 1) * 3600) - Math.max(m.start, h * 3600);
          const slot = hours.get(h) ?? { seconds: 0, titles: [] };
          slot.seconds += seconds;
          slot.titles.push(m.title);
          hours.set(h, slot);
        }
      }
      for (const [hour, { seconds, titles }] of hours) yield { ud, hour, seconds, titles };
    }
  },
  {
    // Derived from (day, hour, user) rather than counted, so a row keeps its id when the
    // demo is regenerated over a longer or later range, as a permanent id should.
    row_id: (r) => (r.ud.day * 24 + r.hour) * MAX_USERS + r.ud.user.index + 1,
    start_time: (r) => formatDateTime(r.ud.day, r.hour * 3600),
    duration_seconds_in_hour: (r) => r.seconds,
    user_id: (r) => r.ud.user.uid,
    user_name: (r) => r.ud.user.reportName,
    group_id: (r) => r.ud.user.group.id,
    group_name: (r) => r.ud.user.group.name,
    calendar_meetings: (r) => r.titles.join(', '),
  },
);
