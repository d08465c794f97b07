import { defineView } from '../types.ts';

/**
 * The ActivConnect `events` view. Columns, types, plans and descriptions are the data
 * dictionary's after the repairs in ../dictionary-repairs.ts; definitions.unit.test.ts fails
 * if they drift from it. rowKey, dateColumn, changeColumn and freshness are our own
 * decisions, explained in `decisions` and `freshness.why`.
 */
export const events = defineView({
  name: 'events',
  description: 'Every raw activity log: which application, site or search a user was on, on which computer, when and for how long.',
  columns: [
    { name: 'accountid', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak account number' },
    {
      name: 'account_datetime',
      type: 'DATETIME',
      minPlan: 'essentials',
      description: 'All activity timestamps converted to the account time zone. Always populated regardless of time zone configuration.',
    },
    {
      name: 'active_state',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        "A user's activity level: Active: Using keyboard/mouse Passive: Not using keyboard/mouse Passive Locked: The computer is locked/asleep; filtered by default.",
    },
    {
      name: 'activity_type',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'There are three main activity type classifications: Application, Site, Search',
    },
    { name: 'activity_week', type: 'DATE', minPlan: 'essentials', description: 'The first day of the week' },
    {
      name: 'alarm_action',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        "An additional column to 'Alarms_Triggered,' it's categorized with the type of alarm action configured Ex: 'Email,' 'Popup,' 'Screenshot,' 'Terminate,' 'Webhook'",
    },
    {
      name: 'alarm_email_action',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Activity with email triggered from configured alarm actions',
    },
    {
      name: 'alarm_name',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Name of alarm triggered from configured alarm actions',
    },
    {
      name: 'alarm_popup_action',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Activity with pop triggered from configured alarm actions',
    },
    {
      name: 'alarm_screenshot_action',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Activity with screenshot triggered from configured alarm actions',
    },
    {
      name: 'alarm_terminate_action',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Activity with terminate action triggered from configured alarm actions',
    },
    {
      name: 'alarm_webhook_action',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Activity with webhook action triggered from configured alarm actions.',
    },
    {
      name: 'alarms_triggered',
      type: 'INT64',
      minPlan: 'essentials',
      description: '1 or 0 value: Events associated with alarms will return a 1',
    },
    {
      name: 'app_site_approval_status',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'Application / Site approval status based on its productivity classification Unapproved = Uncategorized and/or Undefined Approved = Categorized and defined',
    },
    { name: 'application', type: 'STRING', minPlan: 'essentials', description: 'The cleaned executable name' },
    {
      name: 'application_or_site',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Note: Different from Application_Site, this column displays only the Site details for web applications',
    },
    {
      name: 'browser_site',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Applications with site or URL content Ex: Google Chrome(slack.com)',
    },
    {
      name: 'category',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The activity category classified in the ActivTrak application Ex: Business Tools, Social Media.',
    },
    {
      name: 'clean_url',
      type: 'STRING',
      minPlan: 'essentials',
      description: "The URL strings after 'https://,' 'http://' and \"www.\"",
    },
    { name: 'computer_id', type: 'INT64', minPlan: 'essentials', description: 'Computer ID' },
    { name: 'computer_name', type: 'STRING', minPlan: 'essentials', description: 'The managed computer name' },
    {
      name: 'dataset_version',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The version number of the table schema so you can easily track any new field changes',
    },
    {
      name: 'day_of_week',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Day of week derived from converted time zone (account or user)',
    },
    {
      name: 'day_type',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Day type derived from converted time zone (account or user)',
    },
    { name: 'device_ip', type: 'STRING', minPlan: 'essentials', description: 'Managed device LAN IP' },
    { name: 'duration_sec', type: 'INT64', unit: 'seconds', minPlan: 'essentials', description: 'Activity duration in seconds' },
    {
      name: 'executable',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The name of the app running is usually in its raw format. Ex: Slack.exe',
    },
    { name: 'full_url', type: 'STRING', minPlan: 'essentials', description: 'The full, unfiltered URL' },
    {
      name: 'local_date',
      type: 'DATE',
      minPlan: 'essentials',
      description: 'Date only with Time Zone conversion (account or user)',
    },
    {
      name: 'local_datetime',
      type: 'DATETIME',
      minPlan: 'essentials',
      description: 'Time converted based on configured application Time Zone (account or user)',
    },
    {
      name: 'local_time',
      type: 'TIME',
      minPlan: 'essentials',
      description: 'Time only with Time Zone conversion (account or user)',
    },
    {
      name: 'logon_domain',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'Active Directory domain-attached computers will show the domain name here. If not attached to a domain, the computername will be shown based on the operating system. Mac devices usually show computername and Google Chrome will not show anything.',
    },
    {
      name: 'period_of_day',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Period of day derived from converted time zone (account or user)',
    },
    {
      name: 'potential_file_transfer',
      type: 'BOOL',
      minPlan: 'essentials',
      description: 'Flags activities involving the following objects: OneDrive, DropBox, FTP, SFTP, and USB file transfer activities',
    },
    {
      name: 'primary_domain',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'It is often the same as the local system name, though not always. If the computer is attached to an Active Directory domain, that domain name will show up here based on the operating system. If not, it\'s typical for Windows machines to use "WORKGROUPS", Chrome to use "Google". Mac devices typically don\'t show anything related to the primary domain.',
    },
    {
      name: 'productivity',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'There are 3 productivity classifications: Productive, Unproductive, Undefined',
    },
    {
      name: 'productivity_state',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        "A combination of 'productivity' and 'active_state': Productive Active Productive Passive Unproductive Active Unproductive Passive Undefined Active Undefined Passive",
    },
    { name: 'public_ip', type: 'STRING', minPlan: 'essentials', description: 'Managed device WAN IP' },
    {
      name: 'search_term',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Displays the search terms entered by a user during search-related activities',
    },
    {
      name: 'site',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The extracted domain or domain with subdomain URL format',
    },
    {
      name: 'timezoneid',
      type: 'INT64',
      minPlan: 'essentials',
      description: 'Nullified when user time zone is selected to avoid breaking existing account-level reporting',
    },
    {
      name: 'timezonestring',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'The actual timezone string or user offset (e.g., "US/Central" or "UTC-5")',
    },
    { name: 'titlebar', type: 'STRING', minPlan: 'essentials', description: 'The name of the title bar of the active window' },
    {
      name: 'user',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Friendly user name. E.g. First Last. Comes from the operating system.',
    },
    {
      name: 'user_alias',
      type: 'STRING',
      minPlan: 'essentials',
      description:
        'Comes from ActivTrak, not the operating system. User Aliases are used to combine multiple user logins in ActivTrak graphs and reports as well as provide a "friendly name" in case the "userraw" and "user" fields are ambiguous.',
    },
    { name: 'user_id', type: 'INT64', minPlan: 'essentials', description: 'The ActivTrak User ID' },
    {
      name: 'user_name',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Simple login name. Often first initial, last name. Comes from the operating system',
    },
    {
      name: 'username',
      type: 'STRING',
      minPlan: 'essentials',
      description: 'Simple login name. Often first initial, last name. Comes from the operating system',
    },
    { name: 'utc_timestamp', type: 'TIMESTAMP', minPlan: 'essentials', description: 'System activity DateTime in UTC time zone' },
    { name: 'week_of_year', type: 'INT64', minPlan: 'essentials', description: 'Week number in the year' },
  ],
  rowKey: ['user_id', 'computer_id', 'utc_timestamp'],
  rowKeyUnique: true,
  dateColumn: 'local_date',
  changeColumn: 'utc_timestamp',
  freshness: {
    kind: 'streaming',
    maxAgeSeconds: 60,
    staleSeconds: 60 * 60,
    why: 'Activity logs arrive within minutes of happening, so a cached copy is current for a minute and worth serving for an hour while the warehouse is slow or down.',
  },
  decisions: {
    rowKey:
      'An agent reports one foreground activity at a time on a computer, so the instant it started identifies the event for that user on that computer.',
    dateColumn:
      'local_date is the day of the activity in the account or user time zone, matching the daily views, where utc_timestamp would split a working day at UTC midnight.',
    changeColumn: 'utc_timestamp is when the activity happened and only grows as logs arrive, unaffected by time zone settings.',
  },
});
