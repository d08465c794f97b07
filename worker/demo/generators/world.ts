/**
 * The demo account's people and machines, drawn once from the seed: users with names,
 * aliases, e-mails, groups, schedules, computers and agents, plus the app users
 * (consumers) who administer the account. Every view reads the same world, so a user's id,
 * name and group agree across all thirteen views.
 */
import { Random } from '../random.ts';
import { isWeekend, parseDay } from './calendar.ts';
import {
  ACTIVITIES,
  ALL_GROUPS,
  BROWSERS,
  COLLABORATION_CATEGORIES,
  COMPANY,
  COMPUTER_GROUPS,
  DEPARTMENT_GROUPS,
  DISTRACTIONS,
  FIRST_NAMES,
  LAST_NAMES,
  LOCATION_GROUPS,
  PROFILES,
  SCHEDULES,
  TIME_OFF_TYPES,
  TIME_ZONES,
  type Activity,
  type ActivityKey,
  type Browser,
  type ConsumerRole,
  type Department,
  type GroupDef,
  type Os,
  type Productivity,
  type ScheduleDef,
  type TimeZoneDef,
} from './catalog.ts';

export interface DemoOptions {
  /** Same seed, same data, byte for byte. */
  readonly seed: number | string;
  readonly accountId: number;
  /** The last local date with data, 'YYYY-MM-DD'. */
  readonly endDate: string;
  readonly days: number;
  readonly users: number;
  /** Mean events for a user on a full working weekday; weekends and time off have fewer. */
  readonly eventsPerUserDay: number;
  /**
   * The account time zone, IANA ('America/Chicago') or ActivTrak's ('US/Central'); US zones
   * only. Default America/New_York. Remote users may work from other US zones.
   */
  readonly timeZone?: string;
}

export interface Computer {
  readonly id: number;
  readonly name: string;
  readonly alias: string | null;
  readonly os: Os;
  readonly desktop: boolean;
  readonly browser: Browser;
  /** LAN addresses on the office network and at home. */
  readonly officeIp: string;
  readonly homeIp: string;
  readonly groupIds: readonly number[];
}

export interface Agent {
  readonly id: number;
  /** Logon domain: the AD domain for domain-joined PCs, else the computer name. */
  readonly logonName: string;
  /** The OS login name. */
  readonly userName: string;
  readonly domainJoined: boolean;
  readonly computer: Computer;
}

/** An activity as one user experiences it: productivity depends on the user's team. */
export interface UserActivity {
  readonly key: ActivityKey;
  readonly activity: Activity;
  readonly productivity: Productivity;
  readonly core: boolean;
  readonly collaboration: boolean;
}

export interface TimeOff {
  readonly type: string;
  readonly seconds: number;
}

export interface DemoUser {
  readonly index: number;
  readonly uid: number;
  readonly fullName: string;
  /** display_name / user_alias; null for users nobody has aliased. */
  readonly alias: string | null;
  /** How the daily views name the user: the alias, else the primary login. */
  readonly reportName: string;
  readonly email: string;
  readonly employeeId: string | null;
  readonly principalName: string | null;
  readonly tracked: boolean;
  readonly department: Department;
  readonly group: GroupDef;
  readonly locationGroup: GroupDef;
  readonly workMode: 'office' | 'hybrid' | 'remote';
  readonly timeZone: TimeZoneDef;
  readonly schedule: ScheduleDef;
  readonly agents: readonly Agent[];
  readonly homePublicIp: string;
  readonly startMean: number;
  readonly hoursMean: number;
  readonly weekendRate: number;
  /** Chance of an evening check-in on a workday. */
  readonly eveningRate: number;
  readonly meetingRate: number;
  readonly activities: readonly UserActivity[];
  /** Running totals of activity weights, for weighted picks without allocation. */
  readonly cumulativeWeights: Float64Array;
  readonly timeOff: ReadonlyMap<number, TimeOff>;
  /** Day number of the row's ETL insert (when the user was first seen). */
  readonly insertedDay: number;
}

export interface Consumer {
  readonly activtrakId: number;
  readonly email: string;
  readonly role: ConsumerRole;
  /** Group ids the app user may view. */
  readonly groupIds: readonly number[];
  readonly insertedDay: number;
}

export interface World {
  readonly options: DemoOptions;
  readonly seed: string;
  readonly accountId: number;
  readonly accountTimeZone: TimeZoneDef;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly users: readonly DemoUser[];
  readonly trackedUsers: readonly DemoUser[];
  readonly computers: readonly Computer[];
  readonly consumers: readonly Consumer[];
  readonly groups: readonly GroupDef[];
}

export const OFFICE_PUBLIC_IP = '203.0.113.10';
export const FULL_DAY_SECONDS = 8 * 3600;

/** Validates options and draws the world; throws a message naming the bad option. */
export function buildWorld(options: DemoOptions): World {
  validateOptions(options);
  const seed = String(options.seed);
  const rng = new Random(seed, 'world');
  const lastDay = parseDay(options.endDate);
  const firstDay = lastDay - options.days + 1;
  const accountTimeZone = timeZoneNamed(options.timeZone ?? 'America/New_York');

  const names = uniqueNames(rng, options.users);
  const logins = new Set<string>();
  const computers: Computer[] = [];
  let nextAgentId = 7_400_001;
  let nextComputerId = 88_001;
  let laptopSerial = 1000 + rng.int(0, 800);
  let desktopSerial = 100 + rng.int(0, 100);

  const users: DemoUser[] = names.map(([first, last], index) => {
    // A stream per user, so a user stays the same person whatever the date range or the
    // number of users after them.
    const rng = new Random(seed, 'user', index);
    // The first users cover every department, so even the tiny demo has every team.
    const department =
      index < DEPARTMENT_GROUPS.length
        ? DEPARTMENT_GROUPS[index]!.department!
        : rng.weighted<Department>([
            ['Engineering', 30],
            ['Sales', 25],
            ['Support', 20],
            ['Marketing', 12],
            ['Finance', 13],
          ]);
    const group = DEPARTMENT_GROUPS.find((g) => g.department === department)!;
    const workMode = rng.weighted<'office' | 'hybrid' | 'remote'>([
      ['office', 45],
      ['hybrid', 35],
      ['remote', 20],
    ]);
    const timeZone =
      workMode === 'remote'
        ? rng.weighted<TimeZoneDef>([
            [accountTimeZone, 6],
            [TIME_ZONES.eastern, 1],
            [TIME_ZONES.central, 1],
            [TIME_ZONES.pacific, 2],
          ])
        : accountTimeZone;
    const fullName = `${first} ${last}`;
    const firstAscii = ascii(first);
    const lastAscii = ascii(last);
    const email = `${firstAscii}.${lastAscii}@${COMPANY.domain}`;
    const os: Os = rng.chance(department === 'Engineering' ? 0.6 : department === 'Marketing' ? 0.5 : 0.15) ? 'mac' : 'windows';

    const makeComputer = (kind: 'laptop' | 'desktop', computerOs: Os): Computer => {
      const desktop = kind === 'desktop';
      const name =
        computerOs === 'mac'
          ? `${capitalise(firstAscii)}s-MacBook-Pro${rng.chance(0.3) ? `-${rng.int(2, 9)}` : ''}`
          : desktop
            ? `NYC-WS-${desktopSerial++}`
            : `${COMPANY.adDomain}-LT-${laptopSerial++}`;
      const groupIds = [
        computerOs === 'mac' ? COMPUTER_GROUPS.macs.id : desktop ? COMPUTER_GROUPS.officeDesktops.id : COMPUTER_GROUPS.windowsLaptops.id,
      ];
      if (!desktop && workMode !== 'remote' && rng.chance(0.3)) groupIds.push(COMPUTER_GROUPS.officeDesktops.id);
      const browser =
        computerOs === 'mac'
          ? rng.weighted<Browser>([
              [BROWSERS.chrome, 6],
              [BROWSERS.safari, 3],
              [BROWSERS.firefox, 1],
            ])
          : rng.weighted<Browser>([
              [BROWSERS.chrome, 7],
              [BROWSERS.edge, 2],
              [BROWSERS.firefox, 1],
            ]);
      const computer: Computer = {
        id: nextComputerId++,
        name,
        alias: rng.chance(0.2) ? (desktop ? `${first}'s desk` : `${first}'s laptop`) : null,
        os: computerOs,
        desktop,
        browser,
        officeIp: `10.20.${rng.int(1, 8)}.${rng.int(10, 250)}`,
        homeIp: `192.168.${rng.pick([0, 1, 1, 86])}.${rng.int(2, 250)}`,
        groupIds,
      };
      computers.push(computer);
      return computer;
    };

    const makeAgent = (computer: Computer): Agent => {
      const domainJoined = computer.os === 'windows';
      const base = domainJoined ? `${firstAscii[0]}${lastAscii}` : firstAscii;
      let userName = base;
      for (let n = 2; logins.has(`${domainJoined}:${userName}`); n++) userName = `${base}${n}`;
      logins.add(`${domainJoined}:${userName}`);
      return {
        id: nextAgentId++,
        logonName: domainJoined ? COMPANY.adDomain : computer.name,
        userName,
        domainJoined,
        computer,
      };
    };

    const agents = [makeAgent(makeComputer('laptop', os))];
    // Some people log in on a second device: an office desktop, or a personal Mac at home.
    if (rng.chance(0.22)) {
      agents.push(makeAgent(workMode === 'remote' ? makeComputer('laptop', 'mac') : makeComputer('desktop', 'windows')));
    }

    const alias = rng.chance(0.85) ? fullName : null;
    const uid = 210_001 + index;
    const insertedDay = firstDay - rng.int(30, 420);
    return {
      index,
      uid,
      fullName,
      alias,
      reportName: alias ?? agents[0]!.userName,
      email,
      employeeId: rng.chance(0.85) ? `E${10_000 + index * 7 + rng.int(0, 6)}` : null,
      principalName: agents[0]!.domainJoined ? `${agents[0]!.userName}@${COMPANY.domain}` : null,
      // The first five stay tracked so the tiny demo always has activity for every team.
      tracked: index < 5 || !rng.chance(0.05),
      department,
      group,
      locationGroup: workMode === 'remote' ? LOCATION_GROUPS.remote : LOCATION_GROUPS.office,
      workMode,
      timeZone,
      schedule:
        department === 'Support'
          ? SCHEDULES.early
          : department === 'Engineering' && rng.chance(0.6)
            ? SCHEDULES.flexible
            : SCHEDULES.standard,
      agents,
      homePublicIp: `198.51.100.${rng.int(2, 254)}`,
      startMean: clamp(rng.normal(department === 'Support' ? 7.8 * 3600 : 8.7 * 3600, 0.5 * 3600), 6.5 * 3600, 11 * 3600),
      hoursMean: clamp(rng.normal(8.6 * 3600, 0.6 * 3600), 6.5 * 3600, 10.5 * 3600),
      weekendRate: rng.weighted([
        [0.02, 5],
        [0.1, 3],
        [0.35, 1],
      ]),
      eveningRate: rng.weighted([
        [0.03, 5],
        [0.15, 3],
        [0.4, 1],
      ]),
      meetingRate: {
        Engineering: 0.9,
        Sales: 1.6,
        Support: 0.5,
        Marketing: 1.2,
        Finance: 0.8,
      }[department],
      ...userActivities(rng, department, group),
      timeOff: drawTimeOff(new Random(seed, 'time-off', index), firstDay, lastDay),
      insertedDay,
    };
  });

  const consumers = drawConsumers(rng, users, firstDay);
  return {
    options,
    seed,
    accountId: options.accountId,
    accountTimeZone,
    firstDay,
    lastDay,
    users,
    trackedUsers: users.filter((u) => u.tracked),
    computers,
    consumers,
    groups: ALL_GROUPS,
  };
}

function validateOptions(o: DemoOptions): void {
  const wholeInRange = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`demo option ${name} must be a whole number from ${min} to ${max}, got ${value}`);
    }
  };
  wholeInRange('accountId', o.accountId, 1, 2 ** 31 - 1);
  wholeInRange('days', o.days, 1, 3660);
  wholeInRange('users', o.users, 1, FIRST_NAMES.length * LAST_NAMES.length);
  wholeInRange('eventsPerUserDay', o.eventsPerUserDay, 1, 5000);
  parseDay(o.endDate);
}

function timeZoneNamed(name: string): TimeZoneDef {
  const zone = Object.values(TIME_ZONES).find((z) => z.iana === name || z.name === name);
  if (!zone) {
    const known = Object.values(TIME_ZONES)
      .map((z) => z.iana)
      .join(', ');
    throw new Error(`demo option timeZone '${name}' is not supported; use one of ${known}`);
  }
  return zone;
}

function uniqueNames(rng: Random, count: number): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const pair: [string, string] = [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
    const key = pair.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pair);
  }
  return out;
}

function userActivities(
  rng: Random,
  department: Department,
  group: GroupDef,
): { activities: UserActivity[]; cumulativeWeights: Float64Array } {
  // How much this person drifts to distractions: most a little, a few a lot.
  const drift = rng.weighted([
    [0.4, 4],
    [1, 4],
    [2.5, 1],
  ]);
  const weights = new Map<ActivityKey, number>();
  for (const [key, w] of Object.entries(PROFILES[department]) as [ActivityKey, number][]) {
    weights.set(key, w * clamp(rng.normal(1, 0.25), 0.3, 2));
  }
  for (const [key, w] of Object.entries(DISTRACTIONS) as [ActivityKey, number][]) {
    weights.set(key, (weights.get(key) ?? 0) + w * drift);
  }
  const core = new Set(group.core?.categories ?? []);
  const activities: UserActivity[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [key, w] of weights) {
    const activity: Activity = ACTIVITIES[key];
    const productivity = activity.productivityFor?.[department] ?? activity.productivity;
    activities.push({
      key,
      activity,
      productivity,
      core: productivity === 'Productive' && core.has(activity.category),
      collaboration: COLLABORATION_CATEGORIES.has(activity.category),
    });
    total += w;
    cumulative.push(total);
  }
  return { activities, cumulativeWeights: Float64Array.from(cumulative) };
}

function drawTimeOff(rng: Random, firstDay: number, lastDay: number): Map<number, TimeOff> {
  const out = new Map<number, TimeOff>();
  const weekdays: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) if (!isWeekend(d)) weekdays.push(d);
  // A vacation of a few working days about every three months.
  const vacations = Math.floor(weekdays.length / 63 + rng.float());
  for (let v = 0; v < vacations && weekdays.length > 0; v++) {
    const startAt = rng.int(0, weekdays.length - 1);
    const length = rng.int(2, 5);
    for (let i = startAt; i < Math.min(weekdays.length, startAt + length); i++) {
      out.set(weekdays[i]!, {
        type: TIME_OFF_TYPES[0],
        seconds: FULL_DAY_SECONDS,
      });
    }
  }
  for (const d of weekdays) {
    if (out.has(d)) continue;
    if (rng.chance(0.012)) out.set(d, { type: TIME_OFF_TYPES[1], seconds: FULL_DAY_SECONDS });
    else if (rng.chance(0.01)) out.set(d, { type: TIME_OFF_TYPES[2], seconds: FULL_DAY_SECONDS / 2 });
  }
  return out;
}

function drawConsumers(rng: Random, users: readonly DemoUser[], firstDay: number): Consumer[] {
  const allGroups = ALL_GROUPS.map((g) => g.id);
  const consumers: Consumer[] = [
    {
      activtrakId: 0,
      email: `it-admin@${COMPANY.domain}`,
      role: 'Admin',
      groupIds: allGroups,
      insertedDay: 0,
    },
    {
      activtrakId: 0,
      email: `people-ops@${COMPANY.domain}`,
      role: 'Configurator',
      groupIds: allGroups,
      insertedDay: 0,
    },
  ];
  // Each team's first member manages it in the app; the second may view it.
  for (const group of DEPARTMENT_GROUPS) {
    const members = users.filter((u) => u.group.id === group.id);
    const [manager, lead] = members;
    if (manager) {
      consumers.push({
        activtrakId: 0,
        email: manager.email,
        role: 'Power User',
        groupIds: [group.id, manager.locationGroup.id],
        insertedDay: 0,
      });
    }
    if (lead && rng.chance(0.6)) {
      consumers.push({
        activtrakId: 0,
        email: lead.email,
        role: 'Viewer',
        groupIds: [group.id],
        insertedDay: 0,
      });
    }
  }
  return consumers.map((c, i) => ({
    ...c,
    activtrakId: 3_301 + i,
    insertedDay: firstDay - rng.int(60, 500),
  }));
}

/** Lowercase ASCII for logins and e-mail addresses: 'Nguyễn' → 'nguyen', "O'Brien" → 'obrien'. */
function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
