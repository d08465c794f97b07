import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../../apps-script/build.ts';
import { apiValues, Worlds } from '../../support/apps-script/harness.ts';
import { builtProject } from '../../support/apps-script/project.ts';
import { openSidebar } from '../../support/apps-script/sidebar-browser.ts';
import { hasChromium, launchChromium, NO_CHROMIUM_REASON } from '../../support/chromium.ts';
import { DEMO_END_DATE, startTestApi, type TestApi } from '../../support/apps-script/worker-server.ts';

// The sidebar as Sheets shows it: Sidebar.html from the build in headless Chromium, its
// google.script.run calls running the server functions of the bundle in the stand-ins,
// which call the real Worker.

let project: BuildResult;
let api: TestApi;
let browser: Browser;
const worlds = new Worlds(() => project.outDir);

beforeAll(async () => {
  if (!hasChromium) return;
  [project, api, browser] = await Promise.all([builtProject(), startTestApi(), launchChromium()]);
  // A window title with markup: the preview must show it as text, not run it.
  api.sql(
    `UPDATE "acme__events" SET titlebar = '<img src=x onerror="window.__xss=1">' WHERE rowid = (SELECT min(rowid) FROM "acme__events"); UPDATE tenants SET data_version = data_version + 1 WHERE id = 'acme';`,
  );
}, 240_000);
afterEach(() => worlds.closeAll());
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

// Skipped, with the reason printed, where Debian's Chromium is not installed (CI installs it).
describe.skipIf(!hasChromium)(hasChromium ? 'the Insert sidebar' : `the Insert sidebar (${NO_CHROMIUM_REASON})`, () => {
  it('picks a view and columns, previews, and inserts into a new sheet', async () => {
    const world = worlds.connected(api);
    expect(world.run('menu', 'activtrakShowInsert').error).toBeUndefined();
    const { page, calls, errors } = await openSidebar(browser, world, project.publicFunctions);

    await page.waitForSelector('#view option[value="daily_user_summary"]', { state: 'attached' });
    await page.selectOption('#view', 'daily_user_summary');
    await page.waitForSelector('#columns input[data-column="user_name"]');
    // Ticked in any order, columns come back in the view's own order.
    for (const column of ['user_name', 'local_date', 'productive_active_duration_seconds'])
      await page.check(`#columns input[data-column="${column}"]`);
    const columns = ['local_date', 'productive_active_duration_seconds', 'user_name'];
    await page.fill('#from', '2026-10-01');
    await page.fill('#to', DEMO_END_DATE);

    await page.click('#preview');
    await page.waitForSelector('#preview-table table');
    const header = await page.$$eval('#preview-table th', (cells) => cells.map((c) => c.textContent));
    expect(header).toEqual(columns);
    expect(await page.textContent('#message')).toMatch(/^\d+ rows shown\.$/);

    await page.selectOption('#mode', 'append');
    await page.selectOption('#every', 'hour');
    await page.click('#insert');
    await page.waitForFunction("/^Inserted/.test(document.querySelector('#message').textContent)");
    const expected = await apiValues(api, 'acme', 'daily_user_summary', { select: columns, from: '2026-10-01', to: DEMO_END_DATE });
    expect(await page.textContent('#message')).toBe(`Inserted ${expected.values.length - 1} rows at daily_user_summary!A1.`);
    expect(world.spreadsheet.sheet('daily_user_summary')!.snapshot()).toHaveLength(expected.values.length);
    // Columns load for the first view on opening, then for the one picked.
    expect(calls).toEqual(['sidebarState', 'sidebarColumns', 'sidebarColumns', 'sidebarPreview', 'sidebarInsert', 'sidebarState']);

    await page.click('#tab-schedules');
    await page.waitForSelector('#ranges .range');
    expect(await page.textContent('#ranges .range')).toMatch(/daily_user_summary!A1 daily_user_summary, \d+ rows/);
    expect(await page.$eval('#ranges .range select[data-field="mode"]', (s) => (s as unknown as { value: string }).value)).toBe('append');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the API’s message when a query is wrong, and data as text, never as markup', async () => {
    const world = worlds.connected(api);
    world.run('menu', 'activtrakShowInsert');
    const { page } = await openSidebar(browser, world, project.publicFunctions);
    await page.waitForSelector('#view option[value="events"]', { state: 'attached' });
    await page.selectOption('#view', 'events');
    await page.waitForSelector('#columns input[data-column="titlebar"]');

    await page.fill('#filters', 'usr_name=eq.x');
    await page.click('#preview');
    await page.waitForSelector('#message.error');
    expect(await page.textContent('#message')).toBe(
      "Unknown column or parameter 'usr_name' in events. Did you mean 'user_name' or 'username'?",
    );

    await page.check('#columns input[data-column="titlebar"]');
    await page.fill('#filters', 'titlebar=like.<img*');
    await page.click('#preview');
    await page.waitForSelector('#preview-table td');
    expect(await page.textContent('#preview-table td')).toBe('<img src=x onerror="window.__xss=1">');
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.$$('#preview-table img')).toHaveLength(0);
    await page.close();
  });

  it('greys out the columns above the key’s plan', async () => {
    const world = worlds.connected(api, 'globex');
    world.run('menu', 'activtrakShowInsert');
    const { page } = await openSidebar(browser, world, project.publicFunctions);
    await page.waitForSelector('#view option[value="daily_user_summary"]', { state: 'attached' });
    await page.selectOption('#view', 'daily_user_summary');
    await page.waitForSelector('#columns input[data-column="break_count"]');
    expect(await page.isDisabled('#columns input[data-column="break_count"]')).toBe(true);
    expect(await page.isDisabled('#columns input[data-column="user_name"]')).toBe(false);
    await page.close();
  });
});

describe.skipIf(!hasChromium)(hasChromium ? 'the Connect panel' : `the Connect panel (${NO_CHROMIUM_REASON})`, () => {
  it('connects with an address and key, refuses a wrong key with the API’s message', async () => {
    const world = worlds.create();
    world.run('menu', 'activtrakShowConnect');
    const { page } = await openSidebar(browser, world, project.publicFunctions);
    await page.waitForSelector('#panel-connect:not([hidden])');
    expect(await page.textContent('#connect-status')).toMatch(/^Not connected/);

    await page.fill('#api-url', api.url);
    await page.fill('#api-key', 'acb_demo_acme_wrong');
    await page.click('#connect');
    await page.waitForSelector('#message.error');
    expect(await page.textContent('#message')).toBe('The API key you supplied is incorrect.');

    await page.fill('#api-key', api.keys.acme);
    await page.click('#connect');
    await page.waitForFunction("/^Connected\\./.test(document.querySelector('#message').textContent)");
    expect(await page.textContent('#connect-status')).toContain(`Connected to ${api.url}`);
    expect(await page.inputValue('#api-key')).toBe('');
    expect(world.properties.user(world.owner).data.get('activtrak.api_key')).toBe(api.keys.acme);
    await page.waitForSelector('#panel-insert:not([hidden])');
    await page.close();
  });
});
