/**
 * The /docs page: one self-contained HTML document that reads /openapi.json and renders the
 * reference and a "Try it" panel. Everything is inline (no CDN, font or script from
 * elsewhere) so it works offline and under a CSP that allows only these exact bytes: the
 * route hashes DOCS_STYLE and DOCS_SCRIPT with docsContentSecurityPolicy().
 *
 * The script is TypeScript in ./page/, bundled by `npm run docs:build` into
 * ./docs-script.generated.ts (committed; a test fails when it is out of date). It puts data
 * from the document or a response into the DOM as text only.
 */
import { DOCS_SCRIPT } from './docs-script.generated.ts';
import { toBase64 } from '../encoding/base64.ts';
import { sha256 } from '../encoding/sha256.ts';

export { DOCS_SCRIPT };

export const DOCS_STYLE = String.raw`
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1c2230; --muted: #5d6679; --border: #e1e5ec;
  --accent: #3451d1; --accent-soft: #eef1fd; --code: #f0f2f6; --ok: #1f7a3d; --err: #b42323;
  --err-soft: #fdf1f1; --shadow: 0 1px 2px rgba(16, 24, 40, .06);
  --p-essentials: #2f6f9f; --p-essentials_plus: #0f7b6c; --p-professional: #7343c9;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151c; --panel: #1a1e27; --text: #e4e7ee; --muted: #9aa3b5; --border: #2b313e;
    --accent: #8ea2ff; --accent-soft: #232a44; --code: #232833; --ok: #5cc98a; --err: #ff8c8c;
    --err-soft: #2e1c1f; --shadow: none;
    --p-essentials: #77b4e6; --p-essentials_plus: #4cc9b5; --p-professional: #b89cff;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { scroll-padding-top: 72px; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .86em; }
code { background: var(--code); padding: .08em .35em; border-radius: 4px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.topbar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 14px;
  padding: 12px 24px; background: var(--panel); border-bottom: 1px solid var(--border); }
.brand { font-weight: 650; font-size: 16px; color: var(--text); }
.brand span { color: var(--muted); font-weight: 450; }
.toplinks { margin-left: auto; display: flex; gap: 18px; font-size: 14px; }
.pill { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: var(--accent-soft); color: var(--accent); }
.layout { display: grid; grid-template-columns: 280px minmax(0, 1fr); min-height: calc(100vh - 50px); }
.sidebar { position: sticky; top: 50px; align-self: start; height: calc(100vh - 50px); overflow: auto;
  padding: 18px 12px; border-right: 1px solid var(--border); background: var(--panel); }
.sidebar .nav-link { display: block; padding: 6px 10px; border-radius: 6px; color: var(--text); font-weight: 550; }
.nav-heading { margin: 18px 10px 6px; font-size: 11px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
.view-list { list-style: none; margin: 0; padding: 0; }
.view-list a { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 6px 10px;
  border-radius: 6px; color: var(--text); font-size: 14px; }
.view-list a:hover, .sidebar .nav-link:hover { background: var(--bg); text-decoration: none; }
.view-list a.active { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.view-list .name { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.view-list .count { font-size: 12px; color: var(--muted); }
main { padding: 24px 32px 64px; max-width: 1180px; width: 100%; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 20px 24px;
  margin-bottom: 20px; box-shadow: var(--shadow); }
h1, h2, h3 { line-height: 1.25; margin: 0 0 10px; }
h1 { font-size: 24px; }
h2 { font-size: 18px; }
.prose h2 { margin-top: 22px; font-size: 17px; }
.prose h1 + p { color: var(--muted); }
.prose p, .prose ul { margin: 0 0 10px; max-width: 78ch; }
.view-head { display: flex; align-items: center; gap: 12px; }
.view-head h1 { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 22px; }
.lede { color: var(--muted); margin: 8px 0 14px; max-width: 80ch; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 14px; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.endpoints { display: flex; flex-wrap: wrap; gap: 8px; }
.endpoint { display: inline-flex; gap: 8px; align-items: center; padding: 5px 10px; border: 1px solid var(--border);
  border-radius: 6px; background: var(--bg); font-size: 13px; }
.method { font-weight: 700; font-size: 11px; letter-spacing: .04em; color: var(--ok); }
.method.post { color: var(--accent); }
.plan { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  border: 1px solid currentColor; white-space: nowrap; }
.plan-essentials { color: var(--p-essentials); }
.plan-essentials_plus { color: var(--p-essentials_plus); }
.plan-professional { color: var(--p-professional); }
.card-head { display: flex; align-items: center; gap: 14px; margin-bottom: 12px; flex-wrap: wrap; }
.card-head h2 { margin: 0; }
.card-head .muted { font-size: 13px; }
.muted { color: var(--muted); }
input, select, button { font: inherit; color: inherit; }
input, select { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 7px 9px; min-width: 0; }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#column-search { flex: 1; max-width: 360px; }
.table-wrap { overflow: auto; border: 1px solid var(--border); border-radius: 8px; }
table.grid { border-collapse: collapse; width: 100%; font-size: 14px; }
.grid th { position: sticky; top: 0; background: var(--bg); text-align: left; font-weight: 600; font-size: 12px;
  color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.grid th, .grid td { padding: 8px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
.grid tbody tr:last-child td { border-bottom: 0; }
.grid.data th { text-transform: none; letter-spacing: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.grid td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; white-space: nowrap; }
.grid td.type { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
.grid .record { display: block; font-size: 11px; color: var(--muted); }
.empty { padding: 14px; color: var(--muted); }
.try h2 { margin-bottom: 14px; }
.fields { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px 14px; }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: var(--muted); }
.field.wide { grid-column: span 2; }
.field input, .field select { font-weight: 400; font-size: 14px; color: var(--text); }
.filters { border: 1px dashed var(--border); border-radius: 8px; margin: 14px 0 0; padding: 10px 12px 12px; }
.filters legend { font-size: 12px; font-weight: 600; color: var(--muted); padding: 0 4px; }
.filter-row { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) minmax(0, 2fr) auto; gap: 8px;
  align-items: center; margin-bottom: 8px; }
#try-plan:empty { display: none; }
#try-plan { margin: 10px 0 0; }
button { cursor: pointer; border-radius: 6px; border: 1px solid transparent; padding: 8px 16px; }
button.primary { background: var(--accent); color: #fff; font-weight: 600; }
button.primary:disabled { opacity: .6; cursor: progress; }
button.secondary { background: transparent; border-color: var(--border); padding: 5px 10px; font-size: 13px; }
button.icon { background: transparent; border-color: var(--border); padding: 4px 10px; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); font-size: 13px; }
.actions { display: flex; align-items: center; gap: 12px; margin-top: 14px; }
.hint { font-size: 13px; color: var(--muted); }
.curl { margin-top: 16px; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.curl-head { display: flex; justify-content: space-between; padding: 6px 12px; background: var(--bg);
  border-bottom: 1px solid var(--border); font-size: 12px; color: var(--muted); font-weight: 600; }
pre { margin: 0; padding: 12px; overflow: auto; white-space: pre; background: var(--code); }
.curl pre { background: var(--panel); white-space: pre-wrap; overflow-wrap: anywhere; }
.result { margin-top: 16px; }
.result-meta { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 13px; color: var(--muted); margin-bottom: 10px; }
.status { font-weight: 700; padding: 2px 8px; border-radius: 6px; }
.status.ok { color: var(--ok); background: color-mix(in srgb, var(--ok) 12%, transparent); }
.status.err { color: var(--err); background: var(--err-soft); }
.result .table-wrap { max-height: 460px; }
.result td { white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
.null { color: var(--muted); font-style: italic; }
.result-foot { display: flex; gap: 14px; align-items: center; margin-top: 10px; font-size: 13px; color: var(--muted); }
.problem { border: 1px solid color-mix(in srgb, var(--err) 35%, transparent); background: var(--err-soft);
  border-radius: 8px; padding: 14px 16px; }
.problem-title { font-weight: 700; color: var(--err); margin-bottom: 4px; }
.problem-detail { margin: 0 0 8px; font-size: 15px; }
.problem-meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 12px; color: var(--muted); }
.problem-meta dd { margin: 0; word-break: break-all; }
.chip { display: inline-block; margin: 0 6px 0 0; }
.mcp-description { max-width: 80ch; margin: 14px 0 0; }
#mcp-panel .curl { margin-top: 12px; }
#mcp-panel .view-head h1 { font-family: inherit; }
.notice { padding: 12px 16px; border-radius: 8px; margin-bottom: 20px; background: var(--accent-soft); }
.notice.error { background: var(--err-soft); color: var(--err); }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; }
  .sidebar { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--border); }
  .fields { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  main { padding: 16px; }
}
`;

/**
 * The page's HTML. Static: everything it shows comes from /openapi.json at run time.
 * @example c.html(docsPage(), 200, { 'content-security-policy': await docsContentSecurityPolicy() })
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ActivConnect Bridge API reference</title>
<link rel="icon" href="data:,">
<style>${DOCS_STYLE}</style>
</head>
<body>
<header class="topbar">
  <a class="brand" href="#/">ActivConnect Bridge <span>API reference</span></a>
  <span id="api-version" class="pill"></span>
  <nav class="toplinks"><a id="try-link" href="#try">Try it</a><a href="/openapi.json">openapi.json</a></nav>
</header>
<div class="layout">
  <aside class="sidebar">
    <a class="nav-link" href="#/">Overview</a>
    <div class="nav-heading">Views</div>
    <ul id="view-list" class="view-list"></ul>
    <div id="agents-nav" hidden>
      <div class="nav-heading">AI agents</div>
      <ul class="view-list"><li><a id="mcp-link" href="#/mcp">MCP server</a></li></ul>
    </div>
  </aside>
  <main>
    <div id="status" class="notice" hidden></div>
    <section id="overview" class="card prose"><p class="muted">Loading the API description…</p></section>
    <section id="view-panel" hidden>
      <div class="card">
        <div class="view-head"><h1 id="view-title"></h1><span id="view-plan"></span></div>
        <p id="view-description" class="lede"></p>
        <dl id="view-facts" class="facts"></dl>
        <div id="view-endpoints" class="endpoints"></div>
      </div>
      <div class="card">
        <div class="card-head">
          <h2>Columns</h2>
          <input id="column-search" type="search" placeholder="Search names, types, plans, descriptions" aria-label="Search columns">
          <span id="column-count" class="muted"></span>
        </div>
        <div class="table-wrap">
          <table id="columns" class="grid">
            <thead><tr><th>Name</th><th>Type</th><th>Plan</th><th>Description</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
      </div>
    </section>
    <section id="mcp-panel" hidden>
      <div class="card">
        <div class="view-head"><h1 id="mcp-title"></h1><span class="pill">MCP</span></div>
        <p id="mcp-lede" class="lede"></p>
        <div class="endpoints"><span id="mcp-endpoint" class="endpoint mono"></span></div>
        <p id="mcp-description" class="mcp-description"></p>
      </div>
      <div class="card">
        <h2>Tools and resources</h2>
        <div class="table-wrap">
          <table id="mcp-tools" class="grid">
            <thead><tr><th>Name</th><th>What it gives the agent</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
      </div>
      <div class="card">
        <h2>Connect an MCP client</h2>
        <p class="hint">This endpoint speaks JSON-RPC to an MCP client, not REST, so it has no Try-it form: add it to your client with your API key in the <code>Authorization</code> header. Both snippets read the key from <code>$ACTIVCONNECT_API_KEY</code>.</p>
        <div id="mcp-connect"></div>
      </div>
      <div class="card">
        <h2>Example requests</h2>
        <p class="hint">What a client sends, as curl: each request is one POST, with no session to open first.</p>
        <div id="mcp-examples"></div>
      </div>
    </section>
    <section id="try" class="card try">
      <h2>Try it</h2>
      <form id="try-form" autocomplete="off">
        <div class="fields">
          <label class="field wide">API key<input id="try-key" type="password" autocomplete="off" placeholder="Your key, kept in this tab only" spellcheck="false"></label>
          <label class="field">View<select id="try-view"></select></label>
          <label class="field">format<select id="try-format"></select></label>
          <label class="field wide">select<input id="try-select" placeholder="all columns your plan can read" spellcheck="false"></label>
          <label class="field" id="try-from-field"><span id="try-from-label">from</span><input id="try-from" type="date"></label>
          <label class="field" id="try-to-field"><span id="try-to-label">to</span><input id="try-to" type="date"></label>
          <label class="field">order<input id="try-order" spellcheck="false"></label>
          <label class="field">group_by<input id="try-group" spellcheck="false"></label>
          <label class="field">limit<input id="try-limit" type="number" min="1" value="25"></label>
        </div>
        <p id="try-plan" class="hint" aria-live="polite"></p>
        <fieldset class="filters">
          <legend>Filters</legend>
          <div id="try-filters"></div>
          <button type="button" id="try-add-filter" class="secondary">+ Add filter</button>
        </fieldset>
        <div class="actions">
          <button type="submit" id="try-run" class="primary">Send request</button>
          <span class="hint">Calls this server with your key. The curl command uses $ACTIVCONNECT_API_KEY instead of the key.</span>
        </div>
      </form>
      <div class="curl">
        <div class="curl-head"><span>curl</span><button type="button" id="try-copy" class="link">Copy</button></div>
        <pre id="try-curl"></pre>
      </div>
      <div id="try-result" class="result" aria-live="polite"></div>
    </section>
  </main>
</div>
<script>${DOCS_SCRIPT}</script>
</body>
</html>
`;
}

async function sha256Base64(text: string): Promise<string> {
  return toBase64(await sha256(text));
}

/**
 * A CSP that lets the page run its own inline style and script and talk only to this
 * origin: hashes rather than 'unsafe-inline', so an injected script cannot run.
 */
export async function docsContentSecurityPolicy(): Promise<string> {
  const [script, style] = await Promise.all([sha256Base64(DOCS_SCRIPT), sha256Base64(DOCS_STYLE)]);
  return [
    "default-src 'none'",
    `script-src 'sha256-${script}'`,
    `style-src 'sha256-${style}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
