import { defineView } from '../types.ts';

/**
 * The ActivConnect `daily_group_benchmarks` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const dailyGroupBenchmarks = defineView({
  name: 'daily_group_benchmarks',
  description:
    'Account-wide daily benchmarks: total and top-quartile productive and focused time, and how many users were active or off, one row per day.',
  columns: [
    {
      name: 'active_day_count',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Number of user-days activated during a specific date',
    },
    { name: 'activity_date', type: 'DATE', minPlan: 'professional', description: 'Date only with Time Zone conversion' },
    {
      name: 'focused_user_count_top25',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Number of users in the top quartile based on their focused time during a specific date',
    },
    {
      name: 'focused_seconds_all',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description: 'Total focused time duration in seconds during a specific date',
    },
    {
      name: 'focused_seconds_top25',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description: 'Total focused time duration in seconds for users in the top quartile during a specific date',
    },
    {
      name: 'productive_seconds_all',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description: 'Total productive time duration in seconds during a specific date',
    },
    {
      name: 'productive_seconds_top25',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description: 'Total productive time duration in seconds for users in the top quartile during a specific date',
    },
    {
      name: 'productive_user_count_top25',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Number of users in the top quartile based on their productive time during a specific date',
    },
    {
      name: 'time_off_day_count',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Number of user-days in which time off (partial day or full day) was approved during a specific date',
    },
    {
      name: 'total_user_count',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Number of monitored users in the account during a specific date',
    },
  ],
  rowKey: ['activity_date'],
  rowKeyUnique: true,
  dateColumn: 'activity_date',
  changeColumn: 'activity_date',
  freshness: {
    kind: 'daily',
    maxAgeSeconds: 60 * 60,
    staleSeconds: 36 * 60 * 60,
    why: "ActivConnect rebuilds the daily views once a day, early morning in the account time zone, so data older than an hour is still current and yesterday's copy is usable until the next build.",
  },
  decisions: {
    rowKey: 'The view has no group or user column, so it holds one row per activity_date for the whole account.',
    dateColumn: 'activity_date is the day the benchmark describes, in the account time zone.',
    changeColumn: 'Each daily build adds the row for a new activity_date, so the newest date is where new data appears.',
  },
});
