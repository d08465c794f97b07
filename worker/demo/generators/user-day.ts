/**
 * One user's working day: the activity events, the offline meetings and the time off.
 * Everything the daily views report is computed from this, so a summary always equals the
 * sum of the events it summarises.
 *
 * Each user-day draws from its own PRNG stream seeded by (seed, user, day), so any view can
 * regenerate any day on demand: nothing is kept in memory between views, and the day comes
 * out the same whichever view asks for it.
 */
import { Random } from '../random.ts';
import { isWeekend, usOffsetMinutes, weekday } from './calendar.ts';
import { MEETING_TITLES, SEARCH_TERMS, type Alarm } from './catalog.ts';
import { clamp, FULL_DAY_SECONDS, type Agent, type DemoUser, type TimeOff, type UserActivity, type World } from './world.ts';

export interface DayEvent {
  /** Seconds since local midnight. */
  readonly start: number;
  readonly duration: number;
  readonly use: UserActivity;
  readonly agent: Agent;
  readonly passive: boolean;
  /** On the office network (public IP, LAN address, location). */
  readonly office: boolean;
  readonly title: string;
  /** Site path for sites and searches, with query string. */
  readonly path: string | null;
  readonly searchTerm: string | null;
  readonly alarm: Alarm | null;
}

interface Meeting {
  readonly start: number;
  readonly duration: number;
  readonly title: string;
}

export interface UserDay {
  readonly user: DemoUser;
  readonly day: number;
  /** The user's UTC offset that day, and the account's, in minutes. */
  readonly offsetMinutes: number;
  readonly accountOffsetMinutes: number;
  readonly timeOff: TimeOff | null;
  readonly events: readonly DayEvent[];
  readonly meetings: readonly Meeting[];
}

const HOUR = 3600;
const MIN = 60;
/** Online seconds on a typical weekday, the day `eventsPerUserDay` describes. */
const TYPICAL_ONLINE_SECONDS = 6.5 * HOUR;
/** Sessions starting this late are from home, even on office days. */
const EVENING = 18 * HOUR;
/** Gaps at least this far apart, so every stretch between them is a real work session. */
const GAP_MARGIN = 5 * MIN;

/** Builds the day; the same (world, user, day) always gives the same result. */
export function buildUserDay(world: World, user: DemoUser, day: number): UserDay {
  const offsetMinutes = usOffsetMinutes(user.timeZone.standardOffsetMinutes, day);
  const accountOffsetMinutes = usOffsetMinutes(world.accountTimeZone.standardOffsetMinutes, day);
  const timeOff = user.timeOff.get(day) ?? null;
  const base = { user, day, offsetMinutes, accountOffsetMinutes, timeOff };
  const none = { ...base, events: [], meetings: [] };
  if (!user.tracked) return none;
  if (timeOff && timeOff.seconds >= FULL_DAY_SECONDS) return none;

  const rng = new Random(world.seed, 'day', user.uid, day);
  const weekend = isWeekend(day);
  if (weekend ? !rng.chance(user.weekendRate) : rng.chance(0.012)) return none;

  let start: number;
  let length: number;
  if (weekend) {
    start = clamp(rng.normal(10.5 * HOUR, 1.5 * HOUR), 7 * HOUR, 18 * HOUR);
    length = clamp(rng.normal(1.6 * HOUR, 0.7 * HOUR), 0.25 * HOUR, 4 * HOUR);
  } else {
    start = clamp(rng.normal(user.startMean, 20 * MIN), 6 * HOUR, 12 * HOUR);
    length = clamp(rng.normal(user.hoursMean, 40 * MIN), 4 * HOUR, 11.5 * HOUR);
    if (timeOff) {
      // A half day off: the morning or the afternoon.
      length /= 2;
      if (rng.chance(0.5)) start += length;
    }
  }
  start = Math.round(start);
  const end = Math.min(Math.round(start + length), 23 * HOUR + 59 * MIN);

  const gaps = drawGaps(rng, user, start, end, weekend);
  const meetings: Meeting[] = gaps
    .filter((g) => g.meeting !== null)
    .map((g) => ({
      start: g.start,
      duration: g.end - g.start,
      title: g.meeting!,
    }));

  const segments: [number, number][] = [];
  let cursor = start;
  for (const g of gaps) {
    segments.push([cursor, g.start]);
    cursor = g.end;
  }
  segments.push([cursor, end]);
  // Some people check in again in the evening, from home.
  if (!weekend && !timeOff && rng.chance(user.eveningRate)) {
    const eveningStart = Math.max(end + 45 * MIN, 19 * HOUR + rng.int(0, 150) * MIN);
    const eveningEnd = eveningStart + rng.int(10, 40) * MIN;
    if (eveningEnd < 23 * HOUR + 59 * MIN) segments.push([eveningStart, eveningEnd]);
  }
  const online = segments.reduce((s, [a, b]) => s + (b - a), 0);
  const target = Math.max(
    1,
    Math.round((world.options.eventsPerUserDay * online * clamp(rng.normal(1, 0.12), 0.6, 1.4)) / TYPICAL_ONLINE_SECONDS),
  );

  const officeDay = !weekend && (user.workMode === 'office' || (user.workMode === 'hybrid' && [2, 3, 4].includes(weekday(day))));
  // Some office days end at home: the sessions after 4 p.m. are remote.
  const homeAfter = officeDay && rng.chance(0.2) ? 16 * HOUR : Infinity;

  const events: DayEvent[] = [];
  const counts = apportion(target, segments, rng);
  let prev: UserActivity | null = null;
  let prev2: UserActivity | null = null;
  for (let s = 0; s < segments.length; s++) {
    const [segStart, segEnd] = segments[s]!;
    const k = counts[s]!;
    if (k === 0) continue;
    const office = officeDay && segStart < Math.min(homeAfter, EVENING);
    const agent = pickAgent(rng, user, office);
    const durations = splitDurations(rng, segEnd - segStart, k);
    let t = segStart;
    for (const duration of durations) {
      let use: UserActivity;
      if (prev && rng.chance(0.15)) use = prev;
      else if (prev2 && prev2 !== prev && rng.chance(0.2))
        use = prev2; // switching back: the source of attention shifts
      else use = pickActivity(rng, user);
      events.push(makeEvent(rng, user, use, agent, t, duration, office));
      prev2 = prev;
      prev = use;
      t += duration;
    }
  }
  return { ...base, events, meetings };
}

interface Gap {
  readonly start: number;
  readonly end: number;
  readonly meeting: string | null;
}

/** Lunch, short breaks and offline meetings, never overlapping or touching. */
function drawGaps(rng: Random, user: DemoUser, start: number, end: number, weekend: boolean): Gap[] {
  const gaps: Gap[] = [];
  const tryAdd = (gStart: number, duration: number, meeting: string | null) => {
    const gEnd = gStart + duration;
    if (gStart < start + GAP_MARGIN || gEnd > end - GAP_MARGIN) return;
    if (gaps.some((g) => gStart < g.end + GAP_MARGIN && gEnd > g.start - GAP_MARGIN)) return;
    gaps.push({ start: gStart, end: gEnd, meeting });
  };
  if (!weekend) {
    const meetings = rng.int(0, Math.round(user.meetingRate * 2));
    for (let i = 0; i < meetings; i++) {
      const duration = rng.pick([30, 30, 45, 60]) * MIN;
      // Meetings start on the hour or half hour.
      const slot =
        Math.ceil((start + 30 * MIN) / (30 * MIN)) + rng.int(0, Math.max(0, Math.floor((end - start - duration - 60 * MIN) / (30 * MIN))));
      tryAdd(slot * 30 * MIN, duration, rng.pick(MEETING_TITLES));
    }
    if (end - start > 5 * HOUR) {
      tryAdd(Math.round(clamp(rng.normal(12.4 * HOUR, 0.4 * HOUR), start + HOUR, end - 2 * HOUR)), rng.int(25, 60) * MIN, null);
    }
  }
  const breaks = rng.int(0, weekend ? 1 : 3);
  for (let i = 0; i < breaks; i++) {
    tryAdd(rng.int(start + 30 * MIN, Math.max(start + 30 * MIN, end - 45 * MIN)), rng.int(6, 18) * MIN + rng.int(0, 59), null);
  }
  return gaps.sort((a, b) => a.start - b.start);
}

/** Splits `total` events over segments in proportion to their length, at most one per second. */
function apportion(total: number, segments: readonly [number, number][], rng: Random): number[] {
  const lengths = segments.map(([a, b]) => b - a);
  const sum = lengths.reduce((s, l) => s + l, 0);
  // One event per segment first, when there are enough, so no stretch of work goes unreported.
  const floor = total >= segments.length ? 1 : 0;
  const rest = total - floor * segments.length;
  const counts = lengths.map((l) => Math.min(l, floor + Math.floor((rest * l) / sum)));
  let left = total - counts.reduce((s, c) => s + c, 0);
  for (let guard = 0; left > 0 && guard < total * 4 + 16; guard++) {
    const i = rng.int(0, segments.length - 1);
    if (counts[i]! < lengths[i]!) {
      counts[i]!++;
      left--;
    }
  }
  return counts;
}

/**
 * Durations (>= 1 s) that add up to exactly `length`: mostly exponential, like real focus
 * changes, with occasional bursts of quick switches.
 */
function splitDurations(rng: Random, length: number, k: number): number[] {
  const weights = new Array<number>(k);
  let sum = 0;
  let burst = 0;
  for (let i = 0; i < k; i++) {
    if (burst === 0 && k >= 6 && rng.chance(0.03)) burst = rng.int(3, 4);
    const w = burst > 0 ? 0.01 + rng.float() * 0.03 : -Math.log(1 - rng.float()) + 0.05;
    if (burst > 0) burst--;
    weights[i] = w;
    sum += w;
  }
  const spare = length - k;
  const out = new Array<number>(k);
  let used = 0;
  for (let i = 0; i < k; i++) {
    const d = 1 + Math.floor((spare * weights[i]!) / sum);
    out[i] = d;
    used += d;
  }
  out[k - 1]! += length - used;
  return out;
}

function pickAgent(rng: Random, user: DemoUser, office: boolean): Agent {
  const [primary, second] = user.agents;
  if (!second) return primary!;
  if (second.computer.desktop) return office && rng.chance(0.75) ? second : primary!;
  return !office && rng.chance(0.25) ? second : primary!;
}

function pickActivity(rng: Random, user: DemoUser): UserActivity {
  const cumulative = user.cumulativeWeights;
  const r = rng.float() * cumulative[cumulative.length - 1]!;
  let i = 0;
  while (i < cumulative.length - 1 && cumulative[i]! <= r) i++;
  return user.activities[i]!;
}

function makeEvent(
  rng: Random,
  user: DemoUser,
  use: UserActivity,
  agent: Agent,
  start: number,
  duration: number,
  office: boolean,
): DayEvent {
  const a = use.activity;
  let title: string;
  let path: string | null = null;
  let searchTerm: string | null = null;
  if (a.kind === 'Search') {
    searchTerm = rng.pick(SEARCH_TERMS);
    title = `${searchTerm} - Google Search`;
    path = `/search?q=${encodeURIComponent(searchTerm).replace(/%20/g, '+')}`;
  } else {
    const i = rng.int(0, a.titles.length - 1);
    title = a.titles[i]!;
    if (title.includes('{email}')) title = title.replace('{email}', user.email);
    if (a.kind === 'Site') path = a.paths[i % a.paths.length]!;
  }
  return {
    start,
    duration,
    use,
    agent,
    passive: rng.chance(a.passiveShare),
    office,
    title,
    path,
    searchTerm,
    alarm: a.alarm && rng.chance(a.alarm.rate) ? a.alarm : null,
  };
}

/** Every tracked user's every day, oldest day first: the order the daily views are written in. */
export function* userDays(world: World): Generator<UserDay> {
  for (let day = world.firstDay; day <= world.lastDay; day++) {
    for (const user of world.trackedUsers) yield buildUserDay(world, user, day);
  }
}
