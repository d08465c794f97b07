import { defineView } from '../types.ts';

/**
 * The ActivConnect `consumer_groups` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const consumerGroups = defineView({
  name: 'consumer_groups',
  description:
    'Which user groups each person who signs in to the ActivTrak app (admin, configurator, viewer…) is allowed to see, one row per app user and group.',
  columns: [
    {
      name: 'row_id',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Unique, system-generated, and permanent identifier for a specific row in this view',
    },
    { name: 'account_id', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak account number' },
    {
      name: 'activtrak_id',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Unique ID for the application user. These users can be viewed under Settings > Access > App Access',
    },
    {
      name: 'group_id',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Viewable Groups to which the application user has access; Admin/Configurator roles have access to all groups',
    },
    {
      name: 'etl_insert_datetime',
      type: 'TIMESTAMP',
      minPlan: 'essentials',
      description: 'Date and time row was inserted in this table',
    },
    {
      name: 'etl_last_update_datetime',
      type: 'TIMESTAMP',
      minPlan: 'essentials',
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
    why: 'Access to groups changes only when an admin edits it, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey: 'The dictionary calls row_id a unique and permanent identifier for a row in this view.',
    dateColumn: 'A grant of access to a group has no business date; the ETL timestamps record bookkeeping, not when anything happened.',
    changeColumn: 'etl_last_update_datetime moves forward whenever a row is inserted or changed, so it finds new and edited rows.',
  },
});
