import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HtmlOutput, HtmlService, Lock, LockService, Session } from '../../../apps-script/types/apps-script.ts';
import type { Execution } from './clock.ts';
import type { Host } from './spreadsheet.ts';

/** HtmlService: files are the built project's .html files, found by name without extension. */
class FakeHtmlOutput implements HtmlOutput {
  private title = '';
  private content: string;

  constructor(content: string) {
    this.content = content;
  }
  setTitle(title: string): HtmlOutput {
    this.title = title;
    return this;
  }
  setWidth(): HtmlOutput {
    return this;
  }
  setHeight(): HtmlOutput {
    return this;
  }
  append(addedContent: string): HtmlOutput {
    this.content += addedContent;
    return this;
  }
  getContent(): string {
    return this.content;
  }
  getTitle(): string {
    return this.title;
  }
}

export function createHtmlService(projectDir: string): HtmlService {
  return {
    createHtmlOutputFromFile: (name) => {
      const file = join(projectDir, `${name.replace(/\.html$/, '')}.html`);
      if (!existsSync(file)) throw new Error(`No HTML file named ${name} was found.`);
      return new FakeHtmlOutput(readFileSync(file, 'utf8'));
    },
    createHtmlOutput: (html = '') => new FakeHtmlOutput(html),
  };
}

/** Who holds each lock: an execution id, or any other string for "someone else". */
export class LockStore {
  readonly holders = new Map<string, string>();

  releaseAll(executionId: string): void {
    for (const [name, holder] of [...this.holders]) if (holder === executionId) this.holders.delete(name);
  }
}

class FakeLock implements Lock {
  private readonly host: Host;
  private readonly store: LockStore;
  private readonly name: string;

  constructor(host: Host, store: LockStore, name: string) {
    this.host = host;
    this.store = store;
    this.name = name;
  }
  private me(): Execution {
    return this.host.execution();
  }
  tryLock(timeoutInMillis: number): boolean {
    const holder = this.store.holders.get(this.name);
    if (holder === undefined || holder === this.me().id) {
      this.store.holders.set(this.name, this.me().id);
      this.me().charge(1);
      return true;
    }
    // Someone else holds it for the whole wait: the wait is spent, then it gives up.
    this.me().charge(timeoutInMillis);
    return false;
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) throw new Error('Lock timeout: another process was holding the lock for too long.');
  }
  releaseLock(): void {
    if (this.store.holders.get(this.name) === this.me().id) this.store.holders.delete(this.name);
  }
  hasLock(): boolean {
    return this.store.holders.get(this.name) === this.me().id;
  }
}

export function createLockService(host: Host, store: LockStore, user: () => string): LockService {
  return {
    getDocumentLock: () => new FakeLock(host, store, 'document'),
    getScriptLock: () => new FakeLock(host, store, 'script'),
    getUserLock: () => new FakeLock(host, store, `user:${user()}`),
  };
}

export function createSession(scriptTimeZone: string, user: () => string): Session {
  return {
    getScriptTimeZone: () => scriptTimeZone,
    getActiveUser: () => ({ getEmail: () => user() }),
  };
}
