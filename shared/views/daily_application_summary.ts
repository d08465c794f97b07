import { defineView } from '../types.ts';

/**
 * The ActivConnect `daily_application_summary` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const dailyApplicationSummary = defineView({
  name: 'daily_application_summary',
  description: 'Time spent in each application and website, per user, computer and day.',
  columns: [
    { name: 'accountid', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak account number' },
    {
      name: 'active_day_count',
      type: 'INT64',
      minPlan: 'professional',
      description:
        "Active Days are days on which a user has met the minimum number of productive hours per day for it to be considered a work day. They are used to calculate averages, such as average productive hours per day, when a user's productive hours are divided by the number of Active Days in a given time period.",
    },
    {
      name: 'activity_alignment_type',
      type: 'STRING',
      minPlan: 'professional',
      description:
        'Identifies if the activity is "Core" or "Non-Core" based on the user\'s primary group configuration for Activity Alignment.',
    },
    {
      name: 'activity_type',
      type: 'STRING',
      minPlan: 'essentials',
      description: "These are the main activity type classifications: 'Application', 'Site', 'Passive', 'Search', 'Offline Meeting'",
    },
    { name: 'activity_week', type: 'DATE', minPlan: 'essentials', description: 'The first day of the week' },
    { name: 'application', type: 'STRING', minPlan: 'essentials', description: 'The cleaned executable name' },
    {
      name: 'application_or_site',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'A combination of Application and Site objects Note: Different from Application_Site, this column displays only the Site details for web applications',
    },
    {
      name: 'browser_site',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Applications with site or URL content ex: Google Chrome(slack.com)',
    },
    {
      name: 'category',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The activity category is classified in the ActivTrak application. Ex: Business Tools, Social Media.',
    },
    { name: 'computer_id', type: 'INT64', minPlan: 'essentials', description: 'Computer ID' },
    { name: 'day_of_week', type: 'STRING', minPlan: 'essentials', description: 'Sunday - Saturday' },
    { name: 'day_type', type: 'STRING', minPlan: 'essentials', description: 'Weekend / Weekday' },
    { name: 'duration_seconds', type: 'INT64', unit: 'seconds', minPlan: 'essentials', description: 'The activity duration in seconds' },
    {
      name: 'executable',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The name of the application running, usually in its raw format. Ex: Slack.exe',
    },
    {
      name: 'first_activity_datetime',
      type: 'DATETIME',
      minPlan: 'essentials',
      description: 'Start of Day per user based on the first reported computer activity',
    },
    {
      name: 'host',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The extracted domain or domain with subdomain URL format.',
    },
    { name: 'local_date', type: 'DATE', minPlan: 'essentials', description: 'Date only with Time Zone conversion' },
    {
      name: 'passive_type_id',
      type: 'INT64',
      minPlan: 'essentials',
      description:
        'Identifies some subtypes of a passive status, like passive locked. Used to set a 0 duration seconds for activities that were deemed to be different from regular passive activities.',
    },
    {
      name: 'productivity',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'There are three productivity classifications: Productive, Unproductive, Undefined',
    },
    {
      name: 'time_off_day',
      type: 'BOOL',
      minPlan: 'essentials',
      description: 'Day (partial or full) in which time off was approved for a user',
    },
    { name: 'user_id', type: 'INT64', minPlan: 'essentials', description: 'ActivTrak User ID' },
    {
      name: 'user_name',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'If a user alias was defined in ActivTrak, this field will populate the user alias record. If not, a user record will be shown, matching the behavior in the ActivTrak app.',
    },
    {
      name: 'website',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'There are three activity type classifications: application, site, search',
    },
    {
      name: 'app_or_site_consolidated_name',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'Standardized application or website name used for reporting. Consolidates multiple technical variations (e.g., "Zoom.exe", "zoom.us") into a single clean name (e.g., "Zoom") to prevent duplicate entries in reports and provide accurate activity metrics',
    },
    {
      name: 'activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Number of times an application or website was used',
    },
  ],
  rowKey: ['user_id', 'local_date', 'computer_id', 'activity_type', 'application_or_site'],
  rowKeyUnique: true,
  dateColumn: 'local_date',
  changeColumn: 'local_date',
  freshness: {
    kind: 'daily',
    maxAgeSeconds: 60 * 60,
    staleSeconds: 36 * 60 * 60,
    why: "ActivConnect rebuilds the daily views once a day, early morning in the account time zone, so data older than an hour is still current and yesterday's copy is usable until the next build.",
  },
  decisions: {
    rowKey:
      "The summary aggregates a user's activity per day, computer and application or site, and activity_type keeps an application apart from a site or search of the same name.",
    dateColumn:
      'local_date is the day the activity is counted on in the account or user time zone, which is the day a spreadsheet user asks for.',
    changeColumn: 'Each daily build adds rows for a new local_date, so the newest date is where new data appears.',
  },
});
