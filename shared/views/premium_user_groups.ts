import { defineView } from '../types.ts';

/**
 * The ActivConnect `premium_user_groups` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const premiumUserGroups = defineView({
  name: 'premium_user_groups',
  description: "Which groups each monitored user belongs to, and which of them is the user's primary group.",
  columns: [
    { name: 'account_id', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak account number' },
    { name: 'group_id', type: 'INT64', minPlan: 'essentials', description: 'Unique ID for each group within ActivTrak' },
    {
      name: 'group_name',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Human-readable name of the group (e.g., "NY Office", "Marketing Team")',
    },
    { name: 'is_primary_group', type: 'BOOL', minPlan: 'essentials', description: 'Indicator of primary group' },
    { name: 'system_user_name', type: 'STRING', minPlan: 'essentials', description: 'Assigned by the OS for the logged-in user' },
    {
      name: 'type',
      type: 'INT64',
      minPlan: 'essentials',
      description:
        'Indicates the source of the group configuration: 0 – Active Directory 1 – ActivTrak In-App Configuration 2 – Azure Active Directory 3 – HRDC',
    },
    {
      name: 'user_alias',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'Comes from ActivTrak, not the operating system. User Aliases are used to combine multiple user logins in ActivTrak graphs and reports as well as provide a "friendly name" in case the "userraw" and "user" fields are ambiguous.',
    },
    { name: 'user_id', type: 'INT64', minPlan: 'essentials', description: 'ActivTrak User ID' },
    {
      name: 'user_name',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'If a user alias was defined in ActivTrak, this field will populate the user alias record. Otherwise, a user record will be shown, matching the behavior in the ActivTrak app.',
    },
  ],
  rowKey: ['group_id', 'user_id'],
  rowKeyUnique: true,
  dateColumn: null,
  changeColumn: null,
  freshness: {
    kind: 'reference',
    maxAgeSeconds: 15 * 60,
    staleSeconds: 24 * 60 * 60,
    why: 'Group membership changes only when an admin edits it or a directory sync runs, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey: 'The view has no row_id and lists one row per membership, so a group and a user together identify a row.',
    dateColumn: 'A group membership has no date.',
    changeColumn: 'The view has no timestamp or version column, so nothing moves forward when a membership changes.',
  },
});
