// Integration: POST /mcp spoken to by the MCP SDK's own Client, over the Worker's own fetch
// handler, against the tiny demo warehouse; its answers must be the API's answers.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, problemOf, queryContent, resultText, type Fetch } from '../../support/mcp-client.ts';
import { getRows, rowsPath, type Keys } from '../api/support/contract.ts';
import { seedTinyDemo } from '../support/demo.ts';

const BASE = 'http://bridge.test';
const workerFetch: Fetch = (url, init) => exports.default.fetch(new Request(url, init));

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const ORDERED = {
  view: 'daily_user_summary',
  select: ['user_id', 'local_date', 'active_duration_seconds'],
  order: [
    { column: 'user_id', direction: 'asc' },
    { column: 'local_date', direction: 'asc' },
  ],
  limit: 3,
};
const ORDERED_QS = 'select=user_id,local_date,active_duration_seconds&order=user_id.asc,local_date.asc';

describe('MCP over POST /mcp', () => {
  it('initializes and lists the three tools', async () => {
    const mcp = await connectMcp(BASE, keys.acme, workerFetch);
    try {
      expect(mcp.client.getServerVersion()?.name).toBe('activconnect-bridge');
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['describe_view', 'list_views', 'query_view']);
    } finally {
      await mcp.close();
    }
  });

  it('list_views and describe_view answer from the definitions for the key plan', async () => {
    const mcp = await connectMcp(BASE, keys.acme, workerFetch);
    try {
      const listed = await mcp.call('list_views');
      expect(listed.isError).toBeFalsy();
      expect(JSON.stringify(listed.structuredContent)).toContain('daily_user_summary');
      const described = await mcp.call('describe_view', { view: 'daily_user_summary' });
      expect(described.isError).toBeFalsy();
      const text = resultText(described);
      expect(text).toContain('local_date');
      expect(text).toContain('active_duration_seconds');
    } finally {
      await mcp.close();
    }
  });

  it('query_view returns the rows /rows returns, and its cursor continues like the next link', async () => {
    const mcp = await connectMcp(BASE, keys.acme, workerFetch);
    try {
      const first = queryContent(await mcp.call('query_view', ORDERED));
      const rest = await getRows(rowsPath('daily_user_summary', `${ORDERED_QS}&limit=6`), keys.acme);
      expect(first.rows.length).toBe(3);
      expect(first.rows).toEqual(rest.rows.slice(0, 3));
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = queryContent(await mcp.call('query_view', { ...ORDERED, cursor: first.next_cursor }));
      expect(second.rows).toEqual(rest.rows.slice(3, 6));
    } finally {
      await mcp.close();
    }
  });

  it('a misspelt column is an isError result with a "Did you mean" sentence', async () => {
    const mcp = await connectMcp(BASE, keys.acme, workerFetch);
    try {
      const result = await mcp.call('query_view', { view: 'daily_user_summary', select: ['active_duration_second'] });
      expect(result.isError).toBe(true);
      // The sentence README's "AI agents (MCP)" quotes.
      expect(resultText(result)).toBe(
        "Unknown column 'active_duration_second' in daily_user_summary. Did you mean 'active_duration_seconds', 'undefined_active_duration_seconds' or 'productive_active_duration_seconds'?",
      );
      expect(problemOf(result)?.status).toBe(400);
    } finally {
      await mcp.close();
    }
  });

  it('a column above the key plan is an isError result saying which plan it needs', async () => {
    const mcp = await connectMcp(BASE, keys.initech, workerFetch);
    try {
      const result = await mcp.call('query_view', { view: 'daily_user_summary', select: ['user_id', 'break_count'] });
      expect(result.isError).toBe(true);
      expect(resultText(result)).toMatch(/needs the Professional .*plan; your key is on Essentials/);
      expect(problemOf(result)).toMatchObject({ status: 403, type: expect.stringContaining('plan-required') });
    } finally {
      await mcp.close();
    }
  });

  it("refuses another tenant's cursor", async () => {
    const acme = await connectMcp(BASE, keys.acme, workerFetch);
    const globex = await connectMcp(BASE, keys.globex, workerFetch);
    try {
      const first = queryContent(await acme.call('query_view', ORDERED));
      expect(first.next_cursor).toEqual(expect.any(String));
      const result = await globex.call('query_view', { ...ORDERED, cursor: first.next_cursor });
      expect(result.isError).toBe(true);
      expect(resultText(result)).toMatch(/cursor belongs to a different query/);
      expect(problemOf(result)?.status).toBe(400);
    } finally {
      await acme.close();
      await globex.close();
    }
  });

  it('without a key, or with a wrong one, the handshake is refused with 401', async () => {
    await expect(connectMcp(BASE, undefined, workerFetch)).rejects.toThrow(/401/);
    await expect(connectMcp(BASE, 'acb_this_is_not_a_key_we_issued_000000', workerFetch)).rejects.toThrow(/401/);
    const res = await workerFetch(`${BASE}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
  });
});

describe('POST /mcp over plain HTTP, as the OpenAPI document describes it', () => {
  const post = (body: unknown) =>
    workerFetch(`${BASE}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.acme}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(body),
    });

  it('documents 200, 202, 401 and 429 for POST /mcp, and the answers are those', async () => {
    const doc = (await (await workerFetch(`${BASE}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; description: string }>>;
    };
    const operation = doc.paths['/mcp']?.['post'];
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '202', '401', '429']));
    expect(operation?.description).toMatch(/405/);

    const request = await post({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(request.status).toBe(200);
    expect(await request.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: {} });
    const notification = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(notification.status).toBe(202);
  });

  it('answers a malformed envelope with the JSON-RPC 2.0 code: -32700 not JSON, -32600 not a message or an empty batch, -32602 bad params', async () => {
    const send = async (body: string) => {
      const res = await workerFetch(`${BASE}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys.acme}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body,
      });
      return { status: res.status, json: (await res.json()) as { jsonrpc: string; error?: { code: number; message: string } } };
    };
    const cases: [string, number, number][] = [
      ['{not json', 400, -32700],
      ['{}', 400, -32600],
      ['42', 400, -32600],
      ['{"jsonrpc":"1.0","id":1,"method":"tools/list"}', 400, -32600],
      ['[]', 400, -32600],
      ['[{"jsonrpc":"2.0","id":1,"method":"ping"},7]', 400, -32600],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call"}', 200, -32602],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}', 200, -32602],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_view","arguments":[]}}', 200, -32602],
    ];
    for (const [body, status, code] of cases) {
      const { status: got, json } = await send(body);
      expect([got, json.jsonrpc, json.error?.code], body).toEqual([status, '2.0', code]);
      expect(json.error?.message, body).not.toMatch(/"code":|invalid_type|\bat [\w.]+ \(/);
    }
  });

  it('reads a body over the limit through before answering 413, and a batch answers each member', async () => {
    const big = await post({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(70_000) } });
    expect(big.status).toBe(413);
    const batch = await post([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 42 } },
    ]);
    expect(batch.status).toBe(200);
    const answers = (await batch.json()) as { id: number; result?: unknown; error?: { code: number } }[];
    expect(answers.map((a) => [a.id, a.error?.code ?? 'ok']).sort()).toEqual([
      [1, 'ok'],
      [2, -32602],
    ]);
  });

  it("answers every example request of the document's POST /mcp, as /docs shows them", async () => {
    const doc = (await (await workerFetch(`${BASE}/openapi.json`)).json()) as {
      paths: { '/mcp': { post: { requestBody: { content: { 'application/json': { examples: Record<string, { value: unknown }> } } } } } };
    };
    const examples = Object.entries(doc.paths['/mcp'].post.requestBody.content['application/json'].examples);
    expect(examples.map(([name]) => name)).toEqual(expect.arrayContaining(['initialize', 'tools/list', 'query_view']));
    for (const [name, example] of examples) {
      const res = await post(example.value);
      const answer = (await res.json()) as { error?: unknown; result?: { isError?: boolean; content?: { text: string }[] } };
      expect(res.status, name).toBe(200);
      expect(answer.error, name).toBeUndefined();
      expect(answer.result?.isError, `${name}: ${answer.result?.content?.[0]?.text ?? ''}`).not.toBe(true);
    }
  });

  it('answers GET and DELETE with 405 and Allow: POST: no stream, no sessions', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await workerFetch(`${BASE}/mcp`, { method, headers: { authorization: `Bearer ${keys.acme}` } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
    }
  });
});
