/**
 * daily_group_benchmarks: one account-wide row per date, aggregated from that date's
 * user-day summaries, the same numbers daily_user_summary reports.
 */
import { dailyGroupBenchmarks } from '../../../shared/views/daily_group_benchmarks.ts';
import { formatDay } from './calendar.ts';
import { hasSummary, summarize, type DaySummary } from './summary.ts';
import { viewTable } from './table.ts';
import { buildUserDay } from './user-day.ts';
import type { World } from './world.ts';

interface DateRow {
  readonly world: World;
  readonly day: number;
  readonly summaries: readonly DaySummary[];
  readonly timeOffDays: number;
}

const productive = (s: DaySummary) => s.productiveActive + s.productivePassive;
const focused = (s: DaySummary) => s.focusedSeconds;

/** The users in the top quartile by `measure` among users with activity that day. */
function topQuartile(r: DateRow, measure: (s: DaySummary) => number): number[] {
  const active = r.summaries.filter((s) => s.totalCount > 0).map(measure);
  active.sort((a, b) => b - a);
  return active.slice(0, Math.ceil(active.length / 4));
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

export const dailyGroupBenchmarksTable = viewTable(
  dailyGroupBenchmarks,
  function* (world: World): Generator<DateRow> {
    for (let day = world.firstDay; day <= world.lastDay; day++) {
      const summaries: DaySummary[] = [];
      let timeOffDays = 0;
      for (const user of world.trackedUsers) {
        const ud = buildUserDay(world, user, day);
        if (!hasSummary(ud)) continue;
        summaries.push(summarize(ud));
        if (ud.timeOff) timeOffDays++;
      }
      yield { world, day, summaries, timeOffDays };
    }
  },
  {
    active_day_count: (r) => sum(r.summaries.map((s) => s.activeDay)),
    activity_date: (r) => formatDay(r.day),
    focused_user_count_top25: (r) => topQuartile(r, focused).length,
    focused_seconds_all: (r) => sum(r.summaries.map(focused)),
    focused_seconds_top25: (r) => sum(topQuartile(r, focused)),
    productive_seconds_all: (r) => sum(r.summaries.map(productive)),
    productive_seconds_top25: (r) => sum(topQuartile(r, productive)),
    productive_user_count_top25: (r) => topQuartile(r, productive).length,
    time_off_day_count: (r) => r.timeOffDays,
    total_user_count: (r) => r.world.trackedUsers.length,
  },
);
