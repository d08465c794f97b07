import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_NAMES } from '../../../shared/views/index.ts';
import { CUSTOM_FUNCTIONS } from '../../../apps-script/functions/catalog.ts';
import { MENU_ITEMS } from '../../../apps-script/ui/menu.ts';
import { CONTINUE_HANDLER, SCHEDULED_HANDLER } from '../../../apps-script/refresh/scheduler.ts';
import type { BuildResult } from '../../../apps-script/build.ts';
import { builtProject } from '../../support/apps-script/project.ts';
import { APPS_SCRIPT_GLOBALS, AppsScriptWorld } from '../../support/apps-script/world.ts';

let project: BuildResult;
let world: AppsScriptWorld;

beforeAll(async () => {
  project = await builtProject();
  world = new AppsScriptWorld({ projectDir: project.outDir });
});
afterAll(() => world.close());

describe('the built Apps Script project', () => {
  it('loads with only Apps Script globals: no require, process, fetch, URL or timers', () => {
    const context = vm.createContext(Object.fromEntries(APPS_SCRIPT_GLOBALS.map((name) => [name, {}])));
    vm.runInContext(project.files['Code.js']!, context);
    for (const missing of ['require', 'process', 'fetch', 'URL', 'TextEncoder', 'setTimeout', 'Buffer']) {
      expect(vm.runInContext(`typeof ${missing}`, context), missing).toBe('undefined');
    }
    expect(vm.runInContext('typeof ACTIVTRAK', context)).toBe('function');
  });

  it('declares every export of server/index.ts as a top-level function, none of them private', () => {
    const context = vm.createContext({});
    vm.runInContext(project.files['Code.js']!, context);
    for (const name of project.publicFunctions) {
      expect(typeof context[name], name).toBe('function');
      expect(name.endsWith('_')).toBe(false);
    }
    const handlers = [...MENU_ITEMS.map(([, handler]) => handler), SCHEDULED_HANDLER, CONTINUE_HANDLER, 'onOpen'];
    for (const handler of handlers) expect(project.publicFunctions).toContain(handler);
  });

  it('gives each custom function JSDoc with @customfunction, listing the views from the definitions', () => {
    const code = project.files['Code.js']!;
    for (const fn of CUSTOM_FUNCTIONS) {
      const declaration = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\nfunction ${fn.name}\\(([^)]*)\\)`).exec(code);
      expect(declaration, fn.name).not.toBeNull();
      expect(declaration![1]).toContain('@customfunction');
      expect(declaration![2]).toBe(fn.params.map((p) => p.name).join(', '));
    }
    const help = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\nfunction ACTIVTRAK\(/.exec(code)![1]!;
    for (const view of VIEW_NAMES) expect(help).toContain(view);
  });

  it('asks only for the narrow OAuth scopes it uses', () => {
    const manifest = JSON.parse(project.files['appsscript.json']!) as { oauthScopes: string[]; runtimeVersion: string };
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.oauthScopes.sort()).toEqual([
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.external_request',
      'https://www.googleapis.com/auth/script.scriptapp',
      'https://www.googleapis.com/auth/spreadsheets.currentonly',
    ]);
  });

  it('inlines the sidebar client in Sidebar.html without breaking out of its script tag', () => {
    const html = project.files['Sidebar.html']!;
    const scripts = html.match(/<script>/g) ?? [];
    expect(scripts).toHaveLength(1);
    const body = html.slice(html.indexOf('<script>') + 8, html.lastIndexOf('</script>'));
    expect(body).not.toMatch(/<\/script/i);
    expect(body).toContain('sidebarState');
  });

  it('adds the ActivTrak menu when the spreadsheet opens', () => {
    const result = world.run('simple-trigger', 'onOpen');
    expect(result.error).toBeUndefined();
    const items = world.spreadsheet.ui.menus
      .get('ActivTrak')!
      .filter((i) => i.functionName)
      .map((i) => i.functionName);
    expect(items).toEqual(MENU_ITEMS.map(([, handler]) => handler));
  });

  it('answers a formula with a readable message, not a stack trace, before the user connects', () => {
    const cell = world.formula('ACTIVTRAK', 'daily_user_summary');
    expect(cell).toEqual({ error: 'Not connected to ActivTrak. Open the ActivTrak menu > Connect and enter the API address and key.' });
  });
});
