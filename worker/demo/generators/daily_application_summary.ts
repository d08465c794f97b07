/**
 * daily_application_summary: each user-day's events grouped by the view's row key, with
 * durations and counts summed, plus one 'Offline Meeting' row for the day's calendar
 * meetings. Grouping by the definition's rowKey (not a key written here) means the rows
 * are unique on that key by construction, whatever the key becomes.
 */
import { dailyApplicationSummary } from '../../../shared/views/daily_application_summary.ts';
import { dayFields, formatDateTime, type DayFields } from './calendar.ts';
import { summarize, type DaySummary } from './summary.ts';
import { viewTable, type ColumnValues } from './table.ts';
import { userDays, type DayEvent, type UserDay } from './user-day.ts';
import type { World } from './world.ts';

interface AppGroup {
  readonly world: World;
  readonly ud: UserDay;
  readonly d: DayFields;
  readonly s: DaySummary;
  /** The group's first event; null for the offline-meeting row. */
  readonly first: DayEvent | null;
  duration: number;
  count: number;
}

const OFFLINE_MEETINGS = 'Offline Meetings';

const host = (g: AppGroup) => {
  const a = g.first?.use.activity;
  return a === undefined || a.kind === 'Application' ? null : a.host;
};

const values: ColumnValues<typeof dailyApplicationSummary, AppGroup> = {
  accountid: (g) => g.world.accountId,
  active_day_count: (g) => g.s.activeDay,
  activity_alignment_type: (g) => (g.first?.use.core ? 'Core' : 'Non-Core'),
  activity_type: (g) => (g.first === null ? 'Offline Meeting' : g.first.passive ? 'Passive' : g.first.use.activity.kind),
  activity_week: (g) => g.d.activityWeek,
  application: (g) => {
    if (g.first === null) return null;
    const a = g.first.use.activity;
    return a.kind === 'Application' ? a.name : g.first.agent.computer.browser.name;
  },
  application_or_site: (g) => {
    if (g.first === null) return OFFLINE_MEETINGS;
    const a = g.first.use.activity;
    return a.kind === 'Application' ? a.name : a.host;
  },
  browser_site: (g) => {
    const h = host(g);
    return h === null ? null : `${g.first!.agent.computer.browser.name}(${h})`;
  },
  category: (g) => g.first?.use.activity.category ?? OFFLINE_MEETINGS,
  computer_id: (g) => g.first?.agent.computer.id ?? null,
  day_of_week: (g) => g.d.dayOfWeek,
  day_type: (g) => g.d.dayType,
  duration_seconds: (g) => g.duration,
  executable: (g) => {
    if (g.first === null) return null;
    const a = g.first.use.activity;
    const os = g.first.agent.computer.os;
    return a.kind === 'Application' ? a.executable[os] : g.first.agent.computer.browser.executable[os];
  },
  first_activity_datetime: (g) => (g.s.firstStart === null ? null : formatDateTime(g.ud.day, g.s.firstStart)),
  host,
  local_date: (g) => g.d.localDate,
  // 0 marks ordinary passive time; locked-screen passive time is not generated.
  passive_type_id: (g) => (g.first?.passive ? 0 : null),
  productivity: (g) => g.first?.use.productivity ?? 'Productive',
  time_off_day: (g) => g.ud.timeOff !== null,
  user_id: (g) => g.ud.user.uid,
  user_name: (g) => g.ud.user.reportName,
  website: host,
  app_or_site_consolidated_name: (g) => g.first?.use.activity.consolidated ?? OFFLINE_MEETINGS,
  activity_count: (g) => g.count,
};

const keyOf = (g: AppGroup) => JSON.stringify(dailyApplicationSummary.rowKey.map((column) => values[column](g)));

export const dailyApplicationSummaryTable = viewTable(
  dailyApplicationSummary,
  function* (world: World): Generator<AppGroup> {
    for (const ud of userDays(world)) {
      if (ud.events.length === 0) continue;
      const d = dayFields(ud.day);
      const s = summarize(ud);
      const groups = new Map<string, AppGroup>();
      for (const e of ud.events) {
        const g: AppGroup = {
          world,
          ud,
          d,
          s,
          first: e,
          duration: e.duration,
          count: 1,
        };
        const key = keyOf(g);
        const seen = groups.get(key);
        if (seen) {
          seen.duration += e.duration;
          seen.count++;
        } else {
          groups.set(key, g);
        }
      }
      yield* groups.values();
      if (ud.meetings.length > 0) {
        yield {
          world,
          ud,
          d,
          s,
          first: null,
          duration: s.offlineMeetingSeconds,
          count: ud.meetings.length,
        };
      }
    }
  },
  values,
);
