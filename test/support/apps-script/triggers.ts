import { randomUUID } from 'node:crypto';
import type { ClockTriggerBuilder, ScriptApp, Trigger } from '../../../apps-script/types/apps-script.ts';
import type { WorldClock } from './clock.ts';
import type { Host } from './spreadsheet.ts';
import { formatDate, instantOf } from './utilities.ts';

/** Apps Script allows 20 triggers per user per script (https://developers.google.com/apps-script/guides/services/quotas#current_limitations). */
const MAX_TRIGGERS = 20;

/**
 * A published Editor add-on may hold one trigger of each type per user per document, and a
 * time-driven one may fire at most hourly
 * (https://developers.google.com/workspace/add-ons/concepts/editor-triggers#restrictions).
 * This is the message Apps Script gives when an add-on asks for a second timer.
 */
export const ADDON_TIME_TRIGGER_MESSAGE =
  'This add-on has created too many time-based triggers in this document for this Google user account.';
/** The page names the hourly floor without quoting an error; this is the stand-in's wording. */
export const ADDON_EVERY_MINUTES_MESSAGE = 'Add-ons can only create time-based triggers that run at most once per hour.';

/** How the project runs: published as an Editor add-on, or bound to its spreadsheet. */
export type ScriptMode = 'addon' | 'bound';

export interface TriggerRecord {
  readonly uid: string;
  readonly handler: string;
  readonly owner: string;
  /** The spreadsheet the trigger belongs to (triggers of an add-on are per document). */
  readonly document: string;
  readonly schedule: { readonly kind: 'once' } | { readonly kind: 'every'; readonly ms: number };
  /** When it fires next; null once a one-off trigger has fired (it stays listed until deleted). */
  next: number | null;
}

/**
 * Every trigger of one script project. An add-on is one project installed in many
 * documents, so worlds that stand for several documents share one store.
 */
export class TriggerStore {
  readonly triggers: TriggerRecord[] = [];
  /** Trigger runtime each user has spent in the current quota window (see TRIGGER_RUNTIME_MS). */
  readonly runtime = new Map<string, { windowStart: number; usedMs: number }>();
}

/**
 * Total trigger runtime a user gets a day: 90 minutes on consumer accounts, 6 hours on
 * Workspace; "quotas are per user and reset 24 hours after the first request"
 * (https://developers.google.com/apps-script/guides/services/quotas).
 */
export const TRIGGER_RUNTIME_MS = { consumer: 90 * 60_000, workspace: 6 * 3_600_000 } as const;
export type AccountKind = keyof typeof TRIGGER_RUNTIME_MS;
export const QUOTA_WINDOW_MS = 24 * 3_600_000;
/** What Apps Script reports when the daily quota of computer time is spent. */
export const RUNTIME_QUOTA_MESSAGE = 'Service using too much computer time for one day';

class FakeTrigger implements Trigger {
  readonly record: TriggerRecord;

  constructor(record: TriggerRecord) {
    this.record = record;
  }
  getUniqueId(): string {
    return this.record.uid;
  }
  getHandlerFunction(): string {
    return this.record.handler;
  }
  getEventType(): unknown {
    return 'CLOCK';
  }
}

const HOURS = [1, 2, 4, 6, 8, 12];
const MINUTES = [1, 5, 10, 15, 30];

class FakeClockTriggerBuilder implements ClockTriggerBuilder {
  private every: number | null = null;
  private days: number | null = null;
  private hour: number | null = null;
  private minute = 0;
  private once: number | null = null;
  private zone: string;

  private readonly create_: (schedule: TriggerRecord['schedule'], first: number) => Trigger;
  private readonly clock: WorldClock;
  private readonly mode: ScriptMode;

  constructor(
    create_: (schedule: TriggerRecord['schedule'], first: number) => Trigger,
    clock: WorldClock,
    timeZone: string,
    mode: ScriptMode,
  ) {
    this.create_ = create_;
    this.clock = clock;
    this.zone = timeZone;
    this.mode = mode;
  }

  everyMinutes(n: number): ClockTriggerBuilder {
    if (this.mode === 'addon') throw new Error(ADDON_EVERY_MINUTES_MESSAGE);
    if (!MINUTES.includes(n)) throw new Error('The value passed to everyMinutes() must be 1, 5, 10, 15 or 30.');
    this.every = n * 60_000;
    return this;
  }
  everyHours(n: number): ClockTriggerBuilder {
    if (!HOURS.includes(n)) throw new Error('The value passed to everyHours() must be 1, 2, 4, 6, 8 or 12.');
    this.every = n * 3_600_000;
    return this;
  }
  everyDays(n: number): ClockTriggerBuilder {
    if (!Number.isInteger(n) || n < 1) throw new Error('Invalid argument: everyDays');
    this.days = n;
    return this;
  }
  atHour(hour: number): ClockTriggerBuilder {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error('Invalid argument: hour');
    this.hour = hour;
    return this;
  }
  nearMinute(minute: number): ClockTriggerBuilder {
    this.minute = minute;
    return this;
  }
  after(ms: number): ClockTriggerBuilder {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('Invalid argument: durationMilliseconds');
    this.once = ms;
    return this;
  }
  inTimezone(timeZone: string): ClockTriggerBuilder {
    this.zone = timeZone;
    return this;
  }
  create(): Trigger {
    const now = this.clock.now;
    if (this.once !== null) return this.create_({ kind: 'once' }, now + this.once);
    if (this.every !== null) return this.create_({ kind: 'every', ms: this.every }, now + this.every);
    if (this.days !== null) {
      const day = formatDate(new Date(now), this.zone, 'yyyy-MM-dd').split('-').map(Number) as [number, number, number];
      let first = instantOf(
        { year: day[0], month: day[1], day: day[2], hour: this.hour ?? 0, minute: this.minute, second: 0, millisecond: 0 },
        this.zone,
      );
      if (first <= now) first += 86_400_000;
      return this.create_({ kind: 'every', ms: this.days * 86_400_000 }, first);
    }
    throw new Error('The trigger needs a schedule: everyHours(), everyDays() or after().');
  }
}

export interface ScriptAppContext {
  readonly clock: WorldClock;
  readonly store: TriggerStore;
  readonly mode: ScriptMode;
  /** The user the execution runs as. */
  user(): string;
  /** The id of the spreadsheet the execution runs in. */
  document(): string;
  timeZone(): string;
}

// https://developers.google.com/apps-script/reference/script/installation-source
const INSTALLATION_SOURCE = {
  APPS_MARKETPLACE_DOMAIN_ADD_ON: 'APPS_MARKETPLACE_DOMAIN_ADD_ON',
  NONE: 'NONE',
  WEB_STORE_ADD_ON: 'WEB_STORE_ADD_ON',
};
// https://developers.google.com/apps-script/reference/script/auth-mode
const AUTH_MODE = { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' };

/** ScriptApp for one execution. */
export function createScriptApp(host: Host, ctx: ScriptAppContext): ScriptApp & { getProjectTriggers(): Trigger[] } {
  const { store } = ctx;
  const mine = () => store.triggers.filter((t) => t.owner === ctx.user());
  return {
    InstallationSource: INSTALLATION_SOURCE,
    AuthMode: AUTH_MODE,
    getInstallationSource: () => (ctx.mode === 'addon' ? INSTALLATION_SOURCE.WEB_STORE_ADD_ON : INSTALLATION_SOURCE.NONE),
    newTrigger: (handler) => {
      host.execution().charge(host.costs.properties);
      if (!host.canWrite()) throw new Error('You do not have permission to call ScriptApp.newTrigger.');
      return {
        timeBased: () =>
          new FakeClockTriggerBuilder(
            (schedule, first) => {
              if (mine().length >= MAX_TRIGGERS)
                throw new Error('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
              if (ctx.mode === 'addon' && mine().some((t) => t.document === ctx.document())) throw new Error(ADDON_TIME_TRIGGER_MESSAGE);
              const record: TriggerRecord = {
                uid: randomUUID().replace(/-/g, '').slice(0, 20),
                handler,
                owner: ctx.user(),
                document: ctx.document(),
                schedule,
                next: first,
              };
              store.triggers.push(record);
              return new FakeTrigger(record);
            },
            ctx.clock,
            ctx.timeZone(),
            ctx.mode,
          ),
      };
    },
    /**
     * Every trigger of the project for this user, in any document: what the add-on must not
     * use to find its own (https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()).
     */
    getProjectTriggers: () => {
      host.execution().charge(host.costs.properties);
      return mine().map((t) => new FakeTrigger(t));
    },
    // https://developers.google.com/apps-script/reference/script/script-app#getUserTriggers(Spreadsheet)
    getUserTriggers: (spreadsheet) => {
      host.execution().charge(host.costs.properties);
      const id = spreadsheet.getId();
      return mine()
        .filter((t) => t.document === id)
        .map((t) => new FakeTrigger(t));
    },
    deleteTrigger: (trigger) => {
      host.execution().charge(host.costs.properties);
      const uid = trigger.getUniqueId();
      // Only the user's own triggers: another account's triggers are invisible to this one.
      const i = store.triggers.findIndex((t) => t.uid === uid && t.owner === ctx.user());
      if (i >= 0) store.triggers.splice(i, 1);
    },
  };
}
