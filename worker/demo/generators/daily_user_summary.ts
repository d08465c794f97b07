/** daily_user_summary: one row per user-day with activity or time off, computed from its events. */
import { dailyUserSummary } from '../../../shared/views/daily_user_summary.ts';
import { dayFields, formatDateTime, type DayFields } from './calendar.ts';
import { DEFAULT_GOALS } from './catalog.ts';
import { hasSummary, summarize, type DaySummary } from './summary.ts';
import { viewTable } from './table.ts';
import { userDays, type UserDay } from './user-day.ts';
import type { DemoUser, World } from './world.ts';

interface SummaryRow {
  readonly world: World;
  readonly ud: UserDay;
  readonly d: DayFields;
  readonly s: DaySummary;
}

/** Goals are kept in tenths of an hour so the NUMERIC values are exact ('6.5', '3.0'). */
const productiveGoalHours = (u: DemoUser) => (u.group.productiveGoalTenths ?? DEFAULT_GOALS.productiveGoalTenths) / 10;
const focusGoalHours = (u: DemoUser) => (u.group.focusGoalTenths ?? DEFAULT_GOALS.focusGoalTenths) / 10;

/** Healthy within 30% of the productive-hours goal, over- or under-utilized beyond it. */
function utilization(r: SummaryRow): string | null {
  if (r.s.totalCount === 0) return null;
  const ratio = (r.s.productiveActive + r.s.productivePassive) / 3600 / productiveGoalHours(r.ud.user);
  return ratio > 1.3 ? 'Overutilized' : ratio < 0.7 ? 'Underutilized' : 'Healthy';
}

export const dailyUserSummaryTable = viewTable(
  dailyUserSummary,
  function* (world: World): Generator<SummaryRow> {
    for (const ud of userDays(world)) {
      if (hasSummary(ud)) yield { world, ud, d: dayFields(ud.day), s: summarize(ud) };
    }
  },
  {
    accountid: (r) => r.world.accountId,
    active_day_count: (r) => r.s.activeDay,
    active_duration_seconds: (r) => r.s.activeSeconds,
    activity_week: (r) => r.d.activityWeek,
    attention_shift_activity_count: (r) => r.s.attentionShifts,
    break_count: (r) => r.s.breakCount,
    break_duration_seconds: (r) => r.s.breakSeconds,
    collaboration_activity_count: (r) => r.s.collaborationCount,
    collaboration_duration_seconds: (r) => r.s.collaborationSeconds,
    core_duration_seconds: (r) => r.s.coreSeconds,
    day_of_week: (r) => r.d.dayOfWeek,
    day_type: (r) => r.d.dayType,
    first_activity_datetime: (r) => (r.s.firstStart === null ? null : formatDateTime(r.ud.day, r.s.firstStart)),
    first_activity_minutes_in_day: (r) => (r.s.firstStart === null ? null : Math.floor(r.s.firstStart / 60)),
    focused_duration_seconds: (r) => r.s.focusedSeconds,
    focused_session_count: (r) => r.s.focusedSessionCount,
    focused_session_duration_seconds: (r) => r.s.focusedSessionSeconds,
    last_activity_datetime: (r) => (r.s.lastEnd === null ? null : formatDateTime(r.ud.day, r.s.lastEnd)),
    last_activity_minutes_in_day: (r) => (r.s.lastEnd === null ? null : Math.floor(r.s.lastEnd / 60)),
    local_date: (r) => r.d.localDate,
    location: (r) => r.s.location,
    multitasking_duration_seconds: (r) => r.s.multitaskingSeconds,
    non_business_activity_count: (r) => r.s.unproductiveCount + r.s.undefinedCount,
    non_business_activity_duration_seconds: (r) =>
      r.s.unproductiveActive + r.s.unproductivePassive + r.s.undefinedActive + r.s.undefinedPassive,
    non_core_duration_seconds: (r) => r.s.nonCoreSeconds,
    offline_meeting_duration_seconds: (r) => r.s.offlineMeetingSeconds,
    productive_active_duration_seconds: (r) => r.s.productiveActive,
    productive_active_duration_seconds_in_schedule: (r) => r.s.productiveActiveInSchedule,
    productive_activity_count: (r) => r.s.productiveCount,
    productive_passive_duration_seconds: (r) => r.s.productivePassive,
    productive_passive_duration_seconds_in_schedule: (r) => r.s.productivePassiveInSchedule,
    productive_session_count: (r) => r.s.productiveSessionCount,
    productive_session_duration_seconds: (r) => r.s.productiveSessionSeconds,
    time_off_duration_seconds: (r) => r.ud.timeOff?.seconds ?? 0,
    time_off_type: (r) => r.ud.timeOff?.type ?? null,
    time_off_day: (r) => r.ud.timeOff !== null,
    total_activity_count: (r) => r.s.totalCount,
    total_duration_seconds: (r) => r.s.totalSeconds,
    undefined_active_duration_seconds: (r) => r.s.undefinedActive,
    undefined_activity_count: (r) => r.s.undefinedCount,
    undefined_passive_duration_seconds: (r) => r.s.undefinedPassive,
    unproductive_active_duration_seconds: (r) => r.s.unproductiveActive,
    unproductive_activity_count: (r) => r.s.unproductiveCount,
    unproductive_passive_duration_seconds: (r) => r.s.unproductivePassive,
    user_focus_goal: (r) => focusGoalHours(r.ud.user),
    user_id: (r) => r.ud.user.uid,
    user_name: (r) => r.ud.user.reportName,
    user_productivity_goal: (r) => productiveGoalHours(r.ud.user),
    utilization_level: utilization,
  },
);
