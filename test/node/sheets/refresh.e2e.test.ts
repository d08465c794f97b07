import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import type { BuildResult } from '../../../apps-script/build.ts';
import type { InsertRequest, InsertResult } from '../../../apps-script/refresh/insert.ts';
import type { ContinueResult, RangeInfo } from '../../../apps-script/ui/sidebar.ts';
import { apiValues, dayIn, Worlds } from '../../support/apps-script/harness.ts';
import { builtProject } from '../../support/apps-script/project.ts';
import { DEMO_END_DATE, startTestApi, type TestApi } from '../../support/apps-script/worker-server.ts';
import { ADDON_TIME_TRIGGER_MESSAGE, TriggerStore, type ScriptMode } from '../../support/apps-script/triggers.ts';
import type { AppsScriptWorld, RunResult, WorldOptions } from '../../support/apps-script/world.ts';
import type { DemoTenantId } from '../../../worker/demo/tenants.ts';

// Inserting a view from the sidebar and refreshing it on a schedule: the built bundle in
// the Apps Script stand-ins, talking to the real Worker over HTTP. Every test runs as a
// published Editor add-on (one timer per user per document, at most hourly) and as a
// script bound to the spreadsheet.

let project: BuildResult;
let api: TestApi;
const worlds = new Worlds(() => project.outDir);
const NY = 'America/New_York';
const HOUR = 3_600_000;
const MODES: readonly ScriptMode[] = ['addon', 'bound'];

beforeAll(async () => {
  [project, api] = await Promise.all([builtProject(), startTestApi()]);
}, 240_000);
afterEach(() => worlds.closeAll());
afterAll(() => api?.stop());

const SUMMARY_COLUMNS = ['user_id', 'local_date', 'user_name', 'productive_active_duration_seconds'];

function insert(world: AppsScriptWorld, request: Partial<InsertRequest> & Pick<InsertRequest, 'view'>): InsertResult {
  const result = world.sidebarCall<InsertResult>('sidebarInsert', [
    { columns: [], target: { kind: 'new' }, mode: 'replace', every: 'off', ...request },
  ]);
  if (result.error !== undefined) throw new Error(result.error);
  return result.value!;
}

function sheetRows(world: AppsScriptWorld, name: string): unknown[][] {
  const sheet = world.spreadsheet.sheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet.snapshot();
}

function logRows(world: AppsScriptWorld): unknown[][] {
  return sheetRows(world, 'ActivTrak log').slice(1);
}

const EVENT_COLUMNS = ['user_id', 'utc_timestamp', 'computer_id', 'titlebar'];

function triggerList(world: AppsScriptWorld): [string, string][] {
  return world.triggers.triggers.map((t) => [t.handler, t.schedule.kind]);
}

/** What the open sidebar does after a long insert: sidebarContinue until nothing is pending. */
function continueFromSidebar(world: AppsScriptWorld): RunResult<ContinueResult>[] {
  const calls: RunResult<ContinueResult>[] = [];
  for (let i = 0; i < 100; i++) {
    const call = world.sidebarCall<ContinueResult>('sidebarContinue');
    calls.push(call);
    if (call.error !== undefined || call.value!.pending === 0) return calls;
  }
  throw new Error('the sidebar kept continuing for 100 calls');
}

/** Every event of the demo tenant is in the sheet once, in the API's order. */
async function expectAllEvents(world: AppsScriptWorld): Promise<void> {
  const expected = await apiValues(api, 'acme', 'events', { select: EVENT_COLUMNS });
  const rows = sheetRows(world, 'events')
    .slice(1)
    .map((r) => [r[0], (r[1] as Date).toISOString().replace('.000Z', 'Z'), r[2], r[3]]);
  expect(rows).toEqual(expected.values.slice(1).map((r) => [r[0], r[1], r[2], String(r[3]).replace(/^'(?=[=+\-@])/, '')]));
}

/** The JSON bodies of every query the add-on sent. */
function queryBodies(world: AppsScriptWorld): Record<string, unknown>[] {
  return world.fetches
    .filter((f) => f.url.includes('/query') && f.body !== null)
    .map((f) => JSON.parse(f.body!) as Record<string, unknown>);
}

/** Rows as the API's text values, so sheet and API can be compared cell by cell. */
function asApiText(rows: unknown[][], dateColumns: readonly number[]): unknown[][] {
  return rows.map((row) => row.map((cell, i) => (dateColumns.includes(i) ? dayIn(cell, NY) : cell)));
}

/** New data arriving for a day after the demo's last one: a copy of the last day's rows. */
function addDay(day: string, updates = ''): void {
  const columns = leafColumns(VIEWS.daily_user_summary).map((c) => `"${c.name}"`);
  const values = columns.map((c) => (c === '"local_date"' ? `'${day}'` : c));
  api.sql(
    `INSERT INTO "acme__daily_user_summary" (${columns.join(', ')}) SELECT ${values.join(', ')} FROM "acme__daily_user_summary" WHERE local_date = '${DEMO_END_DATE}';` +
      `${updates}UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
  );
}

function removeDay(day: string): void {
  api.sql(
    `DELETE FROM "acme__daily_user_summary" WHERE local_date = '${day}'; UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
  );
}

describe.each(MODES)('as %s', (mode) => {
  const connected = (tenant: DemoTenantId = 'acme', options: Partial<WorldOptions> = {}) =>
    worlds.connected(api, tenant, { mode, ...options });

  describe('Insert a view (sidebar)', () => {
    it('writes the view to a new sheet with a bold, frozen header, typed formats and a status note', async () => {
      const world = connected();
      const result = insert(world, {
        view: 'daily_user_summary',
        columns: SUMMARY_COLUMNS,
        from: '2026-09-28',
        to: DEMO_END_DATE,
        every: 'hour',
      });
      const expected = await apiValues(api, 'acme', 'daily_user_summary', {
        select: SUMMARY_COLUMNS,
        from: '2026-09-28',
        to: DEMO_END_DATE,
      });
      expect(result).toMatchObject({ sheet: 'daily_user_summary', cell: 'A1', result: 'ok', rows: expected.values.length - 1 });
      // Dates travel as numbers (dates=serial) and land as the same dates the ISO text gave.
      expect(queryBodies(world).length).toBeGreaterThan(1);
      for (const body of queryBodies(world)) expect(body).toMatchObject({ format: 'values', dates: 'serial' });

      const sheet = world.spreadsheet.sheet('daily_user_summary')!;
      expect(asApiText(sheet.snapshot(), [])[0]).toEqual(SUMMARY_COLUMNS);
      expect(asApiText(sheet.snapshot().slice(1), [1])).toEqual(expected.values.slice(1));
      expect(sheet.frozenRows).toBe(1);
      expect(sheet.bold.has('1,1')).toBe(true);
      expect([sheet.format(2, 1), sheet.format(2, 2), sheet.format(2, 3), sheet.format(2, 4)]).toEqual(['0', 'yyyy-mm-dd', '@', '#,##0']);
      expect(sheet.notes.get('1,1')).toMatch(
        new RegExp(
          `^ActivTrak: daily_user_summary \\(replace, every hour\\)\\nRows: ${expected.values.length - 1}\\nLast refresh: 2026-10-05 09:00 \\(${expected.values.length - 1} rows loaded\\)\\nNext: 2026-10-05 09:5`,
        ),
      );

      const saved = [...world.properties.document.data].filter(([k]) => k.startsWith('acb.range.'));
      expect(saved).toHaveLength(1);
      expect(Buffer.byteLength(saved[0]![1])).toBeLessThan(1024);
      expect(world.triggers.triggers.map((t) => t.handler)).toEqual(['activtrakScheduledRefresh']);
      expect(logRows(world)).toEqual([
        [
          expect.anything(),
          'daily_user_summary!A1',
          'daily_user_summary',
          'replace',
          'insert',
          'ok',
          expected.values.length - 1,
          expected.values.length - 1,
          expect.any(Number),
          expect.stringMatching(/rows written/),
        ],
      ]);
    });

    it('keeps text that looks like a formula as text in the cell', () => {
      const world = connected();
      insert(world, { view: 'events', columns: ['titlebar'], filters: 'titlebar=like.=HYPERLINK*' });
      const sheet = world.spreadsheet.sheet('events')!;
      const titles = sheet
        .snapshot()
        .slice(1)
        .map((r) => r[0]);
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) expect(title).toMatch(/^=HYPERLINK\(/);
      expect(sheet.formulas.size).toBe(0);
    });

    it('writes to a chosen cell of an existing sheet, and inserting there again replaces the old range', () => {
      const world = connected();
      world.spreadsheet.sheet('Sheet1')!.set(1, 1, 'My report');
      const first = insert(world, {
        view: 'users',
        columns: ['uid', 'agents.agent_id', 'display_name'],
        target: { kind: 'existing', sheet: 'Sheet1', cell: 'B3' },
      });
      expect(first).toMatchObject({ sheet: 'Sheet1', cell: 'B3', result: 'ok' });
      const rows = sheetRows(world, 'Sheet1');
      expect(rows[0]![0]).toBe('My report');
      expect(rows[2]!.slice(1)).toEqual(['uid', 'agents.agent_id', 'display_name']);
      expect(world.spreadsheet.sheet('Sheet1')!.frozenRows).toBe(0);

      insert(world, { view: 'users', columns: ['uid'], target: { kind: 'existing', sheet: 'Sheet1', cell: 'B3' } });
      const after = sheetRows(world, 'Sheet1');
      expect(after[2]!.slice(1)).toEqual(['uid']);
      expect(after.slice(2).every((r) => (r[2] ?? '') === '' && (r[3] ?? '') === '')).toBe(true);
      expect(world.spreadsheet.sheet('Sheet1')!.lastColumn()).toBe(2);
      expect([...world.properties.document.data.keys()].filter((k) => k.startsWith('acb.range.'))).toHaveLength(1);
    });

    it('refuses a bad query before it creates a sheet', () => {
      const world = connected();
      const result = world.sidebarCall('sidebarInsert', [
        { view: 'daily_user_summary', columns: ['usr_name'], target: { kind: 'new' }, mode: 'replace', every: 'off' },
      ]);
      expect(result.error).toBe("Unknown column 'usr_name' in daily_user_summary. Did you mean 'user_name'?");
      expect(world.spreadsheet.sheets.map((s) => s.name)).toEqual(['Sheet1']);
    });

    it("says when the data would take the spreadsheet past Sheets' 10,000,000-cell limit", () => {
      const world = connected();
      const filler = world.spreadsheet.addSheet('Big');
      filler.maxRows = Math.floor(
        (10_000_000 - world.spreadsheet.cells() + filler.maxRows * filler.maxColumns - 26_000 - 50) / filler.maxColumns,
      );
      const result = world.sidebarCall('sidebarInsert', [
        { view: 'events', columns: [], target: { kind: 'new' }, mode: 'replace', every: 'off' },
      ]);
      expect(result.error).toBe(
        "This would take the spreadsheet past Google Sheets' limit of 10,000,000 cells. Select fewer columns, a shorter date range or filters, or use another spreadsheet.",
      );
    });
  });

  describe('scheduled refresh', () => {
    it('replace: an unchanged result (304) writes nothing; new data rewrites the range, shorter results clear old rows', async (ctx) => {
      const world = connected();
      insert(world, { view: 'daily_user_summary', columns: SUMMARY_COLUMNS, mode: 'replace', every: 'hour' });
      const before = sheetRows(world, 'daily_user_summary');

      world.fetches.length = 0;
      const fired = world.runUntil(world.clock.now + HOUR);
      expect(fired.map((f) => [f.trigger.handler, f.result.error])).toEqual([['activtrakScheduledRefresh', undefined]]);
      const conditional = world.fetches.find((f) => f.headers['If-None-Match']);
      if (!conditional) ctx.skip(true, 'The API sent no ETag, so there is no conditional request to test');
      expect(conditional!.status).toBe(304);
      expect(sheetRows(world, 'daily_user_summary')).toEqual(before);
      expect(logRows(world).at(-1)!.slice(4, 7)).toEqual(['schedule', 'unchanged', 0]);

      addDay('2026-10-05');
      world.runUntil(world.clock.now + HOUR);
      const grown = sheetRows(world, 'daily_user_summary');
      const added = grown.length - before.length;
      expect(added).toBeGreaterThan(0);
      expect(logRows(world).at(-1)!.slice(4, 8)).toEqual(['schedule', 'ok', grown.length - 1, grown.length - 1]);

      removeDay('2026-10-05');
      world.runUntil(world.clock.now + HOUR);
      expect(sheetRows(world, 'daily_user_summary')).toEqual(before);
    });

    it('append: adds only the rows past the change column, and nothing when nothing is new', async () => {
      const world = connected();
      insert(world, {
        view: 'daily_user_summary',
        columns: ['user_name', 'productive_active_duration_seconds'],
        mode: 'append',
        every: 'hour',
      });
      const before = sheetRows(world, 'daily_user_summary');
      // Append needs the change column, so the insert added it to the selection.
      expect(before[0]).toEqual(['user_name', 'productive_active_duration_seconds', 'local_date']);

      addDay('2026-10-06');
      world.fetches.length = 0;
      world.runUntil(world.clock.now + HOUR);
      const after = sheetRows(world, 'daily_user_summary');
      const newRows = after.slice(before.length);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(newRows.length).toBeGreaterThan(0);
      expect(newRows.every((r) => dayIn(r[2], NY) === '2026-10-06')).toBe(true);
      const request = JSON.parse(world.fetches.find((f) => f.url.endsWith('/query'))!.body!);
      expect(request).toMatchObject({ filters: { local_date: [`gt.${DEMO_END_DATE}`] }, order: 'local_date.asc' });

      world.runUntil(world.clock.now + HOUR);
      expect(sheetRows(world, 'daily_user_summary')).toEqual(after);
      expect(logRows(world).at(-1)![5]).toMatch(/^(ok|unchanged)$/);
      expect(logRows(world).at(-1)![6]).toBe(0);
      removeDay('2026-10-06');
    });

    it('merge: updates rows in place by the row key and adds the new ones', async () => {
      const world = connected();
      insert(world, {
        view: 'daily_user_summary',
        columns: ['user_name', 'productive_active_duration_seconds'],
        mode: 'merge',
        every: 'day',
        atHour: 6,
      });
      const before = sheetRows(world, 'daily_user_summary');
      expect(before[0]).toEqual(['user_name', 'productive_active_duration_seconds', 'user_id', 'local_date']);
      const target = before.findIndex((r) => typeof r[3] === 'object' && dayIn(r[3], NY) === DEMO_END_DATE);
      const userId = before[target]![2] as number;

      addDay(
        '2026-10-07',
        `UPDATE "acme__daily_user_summary" SET productive_active_duration_seconds = 12345 WHERE user_id = ${userId} AND local_date = '${DEMO_END_DATE}';`,
      );
      // Daily at 06:00 New York: nothing happens in the evening, the run comes the next morning.
      world.runUntil(Date.UTC(2026, 9, 5, 23, 30));
      expect(sheetRows(world, 'daily_user_summary')).toEqual(before);
      world.runUntil(Date.UTC(2026, 9, 6, 11, 30));

      // The refresh pages ask for dates=serial too, and their keys still find the rows written before.
      for (const body of queryBodies(world)) expect(body).toMatchObject({ dates: 'serial' });
      const after = sheetRows(world, 'daily_user_summary');
      expect(after[target]).toEqual([before[target]![0], 12345, userId, before[target]![3]]);
      after.forEach((row, i) => i !== target && i < before.length && expect(row).toEqual(before[i]));
      const added = after.slice(before.length);
      expect(added.length).toBeGreaterThan(0);
      expect(added.every((r) => dayIn(r[3], NY) === '2026-10-07')).toBe(true);
      expect(logRows(world).at(-1)!.slice(3, 6)).toEqual(['merge', 'schedule', 'ok']);
      removeDay('2026-10-07');
    });
  });

  describe('refresh guards', () => {
    it('skips an hourly run while another refresh holds the document lock, and catches up after', () => {
      const world = connected();
      insert(world, { view: 'daily_user_summary', columns: SUMMARY_COLUMNS, every: 'hour' });
      const runs = logRows(world).length;
      world.locks.holders.set('document', 'someone else');
      const skipped = world.runUntil(world.clock.now + HOUR);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]!.result.error).toBeUndefined();
      expect(logRows(world)).toHaveLength(runs);
      world.locks.holders.delete('document');
      world.runUntil(world.clock.now + HOUR);
      expect(logRows(world)).toHaveLength(runs + 1);
    });

    it('says so when all 20 triggers are taken', () => {
      const world = connected();
      for (let i = 0; i < 20; i++)
        world.triggers.triggers.push({
          uid: `t${i}`,
          handler: 'somethingElse',
          owner: world.owner,
          document: 'another-spreadsheet',
          schedule: { kind: 'once' },
          next: null,
        });
      const result = world.sidebarCall('sidebarInsert', [
        { view: 'users', columns: ['uid'], target: { kind: 'new' }, mode: 'replace', every: 'hour' },
      ]);
      expect(result.error).toBe(
        'Apps Script allows 20 triggers per user in this spreadsheet and they are all in use. Delete some under Extensions > Apps Script > Triggers.',
      );
    });

    it('shows *_seconds columns as [h]:mm:ss hours when asked', () => {
      const world = connected();
      insert(world, { view: 'daily_user_summary', columns: ['productive_active_duration_seconds'], durations: 'hms' });
      const sheet = world.spreadsheet.sheet('daily_user_summary')!;
      expect(sheet.format(2, 1)).toBe('[h]:mm:ss');
      const raw = sheet.get(2, 1) as number;
      expect(Number.isInteger(Math.round(raw * 86_400 * 1000) / 1000)).toBe(true);
      expect(raw).toBeLessThan(1);
    });
  });

  describe('long loads', () => {
    it('continue before the 6-minute limit without losing or repeating a row: a one-off follow-up for a bound script, the open sidebar for an add-on', async () => {
      // 60 s per request and 100 rows per page: about 5 pages fit in one execution's budget.
      const world = connected('acme', { costs: { fetch: () => 60_000 } });
      world.properties.script.data.set('activtrak.page_size', '100');
      const result = insert(world, { view: 'events', columns: EVENT_COLUMNS });
      expect(result.result).toBe('continued');
      expect(world.spreadsheet.sheet('events')!.notes.get('1,1')).toMatch(/in progress, \d+ rows so far/);
      expect(world.spreadsheet.toasts.map((t) => t.message)).toContain('Loaded 100 rows of events…');

      if (mode === 'bound') {
        expect(triggerList(world)).toEqual([['activtrakContinueRefresh', 'once']]);
        const runs = world.runUntil(world.clock.now + 30 * 60_000);
        expect(runs.length).toBeGreaterThan(0);
        expect(runs.every((r) => r.result.error === undefined && !r.result.killed && r.result.elapsedMs < 6 * 60_000)).toBe(true);
      } else {
        // An add-on's one timer in this document is the hourly trigger; the sidebar goes on sooner.
        expect(triggerList(world)).toEqual([['activtrakScheduledRefresh', 'every']]);
        expect(result.detail).toMatch(/keep this sidebar open to finish sooner than the next hourly run$/);
        const calls = continueFromSidebar(world);
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.every((c) => c.error === undefined && !c.killed && c.elapsedMs < 6 * 60_000)).toBe(true);
        expect(calls.at(-1)!.value).toMatchObject({ pending: 0, message: 'Every refresh has finished.' });
      }
      // Nothing is left counting against the triggers: no schedule, nothing unfinished.
      expect(world.triggers.triggers).toEqual([]);
      await expectAllEvents(world);
      const results = logRows(world).map((r) => r[5]);
      expect(results[0]).toBe('continued');
      expect(results.at(-1)).toBe('ok');
    });

    it.runIf(mode === 'addon')('as an add-on with the sidebar closed, finish through the one hourly trigger', async () => {
      const world = connected('acme', { costs: { fetch: () => 60_000 } });
      world.properties.script.data.set('activtrak.page_size', '100');
      expect(insert(world, { view: 'events', columns: EVENT_COLUMNS }).result).toBe('continued');
      const runs = world.runUntil(world.clock.now + 12 * HOUR);
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.every((r) => r.trigger.handler === 'activtrakScheduledRefresh' && r.result.error === undefined)).toBe(true);
      expect(world.triggers.triggers).toEqual([]);
      await expectAllEvents(world);
    });

    it('survive an execution Apps Script kills mid-page: the next run picks up after the last saved page', async () => {
      const world = connected();
      world.properties.script.data.set('activtrak.page_size', '100');
      const columns = ['user_id', 'computer_id', 'utc_timestamp'];
      insert(world, { view: 'events', columns, mode: 'append', every: 'hour' });
      const before = sheetRows(world, 'events').length;
      // A month of new events arrives (several pages), and the network turns slow: 200 s a
      // request, so each hourly run's second request goes past 6 minutes and is killed.
      const names = leafColumns(VIEWS.events).map((c) => `"${c.name}"`);
      const shifted = names.map((c) => (c === '"utc_timestamp"' ? `strftime('%Y-%m-%dT%H:%M:%SZ', utc_timestamp, '+30 days')` : c));
      api.sql(
        `INSERT INTO "acme__events" (${names.join(', ')}) SELECT ${shifted.join(', ')} FROM "acme__events"; UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
      );
      // The month is removed whatever happens, so a failure here does not spill into the next test.
      try {
        world.costs.fetch = () => 200_000;

        const runs = world.runUntil(world.clock.now + 12 * HOUR);
        expect(runs.filter((r) => r.result.killed).length).toBeGreaterThan(1);
        const expected = await apiValues(api, 'acme', 'events', { select: columns });
        const keys = sheetRows(world, 'events')
          .slice(1)
          .map((r) => `${String(r[0])}|${String(r[1])}|${(r[2] as Date).toISOString().replace('.000Z', 'Z')}`);
        expect(keys.length).toBe(expected.values.length - 1);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.sort()).toEqual(
          expected.values
            .slice(1)
            .map((r) => r.join('|'))
            .sort(),
        );
        expect(keys.length).toBeGreaterThan(before);
      } finally {
        api.sql(
          `DELETE FROM "acme__events" WHERE utc_timestamp > '${DEMO_END_DATE}T23:59:59Z' AND local_date <= '${DEMO_END_DATE}'; UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
        );
      }
    });
  });

  describe('managing saved ranges', () => {
    it('lists ranges, changes their schedule, refreshes one now and forgets one, dropping the trigger with the last schedule', () => {
      const world = connected();
      const a = insert(world, { view: 'daily_user_summary', columns: SUMMARY_COLUMNS, every: 'hour' });
      insert(world, { view: 'users', columns: ['uid', 'agents.agent_id'], every: 'off' });
      const list = world.sidebarCall<RangeInfo[]>('sidebarRanges').value!;
      expect(list.map((r) => [r.view, r.every, r.cell])).toEqual([
        ['daily_user_summary', 'hour', 'A1'],
        ['users', 'off', 'A1'],
      ]);

      const refreshed = world.sidebarCall<RangeInfo[]>('sidebarRefreshRange', [a.id]);
      expect(refreshed.error).toBeUndefined();
      expect(logRows(world).at(-1)!.slice(2, 6)).toEqual([
        'daily_user_summary',
        'replace',
        'manual',
        expect.stringMatching(/^(ok|unchanged)$/),
      ]);

      const bad = world.sidebarCall('sidebarUpdateRange', [list[1]!.id, { mode: 'append', every: 'hour' }]);
      expect(bad.error).toBe(
        'users has no column that moves forward as data arrives, so append cannot tell new rows from old. Use replace or merge.',
      );
      const goals = insert(world, { view: 'group_goals', columns: ['core_activity_hrs_day'], every: 'off' });
      expect(world.sidebarCall('sidebarUpdateRange', [goals.id, { mode: 'merge', every: 'hour' }]).error).toBe(
        'group_goals can hold identical rows (it has no column that tells them apart), so merge cannot tell which row to update. Use replace.',
      );
      world.sidebarCall('sidebarRemoveRange', [goals.id]);

      world.sidebarCall('sidebarUpdateRange', [a.id, { mode: 'replace', every: 'off' }]);
      expect(world.triggers.triggers).toEqual([]);
      const remaining = world.sidebarCall<RangeInfo[]>('sidebarRemoveRange', [a.id]).value!;
      expect(remaining.map((r) => r.view)).toEqual(['users']);
      expect(world.spreadsheet.sheet('daily_user_summary')!.notes.get('1,1')).toBeUndefined();
      expect(sheetRows(world, 'daily_user_summary').length).toBeGreaterThan(1);
    });

    it('Refresh now refreshes the range under the selection', () => {
      const world = connected();
      insert(world, { view: 'daily_user_summary', columns: SUMMARY_COLUMNS });
      insert(world, { view: 'users', columns: ['uid', 'agents.agent_id'] });
      const sheet = world.spreadsheet.sheet('daily_user_summary')!;
      world.spreadsheet.activeSheetId = sheet.id;
      world.spreadsheet.activeRange = { sheetId: sheet.id, row: 3, column: 2, numRows: 1, numColumns: 1 };
      const result = world.run<string>('menu', 'activtrakRefreshNow');
      expect(result.value).toMatch(/rows loaded|unchanged/);
      expect(logRows(world).at(-1)!.slice(2, 5)).toEqual(['daily_user_summary', 'replace', 'manual']);
      expect(world.spreadsheet.toasts.at(-1)!.title).toBe('ActivTrak');
    });
  });

  describe('Apps Script add-on rules', () => {
    it('puts the menu under Extensions as an add-on, and an ActivTrak menu of its own as a bound script', () => {
      const world = connected();
      expect(world.open().error).toBeUndefined();
      const menu = mode === 'addon' ? 'Extensions > ActivTrak' : 'ActivTrak';
      expect([...world.spreadsheet.ui.menus.keys()]).toEqual([menu]);
      expect(world.spreadsheet.ui.menus.get(menu)!.map((i) => i.functionName)).toEqual([
        'activtrakShowConnect',
        'activtrakShowInsert',
        null,
        'activtrakRefreshNow',
        'activtrakShowSchedules',
      ]);
    });

    it.runIf(mode === 'addon')(
      'knows it is an add-on even when onOpen runs before it has been used in the document (AuthMode.NONE)',
      () => {
        const world = connected();
        world.open('NONE');
        expect([...world.spreadsheet.ui.menus.keys()]).toEqual(['Extensions > ActivTrak']);
      },
    );

    it.runIf(mode === 'addon')(
      "keeps each spreadsheet's hourly trigger to itself: one document's schedule never finds or deletes another's",
      () => {
        // One add-on installed in two spreadsheets by the same person: one project, one trigger list.
        const shared = new TriggerStore();
        const a = connected('acme', { triggers: shared, spreadsheetId: 'sheet-a' });
        const b = connected('acme', { triggers: shared, spreadsheetId: 'sheet-b' });
        insert(a, { view: 'users', columns: ['uid'], every: 'hour' });
        const inB = insert(b, { view: 'users', columns: ['uid'], every: 'hour' });
        expect(shared.triggers.map((t) => [t.document, t.handler])).toEqual([
          ['sheet-a', 'activtrakScheduledRefresh'],
          ['sheet-b', 'activtrakScheduledRefresh'],
        ]);
        expect(b.sidebarCall('sidebarUpdateRange', [inB.id, { mode: 'replace', every: 'off' }]).error).toBeUndefined();
        expect(shared.triggers.map((t) => t.document)).toEqual(['sheet-a']);
        const fired = a.runUntil(a.clock.now + HOUR);
        expect(fired.map((f) => [f.trigger.document, f.result.error])).toEqual([['sheet-a', undefined]]);
      },
    );

    it.runIf(mode === 'addon')("says what to do, never Google's raw message, when Google refuses the add-on's timer", () => {
      const world = connected();
      // A timer an earlier version left in this document: the add-on may hold only one.
      world.triggers.triggers.push({
        uid: 'old',
        handler: 'activtrakOldRefresh',
        owner: world.owner,
        document: world.spreadsheet.id,
        schedule: { kind: 'every', ms: HOUR },
        next: null,
      });
      const result = world.sidebarCall('sidebarInsert', [
        { view: 'users', columns: ['uid'], target: { kind: 'new' }, mode: 'replace', every: 'hour' },
      ]);
      expect(result.error).toBe(
        'Google lets an add-on keep one timer per person in each spreadsheet, and another one of yours is already set here (left by an earlier version). Remove it at script.google.com/home/triggers, then save the schedule again.',
      );
      expect(result.error).not.toContain(ADDON_TIME_TRIGGER_MESSAGE);
    });

    it("budgets trigger runs from the day's 90 minutes: shortened when little is left, skipped when none is, said in the log", () => {
      // 110 s a request: 3 pages of 100 in a full run, 2 in one shortened to 210 s; the 571
      // events outlast the insert and the shortened run.
      const world = connected('acme', { costs: { fetch: () => 110_000 } });
      world.properties.script.data.set('activtrak.page_size', '100');
      expect(insert(world, { view: 'events', columns: EVENT_COLUMNS, every: 'hour' }).result).toBe('continued');
      // Earlier trigger runs of the add-on have used 85 of today's 90 minutes: Google's count
      // (the stand-in's) and the add-on's own ledger agree.
      const used = 85 * 60_000;
      world.triggers.runtime.set(world.owner, { windowStart: world.clock.now, usedMs: used });
      world.properties
        .user(world.owner)
        .data.set('activtrak.trigger_runtime', JSON.stringify({ start: world.clock.now, usedMs: used, running: null }));

      const runs = world.runUntil(world.clock.now + 3 * HOUR);
      expect(runs.length).toBeGreaterThan(1);
      // Google never had to stop or refuse a run: the add-on stayed inside the quota.
      expect(runs.filter((r) => r.result.quota || r.result.killed)).toEqual([]);
      expect(world.triggers.runtime.get(world.owner)!.usedMs).toBeLessThanOrEqual(90 * 60_000);
      const budgetRows = logRows(world).filter((r) => r[5] === 'shortened' || r[5] === 'skipped');
      expect(budgetRows[0]!.slice(2, 6)).toEqual(['events', '', expect.any(String), 'shortened']);
      expect(budgetRows[0]![9]).toMatch(
        /^Shortened to \d+ seconds: only 5 of the 90 minutes of trigger runtime Google allows a day are left/,
      );
      expect(budgetRows.at(-1)![5]).toBe('skipped');
      expect(budgetRows.at(-1)![9]).toMatch(
        /^Skipped: \d+ of the 90 minutes of trigger runtime Google allows a day are used up\. Scheduled refreshes resume after/,
      );

      // A new quota window: the hourly trigger finishes the load.
      world.runUntil(world.clock.now + 24 * HOUR);
      expect(logRows(world).at(-1)![5]).toMatch(/^(ok|unchanged)$/);
    });

    it('cuts text longer than a cell holds with a visible marker instead of failing the page', () => {
      const names = leafColumns(VIEWS.events).map((c) => `"${c.name}"`);
      const long = names.map((c) =>
        c === '"titlebar"'
          ? `replace(hex(zeroblob(30000)), '00', 'xy')`
          : c === '"utc_timestamp"'
            ? `strftime('%Y-%m-%dT%H:%M:%SZ', utc_timestamp, '+400 days')`
            : c,
      );
      api.sql(
        `INSERT INTO "acme__events" (${names.join(', ')}) SELECT ${long.join(', ')} FROM "acme__events" LIMIT 1; UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
      );
      try {
        const world = connected();
        expect(insert(world, { view: 'events', columns: ['user_id', 'titlebar'], filters: 'titlebar=like.xyxy*' }).result).toBe('ok');
        const cell = sheetRows(world, 'events')[1]![1] as string;
        expect(cell).toHaveLength(50_000);
        expect(cell.startsWith('xyxy')).toBe(true);
        expect(cell.endsWith('… [cut: 50,000-character cell limit]')).toBe(true);
      } finally {
        api.sql(
          `DELETE FROM "acme__events" WHERE titlebar LIKE 'xyxy%'; UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
        );
      }
    });
  });
});

describe('Connect', () => {
  it('checks the address and key before saving them, and keeps a working connection on a typo', () => {
    const world = worlds.connected(api);
    const wrong = world.sidebarCall('sidebarConnect', [api.url, 'acb_demo_acme_0000']);
    expect(wrong.error).toBe('The API key you supplied is incorrect.');
    const notKey = world.sidebarCall('sidebarConnect', [api.url, 'hunter2']);
    expect(notKey.error).toBe('That does not look like an ActivTrak bridge API key: keys start with acb_.');
    const plain = world.sidebarCall('sidebarConnect', ['http://bridge.example.com', api.keys.acme]);
    expect(plain.error).toBe('The API address must start with https:// so the key is not sent in the clear.');
    expect(world.properties.user(world.owner).data.get('activtrak.api_key')).toBe(api.keys.acme);
    const state = world.sidebarCall<{ connected: boolean; plan: string }>('sidebarState').value!;
    expect(state).toMatchObject({ connected: true, plan: 'professional' });
  });
});
