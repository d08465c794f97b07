/**
 * The /docs page's script, bundled by scripts/build-docs-page.ts into
 * worker/openapi/docs-script.generated.ts, which the page inlines under a hash-based CSP.
 * It reads /openapi.json and renders the reference and the Try-it form.
 */
import { byId } from './dom.ts';
import { readReference, type Reference } from './reference.ts';
import { hideMcp, MCP_HASH, renderMcpNav, showMcp } from './mcp-panel.ts';
import { setupTry, type TryIt } from './try-it.ts';
import { filterColumns, renderNav, renderOverview, showOverview, showView } from './view-panel.ts';

function notice(text: string, isError: boolean): void {
  const n = byId('status');
  n.textContent = text;
  n.className = `notice${isError ? ' error' : ''}`;
  n.hidden = false;
}

function route(ref: Reference, tryIt: TryIt): void {
  if (location.hash === MCP_HASH && ref.mcp) {
    showMcp(ref);
    return;
  }
  // Any other place (a view, the overview, #try) is the reference with its Try-it form.
  hideMcp();
  const m = /^#\/views\/(.+)$/.exec(location.hash);
  const name = m ? decodeURIComponent(m[1]!) : null;
  const view = ref.views.find((v) => v.name === name);
  if (view) {
    showView(ref, view);
    tryIt.selectView(view.name);
  } else if (!m && (location.hash === '' || location.hash === '#' || location.hash === '#/')) {
    showOverview();
  }
}

function init(doc: unknown): void {
  const ref = readReference(doc);
  renderOverview(ref);
  renderNav(ref);
  renderMcpNav(ref);
  const tryIt = setupTry(ref, (name) => {
    if (location.hash !== `#/views/${encodeURIComponent(name)}`) location.hash = `#/views/${encodeURIComponent(name)}`;
  });
  window.addEventListener('hashchange', () => route(ref, tryIt));
  route(ref, tryIt);
}

byId('column-search').addEventListener('input', filterColumns);
fetch('/openapi.json', { headers: { Accept: 'application/json' } })
  .then((r) => {
    if (!r.ok) throw new Error(`GET /openapi.json answered ${r.status}`);
    return r.json();
  })
  .then(init)
  .catch((err: unknown) => notice(`Could not load the API description: ${err instanceof Error ? err.message : String(err)}`, true));
