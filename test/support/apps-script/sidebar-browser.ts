import type { Browser, Page } from 'playwright-core';
import type { AppsScriptWorld } from './world.ts';

/**
 * google.script.run as the sidebar sees it: a runner per call chain, with success and
 * failure handlers called asynchronously, and one method per public server function (and
 * only those). Each call runs in the world as a sidebar execution of the built bundle.
 */
const GOOGLE_SCRIPT = `
(() => {
  const publicFunctions = window.__publicFunctions;
  function runner(handlers) {
    const r = {
      withSuccessHandler: (fn) => runner({ ...handlers, ok: fn }),
      withFailureHandler: (fn) => runner({ ...handlers, fail: fn }),
      withUserObject: (user) => runner({ ...handlers, user }),
    };
    for (const name of publicFunctions) {
      r[name] = (...args) => {
        window.__gasRun(name, args).then((result) => {
          if (result.error !== undefined) handlers.fail && handlers.fail(new Error(result.error), handlers.user);
          else handlers.ok && handlers.ok(result.value, handlers.user);
        });
      };
    }
    return r;
  }
  window.google = { script: { run: runner({}), host: { close: () => { window.__closed = true; }, editor: { focus: () => {} } } } };
})();
`;

/**
 * Opens what the add-on last showed with Ui.showSidebar, in a Chromium page whose
 * google.script.run calls the world's server functions.
 */
export async function openSidebar(
  browser: Browser,
  world: AppsScriptWorld,
  publicFunctions: readonly string[],
): Promise<{ page: Page; calls: string[]; errors: string[] }> {
  const sidebar = world.spreadsheet.ui.sidebars.at(-1);
  if (!sidebar) throw new Error('the add-on has not shown a sidebar');
  const page = await browser.newPage();
  const calls: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.exposeFunction('__gasRun', (name: string, args: unknown[]) => {
    calls.push(name);
    const result = world.sidebarCall(name, args);
    return result.error !== undefined ? { error: result.error } : { value: result.value ?? null };
  });
  await page.addInitScript(`window.__publicFunctions = ${JSON.stringify(publicFunctions)};\n${GOOGLE_SCRIPT}`);
  // Served as a page of its own, as HtmlService serves it in an iframe; anything else the
  // page tries to load is refused, because a sidebar must be self-contained.
  const address = 'https://sidebar.activtrak.test/';
  await page.route('**/*', (route) =>
    route.request().url() === address
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: sidebar.content })
      : route.abort(),
  );
  await page.goto(address);
  return { page, calls, errors };
}
