import { defineView } from '../types.ts';

/**
 * The ActivConnect `daily_user_summary` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const dailyUserSummary = defineView({
  name: 'daily_user_summary',
  description:
    'One row per user per day: productive, unproductive, focused, collaboration and break time, first and last activity, location and goals.',
  columns: [
    { name: 'accountid', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak account number' },
    {
      name: 'active_day_count',
      type: 'INT64',
      minPlan: 'essentials_plus',
      description:
        "Active Days are days on which a user has met the minimum number of productive hours per day for it to be considered a work day. They are used to calculate averages, such as average productive hours per day, when a user's productive hours are divided by the number of Active Days in a given time period.",
    },
    {
      name: 'active_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: "The amount of time reported by the end user's computer (screen time) excluding Passive Time.",
    },
    { name: 'activity_week', type: 'DATE', minPlan: 'essentials', description: 'The first day of the week' },
    {
      name: 'attention_shift_activity_count',
      type: 'INT64',
      minPlan: 'professional',
      description:
        'An Attention Shift represents the number of occurrences in which a user exceeds the maximum threshold set for switching between productive applications/sites or screens within a minute Note: Switching from a productive to an unproductive activity will also be an attention shift in the first occurrence. Example based on distinct application/site: Switching between Email, PowerPoint and Slack within one minute. Example based on distinct screens: Opening 4+ unique PowerPoint presentations or 5+ unique Word documents within 1 minute Default thresholds: Application / Sites = 2 Screen Views = 4 The thresholds are configurable in Analytics > Settings',
    },
    {
      name: 'break_count',
      type: 'INT64',
      minPlan: 'professional',
      description:
        "The number of breaks (off-screen time) a user takes throughout the day. This is calculated by counting the number of times a user's computer is inactive for more than 5 consecutive minutes",
    },
    {
      name: 'break_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description: 'The break time (off-screen time) in seconds throughout the day',
    },
    {
      name: 'collaboration_activity_count',
      type: 'INT64',
      minPlan: 'professional',
      description: 'The number of collaboration activity occurrences per user per day',
    },
    {
      name: 'collaboration_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        'Collaboration is considered the working time in which an employee is engaged with others to coach, assign, align, brainstorm, socialize, and problem-solve. These activities are usually performed through Chat & Messaging or Meeting Software',
    },
    {
      name: 'core_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        "Time spent in productive Core applications/sites based on the user's primary group configuration for Activity Alignment (includes active and passive time)",
    },
    { name: 'day_of_week', type: 'STRING', minPlan: 'essentials', description: 'Sunday - Saturday' },
    { name: 'day_type', type: 'STRING', minPlan: 'essentials', description: 'Weekend / Weekday' },
    {
      name: 'first_activity_datetime',
      type: 'DATETIME',
      minPlan: 'essentials',
      description: 'The start of the day per user based on the first reported computer activity',
    },
    {
      name: 'first_activity_minutes_in_day',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The start of the day in INTEGER format per user based on the first reported computer activity',
    },
    {
      name: 'focused_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        'Working time in which an employee is engaged and working on a single task for an extended period of time without disruption or completing multi-tasking activities (also called attention shifts)',
    },
    {
      name: 'focused_session_count',
      type: 'INT64',
      minPlan: 'professional',
      description:
        'A count of uninterrupted, focused time sessions Note: An uninterrupted focus session is defined as any continuous series of logs on a single task that is not less than one minute',
    },
    {
      name: 'focused_session_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        'Focused Session Duration Seconds reflects the total amount of time employees operate without distractions or multitasking. It is calculated by adding up the time of each focused session',
    },
    {
      name: 'last_activity_datetime',
      type: 'DATETIME',
      minPlan: 'essentials',
      description: 'The end of day per user based on the last reported computer activity',
    },
    // Spelt last_activity_inutes_in_day in the dictionary; the pair of first_activity_minutes_in_day.
    {
      name: 'last_activity_minutes_in_day',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The end of day in INTEGER format per user based on the last reported computer activity.',
    },
    { name: 'local_date', type: 'DATE', minPlan: 'essentials', description: 'Date only with Time Zone conversion' },
    {
      name: 'location',
      type: 'STRING',
      minPlan: 'professional',
      description:
        'Location is based on where a user spends the majority of their time each day by looking at the anonymized "network signature" (public IP address + unique WiFi identifiers) where an activity takes place There are three location categories: Remote, Office, Office/Remote.',
    },
    {
      name: 'multitasking_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        'Multi-tasking activity performed within productive applications consists of general administrative business tasks while an attention shift event is happening Note: Each Attention Shift event captures the time of these activities for the next 3 minutes (attention residue), capping the last activity to 60 seconds max. Excludes: Activities classified as Chat & Messaging or Meeting Software. See Attention Shifts for more details.',
    },
    {
      name: 'non_business_activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The number of occurrences per user per day of non-business activities (unproductive and undefined)',
    },
    {
      name: 'non_business_activity_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        'Non-Business Hours/Day reflects the average hours in a day when an employee engages in unproductive or undefined activities.',
    },
    {
      name: 'non_core_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'professional',
      description:
        "Time spent in productive Non-Core applications/sites based on the user's primary group configuration for Activity Alignment (includes active and passive time)",
    },
    {
      name: 'offline_meeting_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials_plus',
      description:
        'Offline Meeting time is when an employee is not online, qualifying activity from an employee\'s calendar is used as an additional data source to fill in the "blank spaces" in digital activity with time spent in meetings. Note: The calendar integration must be enabled.',
    },
    {
      name: 'productive_active_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: 'The amount of time in applications classified as Productive or sites excluding Passive Time',
    },
    {
      name: 'productive_active_duration_seconds_in_schedule',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        'The amount of time in applications classified as Productive or sites excluding Passive Time during the user work schedule',
    },
    {
      name: 'productive_activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The number of productive activity occurrences per user per day',
    },
    {
      name: 'productive_passive_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: 'The amount of time in applications classified as Productive or sites excluding Active Time',
    },
    {
      name: 'productive_passive_duration_seconds_in_schedule',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        'The amount of time in applications classified as Productive or sites excluding Active Time during the user work schedule',
    },
    {
      name: 'productive_session_count',
      type: 'INT64',
      minPlan: 'essentials',
      description:
        'A count of uninterrupted productive time sessions. Note: An uninterrupted productive session is defined as any continuous series of logs in Productive Applications or Sites that are not less than 1 minute',
    },
    {
      name: 'productive_session_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        'Productivity Sessions Duration Seconds reflect the total amount of time users operate without unproductive disruption. This is calculated by adding up the time of each productive session',
    },
    {
      name: 'time_off_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: 'Total approved time off in seconds for a user on a given day',
    },
    {
      name: 'time_off_type',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Type of approved time off for a user on a given day (e.g., vacation, sick leave)',
    },
    {
      name: 'time_off_day',
      type: 'BOOL',
      minPlan: 'essentials',
      description: 'Day (partial or full) in which time off was approved for a user',
    },
    {
      name: 'total_activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The total activity count per user per day across all productivity classifications',
    },
    {
      name: 'total_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: "The amount of time reported by the end user's computer (Active and Passive) (screen time).",
    },
    {
      name: 'undefined_active_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        "Undefined is used for applications or sites that haven't been classified as Productive or Unproductive. This field displays the amount of time in unclassified activities, excluding Passive Time",
    },
    {
      name: 'undefined_activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The number of undefined activity occurrences per user per day',
    },
    {
      name: 'undefined_passive_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description:
        "Undefined is used for applications or sites that haven't been classified as Productive or Unproductive. This field displays the amount of time spent in unclassified activities, excluding Passive Time",
    },
    {
      name: 'unproductive_active_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: 'The amount of time spent in Unproductive applications or sites, excluding Active Time',
    },
    {
      name: 'unproductive_activity_count',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'The number of unproductive activity occurrences per user per day',
    },
    {
      name: 'unproductive_passive_duration_seconds',
      type: 'INT64',
      unit: 'seconds',
      minPlan: 'essentials',
      description: 'The amount of time spent in Unproductive applications or sites, excluding Passive Time',
    },
    {
      name: 'user_focus_goal',
      type: 'NUMERIC',
      minPlan: 'professional',
      description:
        'The goal is set for focused hours per day. Default value: 3.0 hrs The default value can be customized by team in Insights > Benchmarks and Goals.',
    },
    { name: 'user_id', type: 'INT64', minPlan: 'essentials', description: 'ActivTrak User ID' },
    {
      name: 'user_name',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'If a user alias was defined in ActivTrak, this field will populate the user alias record. Otherwise, a user record will be shown, matching the behavior in the ActivTrak app.',
    },
    {
      name: 'user_productivity_goal',
      type: 'NUMERIC',
      minPlan: 'essentials_plus',
      description:
        'The goal is set for productive hours per day. Default value: 6.0 hrs The default value can be customized by team in Insights > Benchmarks and Goals.',
    },
    {
      name: 'utilization_level',
      type: 'STRING',
      minPlan: 'professional',
      description:
        'A measure of employee engagement and well-being. Users are labeled as Healthy, Overutilized or Underutilized based on their average Productive Hrs/Day relative to the Productive Hrs/Day Goal set for their team: Healthy: Productive Hrs/Day are within 30% (+/-) of the Productive Hrs/Day Goal Overutilized: Productive Hrs/Day are at least 31% higher than the Productive Hrs/Day Goal Underutilized: Productive Hrs/Day are at least 31% lower than the Productive Hrs/Day Goal',
    },
  ],
  rowKey: ['user_id', 'local_date'],
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
    rowKey: 'The dictionary describes every measure as per user per day, so user_id and local_date identify a row.',
    dateColumn:
      'local_date is the day the activity is counted on in the account or user time zone, which is the day a spreadsheet user asks for.',
    changeColumn: 'Each daily build adds rows for a new local_date, so the newest date is where new data appears.',
  },
});
