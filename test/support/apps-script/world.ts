import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import type { Services } from '../../../apps-script/types/apps-script.ts';
import { createCacheService, CacheStore, type CacheStores } from './cache.ts';
import { DEFAULT_COSTS, EXECUTION_LIMIT_MS, Execution, WorldClock, type Costs, type ExecutionKind } from './clock.ts';
import { createPropertiesService, PropertyStore, type PropertyStores } from './properties.ts';
import { createHtmlService, createLockService, createSession, LockStore } from './services.ts';
import { FakeSpreadsheetApp, SpreadsheetState, type Host } from './spreadsheet.ts';
import {
  createScriptApp,
  QUOTA_WINDOW_MS,
  RUNTIME_QUOTA_MESSAGE,
  TRIGGER_RUNTIME_MS,
  TriggerStore,
  type AccountKind,
  type ScriptMode,
  type TriggerRecord,
} from './triggers.ts';
import { createUrlFetchApp, SyncHttp, type FetchRecord } from './url-fetch.ts';
import { createUtilities } from './utilities.ts';

/** The globals a script sees in Apps Script (the ones this add-on can use), and nothing else. */
export const APPS_SCRIPT_GLOBALS = [
  'SpreadsheetApp',
  'UrlFetchApp',
  'PropertiesService',
  'CacheService',
  'ScriptApp',
  'HtmlService',
  'Utilities',
  'Session',
  'LockService',
  'Logger',
  'console',
] as const;

export interface WorldOptions {
  /** The built Apps Script project (Code.js, Sidebar.html); only `run` and its callers need it. */
  readonly projectDir?: string;
  readonly timeZone?: string;
  /** appsscript.json's timeZone. */
  readonly scriptTimeZone?: string;
  readonly start?: number;
  readonly owner?: string;
  readonly costs?: Partial<Costs>;
  /** Published Editor add-on (its trigger rules apply) or a script bound to the spreadsheet. */
  readonly mode?: ScriptMode;
  /** Which daily quotas the users get. */
  readonly account?: AccountKind;
  /** The project's triggers, shared by worlds that stand for other documents of one add-on. */
  readonly triggers?: TriggerStore;
  readonly spreadsheetId?: string;
}

export interface RunResult<T = unknown> {
  readonly value?: T;
  /** The error message as Apps Script would report it, when the run failed. */
  readonly error?: string;
  /** True when Apps Script would have stopped the run at its time limit. */
  readonly killed: boolean;
  readonly elapsedMs: number;
  /** True when the user's daily trigger runtime refused or stopped the run. */
  readonly quota?: boolean;
}

export interface RunOptions {
  readonly user?: string;
  /** Event object passed to a trigger handler. */
  readonly event?: unknown;
}

function hasMethods(value: object): boolean {
  for (let o: object | null = value; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key !== 'constructor' && typeof (o as Record<string, unknown>)[key] === 'function') return true;
    }
  }
  return false;
}

/**
 * A spreadsheet with its script project, as Apps Script runs it: persistent state (cells,
 * properties, caches, triggers, locks, the clock) and executions that each load the built
 * Code.js into a fresh vm context holding only the Apps Script globals, so nothing a
 * previous execution left in memory survives, and `require`, `process` or `fetch` in the
 * bundle is a ReferenceError, as it would be in Apps Script.
 */
export class AppsScriptWorld {
  readonly clock: WorldClock;
  readonly spreadsheet: SpreadsheetState;
  readonly owner: string;
  readonly costs: Costs;
  readonly scriptTimeZone: string;
  readonly properties: PropertyStores & { readonly users: Map<string, PropertyStore> };
  readonly caches: CacheStores & { readonly users: Map<string, CacheStore> };
  readonly triggers: TriggerStore;
  readonly mode: ScriptMode;
  readonly account: AccountKind;
  /** urlFetchWhitelist from the built appsscript.json, or null when it has none. */
  private whitelist: readonly string[] | null | undefined;
  readonly locks = new LockStore();
  readonly fetches: FetchRecord[] = [];
  readonly logs: string[] = [];
  readonly http = new SyncHttp();
  private compiled: vm.Script | null = null;
  private current: Execution | null = null;
  private currentUser = '';

  readonly options: WorldOptions;

  constructor(options: WorldOptions) {
    this.options = options;
    this.clock = new WorldClock(options.start ?? Date.UTC(2026, 9, 5, 13, 0, 0));
    this.owner = options.owner ?? 'owner@example.com';
    this.costs = { ...DEFAULT_COSTS, ...options.costs };
    this.scriptTimeZone = options.scriptTimeZone ?? 'Etc/UTC';
    this.spreadsheet = new SpreadsheetState(
      options.spreadsheetId ?? 'spreadsheet-1',
      'ActivTrak test',
      options.timeZone ?? 'America/New_York',
    );
    this.triggers = options.triggers ?? new TriggerStore();
    this.mode = options.mode ?? 'bound';
    this.account = options.account ?? 'consumer';
    const userProps = new Map<string, PropertyStore>();
    this.properties = {
      script: new PropertyStore(),
      document: new PropertyStore(),
      users: userProps,
      user: (email) => userProps.get(email) ?? userProps.set(email, new PropertyStore()).get(email)!,
    };
    const userCaches = new Map<string, CacheStore>();
    this.caches = {
      script: new CacheStore(),
      document: new CacheStore(),
      users: userCaches,
      user: (email) => userCaches.get(email) ?? userCaches.set(email, new CacheStore()).get(email)!,
    };
  }

  private script(): vm.Script {
    if (!this.options.projectDir) throw new Error('This world has no built project to run (projectDir).');
    this.compiled ??= new vm.Script(readFileSync(join(this.options.projectDir, 'Code.js'), 'utf8'), { filename: 'Code.gs' });
    return this.compiled;
  }

  /** The manifest's urlFetchWhitelist, read once from the built project. */
  private urlFetchWhitelist(): readonly string[] | null {
    if (this.whitelist === undefined) {
      const file = this.options.projectDir ? join(this.options.projectDir, 'appsscript.json') : null;
      const manifest = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { urlFetchWhitelist?: string[] }) : {};
      this.whitelist = manifest.urlFetchWhitelist ?? null;
    }
    return this.whitelist;
  }

  /** The execution running now; stand-ins charge their costs to it. */
  execution(): Execution {
    if (!this.current) throw new Error('No Apps Script execution is running: call a function through the world.');
    return this.current;
  }

  private host(kind: ExecutionKind): Host {
    return {
      execution: () => this.execution(),
      costs: this.costs,
      canWrite: () => kind !== 'custom-function',
      hasUi: () => kind === 'menu' || kind === 'sidebar' || kind === 'simple-trigger' || kind === 'editor',
    };
  }

  /** The Apps Script services as one execution of `kind` sees them. */
  private services(kind: ExecutionKind): Record<(typeof APPS_SCRIPT_GLOBALS)[number], object> {
    const host = this.host(kind);
    // A custom function runs anonymously but reads the owner's user properties.
    const propertiesUser = () => (kind === 'custom-function' ? this.owner : this.currentUser);
    const log = (...args: unknown[]) => this.logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    return {
      SpreadsheetApp: new FakeSpreadsheetApp(host, this.spreadsheet),
      UrlFetchApp: createUrlFetchApp(host, this.http, this.fetches, this.urlFetchWhitelist()),
      PropertiesService: createPropertiesService(host, this.properties, propertiesUser),
      CacheService: createCacheService(host, this.clock, this.caches, propertiesUser),
      ScriptApp: createScriptApp(host, {
        clock: this.clock,
        store: this.triggers,
        mode: this.mode,
        user: () => this.currentUser || this.owner,
        document: () => this.spreadsheet.id,
        timeZone: () => this.scriptTimeZone,
      }),
      HtmlService: createHtmlService(this.options.projectDir ?? '.'),
      Utilities: createUtilities(
        () => this.execution(),
        (ms) => new Date(ms),
      ),
      Session: createSession(this.scriptTimeZone, () => (kind === 'custom-function' ? '' : this.currentUser)),
      LockService: createLockService(host, this.locks, () => this.currentUser),
      Logger: { log: (...args: unknown[]) => log(...args) },
      console: { log, info: log, warn: log, error: log },
    };
  }

  /** A fresh context: the Apps Script globals for this execution, and a Date on the simulated clock. */
  private context(kind: ExecutionKind): vm.Context {
    const services = this.services(kind);
    const context = vm.createContext({});
    const RealmError = vm.runInContext('Error', context) as ErrorConstructor;
    // Apps Script's exceptions are Errors of the script's own realm; host errors are turned
    // into those so `err instanceof Error` in the add-on behaves as it does in Apps Script.
    const toRealm = (err: unknown) => {
      const e = new RealmError(err instanceof Error ? err.message : String(err));
      e.name = err instanceof Error && err.name !== 'Error' ? err.name : 'Exception';
      return e;
    };
    const wrap = <T>(value: T): T => {
      if (Array.isArray(value)) {
        const first: unknown = value[0];
        return (first && typeof first === 'object' && !Array.isArray(first) && hasMethods(first) ? value.map(wrap) : value) as T;
      }
      if (!value || typeof value !== 'object' || value instanceof Date || !hasMethods(value)) return value;
      return new Proxy(value as object, {
        get(target, prop) {
          const member = Reflect.get(target, prop, target) as unknown;
          if (typeof member !== 'function') return member;
          return (...args: unknown[]) => {
            try {
              return wrap((member as (...a: unknown[]) => unknown).apply(target, args));
            } catch (err) {
              throw toRealm(err);
            }
          };
        },
      }) as T;
    };
    for (const [name, service] of Object.entries(services)) context[name] = wrap(service);
    const install = vm.runInContext(
      `(function (now) {
        const Base = Date;
        // new Date() and Date.now() read the simulated clock; Date(...) without new is not supported.
        class ClockDate extends Base {
          constructor(...args) { if (args.length === 0) super(now()); else super(...args); }
          static now() { return now(); }
        }
        globalThis.Date = ClockDate;
      })`,
      context,
    ) as (now: () => number) => void;
    install(() => this.clock.now);
    return context;
  }

  /** One execution: its clock, user and locks, whatever runs inside it. */
  /**
   * What is left of a user's daily trigger runtime: a trigger run is refused once it is
   * spent and stopped when it runs out (https://developers.google.com/apps-script/guides/services/quotas).
   */
  triggerRuntimeLeft(user: string): number {
    const spent = this.triggers.runtime.get(user);
    if (!spent || this.clock.now - spent.windowStart >= QUOTA_WINDOW_MS) return TRIGGER_RUNTIME_MS[this.account];
    return Math.max(0, TRIGGER_RUNTIME_MS[this.account] - spent.usedMs);
  }

  private chargeTriggerRuntime(user: string, ms: number): void {
    const spent = this.triggers.runtime.get(user);
    if (!spent || this.clock.now - ms - spent.windowStart >= QUOTA_WINDOW_MS)
      this.triggers.runtime.set(user, { windowStart: this.clock.now - ms, usedMs: ms });
    else spent.usedMs += ms;
  }

  private execute<T>(kind: ExecutionKind, user: string, body: () => T): RunResult<T> {
    if (this.current) throw new Error('An execution is already running (executions do not nest).');
    const left = kind === 'time-trigger' ? this.triggerRuntimeLeft(user) : Infinity;
    if (left <= 0) return { error: RUNTIME_QUOTA_MESSAGE, killed: false, elapsedMs: 0, quota: true };
    const execution = new Execution(this.clock, kind, user, Math.min(EXECUTION_LIMIT_MS[kind], left));
    this.current = execution;
    this.currentUser = user;
    try {
      const value = body();
      execution.check();
      return { value, killed: false, elapsedMs: execution.elapsed() };
    } catch (err) {
      const message = err && typeof err === 'object' && 'message' in err ? String((err as Error).message) : String(err);
      // Killed by the day's quota rather than the 6-minute limit: Apps Script says which.
      const quota = execution.killed && execution.limitMs < EXECUTION_LIMIT_MS[kind];
      return { error: quota ? RUNTIME_QUOTA_MESSAGE : message, killed: execution.killed, elapsedMs: execution.elapsed(), quota };
    } finally {
      if (kind === 'time-trigger') this.chargeTriggerRuntime(user, execution.elapsed());
      this.locks.releaseAll(execution.id);
      this.current = null;
      this.currentUser = '';
    }
  }

  /** Runs a public function of the built script as one execution, in a fresh vm context. */
  run<T = unknown>(kind: ExecutionKind, name: string, args: readonly unknown[] = [], options: RunOptions = {}): RunResult<T> {
    const user = kind === 'custom-function' ? '' : (options.user ?? this.owner);
    return this.execute(kind, user, () => {
      const context = this.context(kind);
      this.script().runInContext(context);
      const fn = context[name] as unknown;
      if (typeof fn !== 'function') throw new Error(`Script function not found: ${name}`);
      return (fn as (...a: unknown[]) => T)(...args, ...(options.event === undefined ? [] : [options.event]));
    });
  }

  /**
   * Runs add-on modules directly (no bundle, no vm) with this world's services, as one
   * execution: for unit tests of one module against the stand-ins. Service calls still
   * spend simulated time, but `Date` here is Node's own, not the simulated clock.
   */
  direct<T>(kind: ExecutionKind, body: (services: Services) => T, options: RunOptions = {}): RunResult<T> {
    const user = kind === 'custom-function' ? '' : (options.user ?? this.owner);
    return this.execute(kind, user, () => body(this.services(kind) as unknown as Services));
  }

  /**
   * A formula in a cell: arguments as Sheets passes them (values, 2D arrays for ranges,
   * Dates), at most 30 seconds, read-only, anonymous. Returns what the cell would show.
   */
  formula(name: string, ...args: unknown[]): { values: unknown[][] } | { error: string } {
    const result = this.run<unknown>('custom-function', name, args);
    if (result.error !== undefined) return { error: result.error };
    const value = result.value;
    if (!Array.isArray(value)) return { values: [[value ?? '']] };
    const rows = value.map((r) => (Array.isArray(r) ? [...r] : [r]));
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) return { error: 'Result was not a rectangular array.' };
    return { values: rows };
  }

  /**
   * A call from the sidebar through google.script.run: only public functions (no trailing
   * underscore), and arguments and results limited to what google.script.run can carry.
   */
  sidebarCall<T = unknown>(name: string, args: readonly unknown[] = []): RunResult<T> {
    if (name.endsWith('_')) return { error: `${name} is private and cannot be called from the sidebar.`, killed: false, elapsedMs: 0 };
    const carried = (value: unknown, where: string) => {
      const walk = (v: unknown): void => {
        if (Object.prototype.toString.call(v) === '[object Date]' || typeof v === 'function')
          throw new Error(`google.script.run cannot carry ${where} holding a ${typeof v === 'function' ? 'function' : 'Date'}.`);
        if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(value);
      return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    };
    const result = this.run<T>('sidebar', name, carried(args, 'arguments') as unknown[]);
    if (result.error !== undefined) return result;
    try {
      return { ...result, value: carried(result.value, 'a result') as T };
    } catch (err) {
      return { error: (err as Error).message, killed: false, elapsedMs: result.elapsedMs };
    }
  }

  /** Moves time on between executions. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** This document's triggers (the store may be shared with other documents of an add-on). */
  mine(): TriggerRecord[] {
    return this.triggers.triggers.filter((t) => t.document === this.spreadsheet.id);
  }

  /** Opens the spreadsheet: onOpen as a simple trigger, with the authMode Apps Script would pass. */
  open(authMode: 'NONE' | 'LIMITED' = 'LIMITED'): RunResult {
    return this.run('simple-trigger', 'onOpen', [], { event: { authMode, source: null } });
  }

  /** Fires every time-driven trigger due by now, oldest first, each as its own execution. */
  fireDueTriggers(): { trigger: TriggerRecord; result: RunResult }[] {
    const fired: { trigger: TriggerRecord; result: RunResult }[] = [];
    for (let guard = 0; guard < 1000; guard++) {
      const due = this.mine()
        .filter((t) => t.next !== null && t.next <= this.clock.now)
        .sort((a, b) => a.next! - b.next!)[0];
      if (!due) return fired;
      const at = due.next!;
      due.next = due.schedule.kind === 'every' ? at + due.schedule.ms : null;
      const result = this.run('time-trigger', due.handler, [], {
        user: due.owner,
        event: { triggerUid: due.uid, authMode: 'FULL', timezone: this.scriptTimeZone },
      });
      fired.push({ trigger: due, result });
    }
    throw new Error('more than 1000 trigger runs: a trigger keeps re-arming itself');
  }

  /** Advances to `ms`, firing triggers at the moments they come due. */
  runUntil(ms: number): { trigger: TriggerRecord; result: RunResult }[] {
    const fired: { trigger: TriggerRecord; result: RunResult }[] = [];
    for (;;) {
      const next = this.mine()
        .filter((t) => t.next !== null && t.next <= ms)
        .sort((a, b) => a.next! - b.next!)[0];
      if (!next) break;
      if (next.next! > this.clock.now) this.clock.now = next.next!;
      fired.push(...this.fireDueTriggers());
    }
    if (ms > this.clock.now) this.clock.now = ms;
    return fired;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
