import { defineView } from '../types.ts';

/**
 * The ActivConnect `group_goals` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const groupGoals = defineView({
  name: 'group_goals',
  description: 'The daily core-activity target, in hours, for each group that has core categories configured.',
  columns: [
    {
      name: 'core_activity_hrs_day',
      type: 'NUMERIC',
      minPlan: 'professional',
      description:
        'Core Activity target in hours/day for configured groups. Calculated as percent of productive hrs/day goal × productive hrs_day goal. Only available for groups with core categories configured.',
    },
  ],
  rowKey: ['core_activity_hrs_day'],
  rowKeyUnique: false,
  dateColumn: null,
  changeColumn: null,
  freshness: {
    kind: 'reference',
    maxAgeSeconds: 15 * 60,
    staleSeconds: 24 * 60 * 60,
    why: 'Goals change only when an admin edits them, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey:
      'The dictionary lists no group identifier, only the target itself, so the whole row (its one column) is the key. It is not unique: two groups can have the same target, and BigQuery returns one row per group. Such rows are alike in every column, so paging counts how many of them a client already has.',
    dateColumn: 'A goal is a standing setting with no date.',
    changeColumn:
      'Nothing in the view moves forward when a goal is added or changed, so changes can only be found by reading the whole (small) view.',
  },
});
