import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { hasChromium, launchChromium, NO_CHROMIUM_REASON } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isViewAvailable, leafColumns } from '../../shared/columns.ts';
import { PLAN_LABELS, PLANS, planDisplayName } from '../../shared/plans.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { PROBLEM_BASE, PROBLEM_TYPES } from '../../worker/http/errors.ts';
import { docsContentSecurityPolicy, docsPage, DOCS_SCRIPT } from '../../worker/openapi/docs-page.ts';
import { openApiDocument } from '../../worker/openapi/document.ts';
import { MCP_TOOLS } from '../../worker/mcp/tools.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';
import { DOCS_SCRIPT_MODULE, docsScriptModule } from '../../scripts/build-docs-page.ts';

// Integration: the real page in headless Chromium against a loopback server that serves it
// with its real CSP, the real generated document, and canned API answers.

const KEY = 'test-key';
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const UNAUTHORIZED_DETAIL = 'This API key is not recognised. Check it for typos, or ask your admin for a new one.';
/** What GET /v1/views answers for KEY: the views of the lowest plan, as the real catalog would. */
const KEY_PLAN = PLANS[0];
const READABLE = VIEW_NAMES.filter((name) => isViewAvailable(VIEWS[name], KEY_PLAN));
const UNKNOWN_COLUMN_DETAIL = "Unknown column 'usr_name' in events. Did you mean 'user_name'?";

interface Seen {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

let server: Server;
let origin: string;
let browser: Browser;
const seen: Seen[] = [];

function problem(res: ServerResponse, status: number, type: keyof typeof PROBLEM_TYPES, detail: string, extra: object = {}) {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': 'req-0001' });
  res.end(JSON.stringify({ type: PROBLEM_BASE + type, title: PROBLEM_TYPES[type], status, detail, request_id: 'req-0001', ...extra }));
}

async function handle(req: IncomingMessage, res: ServerResponse, csp: string, documentText: string) {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname === '/docs') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    return res.end(docsPage());
  }
  if (url.pathname === '/openapi.json') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    return res.end(documentText);
  }
  if (url.pathname === '/v1/views') {
    seen.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${KEY}`) return problem(res, 401, 'unauthorized', UNAUTHORIZED_DETAIL);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    return res.end(JSON.stringify({ plan: KEY_PLAN, views: READABLE.map((name) => ({ name })) }));
  }
  if (url.pathname === '/v1/views/events/rows') {
    seen.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${KEY}`) return problem(res, 401, 'unauthorized', UNAUTHORIZED_DETAIL);
    if (url.searchParams.get('select')?.includes('usr_name')) {
      return problem(res, 400, 'unknown-column', UNKNOWN_COLUMN_DETAIL, { view: 'events', column: 'usr_name', suggestions: ['user_name'] });
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-0002' });
    return res.end(
      JSON.stringify({
        view: 'events',
        columns: [
          { name: 'user_id', type: 'INT64' },
          { name: 'local_date', type: 'DATE' },
          { name: 'productivity', type: 'STRING' },
        ],
        rows: [
          { user_id: 101, local_date: '2026-09-01', productivity: 'Productive' },
          { user_id: 102, local_date: '2026-09-01', productivity: HOSTILE },
          { user_id: 103, local_date: '2026-09-02', productivity: null },
        ],
        row_count: 3,
        next: null,
        next_cursor: 'c1',
      }),
    );
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

beforeAll(async () => {
  const csp = await docsContentSecurityPolicy();
  // The document names the server URL, which is known only once the port is.
  let documentText = '';
  server = createServer((req, res) => void handle(req, res, csp, documentText));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  documentText = JSON.stringify(openApiDocument(origin));
  if (hasChromium) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Session {
  readonly page: Page;
  readonly consoleErrors: ConsoleMessage[];
  readonly pageErrors: Error[];
  readonly urls: string[];
}

/** The document as JSON from the wire, for tests that rewrite it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped, as the line above says
type Doc = any;

/**
 * A fresh context per test, so no test sees another's storage or page state. `rewrite`
 * changes the document this page is served, to try hostile content.
 */
async function openDocs(rewrite?: (doc: Doc) => Promise<Doc>): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const session: Session = { page: await context.newPage(), consoleErrors: [], pageErrors: [], urls: [] };
  // Anything not loopback is recorded and refused, so a stray CDN reference fails the test offline too.
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  if (rewrite) {
    // Registered last, so it wins over the route above for the document.
    await context.route('**/openapi.json', async (route) => {
      const original = await route.fetch();
      await route.fulfill({ response: original, json: await rewrite((await original.json()) as Doc) });
    });
  }
  session.page.on('request', (r) => session.urls.push(r.url()));
  session.page.on('console', (m) => m.type() === 'error' && session.consoleErrors.push(m));
  session.page.on('pageerror', (e) => session.pageErrors.push(e));
  await session.page.goto(`${origin}/docs`);
  await session.page.locator('#view-list [data-view]').first().waitFor();
  return session;
}

/** No script errors, no CSP violations, and nothing fetched beyond loopback; deliberate error answers are logged by Chromium and allowed. */
async function expectCleanRun(session: Session, allowedStatuses: number[] = []) {
  const unexpected = session.consoleErrors.filter((m) => {
    const status = /status of (\d{3})/.exec(m.text())?.[1];
    return !(status && allowedStatuses.includes(Number(status)) && m.location().url.includes('/v1/views'));
  });
  expect(unexpected.map((m) => m.text())).toEqual([]);
  expect(session.pageErrors.map((e) => e.message)).toEqual([]);
  const remote = session.urls.filter((u) => !u.startsWith('data:') && new URL(u).hostname !== '127.0.0.1');
  expect(remote).toEqual([]);
  await session.page.context().close();
}

describe('the /docs page script', () => {
  it('is the bundle of worker/openapi/page/ as it is now (else run `npm run docs:build`)', async () => {
    const committed = await readFile(DOCS_SCRIPT_MODULE, 'utf8');
    expect(committed === (await docsScriptModule()), 'worker/openapi/docs-script.generated.ts is stale: run `npm run docs:build`').toBe(
      true,
    );
    expect(committed).toContain(JSON.stringify(DOCS_SCRIPT));
  });
});

// A skipped run says why: NO_CHROMIUM_REASON is printed by test/support/chromium.ts.
describe.skipIf(!hasChromium)(hasChromium ? 'the /docs page' : `the /docs page (${NO_CHROMIUM_REASON})`, () => {
  it('keeps its inline script free of a closing tag', () => {
    expect(DOCS_SCRIPT).not.toContain('</');
  });

  it('lists every view with its column count, and renders the overview with the limits', async () => {
    const session = await openDocs();
    const { page } = session;
    const links = page.locator('#view-list [data-view]');
    await expect.poll(() => links.count()).toBe(VIEW_NAMES.length);
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-view')))).toEqual([...VIEW_NAMES]);
    for (const name of VIEW_NAMES) {
      await expect
        .poll(() => page.locator(`#view-list [data-view="${name}"] .count`).textContent())
        .toBe(String(leafColumns(VIEWS[name]).length));
    }
    const overview = await page.locator('#overview').textContent();
    expect(overview).toContain('ActivConnect Bridge API');
    expect(await page.locator('#overview table').textContent()).toContain(String(LIMITS.maxPageSize));
    await expectCleanRun(session);
  });

  it("shows a view's columns with type, plan and description, and the search narrows them", async () => {
    const session = await openDocs();
    const { page } = session;
    await page.click('[data-view="events"]');
    await expect.poll(() => page.locator('#view-title').textContent()).toBe('events');
    const rows = page.locator('#columns tbody tr[data-search]');
    const columns = leafColumns(VIEWS.events);
    await expect.poll(() => rows.count()).toBe(columns.length);
    const first = rows.first().locator('td');
    expect(await first.allTextContents()).toEqual([
      columns[0]!.name,
      columns[0]!.type,
      PLAN_LABELS[columns[0]!.minPlan].label,
      columns[0]!.description,
    ]);

    await page.fill('#column-search', 'alarm');
    const expected = columns
      .filter((c) => [c.name, c.type, PLAN_LABELS[c.minPlan].label, c.description].join(' ').toLowerCase().includes('alarm'))
      .map((c) => c.name);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(columns.length);
    const visible = page.locator('#columns tbody tr[data-search]:visible td.name');
    await expect.poll(() => visible.allTextContents()).toEqual(expected);
    expect(await page.locator('#column-count').textContent()).toBe(`${expected.length} of ${columns.length} columns`);

    await page.fill('#column-search', 'no-such-column-anywhere');
    await expect.poll(() => page.locator('#columns-empty').isVisible()).toBe(true);
    await page.fill('#column-search', '');
    await expect.poll(() => visible.count()).toBe(columns.length);
    await expectCleanRun(session);
  });

  it('sends the Try-it request with the key and shows the rows in a table, text escaped', async () => {
    const session = await openDocs();
    const { page } = session;
    await page.click('[data-view="events"]');
    await expect.poll(() => page.locator('#try-view').inputValue()).toBe('events');
    await page.fill('#try-key', KEY);
    await page.fill('#try-select', 'user_id,local_date,productivity');
    await page.fill('#try-from', '2026-09-01');
    await page.fill('#try-limit', '3');
    await page.click('#try-add-filter');
    await page.selectOption('#try-filters .f-col', 'productivity');
    await page.selectOption('#try-filters .f-op', 'in');
    await page.fill('#try-filters .f-val', '(Productive,Unproductive)');
    const before = seen.length;
    await page.click('#try-run');

    const cells = page.locator('#try-result table tbody tr');
    await expect.poll(() => cells.count()).toBe(3);
    expect(await page.locator('#try-result thead th').allTextContents()).toEqual(['user_id', 'local_date', 'productivity']);
    expect(await cells.nth(0).locator('td').allTextContents()).toEqual(['101', '2026-09-01', 'Productive']);
    expect(await cells.nth(1).locator('td').nth(2).textContent()).toBe(HOSTILE);
    expect(await page.locator('#try-result img').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await cells.nth(2).locator('td .null').textContent()).toBe('null');

    const request = seen
      .slice(before)
      .filter((r) => r.path === '/v1/views/events/rows')
      .at(-1)!;
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    expect(Object.fromEntries(request.query)).toEqual({
      select: 'user_id,local_date,productivity',
      productivity: 'in.(Productive,Unproductive)',
      from: '2026-09-01',
      limit: '3',
    });

    const curl = await page.locator('#try-curl').textContent();
    expect(curl).toContain(
      `'${origin}/v1/views/events/rows?select=user_id,local_date,productivity&productivity=in.(Productive,Unproductive)&from=2026-09-01&limit=3'`,
    );
    expect(curl).toContain('Authorization: Bearer $ACTIVCONNECT_API_KEY');
    expect(curl).not.toContain(KEY);
    expect(await page.evaluate(() => sessionStorage.getItem('activconnect-bridge.api-key'))).toBe(KEY);

    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: '/tmp/docs.png', fullPage: true });
    await expectCleanRun(session);
  });

  it('shows a problem+json answer as its title and detail, with suggestions', async () => {
    const session = await openDocs();
    const { page } = session;
    await page.click('[data-view="events"]');
    await page.fill('#try-key', 'wrong-key');
    await page.click('#try-run');
    await expect.poll(() => page.locator('#try-result .problem-detail').textContent()).toBe(UNAUTHORIZED_DETAIL);
    expect(await page.locator('#try-result .problem-title').textContent()).toBe(`${PROBLEM_TYPES.unauthorized} (401)`);
    expect(await page.locator('#try-result .problem-meta').textContent()).toContain('req-0001');

    await page.fill('#try-key', KEY);
    await page.fill('#try-select', 'usr_name');
    await page.click('#try-run');
    await expect.poll(() => page.locator('#try-result .problem-detail').textContent()).toBe(UNKNOWN_COLUMN_DETAIL);
    expect(await page.locator('#try-result .problem-suggest code').allTextContents()).toEqual(['user_name']);
    await expectCleanRun(session, [400, 401]);
  });
  it("renders a view's description as text with code spans, never as markup, and keeps only safe links", async () => {
    const session = await openDocs();
    const { page } = session;
    await page.click('[data-view="events"]');
    await expect.poll(() => page.locator('#view-title').textContent()).toBe('events');
    // The description ends with followNote's `GET /v1/views/events/changes`: a code span, no raw backticks.
    const description = page.locator('#view-description');
    expect(await description.locator('code').allTextContents()).toContain('GET /v1/views/events/changes');
    expect(await description.textContent()).not.toContain('`');
    await session.page.context().close();

    // A hostile document: markup and a script link in the description must stay inert text.
    const hostile = await openDocs(async (doc) => {
      const tag = doc.tags.find((t: { name: string }) => t.name === 'events');
      tag.description = `${HOSTILE} [click](javascript:window.__xss=2) and [guide](https://example.com/guide) \`code\``;
      return doc;
    });
    await hostile.page.click('[data-view="events"]');
    await expect.poll(() => hostile.page.locator('#view-title').textContent()).toBe('events');
    const text = await hostile.page.locator('#view-description').textContent();
    expect(text).toContain(HOSTILE);
    expect(await hostile.page.locator('#view-description img').count()).toBe(0);
    expect(await hostile.page.locator('#view-description a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      'https://example.com/guide',
    ]);
    expect(await hostile.page.locator('#view-description code').allTextContents()).toEqual(['code']);
    expect(await hostile.page.evaluate('window.__xss')).toBeUndefined();
    await expectCleanRun(hostile);
  });

  it("offers in Try it only the views the key's plan can read, from GET /v1/views", async () => {
    const session = await openDocs();
    const { page } = session;
    const options = page.locator('#try-view option');
    await expect.poll(() => options.count()).toBe(VIEW_NAMES.length);
    await page.fill('#try-key', KEY);
    await expect.poll(() => options.evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))).toEqual(READABLE);
    expect(READABLE.length).toBeLessThan(VIEW_NAMES.length);
    expect(await page.locator('#try-plan').textContent()).toContain(planDisplayName(KEY_PLAN));
    const asked = seen.filter((r) => r.path === '/v1/views').at(-1)!;
    expect(asked.authorization).toBe(`Bearer ${KEY}`);

    // A view above the plan stays readable in the reference but is not offered.
    const above = VIEW_NAMES.find((n) => !READABLE.includes(n))!;
    await page.click(`[data-view="${above}"]`);
    await expect.poll(() => page.locator('#view-title').textContent()).toBe(above);
    expect(await page.locator('#try-view').inputValue()).not.toBe(above);
    expect(await page.locator('#try-plan').textContent()).toContain(above);

    // A key the server refuses: every view again, and the server's words.
    await page.fill('#try-key', 'wrong-key');
    await expect.poll(() => page.locator('#try-plan').textContent()).toBe(UNAUTHORIZED_DETAIL);
    await expect.poll(() => options.count()).toBe(VIEW_NAMES.length);
    await expectCleanRun(session, [401]);
  });

  it('offers every operator negated with not., and sends it in front of the operator', async () => {
    const session = await openDocs();
    const { page } = session;
    await page.click('[data-view="events"]');
    await page.fill('#try-key', KEY);
    await page.click('#try-add-filter');
    await page.selectOption('#try-filters .f-col', 'productivity');
    const values = await page.locator('#try-filters .f-op option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
    const plain = values.filter((v) => !v.startsWith('not.'));
    expect(plain).toContain('in');
    expect(values.filter((v) => v.startsWith('not.'))).toEqual(plain.map((v) => `not.${v}`));
    await page.selectOption('#try-filters .f-op', 'not.in');
    await page.fill('#try-filters .f-val', '(Productive,Unproductive)');
    const before = seen.length;
    await page.click('#try-run');
    await expect.poll(() => page.locator('#try-result table tbody tr').count()).toBe(3);
    const request = seen
      .slice(before)
      .filter((r) => r.path === '/v1/views/events/rows')
      .at(-1)!;
    expect(request.query.get('productivity')).toBe('not.in.(Productive,Unproductive)');
    expect(await page.locator('#try-curl').textContent()).toContain('productivity=not.in.(Productive,Unproductive)');
    await expectCleanRun(session);
  });
  it('shows POST /mcp under AI agents with its tools, a client configuration and example requests instead of a Try-it form', async () => {
    const session = await openDocs();
    const { page } = session;
    // The overview says it exists and links to it; the sidebar has it under its tag.
    expect(await page.locator('#overview').textContent()).toContain('POST /mcp');
    expect(await page.locator('#agents-nav').isVisible()).toBe(true);
    expect(await page.locator('#agents-nav .nav-heading').textContent()).toBe('AI agents');
    await page.click('#overview a[href="#/mcp"]');
    await page.locator('#mcp-panel').waitFor();
    expect(await page.locator('#view-panel').isHidden()).toBe(true);
    expect(await page.locator('#mcp-link').getAttribute('class')).toContain('active');
    expect(await page.locator('#mcp-endpoint').textContent()).toBe(`POST${origin}/mcp`);

    const tools = await page.locator('#mcp-tools tbody td.name').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent ?? ''));
    expect(tools).toEqual([...MCP_TOOLS.map((t) => t.name), 'activconnect://dictionary']);

    // A form that builds /v1 requests cannot send JSON-RPC: it is not offered here.
    expect(await page.locator('#try').isHidden()).toBe(true);
    expect(await page.locator('#try-link').isHidden()).toBe(true);

    // The client snippets name the endpoint and an environment variable, never a key.
    const claude = (await page.locator('#mcp-claude').textContent()) ?? '';
    expect(claude).toContain(`claude mcp add --transport http activconnect '${origin}/mcp'`);
    expect(claude).toContain('Authorization: Bearer $ACTIVCONNECT_API_KEY');
    const config = JSON.parse((await page.locator('#mcp-config').textContent()) ?? '') as {
      mcpServers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
    };
    expect(config.mcpServers['activconnect']).toEqual({
      type: 'http',
      url: `${origin}/mcp`,
      headers: { Authorization: 'Bearer ${ACTIVCONNECT_API_KEY}' },
    });

    // The document's examples as curl: initialize first, with both Accept types MCP requires.
    const examples = await page.locator('#mcp-examples pre').allTextContents();
    expect(examples.length).toBe(3);
    expect(examples[0]).toContain('"method":"initialize"');
    for (const curl of examples) {
      expect(curl).toContain(`-X POST '${origin}/mcp'`);
      expect(curl).toContain("-H 'Accept: application/json, text/event-stream'");
      expect(curl).toContain("-H 'Content-Type: application/json'");
      const body = /-d '(.*)'$/s.exec(curl)?.[1] ?? '';
      expect((JSON.parse(body) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    }

    // Back to a view: the reference and its Try-it form return.
    await page.click('[data-view="events"]');
    await expect.poll(() => page.locator('#view-title').textContent()).toBe('events');
    expect(await page.locator('#mcp-panel').isHidden()).toBe(true);
    expect(await page.locator('#try').isVisible()).toBe(true);
    await expectCleanRun(session);
  });
});
