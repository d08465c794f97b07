/**
 * The demo warehouse's data: a deterministic, believable ActivTrak account for every
 * ActivConnect view. Runs unchanged in workerd and Node (no node: imports, no host time
 * zone, no Math.random).
 *
 * Rows stream: each view's `rows` regenerates its data on every pass, one user-day at a
 * time, so a million events never sit in memory at once. The daily summaries are computed
 * from the same user-day events the events view yields (see generators/user-day.ts).
 */
import type { ViewName } from '../../shared/views/index.ts';
import { consumerGroupsTable } from './generators/consumer_groups.ts';
import { consumersTable } from './generators/consumers.ts';
import { dailyApplicationSummaryTable } from './generators/daily_application_summary.ts';
import { dailyGroupBenchmarksTable } from './generators/daily_group_benchmarks.ts';
import { dailyUserSummaryTable } from './generators/daily_user_summary.ts';
import { eventsTable } from './generators/events.ts';
import { groupGoalsTable } from './generators/group_goals.ts';
import { hourlyOfflineMeetingSummaryTable } from './generators/hourly_offline_meeting_summary.ts';
import { premiumComputerGroupsTable } from './generators/premium_computer_groups.ts';
import { premiumUserGroupsTable } from './generators/premium_user_groups.ts';
import type { DemoTable, TableFactory } from './generators/table.ts';
import { userGroupCoreActivityTable } from './generators/user_group_core_activity.ts';
import { userWorkSchedulesTable } from './generators/user_work_schedules.ts';
import { usersTable } from './generators/users.ts';
import { buildWorld, type DemoOptions, type World } from './generators/world.ts';

export type { DemoOptions } from './generators/world.ts';

/** Keyed by view name, so adding a view to the definitions is a type error here until it has a generator. */
const FACTORIES: { readonly [N in ViewName]: TableFactory } = {
  consumer_groups: consumerGroupsTable,
  consumers: consumersTable,
  daily_application_summary: dailyApplicationSummaryTable,
  daily_group_benchmarks: dailyGroupBenchmarksTable,
  daily_user_summary: dailyUserSummaryTable,
  events: eventsTable,
  group_goals: groupGoalsTable,
  hourly_offline_meeting_summary: hourlyOfflineMeetingSummaryTable,
  premium_computer_groups: premiumComputerGroupsTable,
  premium_user_groups: premiumUserGroupsTable,
  user_group_core_activity: userGroupCoreActivityTable,
  user_work_schedules: userWorkSchedulesTable,
  users: usersTable,
};

/**
 * Size presets. `eventsPerUserDay` is a full weekday's mean; weekends, time off and
 * untracked users bring the totals down. Events over 90 days: small ≈ 125k, large
 * 1.10M–1.19M across the seeds tried (always above the million benchmarks need).
 */
export const DEMO_SIZES = {
  tiny: { users: 5, days: 7, eventsPerUserDay: 20 },
  small: { users: 50, days: 90, eventsPerUserDay: 40 },
  large: { users: 50, days: 90, eventsPerUserDay: 360 },
} as const satisfies Record<string, Pick<DemoOptions, 'users' | 'days' | 'eventsPerUserDay'>>;

export type DemoSize = keyof typeof DEMO_SIZES;

export interface DemoData {
  readonly options: DemoOptions;
  readonly world: World;
  readonly tables: { readonly [N in ViewName]: DemoTable };
}

/**
 * Draws the demo account. Cheap: rows are produced only when a table's `rows` is iterated.
 * @example
 * const data = generateDemo({ seed: 1, accountId: 417_001, endDate: '2025-06-30', ...DEMO_SIZES.tiny });
 * for (const row of data.tables.events.rows) { ... } // arrays in data.tables.events.columns order
 */
export function generateDemo(options: DemoOptions): DemoData {
  const world = buildWorld(options);
  const tables = Object.fromEntries(Object.entries(FACTORIES).map(([name, factory]) => [name, factory(world)])) as {
    [N in ViewName]: DemoTable;
  };
  return { options, world, tables };
}
