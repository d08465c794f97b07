/** The events view: one row per foreground activity, straight from each user-day. */
import { events } from '../../../shared/views/events.ts';
import { dayFields, formatDateTime, formatTime, formatUtc, periodOfDay, type DayFields } from './calendar.ts';
import { COMPANY, DATASET_VERSION } from './catalog.ts';
import { viewTable } from './table.ts';
import { userDays, type DayEvent, type UserDay } from './user-day.ts';
import { OFFICE_PUBLIC_IP, type World } from './world.ts';

interface EventRow {
  readonly world: World;
  readonly ud: UserDay;
  readonly d: DayFields;
  readonly e: DayEvent;
}

const alarmFlag = (r: EventRow, action: string) => (r.e.alarm?.action === action ? 1 : 0);
const host = (r: EventRow) => (r.e.use.activity.kind === 'Application' ? null : r.e.use.activity.host);

export const eventsTable = viewTable(
  events,
  function* (world: World): Generator<EventRow> {
    for (const ud of userDays(world)) {
      if (ud.events.length === 0) continue;
      const d = dayFields(ud.day);
      for (const e of ud.events) yield { world, ud, d, e };
    }
  },
  {
    accountid: (r) => r.world.accountId,
    account_datetime: (r) => formatDateTime(r.ud.day, r.e.start + (r.ud.accountOffsetMinutes - r.ud.offsetMinutes) * 60),
    active_state: (r) => (r.e.passive ? 'Passive' : 'Active'),
    activity_type: (r) => r.e.use.activity.kind,
    activity_week: (r) => r.d.activityWeek,
    alarm_action: (r) => r.e.alarm?.action ?? null,
    alarm_email_action: (r) => alarmFlag(r, 'Email'),
    alarm_name: (r) => r.e.alarm?.name ?? null,
    alarm_popup_action: (r) => alarmFlag(r, 'Popup'),
    alarm_screenshot_action: (r) => alarmFlag(r, 'Screenshot'),
    alarm_terminate_action: (r) => alarmFlag(r, 'Terminate'),
    alarm_webhook_action: (r) => alarmFlag(r, 'Webhook'),
    alarms_triggered: (r) => (r.e.alarm ? 1 : 0),
    app_site_approval_status: (r) => (r.e.use.productivity === 'Undefined' ? 'Unapproved' : 'Approved'),
    application: (r) => {
      const a = r.e.use.activity;
      return a.kind === 'Application' ? a.name : r.e.agent.computer.browser.name;
    },
    application_or_site: (r) => {
      const a = r.e.use.activity;
      return a.kind === 'Application' ? a.name : a.host;
    },
    browser_site: (r) => {
      const h = host(r);
      return h === null ? null : `${r.e.agent.computer.browser.name}(${h})`;
    },
    category: (r) => r.e.use.activity.category,
    clean_url: (r) => {
      const h = host(r);
      return h === null ? null : `${h}${r.e.path ?? ''}`;
    },
    computer_id: (r) => r.e.agent.computer.id,
    computer_name: (r) => r.e.agent.computer.name,
    dataset_version: () => DATASET_VERSION,
    day_of_week: (r) => r.d.dayOfWeek,
    day_type: (r) => r.d.dayType,
    device_ip: (r) => (r.e.office ? r.e.agent.computer.officeIp : r.e.agent.computer.homeIp),
    duration_sec: (r) => r.e.duration,
    executable: (r) => {
      const a = r.e.use.activity;
      const os = r.e.agent.computer.os;
      return a.kind === 'Application' ? a.executable[os] : r.e.agent.computer.browser.executable[os];
    },
    full_url: (r) => {
      const a = r.e.use.activity;
      if (a.kind === 'Application') return null;
      const www = a.kind === 'Search' || a.www === true ? 'www.' : '';
      return `https://${www}${a.host}${r.e.path ?? ''}`;
    },
    local_date: (r) => r.d.localDate,
    local_datetime: (r) => `${r.d.localDate}T${formatTime(r.e.start)}`,
    local_time: (r) => formatTime(r.e.start),
    logon_domain: (r) => r.e.agent.logonName,
    period_of_day: (r) => periodOfDay(r.e.start),
    potential_file_transfer: (r) => r.e.use.activity.fileTransfer === true,
    primary_domain: (r) => (r.e.agent.domainJoined ? COMPANY.adDomain : null),
    productivity: (r) => r.e.use.productivity,
    productivity_state: (r) => `${r.e.use.productivity} ${r.e.passive ? 'Passive' : 'Active'}`,
    public_ip: (r) => (r.e.office ? OFFICE_PUBLIC_IP : r.ud.user.homePublicIp),
    search_term: (r) => r.e.searchTerm,
    site: host,
    // The account time zone's id; nulled for users on their own time zone, as ActivTrak does.
    timezoneid: (r) => (r.ud.user.timeZone === r.world.accountTimeZone ? r.ud.user.timeZone.id : null),
    timezonestring: (r) => r.ud.user.timeZone.name,
    titlebar: (r) => r.e.title,
    user: (r) => r.ud.user.fullName,
    user_alias: (r) => r.ud.user.alias,
    user_id: (r) => r.ud.user.uid,
    user_name: (r) => r.e.agent.userName,
    username: (r) => r.e.agent.userName,
    utc_timestamp: (r) => formatUtc(r.ud.day, r.e.start, r.ud.offsetMinutes),
    week_of_year: (r) => r.d.weekOfYear,
  },
);
