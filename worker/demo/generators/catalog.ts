/**
 * The demo company's fixed world: groups, activity categories, the applications and sites
 * people use, and what each team spends its day on. Fixed data rather than random so the
 * demo reads like a real account (Slack, Zoom, github.com...) and so tests can name things.
 *
 * Some titlebars and search terms deliberately start with '=', '+', '-' or '@': monitored
 * users type them, and a spreadsheet would run them as formulas unless the API's CSV
 * output neutralises them, so the demo must exercise that path.
 */

export type Productivity = 'Productive' | 'Unproductive' | 'Undefined';
export type Os = 'windows' | 'mac';
export type Department = 'Engineering' | 'Sales' | 'Support' | 'Marketing' | 'Finance';

/** The company's e-mail and AD domain; `.example` is reserved, so it can never reach anyone. */
export const COMPANY = {
  name: 'Acme',
  domain: 'acme.example',
  adDomain: 'ACME',
} as const;
export const DATASET_VERSION = '2.3.1';

export const CATEGORIES = {
  'Business Tools': 1001,
  'Chat & Messaging': 1002,
  'Meeting Software': 1003,
  Email: 1004,
  'Software Development': 1005,
  'Document Editing': 1006,
  Spreadsheets: 1007,
  'Sales & CRM': 1008,
  'Customer Support': 1009,
  Design: 1010,
  'Social Media': 1011,
  'Video & Streaming': 1012,
  News: 1013,
  Shopping: 1014,
  'Search Engines': 1015,
  'File Sharing': 1016,
  'Finance & Accounting': 1017,
  'AI Tools': 1018,
  Uncategorized: 1019,
} as const;
export type Category = keyof typeof CATEGORIES;

/** Categories ActivTrak counts as collaboration. */
export const COLLABORATION_CATEGORIES: ReadonlySet<Category> = new Set(['Chat & Messaging', 'Meeting Software']);

export interface GroupDef {
  readonly id: number;
  readonly name: string;
  readonly department?: Department;
  /** premium_user_groups.type: 0 AD, 1 in-app, 2 Azure AD, 3 HRDC. */
  readonly source: 0 | 1 | 2 | 3;
  /** Goals in tenths of an hour, so NUMERIC values stay exact decimals. */
  readonly productiveGoalTenths?: number;
  readonly focusGoalTenths?: number;
  /** Core categories and the share (percent) of the productive goal they should take. */
  readonly core?: {
    readonly categories: readonly Category[];
    readonly percent: number;
  };
}

export const DEPARTMENT_GROUPS: readonly GroupDef[] = [
  {
    id: 5101,
    name: 'Engineering',
    department: 'Engineering',
    source: 2,
    productiveGoalTenths: 65,
    focusGoalTenths: 35,
    core: { categories: ['Software Development', 'AI Tools'], percent: 60 },
  },
  {
    id: 5102,
    name: 'Sales',
    department: 'Sales',
    source: 2,
    productiveGoalTenths: 60,
    focusGoalTenths: 25,
    core: { categories: ['Sales & CRM', 'Email'], percent: 50 },
  },
  {
    id: 5103,
    name: 'Support',
    department: 'Support',
    source: 2,
    productiveGoalTenths: 60,
    focusGoalTenths: 30,
    core: { categories: ['Customer Support', 'Chat & Messaging'], percent: 70 },
  },
  {
    id: 5104,
    name: 'Marketing',
    department: 'Marketing',
    source: 1,
    productiveGoalTenths: 55,
    focusGoalTenths: 30,
    core: {
      categories: ['Design', 'Document Editing', 'Social Media'],
      percent: 40,
    },
  },
  {
    id: 5105,
    name: 'Finance',
    department: 'Finance',
    source: 3,
    productiveGoalTenths: 60,
    focusGoalTenths: 30,
    core: { categories: ['Spreadsheets', 'Finance & Accounting'], percent: 55 },
  },
];

export const LOCATION_GROUPS = {
  office: { id: 5110, name: 'NY Office', source: 0 },
  remote: { id: 5111, name: 'Remote Team', source: 1 },
} as const satisfies Record<string, GroupDef>;

export const ALL_GROUPS: readonly GroupDef[] = [...DEPARTMENT_GROUPS, LOCATION_GROUPS.office, LOCATION_GROUPS.remote];

export const COMPUTER_GROUPS = {
  windowsLaptops: { id: 6201, name: 'Windows Laptops' },
  macs: { id: 6202, name: 'MacBooks' },
  officeDesktops: { id: 6203, name: 'NY Office Desktops' },
} as const;

/** Defaults ActivTrak applies when a group sets no goal. */
export const DEFAULT_GOALS = {
  productiveGoalTenths: 60,
  focusGoalTenths: 30,
} as const;

export interface Browser {
  readonly name: string;
  readonly executable: Record<Os, string>;
}

export const BROWSERS = {
  chrome: {
    name: 'Google Chrome',
    executable: { windows: 'chrome.exe', mac: 'Google Chrome' },
  },
  edge: {
    name: 'Microsoft Edge',
    executable: { windows: 'msedge.exe', mac: 'Microsoft Edge' },
  },
  firefox: {
    name: 'Firefox',
    executable: { windows: 'firefox.exe', mac: 'firefox' },
  },
  safari: {
    name: 'Safari',
    executable: { windows: 'safari.exe', mac: 'Safari' },
  },
} as const satisfies Record<string, Browser>;

export interface Alarm {
  readonly name: string;
  readonly action: 'Email' | 'Popup' | 'Screenshot' | 'Terminate' | 'Webhook';
  /** Chance an event on the activity trips the alarm. */
  readonly rate: number;
}

const ALARMS = {
  social: { name: 'Social media in work hours', action: 'Popup', rate: 0.25 },
  fileTransfer: {
    name: 'Possible data exfiltration',
    action: 'Screenshot',
    rate: 0.5,
  },
  jobSearch: { name: 'Job search sites', action: 'Email', rate: 0.08 },
  streaming: { name: 'Streaming video', action: 'Webhook', rate: 0.15 },
} as const satisfies Record<string, Alarm>;

interface ActivityBase {
  /** app_or_site_consolidated_name: one clean name across executables and domains. */
  readonly consolidated: string;
  readonly category: Category;
  readonly productivity: Productivity;
  /** Teams that classify it differently from the account default. */
  readonly productivityFor?: Partial<Record<Department, Productivity>>;
  readonly titles: readonly string[];
  /** Share of its events that are passive (a meeting watched, a page read). */
  readonly passiveShare: number;
  readonly fileTransfer?: boolean;
  readonly alarm?: Alarm;
}

export interface AppActivity extends ActivityBase {
  readonly kind: 'Application';
  readonly name: string;
  readonly executable: Record<Os, string>;
}

export interface SiteActivity extends ActivityBase {
  readonly kind: 'Site';
  /** Extracted domain (the events view's `site`). */
  readonly host: string;
  /** Whether full URLs carry 'www.'. */
  readonly www?: boolean;
  readonly paths: readonly string[];
}

export interface SearchActivity extends ActivityBase {
  readonly kind: 'Search';
  readonly host: string;
}

export type Activity = AppActivity | SiteActivity | SearchActivity;

const app = (a: Omit<AppActivity, 'kind'>): AppActivity => ({
  kind: 'Application',
  ...a,
});
const site = (a: Omit<SiteActivity, 'kind'>): SiteActivity => ({
  kind: 'Site',
  ...a,
});

export const SEARCH_TERMS: readonly string[] = [
  'how to pivot table excel',
  'zoom background blur not working',
  'typescript satisfies vs as const',
  'best crm for small business',
  'weather new york',
  'q3 earnings calendar',
  'slack keyboard shortcuts',
  'postgres vs sqlite',
  '=SUM(A1:A10) returns 0',
  '=HYPERLINK("http://example.com","click me")',
  '+1 212 area code',
  '+= operator javascript',
  '-webkit-line-clamp',
  '-Wall -Werror gcc flags',
  '@mentions not notifying teams',
  '@acme support twitter',
  'café near 5th ave',
  'naïve bayes explained',
  'flights to tokyo 東京',
  'customer "refund policy" template',
  'regex for email, phone',
];

export const ACTIVITIES = {
  slack: app({
    name: 'Slack',
    executable: { windows: 'slack.exe', mac: 'Slack' },
    consolidated: 'Slack',
    category: 'Chat & Messaging',
    productivity: 'Productive',
    titles: [
      'Slack | #general | Acme',
      'Slack | #eng-platform | Acme',
      'Slack | #sales-wins | Acme',
      'Slack | #support-escalations | Acme',
      'Slack | Direct message | Acme',
      '@channel standup in 5 | Slack',
      '@here deploy freeze tonight - Slack',
    ],
    passiveShare: 0.05,
  }),
  zoom: app({
    name: 'Zoom',
    executable: { windows: 'Zoom.exe', mac: 'zoom.us' },
    consolidated: 'Zoom',
    category: 'Meeting Software',
    productivity: 'Productive',
    titles: ['Zoom Meeting', 'Zoom Workplace', 'Weekly Sync - Zoom Meeting', 'Customer call - Zoom Meeting'],
    passiveShare: 0.4,
  }),
  teams: app({
    name: 'Microsoft Teams',
    executable: { windows: 'ms-teams.exe', mac: 'Microsoft Teams' },
    consolidated: 'Microsoft Teams',
    category: 'Meeting Software',
    productivity: 'Productive',
    titles: ['Chat | Microsoft Teams', 'Meeting with Finance | Microsoft Teams', 'Calendar | Microsoft Teams'],
    passiveShare: 0.35,
  }),
  outlook: app({
    name: 'Outlook',
    executable: { windows: 'OUTLOOK.EXE', mac: 'Microsoft Outlook' },
    consolidated: 'Microsoft Outlook',
    category: 'Email',
    productivity: 'Productive',
    titles: [
      'Inbox - {email} - Outlook',
      'RE: Q3 pipeline review - Message (HTML)',
      'FW: Invoice #4471 - Message (HTML)',
      'Calendar - Outlook',
      'Meeting request: Roadmap, "Q4" - Outlook',
    ],
    passiveShare: 0.1,
  }),
  excel: app({
    name: 'Excel',
    executable: { windows: 'EXCEL.EXE', mac: 'Microsoft Excel' },
    consolidated: 'Microsoft Excel',
    category: 'Spreadsheets',
    productivity: 'Productive',
    titles: [
      'Q3 Forecast.xlsx - Excel',
      'Budget 2025 v3 (final).xlsx - Excel',
      '=SUM(B2:B40) - Expenses.xlsx - Excel',
      '+Headcount plan.xlsx - Excel',
      'Commission, bonuses & adjustments.xlsx - Excel',
    ],
    passiveShare: 0.08,
  }),
  word: app({
    name: 'Word',
    executable: { windows: 'WINWORD.EXE', mac: 'Microsoft Word' },
    consolidated: 'Microsoft Word',
    category: 'Document Editing',
    productivity: 'Productive',
    titles: [
      'Proposal - Globex.docx - Word',
      'Release notes 4.2.docx - Word',
      'Café menu – brochure.docx - Word',
      '-DRAFT- Policy update.docx - Word',
    ],
    passiveShare: 0.12,
  }),
  powerpoint: app({
    name: 'PowerPoint',
    executable: { windows: 'POWERPNT.EXE', mac: 'Microsoft PowerPoint' },
    consolidated: 'Microsoft PowerPoint',
    category: 'Document Editing',
    productivity: 'Productive',
    titles: ['QBR deck.pptx - PowerPoint', 'All-hands March.pptx - PowerPoint', 'Pitch "v7".pptx - PowerPoint'],
    passiveShare: 0.15,
  }),
  vscode: app({
    name: 'Visual Studio Code',
    executable: { windows: 'Code.exe', mac: 'Code' },
    consolidated: 'Visual Studio Code',
    category: 'Software Development',
    productivity: 'Productive',
    titles: [
      'index.ts - api - Visual Studio Code',
      'schema.sql - warehouse - Visual Studio Code',
      'README.md - docs - Visual Studio Code',
      'Dockerfile - infra - Visual Studio Code',
      '-- migration 0042.sql - Visual Studio Code',
    ],
    passiveShare: 0.1,
  }),
  terminal: app({
    name: 'Terminal',
    executable: { windows: 'WindowsTerminal.exe', mac: 'Terminal' },
    consolidated: 'Terminal',
    category: 'Software Development',
    productivity: 'Productive',
    titles: ['npm test', 'git rebase -i main', 'ssh deploy@build-01', 'docker compose up'],
    passiveShare: 0.05,
  }),
  figma: app({
    name: 'Figma',
    executable: { windows: 'Figma.exe', mac: 'Figma' },
    consolidated: 'Figma',
    category: 'Design',
    productivity: 'Productive',
    titles: ['Landing page v2 – Figma', 'Design system – Figma', 'Ad creatives Q3 – Figma'],
    passiveShare: 0.08,
  }),
  quickbooks: app({
    name: 'QuickBooks',
    executable: { windows: 'QBW.EXE', mac: 'QuickBooks' },
    consolidated: 'QuickBooks',
    category: 'Finance & Accounting',
    productivity: 'Productive',
    titles: ['QuickBooks Desktop - Acme Corp', 'Reconcile - Checking', 'Pay Bills'],
    passiveShare: 0.05,
  }),
  explorer: app({
    name: 'File Explorer',
    executable: { windows: 'explorer.exe', mac: 'Finder' },
    consolidated: 'File Explorer',
    category: 'Uncategorized',
    productivity: 'Undefined',
    titles: ['Downloads', 'Documents', 'Shared (\\\\fs01) (S:)', 'Desktop'],
    passiveShare: 0.02,
  }),
  onedrive: app({
    name: 'OneDrive',
    executable: { windows: 'OneDrive.exe', mac: 'OneDrive' },
    consolidated: 'OneDrive',
    category: 'File Sharing',
    productivity: 'Undefined',
    titles: ['OneDrive - Acme', 'Uploading 14 files - OneDrive'],
    passiveShare: 0.02,
    fileTransfer: true,
    alarm: ALARMS.fileTransfer,
  }),
  spotify: app({
    name: 'Spotify',
    executable: { windows: 'Spotify.exe', mac: 'Spotify' },
    consolidated: 'Spotify',
    category: 'Video & Streaming',
    productivity: 'Unproductive',
    titles: ['Spotify Premium', 'Lo-fi beats to focus to - Spotify', 'Discover Weekly - Spotify'],
    passiveShare: 0.2,
  }),
  github: site({
    host: 'github.com',
    consolidated: 'GitHub',
    category: 'Software Development',
    productivity: 'Productive',
    paths: ['/acme/api/pull/1287', '/acme/api/issues?q=is%3Aopen', '/acme/web/actions/runs/98123', '/acme/infra/blob/main/README.md'],
    titles: [
      'Fix cursor pagination by jdoe · Pull Request #1287 · acme/api',
      'Issues · acme/api',
      '+ New issue · acme/web',
      'Actions · acme/web',
    ],
    passiveShare: 0.1,
  }),
  stackoverflow: site({
    host: 'stackoverflow.com',
    consolidated: 'Stack Overflow',
    category: 'Software Development',
    productivity: 'Productive',
    paths: ['/questions/11227809', '/questions/2418529', '/questions/tagged/typescript'],
    titles: [
      'javascript - Why is processing a sorted array faster? - Stack Overflow',
      'sql - How to escape a single quote in SQLite? - Stack Overflow',
      'Newest "typescript" Questions - Stack Overflow',
    ],
    passiveShare: 0.25,
  }),
  jira: site({
    host: 'acme.atlassian.net',
    consolidated: 'Jira',
    category: 'Business Tools',
    productivity: 'Productive',
    paths: ['/browse/ENG-4411', '/jira/software/projects/ENG/boards/12', '/browse/SUP-903'],
    titles: ['[ENG-4411] Export to CSV drops rows - Jira', 'ENG board - Agile Board - Jira', '[SUP-903] Customer cannot log in - Jira'],
    passiveShare: 0.1,
  }),
  docs: site({
    host: 'docs.google.com',
    consolidated: 'Google Docs',
    category: 'Document Editing',
    productivity: 'Productive',
    paths: ['/document/d/1aB2cD3eF/edit', '/spreadsheets/d/1xY9zW8v/edit#gid=0', '/presentation/d/1Qr5sT/edit'],
    titles: [
      'Campaign brief - Google Docs',
      '=IMPORTXML(A1,"//title") - Google Sheets',
      'Pipeline tracker - Google Sheets',
      'Onboarding deck - Google Slides',
    ],
    passiveShare: 0.12,
  }),
  gmail: site({
    host: 'mail.google.com',
    consolidated: 'Gmail',
    category: 'Email',
    productivity: 'Productive',
    paths: ['/mail/u/0/#inbox', '/mail/u/0/#sent'],
    titles: ['Inbox (12) - {email} - Acme Mail', 'Sent Mail - Acme Mail'],
    passiveShare: 0.1,
  }),
  salesforce: site({
    host: 'acme.lightning.force.com',
    consolidated: 'Salesforce',
    category: 'Sales & CRM',
    productivity: 'Productive',
    paths: ['/lightning/r/Opportunity/0065g00000XyZ/view', '/lightning/o/Lead/list', '/lightning/page/home'],
    titles: ['Globex - Renewal | Opportunity | Salesforce', 'Leads | Salesforce', 'Home | Salesforce'],
    passiveShare: 0.1,
  }),
  zendesk: site({
    host: 'acme.zendesk.com',
    consolidated: 'Zendesk',
    category: 'Customer Support',
    productivity: 'Productive',
    paths: ['/agent/tickets/52014', '/agent/filters/360001', '/agent/dashboard'],
    titles: ["Ticket #52014: Can't export report – Acme Support", 'Views – Acme Support', '@billing: refund request – Acme Support'],
    passiveShare: 0.08,
  }),
  chatgpt: site({
    host: 'chatgpt.com',
    consolidated: 'ChatGPT',
    category: 'AI Tools',
    productivity: 'Productive',
    paths: ['/c/6630a1b2', '/'],
    titles: ['ChatGPT', 'Summarise meeting notes - ChatGPT'],
    passiveShare: 0.15,
  }),
  zoomWeb: site({
    host: 'zoom.us',
    consolidated: 'Zoom',
    category: 'Meeting Software',
    productivity: 'Productive',
    paths: ['/j/81234567890', '/meeting/schedule'],
    titles: ['Launch Meeting - Zoom', 'Schedule a Meeting - Zoom'],
    passiveShare: 0.3,
  }),
  dropbox: site({
    host: 'dropbox.com',
    www: true,
    consolidated: 'Dropbox',
    category: 'File Sharing',
    productivity: 'Undefined',
    paths: ['/home', '/upload', '/sh/q9x8c7/AAB'],
    titles: ['Files - Dropbox', 'Upload - Dropbox'],
    passiveShare: 0.05,
    fileTransfer: true,
    alarm: ALARMS.fileTransfer,
  }),
  linkedin: site({
    host: 'linkedin.com',
    www: true,
    consolidated: 'LinkedIn',
    category: 'Social Media',
    productivity: 'Unproductive',
    productivityFor: { Sales: 'Productive', Marketing: 'Productive' },
    paths: ['/feed/', '/sales/search/people', '/jobs/view/3899012'],
    titles: ['(3) Feed | LinkedIn', 'Sales Navigator | LinkedIn', 'Senior Engineer | Jobs | LinkedIn'],
    passiveShare: 0.2,
    alarm: ALARMS.jobSearch,
  }),
  youtube: site({
    host: 'youtube.com',
    www: true,
    consolidated: 'YouTube',
    category: 'Video & Streaming',
    productivity: 'Unproductive',
    paths: ['/watch?v=dQw4w9WgXcQ', '/results?search_query=excel+tips', '/feed/subscriptions'],
    titles: ['Rick Astley - Never Gonna Give You Up - YouTube', 'Excel tips & tricks - YouTube', '- Subscriptions - YouTube'],
    passiveShare: 0.45,
    alarm: ALARMS.streaming,
  }),
  facebook: site({
    host: 'facebook.com',
    www: true,
    consolidated: 'Facebook',
    category: 'Social Media',
    productivity: 'Unproductive',
    productivityFor: { Marketing: 'Productive' },
    paths: ['/', '/marketplace/', '/groups/nyc.foodies'],
    titles: ['Facebook', 'Marketplace | Facebook', '(5) NYC Foodies | Facebook'],
    passiveShare: 0.25,
    alarm: ALARMS.social,
  }),
  reddit: site({
    host: 'reddit.com',
    www: true,
    consolidated: 'Reddit',
    category: 'Social Media',
    productivity: 'Unproductive',
    paths: ['/r/programming/', '/r/nyc/', '/r/excel/comments/1c2d3e/'],
    titles: ['r/programming', 'r/nyc', '=VLOOKUP not working : r/excel'],
    passiveShare: 0.3,
    alarm: ALARMS.social,
  }),
  amazon: site({
    host: 'amazon.com',
    www: true,
    consolidated: 'Amazon',
    category: 'Shopping',
    productivity: 'Unproductive',
    paths: ['/gp/cart/view.html', '/s?k=usb-c+hub', '/dp/B0C1234567'],
    titles: ['Amazon.com Shopping Cart', 'Amazon.com : usb-c hub', 'Ergonomic chair, "mesh" back : Amazon.com'],
    passiveShare: 0.15,
  }),
  nytimes: site({
    host: 'nytimes.com',
    www: true,
    consolidated: 'The New York Times',
    category: 'News',
    productivity: 'Undefined',
    paths: ['/', '/section/business', '/live/2025/markets'],
    titles: ['The New York Times - Breaking News', 'Business - The New York Times', 'Markets live – The New York Times'],
    passiveShare: 0.35,
  }),
  google: {
    kind: 'Search',
    host: 'google.com',
    consolidated: 'Google Search',
    category: 'Search Engines',
    productivity: 'Undefined',
    titles: [],
    passiveShare: 0.05,
  } satisfies SearchActivity,
} as const satisfies Record<string, Activity>;

export type ActivityKey = keyof typeof ACTIVITIES;

/**
 * Relative share of a team's events per activity. Every team also drifts to the shared
 * distractions at a per-user rate (see world.ts).
 */
export const PROFILES: Record<Department, Partial<Record<ActivityKey, number>>> = {
  Engineering: {
    vscode: 30,
    terminal: 12,
    github: 16,
    stackoverflow: 6,
    jira: 8,
    slack: 14,
    zoom: 5,
    chatgpt: 4,
    outlook: 3,
    docs: 2,
    google: 5,
    explorer: 2,
  },
  Sales: {
    salesforce: 26,
    outlook: 16,
    gmail: 4,
    linkedin: 10,
    zoom: 12,
    teams: 4,
    slack: 9,
    excel: 5,
    powerpoint: 5,
    docs: 3,
    google: 4,
  },
  Support: {
    zendesk: 34,
    slack: 16,
    jira: 8,
    outlook: 8,
    zoomWeb: 3,
    zoom: 5,
    docs: 3,
    chatgpt: 3,
    google: 6,
    explorer: 2,
  },
  Marketing: {
    figma: 16,
    docs: 14,
    linkedin: 10,
    facebook: 5,
    powerpoint: 6,
    slack: 12,
    zoom: 7,
    outlook: 7,
    chatgpt: 5,
    google: 6,
    dropbox: 3,
  },
  Finance: {
    excel: 34,
    quickbooks: 14,
    outlook: 12,
    teams: 7,
    slack: 6,
    word: 5,
    powerpoint: 3,
    google: 4,
    onedrive: 3,
    explorer: 3,
  },
};

export const DISTRACTIONS: Partial<Record<ActivityKey, number>> = {
  youtube: 5,
  facebook: 3,
  reddit: 3,
  amazon: 2,
  nytimes: 3,
  spotify: 2,
  linkedin: 1,
  dropbox: 0.5,
};

export const FIRST_NAMES: readonly string[] = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'James',
  'Isabella',
  'Lucas',
  'Mia',
  'Mateo',
  'Amelia',
  'Ethan',
  'Harper',
  'Aiden',
  'Evelyn',
  'Daniel',
  'Abigail',
  'Henry',
  'Priya',
  'Wei',
  'Fatima',
  'Kwame',
  'Yuki',
  'Santiago',
  'Aisha',
  'Dmitri',
  'Chloé',
  'José',
  'Zoë',
  'Björn',
  'Siobhan',
  'Tomás',
  'Mei',
  'Arjun',
  'Leila',
  'Nikolai',
  'Grace',
  'Omar',
];

export const LAST_NAMES: readonly string[] = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  "O'Brien",
  'Nguyễn',
  'Patel',
  'Kim',
  'Chen',
  'Okafor',
  'Müller',
  'Rossi',
  'Tanaka',
  'Kowalski',
  'Haddad',
  'Ivanova',
  'Dubois',
  'Silva',
  'Novak',
  'Singh',
  'Cohen',
  'Murphy',
  'Álvarez',
  'Eriksson',
];

export const TIME_OFF_TYPES = ['Vacation', 'Sick Leave', 'Personal Time Off'] as const;

export const MEETING_TITLES: readonly string[] = [
  'Team standup',
  '1:1 with manager',
  'Quarterly business review',
  'Customer onsite: Globex',
  'Interview panel',
  'All-hands',
  'Lunch & learn: "AI at Acme"',
  '=Budget sync',
  'Sprint planning',
  'Pipeline review',
];

export interface ScheduleDef {
  readonly name: string;
  readonly type: 'Non-Flexible' | 'Flexible';
  readonly breakMinutes: number;
  /** Seconds since midnight; null for flexible schedules. */
  readonly start: number | null;
  readonly end: number | null;
}

export const SCHEDULES = {
  standard: {
    name: 'Standard 9-5',
    type: 'Non-Flexible',
    breakMinutes: 60,
    start: 9 * 3600,
    end: 17 * 3600,
  },
  early: {
    name: 'Early shift 8-4',
    type: 'Non-Flexible',
    breakMinutes: 30,
    start: 8 * 3600,
    end: 16 * 3600,
  },
  flexible: {
    name: 'Flexible hours',
    type: 'Flexible',
    breakMinutes: 60,
    start: null,
    end: null,
  },
} as const satisfies Record<string, ScheduleDef>;

export const SCHEDULE_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

export interface TimeZoneDef {
  /** The events view's timezonestring. */
  readonly name: string;
  readonly iana: string;
  readonly id: number;
  readonly standardOffsetMinutes: number;
}

/** US zones only: their daylight-saving rule is the one calendar.ts implements. */
export const TIME_ZONES = {
  eastern: { name: 'US/Eastern', iana: 'America/New_York', id: 35, standardOffsetMinutes: -300 },
  central: { name: 'US/Central', iana: 'America/Chicago', id: 20, standardOffsetMinutes: -360 },
  mountain: { name: 'US/Mountain', iana: 'America/Denver', id: 10, standardOffsetMinutes: -420 },
  pacific: { name: 'US/Pacific', iana: 'America/Los_Angeles', id: 4, standardOffsetMinutes: -480 },
} as const satisfies Record<string, TimeZoneDef>;

/** Approver and viewer roles the consumers view lists. */
export type ConsumerRole = 'Admin' | 'Configurator' | 'Power User' | 'Viewer';
