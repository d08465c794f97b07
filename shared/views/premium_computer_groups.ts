import { defineView } from '../types.ts';

/**
 * The ActivConnect `premium_computer_groups` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const premiumComputerGroups = defineView({
  name: 'premium_computer_groups',
  description: "Which group each monitored computer belongs to, with the computer's name and alias.",
  columns: [
    {
      name: 'row_id',
      type: 'INT64',
      minPlan: 'professional',
      description: 'Unique, system-generated, and permanent identifier for a specific row in this view',
    },
    { name: 'account_id', type: 'INT64', minPlan: 'professional', description: 'The ActivTrak account number' },
    { name: 'computer_id', type: 'INT64', minPlan: 'professional', description: 'Computer ID' },
    {
      name: 'group_id',
      type: 'INT64',
      minPlan: 'professional',
      description: "Unique ID for the computer's group within ActivTrak",
    },
    { name: 'group_name', type: 'STRING', minPlan: 'professional', description: 'Human-readable name of the computer’s group' },
    { name: 'computer_name', type: 'STRING', minPlan: 'professional', description: 'The managed computer name' },
    {
      name: 'computer_alias',
      type: 'STRING',
      minPlan: 'professional',
      description:
        'The name of the managed computer it appears in Activtrak reports when a different name is provided in the Computer Aliases page',
    },
    {
      name: 'etl_insert_datetime',
      type: 'TIMESTAMP',
      minPlan: 'professional',
      description: 'Date and time row was inserted in this table',
    },
    {
      name: 'etl_last_update_datetime',
      type: 'TIMESTAMP',
      minPlan: 'professional',
      description: 'Date and time row was last updated in this table',
    },
  ],
  rowKey: ['row_id'],
  rowKeyUnique: true,
  dateColumn: null,
  changeColumn: 'etl_last_update_datetime',
  freshness: {
    kind: 'reference',
    maxAgeSeconds: 15 * 60,
    staleSeconds: 24 * 60 * 60,
    why: 'Computer groups change only when an admin edits them or a directory sync runs, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey: 'The dictionary calls row_id a unique and permanent identifier for a row in this view.',
    dateColumn: "A computer's group membership has no business date; the ETL timestamps record bookkeeping, not when anything happened.",
    changeColumn: 'etl_last_update_datetime moves forward whenever a row is inserted or changed, so it finds new and edited rows.',
  },
});
