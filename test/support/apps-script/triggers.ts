import { randomUUID } from 'node:crypto';
import type { ClockTriggerBuilder, ScriptApp, Trigger } from '../../../apps-script/types/apps-script.ts';
import type { WorldClock } from './clock.ts';
import type { Host } from './spreadsheet.ts';
import { formatDate, instantOf } from './utilities.ts';

/** Apps Script allows 20 triggers per user per script. */
export const MAX_TRIGGERS = 20;

export interface TriggerRecord {
  readonly uid: string;
  readonly handler: string;
  readonly owner: string;
  readonly schedule: { readonly kind: 'once' } | { readonly kind: 'every'; readonly ms: number };
  /** When it fires next; null once a one-off trigger has fired (it stays listed until deleted). */
  next: number | null;
}

export class TriggerStore {
  readonly triggers: TriggerRecord[] = [];
}

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

  constructor(create_: (schedule: TriggerRecord['schedule'], first: number) => Trigger, clock: WorldClock, timeZone: string) {
    this.create_ = create_;
    this.clock = clock;
    this.zone = timeZone;
  }

  everyMinutes(n: number): ClockTriggerBuilder {
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

export function createScriptApp(host: Host, clock: WorldClock, store: TriggerStore, user: () => string, timeZone: () => string): ScriptApp {
  const mine = () => store.triggers.filter((t) => t.owner === user());
  return {
    newTrigger: (handler) => {
      host.execution().charge(host.costs.properties);
      if (!host.canWrite()) throw new Error('You do not have permission to call ScriptApp.newTrigger.');
      return {
        timeBased: () =>
          new FakeClockTriggerBuilder(
            (schedule, first) => {
              if (mine().length >= MAX_TRIGGERS)
                throw new Error('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
              const record: TriggerRecord = {
                uid: randomUUID().replace(/-/g, '').slice(0, 20),
                handler,
                owner: user(),
                schedule,
                next: first,
              };
              store.triggers.push(record);
              return new FakeTrigger(record);
            },
            clock,
            timeZone(),
          ),
      };
    },
    getProjectTriggers: () => {
      host.execution().charge(host.costs.properties);
      return mine().map((t) => new FakeTrigger(t));
    },
    deleteTrigger: (trigger) => {
      host.execution().charge(host.costs.properties);
      const uid = trigger.getUniqueId();
      const i = store.triggers.findIndex((t) => t.uid === uid);
      if (i >= 0) store.triggers.splice(i, 1);
    },
  };
}
