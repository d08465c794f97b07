/**
 * A user-day's measures, computed from its events and meetings only. The rules are
 * simplified readings of the data dictionary's definitions (sessions, attention shifts,
 * multitasking, breaks), applied consistently so the numbers add up across views.
 */
import { dayName } from './calendar.ts';
import { SCHEDULE_DAYS } from './catalog.ts';
import type { UserDay } from './user-day.ts';

export interface DaySummary {
  readonly totalSeconds: number;
  readonly activeSeconds: number;
  readonly productiveActive: number;
  readonly productivePassive: number;
  readonly unproductiveActive: number;
  readonly unproductivePassive: number;
  readonly undefinedActive: number;
  readonly undefinedPassive: number;
  readonly productiveCount: number;
  readonly unproductiveCount: number;
  readonly undefinedCount: number;
  readonly totalCount: number;
  readonly productiveActiveInSchedule: number;
  readonly productivePassiveInSchedule: number;
  readonly productiveSessionCount: number;
  readonly productiveSessionSeconds: number;
  readonly focusedSessionCount: number;
  readonly focusedSessionSeconds: number;
  readonly attentionShifts: number;
  readonly multitaskingSeconds: number;
  readonly focusedSeconds: number;
  readonly collaborationCount: number;
  readonly collaborationSeconds: number;
  readonly coreSeconds: number;
  readonly nonCoreSeconds: number;
  readonly breakCount: number;
  readonly breakSeconds: number;
  readonly offlineMeetingSeconds: number;
  /** Seconds since local midnight of the first event's start and the last event's end. */
  readonly firstStart: number | null;
  readonly lastEnd: number | null;
  readonly activeDay: 0 | 1;
  readonly location: 'Office' | 'Remote' | 'Office/Remote' | null;
}

/** A session or a focus stretch must last this long to count (the dictionary's one minute). */
const SESSION_MIN_SECONDS = 60;
/** Offline stretches longer than this are breaks... */
const BREAK_MIN_SECONDS = 5 * 60;
/** ...up to this long; beyond it the user had stopped for the day (before an evening check-in). */
const BREAK_MAX_SECONDS = 2 * 3600;
/** More distinct productive activities than this within a minute is an attention shift. */
const SHIFT_THRESHOLD = 2;
/** Time after an attention shift counted as multitasking (attention residue). */
const RESIDUE_SECONDS = 180;
/** Productive hours a day needs to count as an active day. */
const ACTIVE_DAY_SECONDS = 3600;

/** The daily views show a row for a user-day with activity or approved time off. */
export function hasSummary(ud: UserDay): boolean {
  return ud.events.length > 0 || ud.timeOff !== null;
}

export function summarize(ud: UserDay): DaySummary {
  const events = ud.events;
  let totalSeconds = 0;
  let activeSeconds = 0;
  let productiveActive = 0;
  let productivePassive = 0;
  let unproductiveActive = 0;
  let unproductivePassive = 0;
  let undefinedActive = 0;
  let undefinedPassive = 0;
  let productiveCount = 0;
  let unproductiveCount = 0;
  let undefinedCount = 0;
  let productiveActiveInSchedule = 0;
  let productivePassiveInSchedule = 0;
  let collaborationCount = 0;
  let collaborationSeconds = 0;
  let coreSeconds = 0;
  let nonCoreSeconds = 0;
  let officeEvents = 0;

  const schedule = scheduleWindow(ud);
  for (const e of events) {
    const d = e.duration;
    totalSeconds += d;
    if (!e.passive) activeSeconds += d;
    if (e.office) officeEvents++;
    switch (e.use.productivity) {
      case 'Productive': {
        productiveCount++;
        const inSchedule = schedule ? overlap(e.start, e.start + d, schedule[0], schedule[1]) : 0;
        if (e.passive) {
          productivePassive += d;
          productivePassiveInSchedule += inSchedule;
        } else {
          productiveActive += d;
          productiveActiveInSchedule += inSchedule;
        }
        if (e.use.core) coreSeconds += d;
        else nonCoreSeconds += d;
        break;
      }
      case 'Unproductive':
        unproductiveCount++;
        if (e.passive) unproductivePassive += d;
        else unproductiveActive += d;
        break;
      case 'Undefined':
        undefinedCount++;
        if (e.passive) undefinedPassive += d;
        else undefinedActive += d;
        break;
    }
    if (e.use.collaboration) {
      collaborationCount++;
      collaborationSeconds += d;
    }
  }

  const productiveSessions = runs(ud, (a, b) => a.use.productivity === 'Productive' && (b === null || b.use.productivity === 'Productive'));
  const focusedSessions = runs(ud, (a, b) => a.use.productivity === 'Productive' && (b === null || b.use === a.use));
  const { shifts, multitasking } = attention(ud);

  let breakCount = 0;
  let breakSeconds = 0;
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1]!;
    const from = prev.start + prev.duration;
    const to = events[i]!.start;
    if (to <= from) continue;
    let offline = to - from;
    // Time in an offline meeting is meeting time, not a break.
    for (const m of ud.meetings) offline -= overlap(from, to, m.start, m.start + m.duration);
    if (offline > BREAK_MIN_SECONDS && offline <= BREAK_MAX_SECONDS) {
      breakCount++;
      breakSeconds += offline;
    }
  }

  const first = events[0];
  const last = events[events.length - 1];
  const productiveSeconds = productiveActive + productivePassive;
  return {
    totalSeconds,
    activeSeconds,
    productiveActive,
    productivePassive,
    unproductiveActive,
    unproductivePassive,
    undefinedActive,
    undefinedPassive,
    productiveCount,
    unproductiveCount,
    undefinedCount,
    totalCount: events.length,
    productiveActiveInSchedule,
    productivePassiveInSchedule,
    productiveSessionCount: productiveSessions.count,
    productiveSessionSeconds: productiveSessions.seconds,
    focusedSessionCount: focusedSessions.count,
    focusedSessionSeconds: focusedSessions.seconds,
    attentionShifts: shifts,
    multitaskingSeconds: multitasking,
    focusedSeconds: Math.max(0, productiveActive - multitasking),
    collaborationCount,
    collaborationSeconds,
    coreSeconds,
    nonCoreSeconds,
    breakCount,
    breakSeconds,
    offlineMeetingSeconds: ud.meetings.reduce((s, m) => s + m.duration, 0),
    firstStart: first ? first.start : null,
    lastEnd: last ? last.start + last.duration : null,
    activeDay: productiveSeconds >= ACTIVE_DAY_SECONDS ? 1 : 0,
    location: events.length === 0 ? null : officeEvents === events.length ? 'Office' : officeEvents === 0 ? 'Remote' : 'Office/Remote',
  };
}

/**
 * Counts uninterrupted stretches: consecutive, back-to-back events for which
 * `continues(event, next)` holds, lasting at least a minute in total.
 */
function runs(ud: UserDay, continues: (e: UserDay['events'][number], next: UserDay['events'][number] | null) => boolean) {
  let count = 0;
  let seconds = 0;
  let run = 0;
  const events = ud.events;
  const close = () => {
    if (run >= SESSION_MIN_SECONDS) {
      count++;
      seconds += run;
    }
    run = 0;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (!continues(e, null)) {
      close();
      continue;
    }
    const prev = events[i - 1];
    if (run > 0 && prev && (prev.start + prev.duration !== e.start || !continues(prev, e))) close();
    run += e.duration;
  }
  close();
  return { count, seconds };
}

/**
 * Attention shifts: a minute in which the user touched more than SHIFT_THRESHOLD distinct
 * productive activities. Multitasking: the productive, non-collaboration time in the three
 * minutes after each shift, the last activity capped to a minute.
 */
function attention(ud: UserDay): { shifts: number; multitasking: number } {
  const events = ud.events;
  let shifts = 0;
  let multitasking = 0;
  let coveredUntil = 0;
  let i = 0;
  while (i < events.length) {
    const t = events[i]!.start;
    const seen = new Set<unknown>();
    let j = i;
    for (; j < events.length && events[j]!.start < t + 60; j++) {
      const e = events[j]!;
      if (e.use.productivity === 'Productive') seen.add(e.use);
    }
    if (seen.size <= SHIFT_THRESHOLD) {
      i++;
      continue;
    }
    shifts++;
    const from = Math.max(t, coveredUntil);
    const to = t + RESIDUE_SECONDS;
    for (let k = i; k < events.length && events[k]!.start < to; k++) {
      const e = events[k]!;
      if (e.use.productivity !== 'Productive' || e.use.collaboration) continue;
      let part = overlap(e.start, e.start + e.duration, from, to);
      if (e.start + e.duration >= to) part = Math.min(part, 60);
      multitasking += part;
    }
    coveredUntil = Math.max(coveredUntil, to);
    i = j;
  }
  return { shifts, multitasking };
}

/** The user's scheduled hours that day, [start, end) in local seconds, or null off schedule. */
function scheduleWindow(ud: UserDay): [number, number] | null {
  const name = dayName(ud.day);
  if (!(SCHEDULE_DAYS as readonly string[]).includes(name)) return null;
  const { start, end } = ud.user.schedule;
  return start === null || end === null ? [0, 86_400] : [start, end];
}

function overlap(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
}
