import { defineView } from '../types.ts';

/**
 * The ActivConnect `consumers` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const consumers = defineView({
  name: 'consumers',
  description:
    'The people who sign in to the ActivTrak app itself (admins, configurators, power users, viewers), with their login email and role.',
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
    // The dictionary leaves this name blank; its description says it is the login email address.
    {
      name: 'email',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Email address used by application users to log in to the ActivTrak application',
    },
    {
      name: 'roles',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Role assigned to the application user: Admin, Configurator, Power User, Viewer',
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
    why: 'App users and their roles change only when an admin edits them, so a cached copy stays right for minutes and usable for a day.',
  },
  decisions: {
    rowKey: 'The dictionary calls row_id a unique and permanent identifier for a row in this view.',
    dateColumn: 'An app user has no business date; the ETL timestamps record bookkeeping, not when anything happened.',
    changeColumn: 'etl_last_update_datetime moves forward whenever a row is inserted or changed, so it finds new and edited rows.',
  },
});
