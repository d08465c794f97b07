import type { ViewDef } from '../types.ts';
import { consumerGroups } from './consumer_groups.ts';
import { consumers } from './consumers.ts';
import { dailyApplicationSummary } from './daily_application_summary.ts';
import { dailyGroupBenchmarks } from './daily_group_benchmarks.ts';
import { dailyUserSummary } from './daily_user_summary.ts';
import { events } from './events.ts';
import { groupGoals } from './group_goals.ts';
import { hourlyOfflineMeetingSummary } from './hourly_offline_meeting_summary.ts';
import { premiumComputerGroups } from './premium_computer_groups.ts';
import { premiumUserGroups } from './premium_user_groups.ts';
import { userGroupCoreActivity } from './user_group_core_activity.ts';
import { userWorkSchedules } from './user_work_schedules.ts';
import { users } from './users.ts';

/** Every ActivConnect view by its name: the one list the API, schema and tests walk. */
export const VIEWS = {
  consumer_groups: consumerGroups,
  consumers,
  daily_application_summary: dailyApplicationSummary,
  daily_group_benchmarks: dailyGroupBenchmarks,
  daily_user_summary: dailyUserSummary,
  events,
  group_goals: groupGoals,
  hourly_offline_meeting_summary: hourlyOfflineMeetingSummary,
  premium_computer_groups: premiumComputerGroups,
  premium_user_groups: premiumUserGroups,
  user_group_core_activity: userGroupCoreActivity,
  user_work_schedules: userWorkSchedules,
  users,
} as const satisfies Record<string, ViewDef>;

export type ViewName = keyof typeof VIEWS;

/** View names in sorted order, for catalogs and anything that must list them stably. */
export const VIEW_NAMES: readonly ViewName[] = (Object.keys(VIEWS) as ViewName[]).sort();

/**
 * Narrows request input to a view name. Own keys only, so `toString` or `__proto__` in a
 * URL is not mistaken for a view.
 */
export function isViewName(value: unknown): value is ViewName {
  return typeof value === 'string' && Object.hasOwn(VIEWS, value);
}

/**
 * The definition of a view: exactly typed for a known name, `undefined` for any other string.
 * @example
 * getView('events').changeColumn // 'utc_timestamp'
 * getView(req.param('view')) ?? notFound()
 */
export function getView<N extends ViewName>(name: N): (typeof VIEWS)[N];
export function getView(name: string): ViewDef | undefined;
export function getView(name: string): ViewDef | undefined {
  return isViewName(name) ? VIEWS[name] : undefined;
}
