import { defineView } from '../types.ts';

/**
 * The ActivConnect `user_group_core_activity` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const userGroupCoreActivity = defineView({
  name: 'user_group_core_activity',
  description: 'The activity categories each group has configured as Core, one row per group and category.',
  columns: [
    { name: 'account_id', type: 'INT64', minPlan: 'professional', description: 'The ActivTrak account number' },
    {
      name: 'activity_id',
      type: 'INT64',
      minPlan: 'professional',
      description: "Shows a list of all category_ids configured as 'Core' Categories per team",
    },
    {
      name: 'group_id',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Shows each group that has been configured with core categories',
    },
    { name: 'row_id', type: 'INT64', minPlan: 'professional', description: 'Unique identifier for each row' },
  ],
  rowKey: ['row_id'],
  rowKeyUnique: true,
  dateColumn: null,
  changeColumn: null,
  freshness: {
    kind: 'reference',
    maxAgeSeconds: 15 * 60,
    staleSeconds: 24 * 60 * 60,
    why: 'Core categories change only when an admin edits them, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey: 'The dictionary calls row_id a unique identifier for each row.',
    dateColumn: 'A core-category setting has no date.',
    changeColumn: 'row_id is unique but nothing says it grows, and there is no timestamp, so new rows cannot be found by any column.',
  },
});
