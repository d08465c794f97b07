/**
 * The "AI agents" side of the page: POST /mcp is JSON-RPC that an MCP client speaks, not a
 * request a form can build, so instead of Try it the panel shows its tools, a client
 * configuration to paste, and the document's example requests as curl commands (which name
 * $ACTIVCONNECT_API_KEY, never a key).
 */
import { byId, clear, h } from './dom.ts';
import { inline } from './markdown.ts';
import type { McpInfo, Reference } from './reference.ts';
import { shellQuote } from './shell.ts';

export const MCP_HASH = '#/mcp';

/** The name a client lists the server under. */
const SERVER_NAME = 'activconnect';

function copyButton(target: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', className: 'link', text: 'Copy' });
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(target.textContent ?? '').then(
      () => {
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      },
      () => undefined,
    );
  });
  return button;
}

function snippet(title: string, text: string, id: string): HTMLElement {
  const pre = h('pre', { id, text });
  return h('div', { className: 'curl' }, [h('div', { className: 'curl-head' }, [h('span', { text: title }), copyButton(pre)]), pre]);
}

function curlFor(url: string, body: string): string {
  return [
    `curl -sS -X POST ${shellQuote(url)}`,
    '  -H "Authorization: Bearer $ACTIVCONNECT_API_KEY"',
    "  -H 'Content-Type: application/json'",
    "  -H 'Accept: application/json, text/event-stream'",
    `  -d ${shellQuote(body)}`,
  ].join(' \\\n');
}

export function renderMcpNav(ref: Reference): void {
  byId('agents-nav').hidden = ref.mcp === null;
}

function fill(mcp: McpInfo): void {
  const url = location.origin + mcp.path;
  byId('mcp-title').textContent = mcp.tagName ? `${mcp.tagName} (MCP)` : mcp.summary;
  byId('mcp-lede').replaceChildren(...inline(mcp.tagDescription || mcp.summary));
  byId('mcp-description').replaceChildren(...inline(mcp.description));
  byId('mcp-endpoint').replaceChildren(h('span', { className: 'method post', text: 'POST' }), url);

  const tools = document.querySelector('#mcp-tools tbody')!;
  clear(tools);
  for (const t of mcp.tools) {
    tools.appendChild(h('tr', null, [h('td', { className: 'name', text: t.name }), h('td', null, inline(t.description))]));
  }
  for (const r of mcp.resources) {
    tools.appendChild(
      h('tr', null, [
        h('td', { className: 'name', text: r.uri }, [h('span', { className: 'record', text: 'resource' })]),
        h('td', null, inline(r.description)),
      ]),
    );
  }

  const config = JSON.stringify(
    { mcpServers: { [SERVER_NAME]: { type: 'http', url, headers: { Authorization: 'Bearer ${ACTIVCONNECT_API_KEY}' } } } },
    null,
    2,
  );
  byId('mcp-connect').replaceChildren(
    snippet(
      'Claude Code',
      `claude mcp add --transport http ${SERVER_NAME} ${shellQuote(url)} \\\n  --header "Authorization: Bearer $ACTIVCONNECT_API_KEY"`,
      'mcp-claude',
    ),
    snippet('.mcp.json (a project’s MCP servers)', config, 'mcp-config'),
  );

  const examples = byId('mcp-examples');
  clear(examples);
  for (const e of mcp.examples) {
    examples.appendChild(snippet(`${e.name}: ${e.summary}`, curlFor(url, e.body), `mcp-example-${e.name.replace(/[^a-z0-9_-]/gi, '-')}`));
  }
}

export function showMcp(ref: Reference): void {
  if (!ref.mcp) return;
  fill(ref.mcp);
  byId('overview').hidden = true;
  byId('view-panel').hidden = true;
  byId('mcp-panel').hidden = false;
  // The form builds /v1 requests; next to the MCP panel it would only mislead.
  byId('try').hidden = true;
  byId('try-link').hidden = true;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#view-list a')) a.classList.remove('active');
  byId('mcp-link').classList.add('active');
}

/** Leaves the MCP panel: the reference and Try it come back. */
export function hideMcp(): void {
  byId('mcp-panel').hidden = true;
  byId('try').hidden = false;
  byId('try-link').hidden = false;
  byId('mcp-link').classList.remove('active');
}
