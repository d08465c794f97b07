import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../apps-script/types/apps-script.ts';
import { TIME_LIMIT_MESSAGE } from '../../support/apps-script/clock.ts';
import { builtProject } from '../../support/apps-script/project.ts';
import { formatDate, parseDate } from '../../support/apps-script/utilities.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';
import { CELL_TOO_LONG_MESSAGE } from '../../support/apps-script/spreadsheet.ts';
import {
  ADDON_EVERY_MINUTES_MESSAGE,
  ADDON_TIME_TRIGGER_MESSAGE,
  RUNTIME_QUOTA_MESSAGE,
  TriggerStore,
} from '../../support/apps-script/triggers.ts';

// The stand-ins are only worth testing against if they refuse what Apps Script refuses,
// with its messages: these tests pin that behaviour down.

const open: AppsScriptWorld[] = [];
function world(options: ConstructorParameters<typeof AppsScriptWorld>[0] = {}): AppsScriptWorld {
  const w = new AppsScriptWorld(options);
  open.push(w);
  return w;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

/** Runs `body` as one editor execution and returns its value, rethrowing its error. */
function inScript<T>(w: AppsScriptWorld, body: (s: Services) => T): T {
  const result = w.direct('editor', body);
  if (result.error !== undefined) throw new Error(result.error);
  return result.value as T;
}

function failure(
  w: AppsScriptWorld,
  body: (s: Services) => unknown,
  kind: Parameters<AppsScriptWorld['direct']>[0] = 'editor',
): string | undefined {
  return w.direct(kind, body).error;
}

describe('SpreadsheetApp stand-in', () => {
  it('checks the data against the range like Range.setValues does', () => {
    const w = world();
    expect(
      failure(w, (s) =>
        s.SpreadsheetApp.getActive()
          .getActiveSheet()
          .getRange(1, 1, 2, 2)
          .setValues([['a', 'b']]),
      ),
    ).toBe('The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.');
    expect(
      failure(w, (s) =>
        s.SpreadsheetApp.getActive()
          .getActiveSheet()
          .getRange(1, 1, 1, 3)
          .setValues([['a', 'b']]),
      ),
    ).toBe('The number of columns in the data does not match the number of columns in the range. The data has 2 but the range has 3.');
    expect(
      failure(w, (s) =>
        s.SpreadsheetApp.getActive()
          .getActiveSheet()
          .getRange(1, 1, 1, 2)
          .setNumberFormats([['0']]),
      ),
    ).toMatch(/number of columns/);
  });

  it('refuses ranges outside the grid until rows or columns are inserted', () => {
    const w = world();
    expect(failure(w, (s) => s.SpreadsheetApp.getActive().getActiveSheet().getRange(1001, 1))).toBe(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
    inScript(w, (s) =>
      s.SpreadsheetApp.getActive()
        .getActiveSheet()
        .insertRowsAfter(1000, 5)
        .getRange(1005, 27 - 26)
        .setValue('x'),
    );
    expect(w.spreadsheet.sheets[0]!.get(1005, 1)).toBe('x');
  });

  it("enforces Sheets' 10,000,000-cell limit for the whole spreadsheet", () => {
    const w = world();
    expect(failure(w, (s) => s.SpreadsheetApp.getActive().getActiveSheet().insertRowsAfter(1000, 400_000))).toBe(
      'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    inScript(w, (s) => s.SpreadsheetApp.getActive().getActiveSheet().insertRowsAfter(1000, 300_000));
    expect(w.spreadsheet.cells()).toBe(301_000 * 26);
  });

  it('refuses a whole setValues when one cell would hold more than 50,000 characters', () => {
    const w = world();
    expect(
      failure(w, (s) =>
        s.SpreadsheetApp.getActive()
          .getActiveSheet()
          .getRange(1, 1, 1, 2)
          .setValues([['fine', 'x'.repeat(50_001)]]),
      ),
    ).toBe(CELL_TOO_LONG_MESSAGE);
    expect(w.spreadsheet.sheets[0]!.get(1, 1)).toBe('');
    inScript(w, (s) => s.SpreadsheetApp.getActive().getActiveSheet().getRange(1, 1).setValue('x'.repeat(50_000)));
    expect(String(w.spreadsheet.sheets[0]!.get(1, 1))).toHaveLength(50_000);
  });

  it('reads strings the way typed input is read, unless the cell is plain text or the string starts with an apostrophe', () => {
    const w = world();
    inScript(w, (s) => {
      const range = s.SpreadsheetApp.getActive().getActiveSheet().getRange(1, 1, 1, 5);
      range.setNumberFormats([['0.###############', '0.###############', '@', '0.###############', '0.###############']]);
      range.setValues([['00123', "'=SUM(A1)", '00123', '=SUM(A1)', 'TRUE']]);
    });
    const sheet = w.spreadsheet.sheets[0]!;
    expect([1, 2, 3, 4, 5].map((c) => sheet.get(1, c))).toEqual([123, '=SUM(A1)', '00123', '', true]);
    expect(sheet.formulas.get('1,4')).toBe('=SUM(A1)');
  });

  it('is read-only inside a custom function, and has no UI outside menus and sidebars', () => {
    const w = world();
    expect(failure(w, (s) => s.SpreadsheetApp.getActive().getActiveSheet().getRange('A1').setValue(1), 'custom-function')).toBe(
      'You do not have permission to call setValues',
    );
    expect(failure(w, (s) => s.SpreadsheetApp.getUi(), 'time-trigger')).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
    expect(failure(w, (s) => s.SpreadsheetApp.getActive().insertSheet('Sheet1'))).toBe(
      'A sheet with the name "Sheet1" already exists. Please enter another name.',
    );
  });
});

describe('PropertiesService and CacheService stand-ins', () => {
  it('hold 9 KB per property value and 500 KB per store', () => {
    const w = world();
    expect(failure(w, (s) => s.PropertiesService.getDocumentProperties()!.setProperty('k', 'x'.repeat(9 * 1024 + 1)))).toBe(
      'Argument too large: value',
    );
    inScript(w, (s) => {
      const props = s.PropertiesService.getDocumentProperties()!;
      for (let i = 0; i < 56; i++) props.setProperty(`k${i}`, 'x'.repeat(9000));
    });
    expect(failure(w, (s) => s.PropertiesService.getDocumentProperties()!.setProperty('one-more', 'x'.repeat(9000)))).toBe(
      'You have exceeded the property storage quota. Please remove some properties and try again.',
    );
  });

  it('give a custom function the owner’s user properties', () => {
    const w = world();
    inScript(w, (s) => s.PropertiesService.getUserProperties().setProperty('who', 'owner'));
    expect(w.direct('custom-function', (s) => s.PropertiesService.getUserProperties().getProperty('who')).value).toBe('owner');
  });

  it('cache values up to 100 KB for up to 6 hours, expiring on the simulated clock', () => {
    const w = world();
    expect(failure(w, (s) => s.CacheService.getScriptCache().put('k', 'x'.repeat(100 * 1024 + 1)))).toBe('Argument too large: value');
    expect(failure(w, (s) => s.CacheService.getScriptCache().put('k', 'v', 21_601))).toBe('Invalid argument: expirationInSeconds');
    expect(failure(w, (s) => s.CacheService.getScriptCache().put('k'.repeat(251), 'v'))).toBe('Argument too large: key');
    inScript(w, (s) => s.CacheService.getScriptCache().putAll({ a: '1', b: '2' }, 60));
    expect(inScript(w, (s) => s.CacheService.getScriptCache().getAll(['a', 'b', 'c']))).toEqual({ a: '1', b: '2' });
    w.advance(61_000);
    expect(inScript(w, (s) => s.CacheService.getScriptCache().get('a'))).toBeNull();
  });

  it('keep at most 1,000 items: past that, the 900 farthest from expiring stay', () => {
    const w = world();
    inScript(w, (s) => {
      const cache = s.CacheService.getScriptCache();
      // 1,001 items, item i expiring after 60 + i seconds: the 101 soonest to expire go.
      for (let i = 0; i <= 1000; i++) cache.put(`k${i}`, 'v', 60 + i);
    });
    expect(w.caches.script.entries.size).toBe(900);
    const kept = inScript(w, (s) => s.CacheService.getScriptCache().getAll(['k0', 'k100', 'k101', 'k1000']));
    expect(Object.keys(kept)).toEqual(['k101', 'k1000']);
  });
});

describe('ScriptApp stand-in', () => {
  it('allows 20 triggers per user and keeps one-off triggers listed after they fire', () => {
    const w = world();
    inScript(w, (s) => {
      for (let i = 0; i < 19; i++) s.ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create();
      s.ScriptApp.newTrigger('once').timeBased().after(60_000).create();
    });
    expect(failure(w, (s) => s.ScriptApp.newTrigger('more').timeBased().everyHours(1).create())).toBe(
      'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
    );
    expect(failure(w, (s) => s.ScriptApp.newTrigger('x').timeBased().everyHours(3))).toBe(
      'The value passed to everyHours() must be 1, 2, 4, 6, 8 or 12.',
    );
    w.advance(61_000);
    w.fireDueTriggers();
    expect(w.triggers.triggers.find((t) => t.handler === 'once')).toMatchObject({ next: null });
  });
});

describe('ScriptApp stand-in as a published add-on', () => {
  it("allows one time-driven trigger per user per document, at most hourly, with Apps Script's refusal", () => {
    const w = world({ mode: 'addon' });
    inScript(w, (s) => s.ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create());
    expect(failure(w, (s) => s.ScriptApp.newTrigger('once').timeBased().after(60_000).create())).toBe(ADDON_TIME_TRIGGER_MESSAGE);
    expect(failure(w, (s) => s.ScriptApp.newTrigger('often').timeBased().everyMinutes(5))).toBe(ADDON_EVERY_MINUTES_MESSAGE);
    // Another user of the same document has a timer of their own.
    expect(
      w.direct('editor', (s) => s.ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create(), { user: 'b@example.com' }).error,
    ).toBeUndefined();
    expect(w.triggers.triggers.map((t) => t.owner)).toEqual(['owner@example.com', 'b@example.com']);
  });

  it('says whether the script runs as an add-on', () => {
    expect(inScript(world({ mode: 'addon' }), (s) => s.ScriptApp.getInstallationSource())).toBe('WEB_STORE_ADD_ON');
    expect(inScript(world({ mode: 'bound' }), (s) => s.ScriptApp.getInstallationSource())).toBe('NONE');
  });

  it('lists triggers per document with getUserTriggers, while getProjectTriggers sees every document', () => {
    const shared = new TriggerStore();
    const a = world({ mode: 'addon', triggers: shared, spreadsheetId: 'doc-a' });
    const b = world({ mode: 'addon', triggers: shared, spreadsheetId: 'doc-b' });
    inScript(a, (s) => s.ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create());
    // A second document may have its own timer: the limit is per document.
    inScript(b, (s) => s.ScriptApp.newTrigger('hourly').timeBased().everyHours(1).create());
    expect(inScript(b, (s) => s.ScriptApp.getUserTriggers(s.SpreadsheetApp.getActive()).length)).toBe(1);
    const project = b.direct('editor', (s) => (s.ScriptApp as unknown as { getProjectTriggers(): unknown[] }).getProjectTriggers().length);
    expect(project.value).toBe(2);
    expect(a.mine()).toHaveLength(1);
  });
});

describe('daily trigger runtime', () => {
  it("stops a trigger run when the day's 90 minutes run out and refuses the next, until 24 hours after the first use", () => {
    const w = world({ account: 'consumer' });
    w.triggers.runtime.set(w.owner, { windowStart: w.clock.now, usedMs: 88 * 60_000 });
    const cut = w.direct('time-trigger', (s) => s.Utilities.sleep(5 * 60_000));
    expect(cut).toMatchObject({ killed: true, quota: true, error: RUNTIME_QUOTA_MESSAGE });
    expect(w.direct('time-trigger', () => 'ran')).toMatchObject({ quota: true, error: RUNTIME_QUOTA_MESSAGE });
    // Menus and sidebars do not count against it.
    expect(w.direct('menu', () => 'ran').value).toBe('ran');
    w.advance(24 * 3_600_000);
    expect(w.direct('time-trigger', () => 'ran').value).toBe('ran');
  });

  it('gives a Workspace account 6 hours', () => {
    const w = world({ account: 'workspace' });
    w.triggers.runtime.set(w.owner, { windowStart: w.clock.now, usedMs: 90 * 60_000 });
    expect(w.triggerRuntimeLeft(w.owner)).toBe(270 * 60_000);
  });
});

describe('execution time limits', () => {
  it('stop a run at 6 minutes, and every service call after that fails too', () => {
    const w = world();
    const result = w.direct('time-trigger', (s) => {
      s.Utilities.sleep(300_000);
      try {
        s.Utilities.sleep(61_000);
      } catch {
        // A script cannot catch its way past the limit.
        s.PropertiesService.getScriptProperties().setProperty('after', 'limit');
      }
    });
    expect(result).toMatchObject({ error: TIME_LIMIT_MESSAGE, killed: true });
    expect(w.properties.script.data.has('after')).toBe(false);
  });

  it('give a custom function 30 seconds', () => {
    const w = world();
    expect(w.direct('custom-function', (s) => s.Utilities.sleep(31_000))).toMatchObject({ killed: true });
    expect(w.direct('custom-function', (s) => s.Utilities.sleep(29_000))).toMatchObject({ killed: false });
  });

  it('run the bundle on the simulated clock', async () => {
    const w = world({ projectDir: (await builtProject()).outDir, start: Date.UTC(2030, 0, 2, 3, 4, 5) });
    expect(w.run('editor', 'ACTIVTRAK_VIEWS').error).toMatch(/^Not connected/);
    expect(w.clock.now - Date.UTC(2030, 0, 2, 3, 4, 5)).toBeLessThan(1000);
  });
});

describe('Utilities stand-in', () => {
  it('formats and parses dates in a time zone, across daylight saving changes', () => {
    const d = new Date('2026-11-01T05:30:00Z'); // 01:30 EDT, before New York falls back
    expect(formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ss Z")).toBe('2026-11-01T01:30:00 -0400');
    expect(parseDate('2026-11-02 06:00', 'America/New_York', 'yyyy-MM-dd HH:mm').toISOString()).toBe('2026-11-02T11:00:00.000Z');
    expect(parseDate('2026-07-01', 'Europe/Berlin', 'yyyy-MM-dd').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(() => parseDate('2026-13-01', 'UTC', 'yyyy-MM-dd')).toThrow('Unparseable date: "2026-13-01"');
  });

  it('digests to Java bytes and encodes them web-safe, as Apps Script does', () => {
    const w = world();
    const digest = inScript(w, (s) => s.Utilities.computeDigest(s.Utilities.DigestAlgorithm.SHA_256, 'abc'));
    expect(digest.slice(0, 4)).toEqual([-70, 120, 22, -65]);
    expect(inScript(w, (s) => s.Utilities.base64EncodeWebSafe(digest))).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=');
  });
});

describe('UrlFetchApp stand-in (real HTTP, synchronously)', () => {
  let server: ChildProcess;
  let base: string;
  beforeAll(async () => {
    server = spawn(process.execPath, [
      '-e',
      `require('node:http').createServer((req, res) => {
        if (req.url === '/missing') { res.writeHead(404, { 'content-type': 'application/problem+json' }); return res.end('{"detail":"nope"}'); }
        if (req.url === '/big') { res.writeHead(200); const chunk = Buffer.alloc(1024 * 1024, 97); for (let i = 0; i < 51; i++) res.write(chunk); return res.end(); }
        let body = ''; req.on('data', (c) => body += c); req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' });
          res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body }));
        });
      }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ]);
    base = await new Promise((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${String(d).trim()}`)));
  });
  afterAll(() => {
    server?.kill();
  });

  it('sends the method, headers and payload and returns code, text and headers', () => {
    const w = world();
    const response = inScript(w, (s) => {
      const r = s.UrlFetchApp.fetch(`${base}/echo`, {
        method: 'post',
        contentType: 'application/json',
        payload: '{"a":1}',
        headers: { Authorization: 'Bearer k' },
      });
      return { code: r.getResponseCode(), text: r.getContentText(), headers: r.getHeaders() };
    });
    expect(response.code).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ method: 'POST', type: 'application/json', auth: 'Bearer k', body: '{"a":1}' });
    expect(response.headers['X-Echo']).toBe('yes');
  });

  it('throws on HTTP errors unless muteHttpExceptions, like Apps Script', () => {
    const w = world();
    expect(failure(w, (s) => s.UrlFetchApp.fetch(`${base}/missing`))).toBe(
      `Request failed for ${base} returned code 404. Truncated server response: {"detail":"nope"} (use muteHttpExceptions option to examine full response)`,
    );
    expect(inScript(w, (s) => s.UrlFetchApp.fetch(`${base}/missing`, { muteHttpExceptions: true }).getResponseCode())).toBe(404);
  });

  it('refuses URLs over 2 KB and responses over 50 MB', () => {
    const w = world();
    expect(failure(w, (s) => s.UrlFetchApp.fetch(`${base}/echo?q=${'x'.repeat(2100)}`))).toBe('Limit Exceeded: URLFetch URL Length.');
    expect(failure(w, (s) => s.UrlFetchApp.fetch(`${base}/big`))).toBe('Limit Exceeded: URLFetch response size.');
  });
});
