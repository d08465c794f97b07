import type { ScalarType } from './types.ts';
import type { ViewName } from './views/index.ts';

interface RepairBase {
  readonly view: ViewName;
  /** The cell as scraped, with line breaks and repeated spaces collapsed to one space. */
  readonly raw: string;
  readonly reason: string;
}

/**
 * One fault in the scraped data dictionary and how the definitions read it.
 * Name repairs (`broken-name`, `misspelt-name`, `blank-name`, `split-row`) match a row's
 * column_name cell; `type-spelling` matches every data_type cell of that spelling in the view.
 */
export type DictionaryRepair =
  | (RepairBase & { readonly kind: 'broken-name' | 'misspelt-name' | 'blank-name'; readonly repaired: string })
  | (RepairBase & { readonly kind: 'split-row'; readonly repaired: readonly string[] })
  | (RepairBase & { readonly kind: 'type-spelling'; readonly repaired: ScalarType });

const BROKEN = 'Typeset with a line break inside the name, scraped as a space; BigQuery column names contain no spaces.';
const INTEGER = 'INTEGER is the legacy-SQL alias of INT64; the other views, the API and the row types use the Standard SQL name.';
const BOOLEAN = 'BOOLEAN is the legacy-SQL alias of BOOL; the other views, the API and the row types use the Standard SQL name.';
const BOOLEAN_PROSE = 'Boolean is written as prose, not as a type name; the column is BOOL, as events.potential_file_transfer is written.';

/** The commonest fault, one line each so the list stays readable. */
function brokenName(view: ViewName, raw: string, repaired: string): DictionaryRepair {
  return { view, raw, repaired, kind: 'broken-name', reason: BROKEN };
}

/**
 * Every repair between the data dictionary as scraped and the view definitions.
 * definitions.unit.test.ts applies exactly these to the parsed dictionary and requires the
 * result to equal the definitions, and every repair here to be used, so this list is
 * the complete record of where the definitions depart from the published text.
 */
export const DICTIONARY_REPAIRS: readonly DictionaryRepair[] = [
  brokenName('consumer_groups', 'etl_insert _datetime', 'etl_insert_datetime'),
  brokenName('consumer_groups', 'etl_last_ update_datetime', 'etl_last_update_datetime'),
  brokenName('consumers', 'etl_insert _datetime', 'etl_insert_datetime'),
  brokenName('consumers', 'etl_last_ update_datetime', 'etl_last_update_datetime'),
  brokenName('daily_application_summary', 'activity_alignment_ type', 'activity_alignment_type'),
  brokenName('daily_application_summary', 'first_activity_ datetime', 'first_activity_datetime'),
  brokenName('daily_group_benchmarks', 'focused_user_ count_top25', 'focused_user_count_top25'),
  brokenName('daily_group_benchmarks', 'focused_seconds _all', 'focused_seconds_all'),
  brokenName('daily_group_benchmarks', 'focused_seconds _top25', 'focused_seconds_top25'),
  brokenName('daily_group_benchmarks', 'productive_seconds _all', 'productive_seconds_all'),
  brokenName('daily_group_benchmarks', 'productive_seconds _top25', 'productive_seconds_top25'),
  brokenName('daily_group_benchmarks', 'productive_user_ count_top25', 'productive_user_count_top25'),
  brokenName('daily_group_benchmarks', 'time_off_ day_count', 'time_off_day_count'),
  brokenName('daily_user_summary', 'active_day_ count', 'active_day_count'),
  brokenName('daily_user_summary', 'active_duration_ seconds', 'active_duration_seconds'),
  brokenName('daily_user_summary', 'attention_shift_ activity_count', 'attention_shift_activity_count'),
  brokenName('daily_user_summary', 'break_duration_ seconds', 'break_duration_seconds'),
  brokenName('daily_user_summary', 'collaboration_ activity_count', 'collaboration_activity_count'),
  brokenName('daily_user_summary', 'collaboration_ duration_seconds', 'collaboration_duration_seconds'),
  brokenName('daily_user_summary', 'core_duration_ seconds', 'core_duration_seconds'),
  brokenName('daily_user_summary', 'first_activity_ datetime', 'first_activity_datetime'),
  brokenName('daily_user_summary', 'first_activity_ minutes_in_day', 'first_activity_minutes_in_day'),
  brokenName('daily_user_summary', 'focused_duration_ seconds', 'focused_duration_seconds'),
  brokenName('daily_user_summary', 'focused_session_ count', 'focused_session_count'),
  brokenName('daily_user_summary', 'focused_session_ duration_seconds', 'focused_session_duration_seconds'),
  brokenName('daily_user_summary', 'last_activity_ datetime', 'last_activity_datetime'),
  brokenName('daily_user_summary', 'multitasking_ duration_seconds', 'multitasking_duration_seconds'),
  brokenName('daily_user_summary', 'non_business_ activity_count', 'non_business_activity_count'),
  brokenName('daily_user_summary', 'non_business_activity_ duration_seconds', 'non_business_activity_duration_seconds'),
  brokenName('daily_user_summary', 'non_core_ duration_seconds', 'non_core_duration_seconds'),
  brokenName('daily_user_summary', 'offline_meeting_ duration_seconds', 'offline_meeting_duration_seconds'),
  brokenName('daily_user_summary', 'productive_active_ duration_seconds', 'productive_active_duration_seconds'),
  brokenName('daily_user_summary', 'productive_active_ duration_seconds_ in_schedule', 'productive_active_duration_seconds_in_schedule'),
  brokenName('daily_user_summary', 'productive_activity_ count', 'productive_activity_count'),
  brokenName('daily_user_summary', 'productive_passive_ duration_seconds', 'productive_passive_duration_seconds'),
  brokenName('daily_user_summary', 'productive_passive_ duration_seconds_ in_schedule', 'productive_passive_duration_seconds_in_schedule'),
  brokenName('daily_user_summary', 'productive_session_ count', 'productive_session_count'),
  brokenName('daily_user_summary', 'productive_session_ duration_seconds', 'productive_session_duration_seconds'),
  brokenName('daily_user_summary', 'time_off_ duration_seconds', 'time_off_duration_seconds'),
  brokenName('daily_user_summary', 'total_duration_ seconds', 'total_duration_seconds'),
  brokenName('daily_user_summary', 'undefined_active_ duration_seconds', 'undefined_active_duration_seconds'),
  brokenName('daily_user_summary', 'undefined_activity_ count', 'undefined_activity_count'),
  brokenName('daily_user_summary', 'undefined_passive_ duration_seconds', 'undefined_passive_duration_seconds'),
  brokenName('daily_user_summary', 'unproductive_active_ duration_seconds', 'unproductive_active_duration_seconds'),
  brokenName('daily_user_summary', 'unproductive_activity_ count', 'unproductive_activity_count'),
  brokenName('daily_user_summary', 'unproductive_passive_ duration_seconds', 'unproductive_passive_duration_seconds'),
  brokenName('daily_user_summary', 'user_productivity_ goal', 'user_productivity_goal'),
  brokenName('events', 'alarm_screenshot_ action', 'alarm_screenshot_action'),
  brokenName('events', 'alarm_terminate_ action', 'alarm_terminate_action'),
  brokenName('events', 'alarm_webhook_ action', 'alarm_webhook_action'),
  brokenName('events', 'app_site_ approval_status', 'app_site_approval_status'),
  brokenName('events', 'potential_file_ transfer', 'potential_file_transfer'),
  brokenName('group_goals', 'core_activity_ hrs_day', 'core_activity_hrs_day'),
  brokenName('hourly_offline_meeting_summary', 'duration_ seconds_ in_hour', 'duration_seconds_in_hour'),
  brokenName('hourly_offline_meeting_summary', 'calendar_ meetings', 'calendar_meetings'),
  brokenName('premium_computer_groups', 'etl_last_update_ datetime', 'etl_last_update_datetime'),
  brokenName('user_work_schedules', 'work_schedule.day_ of_week', 'work_schedule.day_of_week'),
  {
    view: 'daily_user_summary',
    raw: 'last_activity_ inutes_in_day',
    repaired: 'last_activity_minutes_in_day',
    kind: 'misspelt-name',
    reason: "Broken by a line break and missing the 'm' of minutes; it is the end-of-day pair of first_activity_minutes_in_day.",
  },
  {
    view: 'consumers',
    raw: '',
    repaired: 'email',
    kind: 'blank-name',
    reason:
      'The scrape lost the name cell (the row reads "| STRING | ... | |"); the description is the address an app user logs in with, one per row, so email (singular, unlike users.emails which lists every detected address).',
  },
  {
    view: 'user_work_schedules',
    raw: 'work_schedule.start_time work_schedule.end_time',
    repaired: ['work_schedule.start_time', 'work_schedule.end_time'],
    kind: 'split-row',
    reason:
      'Two fields of the work_schedule record share one row; each is a TIME with the row\'s plans and description ("The start and end time ...").',
  },
  { view: 'daily_application_summary', raw: 'Boolean', repaired: 'BOOL', kind: 'type-spelling', reason: BOOLEAN_PROSE },
  { view: 'daily_user_summary', raw: 'Boolean', repaired: 'BOOL', kind: 'type-spelling', reason: BOOLEAN_PROSE },
  { view: 'premium_user_groups', raw: 'INTEGER', repaired: 'INT64', kind: 'type-spelling', reason: INTEGER },
  { view: 'premium_user_groups', raw: 'BOOLEAN', repaired: 'BOOL', kind: 'type-spelling', reason: BOOLEAN },
  { view: 'users', raw: 'INTEGER', repaired: 'INT64', kind: 'type-spelling', reason: INTEGER },
  { view: 'users', raw: 'BOOLEAN', repaired: 'BOOL', kind: 'type-spelling', reason: BOOLEAN },
];

/**
 * The dictionary ends some descriptions with the text of a help-centre link ("Learn more about
 * user aliases here.") whose link the scrape lost. Without the link the words point nowhere,
 * so the definitions drop them and close the sentence before them.
 */
const LINK_TEXT = /\s*(?:Learn more|More) about [^.<]*?(?:<\.>|\.)?$/;

/**
 * A dictionary description as the definitions hold it: the dangling link text dropped.
 * @example withoutLinkText('Shown in reports. Learn more about user aliases here.') // 'Shown in reports.'
 */
export function withoutLinkText(description: string): string {
  if (!LINK_TEXT.test(description)) return description;
  const kept = description.replace(LINK_TEXT, '');
  return /[.!?)"']$/.test(kept) ? kept : `${kept}.`;
}
