/**
 * Bad input over POST /mcp, as hostile.ts puts it to /rows: control characters, lone
 * surrogates, huge strings, injection text and wrong JSON types in every tool argument, deep
 * nesting, oversized and broken bodies, malformed JSON-RPC, wrong Accept and Content-Type,
 * batches. The rule: never a 5xx, never a stack or SQL; a bad argument is a tool result with
 * isError (the model reads it and corrects its call), not a protocol error; a malformed
 * envelope is a JSON-RPC error with the code JSON-RPC 2.0 gives it.
 */
import type { DemoTenantId } from '../../worker/demo/tenants.ts';
import { checkProblem, leakIn } from './support/problem.ts';
import { checkRpcError, checkToolAnswer, MCP_HEADERS, postMcp, rpcMessages, toolCall, type McpAnswer } from './support/json-rpc.ts';
import { rawRequest } from './support/raw-http.ts';
import type { Tally } from './support/tally.ts';

/** JSON-RPC 2.0's codes (https://www.jsonrpc.org/specification#error_object). */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
/** MCP's code for a resource that does not exist (server/resources: "Error Handling"). */
const RESOURCE_NOT_FOUND = -32002;

type Expect =
  /** 200, one tool result with isError and a 4xx problem in _meta. */
  | { readonly tool: 'error' }
  /** 200, one tool result, isError or not: the input may be a harmless value. */
  | { readonly tool: 'any' }
  /** A JSON-RPC error with this code. */
  | { readonly rpc: number }
  /** This HTTP status, with a JSON-RPC error or a problem+json body. */
  | { readonly refused: number }
  /** 202 and no body: notifications and responses only. */
  | { readonly accepted: true };

interface Case {
  readonly group: string;
  readonly name: string;
  readonly expect: Expect;
  send(): Promise<McpAnswer>;
  /** Extra check on the answer; returns a failure reason or ''. */
  extra?(answer: McpAnswer): string;
}

export interface McpHostileContext {
  readonly url: string;
  readonly port: number;
  readonly keys: Record<DemoTenantId, string>;
  readonly accountIds: Record<DemoTenantId, number>;
}

/** Characters that broke parsers before: line terminators, NUL, NEL, lone surrogates, a noncharacter. */
const UNITS = ['\r', '\n', '\r\n', '\u2028', '\u2029', '\u0000', '\u0085', '\ud800', '\udfff', '\ufffe'];

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

function envelope(params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
}

function rowsOf(a: McpAnswer): number | null {
  const rows = (rpcMessages(a)?.[0]?.result?.structuredContent as { rows?: unknown[] } | undefined)?.rows;
  return rows ? rows.length : null;
}

function buildMcpCorpus(ctx: McpHostileContext): Case[] {
  const { url, port, keys } = ctx;
  const acme = keys.acme;
  const cases: Case[] = [];
  const add = (group: string, name: string, expect: Expect, send: () => Promise<McpAnswer>, extra?: Case['extra']) =>
    cases.push({ group, name, expect, send, ...(extra ? { extra } : {}) });
  const tool = (group: string, name: string, expect: Expect, toolName: string, args: unknown, extra?: Case['extra']) =>
    add(group, name, expect, () => postMcp(url, acme, toolCall(toolName, args)), extra);
  const raw = (group: string, name: string, expect: Expect, body: BodyInit, headers: Record<string, string> = MCP_HEADERS) =>
    add(group, name, expect, () => postMcp(url, acme, body, headers));
  const error = { tool: 'error' } as const;
  const any = { tool: 'any' } as const;
  const q = (args: Record<string, unknown>) => ({ view: 'daily_user_summary', limit: 3, ...args });

  // --- control characters and lone surrogates in every argument ------------------------------
  for (const u of UNITS) {
    const label = JSON.stringify(u);
    const c = 'control characters';
    tool(c, `query_view view with ${label}`, error, 'query_view', { view: `daily${u}_user_summary` });
    tool(c, `describe_view view with ${label}`, error, 'describe_view', { view: `daily${u}_user_summary` });
    tool(c, `select with ${label}`, error, 'query_view', q({ select: [`user${u}_id`] }));
    tool(c, `an aggregate with ${label}`, error, 'query_view', { view: 'events', select: [`sum(duration${u}_sec)`] });
    tool(c, `a filter column with ${label}`, error, 'query_view', q({ filters: [{ column: `user${u}_id`, op: 'eq', value: 1 }] }));
    tool(c, `a filter op with ${label}`, error, 'query_view', q({ filters: [{ column: 'user_id', op: `e${u}q`, value: 1 }] }));
    tool(c, `a filter value with ${label}`, any, 'query_view', q({ filters: [{ column: 'user_name', op: 'eq', value: `a${u}b` }] }));
    tool(c, `an in list with ${label}`, any, 'query_view', q({ filters: [{ column: 'user_name', op: 'in', values: [`a${u}b`, 'c'] }] }));
    tool(c, `a like pattern with ${label}`, any, 'query_view', q({ filters: [{ column: 'user_name', op: 'like', value: `*${u}*` }] }));
    tool(c, `from with ${label}`, error, 'query_view', q({ from: `2026-03${u}-01` }));
    tool(c, `group_by with ${label}`, error, 'query_view', q({ group_by: [`user${u}_id`], select: ['count()'] }));
    tool(c, `an order column with ${label}`, error, 'query_view', q({ order: [{ column: `user${u}_id` }] }));
    // At the end of a term the parser trims it as surrounding space, as /rows does: a valid order.
    tool(c, `an order string ending in ${label}`, any, 'query_view', q({ order: `user_id.desc${u}` }));
    tool(c, `an order string with ${label} inside`, error, 'query_view', q({ order: `user_id${u}.desc` }));
    tool(c, `a cursor with ${label}`, error, 'query_view', q({ cursor: `abc${u}def` }));
    tool(c, `an argument name with ${label}`, error, 'query_view', { view: 'daily_user_summary', [`sel${u}ect`]: ['user_id'] });
    tool(c, `a tool name with ${label}`, { rpc: INVALID_PARAMS }, `query${u}_view`, q({}));
  }

  // --- huge strings and long lists (each body under the 64 kB limit) -------------------------
  const big = 'x'.repeat(60_000);
  const h = 'huge strings';
  tool(h, 'a 60 kB view name', error, 'query_view', { view: big });
  tool(h, 'a 60 kB describe_view name', error, 'describe_view', { view: big });
  tool(h, 'a 60 kB filter value', error, 'query_view', q({ filters: [{ column: 'user_name', op: 'eq', value: big }] }));
  tool(h, 'a 60 kB like pattern', error, 'query_view', q({ filters: [{ column: 'user_name', op: 'like', value: `*${big}*` }] }));
  tool(h, 'a 60 kB cursor', error, 'query_view', q({ cursor: big }));
  tool(h, 'a 60 kB order column', error, 'query_view', q({ order: [{ column: big }] }));
  tool(h, 'a 60 kB argument name', error, 'query_view', { view: 'daily_user_summary', [big]: 1 });
  tool(h, '301 select items', error, 'query_view', q({ select: Array.from({ length: 301 }, () => 'user_id') }));
  tool(
    h,
    '60 filters',
    error,
    'query_view',
    q({ filters: Array.from({ length: 60 }, (_, i) => ({ column: 'user_id', op: 'gte', value: i })) }),
  );
  tool(
    h,
    'an in list of 600 values',
    error,
    'query_view',
    q({ filters: [{ column: 'user_id', op: 'in', values: Array.from({ length: 600 }, (_, i) => i) }] }),
  );
  tool(h, '11 order terms', error, 'query_view', q({ order: Array.from({ length: 11 }, () => ({ column: 'user_id' })) }));
  tool(h, '11 group_by columns', error, 'query_view', q({ group_by: Array.from({ length: 11 }, () => 'user_id'), select: ['count()'] }));
  tool(h, 'limit of a billion is cut to the budget', any, 'query_view', q({ limit: 1_000_000_000 }), (a) =>
    (rowsOf(a) ?? 0) <= 500 ? '' : `answered ${rowsOf(a)} rows, over the 500-row budget`,
  );

  // --- injection text: identifiers only from the definitions, values bound ------------------
  const i = 'injection';
  for (const select of [
    'user_id;DROP TABLE tenants',
    '(SELECT key_hash FROM api_keys)',
    '*',
    '"user_id"',
    'user_id--',
    'count(*) FROM globex__daily_user_summary --',
    'max(user_id)) FROM api_keys; --',
  ])
    tool(i, `select ${select}`, error, 'query_view', q({ select: [select] }));
  for (const view of ['acme__events', 'globex__events', '../tenants', 'sqlite_master', 'api_keys', 'events; DROP TABLE tenants', 'EVENTS'])
    tool(i, `view ${view}`, error, 'query_view', { view, limit: 1 });
  tool(i, 'order user_id;--', error, 'query_view', q({ order: [{ column: 'user_id;--' }] }));
  tool(i, 'order (CASE WHEN 1=1 THEN user_id END)', error, 'query_view', q({ order: '(CASE WHEN 1=1 THEN user_id END)' }));
  tool(i, 'group_by with UNION', error, 'query_view', q({ group_by: ['user_id UNION SELECT key_hash FROM api_keys'] }));
  tool(i, "a filter column user_id' OR 1=1", error, 'query_view', q({ filters: [{ column: "user_id' OR 1=1", op: 'eq', value: 1 }] }));
  tool(i, 'a filter op eq.1 OR 1=1', error, 'query_view', q({ filters: [{ column: 'user_id', op: 'eq.1 OR 1=1', value: 1 }] }));
  for (const name of ['limit', 'cursor', 'format', 'select', 'dry_run'])
    tool(i, `a filter on the parameter ${name}`, error, 'query_view', q({ filters: [{ column: name, op: 'eq', value: '1' }] }));
  const none = (a: McpAnswer) => (rowsOf(a) === 0 || rowsOf(a) === null ? '' : `answered ${rowsOf(a)} rows`);
  for (const value of ["' OR '1'='1", "x'; DROP TABLE tenants; --", '" OR ""="', '\\', "%00' OR 1=1", ')', "a'),('b"])
    tool(i, `a filter value ${value}`, any, 'query_view', q({ filters: [{ column: 'user_name', op: 'eq', value }] }), none);
  tool(
    i,
    'an in list with quotes and parentheses',
    any,
    'query_view',
    q({ filters: [{ column: 'user_name', op: 'in', values: ["a'),('b", '"', ')'] }] }),
    none,
  );
  tool(
    i,
    "a like pattern *' OR 1=1 --*",
    any,
    'query_view',
    q({ filters: [{ column: 'user_name', op: 'like', value: "*' OR 1=1 --*" }] }),
    none,
  );
  for (const [tenant, id] of Object.entries(ctx.accountIds)) {
    if (tenant === 'acme') continue;
    tool(
      i,
      `acme filters on ${tenant}'s account number`,
      any,
      'query_view',
      q({ select: ['accountid', 'user_id'], filters: [{ column: 'accountid', op: 'eq', value: id }] }),
      none,
    );
  }
  tool(
    i,
    'a hand-made cursor',
    error,
    'query_view',
    q({ cursor: `${Buffer.from(JSON.stringify({ q: 'x', k: ["1' OR 1=1"] })).toString('base64url')}.${'A'.repeat(22)}` }),
  );
  tool(i, 'describe_view of a table name', error, 'describe_view', { view: 'acme__daily_user_summary' });

  // --- wrong JSON types -----------------------------------------------------------------------
  const w = 'wrong types';
  const wrong: readonly [string, Record<string, unknown>][] = [
    ['view 42', { view: 42 }],
    ['view null', { view: null }],
    ['view true', { view: true }],
    ['view []', { view: [] }],
    ['view {}', { view: {} }],
    ['no view', { select: ['user_id'] }],
    ['select 42', q({ select: 42 })],
    ['select {}', q({ select: {} })],
    ['select [1]', q({ select: [1] })],
    ['select [null]', q({ select: [null] })],
    ['select [[]]', q({ select: [[]] })],
    ['filters "user_id=eq.1"', q({ filters: 'user_id=eq.1' })],
    ['filters {user_id: "eq.1"}', q({ filters: { user_id: 'eq.1' } })],
    ['filters 42', q({ filters: 42 })],
    ['filters [1]', q({ filters: [1] })],
    ['filters [null]', q({ filters: [null] })],
    ['filters [{}]', q({ filters: [{}] })],
    ['a filter column 1', q({ filters: [{ column: 1, op: 'eq', value: 1 }] })],
    ['a filter op 1', q({ filters: [{ column: 'user_id', op: 1, value: 1 }] })],
    ['a filter value {}', q({ filters: [{ column: 'user_id', op: 'eq', value: {} }] })],
    ['a filter value [1]', q({ filters: [{ column: 'user_id', op: 'eq', value: [1] }] })],
    ['a filter value null with eq', q({ filters: [{ column: 'user_id', op: 'eq', value: null }] })],
    ['in values "1,2"', q({ filters: [{ column: 'user_id', op: 'in', values: '1,2' }] })],
    ['in values [{}]', q({ filters: [{ column: 'user_id', op: 'in', values: [{}] }] })],
    ['is "maybe"', q({ filters: [{ column: 'user_id', op: 'is', value: 'maybe' }] })],
    ['not "yes"', q({ filters: [{ column: 'user_id', op: 'eq', value: 1, not: 'yes' }] })],
    ['a filter with a field "sql"', q({ filters: [{ column: 'user_id', op: 'eq', value: 1, sql: '1=1' }] })],
    ['limit "10"', q({ limit: '10' })],
    ['limit -1', q({ limit: -1 })],
    ['limit 0', q({ limit: 0 })],
    ['limit 1.5', q({ limit: 1.5 })],
    ['limit 1e300', q({ limit: 1e300 })],
    ['limit {"$gt": 1}', q({ limit: { $gt: 1 } })],
    ['limit true', q({ limit: true })],
    ['from 20260301', q({ from: 20260301 })],
    ['from {}', q({ from: {} })],
    ['from 2026-13-45', q({ from: '2026-13-45' })],
    ['to before from', q({ from: '2026-03-10', to: '2026-03-01' })],
    ['order 42', q({ order: 42 })],
    ['order [1]', q({ order: [1] })],
    ['order {}', q({ order: {} })],
    ['order direction "up"', q({ order: [{ column: 'user_id', direction: 'up' }] })],
    ['group_by 42', q({ group_by: 42 })],
    ['group_by [{}]', q({ group_by: [{}] })],
    ['cursor 123', q({ cursor: 123 })],
    ['cursor []', q({ cursor: [] })],
    ['an unknown argument sql', q({ sql: 'SELECT 1' })],
    ['an unknown argument aggregates', q({ aggregates: ['sum(user_id)'] })],
    ['an unknown column', q({ select: ['usr_name'] })],
    ['an aggregate of a text column', { view: 'events', select: ['avg(user_name)'] }],
    ['an unknown aggregate', { view: 'events', select: ['median(duration_sec)'] }],
  ];
  for (const [name, args] of wrong) tool(w, `query_view ${name}`, error, 'query_view', args);
  tool(w, 'describe_view with no view', error, 'describe_view', {});
  tool(w, 'describe_view view 42', error, 'describe_view', { view: 42 });
  tool(w, 'describe_view an unknown view', error, 'describe_view', { view: 'daily_user_sumary' });
  tool(w, 'list_views with arguments it does not take', any, 'list_views', { view: 'events', x: [1, { y: null }] });
  // The protocol types `arguments` as an object: anything else is a malformed call.
  for (const args of [[], 'daily_user_summary', 42, true])
    tool(w, `arguments ${JSON.stringify(args)}`, { rpc: INVALID_PARAMS }, 'query_view', args);

  // --- deep nesting ---------------------------------------------------------------------------
  const d = 'deep nesting';
  const deepCall = (field: string, depth: number) =>
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_view","arguments":{"view":"events","${field}":${nested(depth)}}}}`;
  for (const field of ['filters', 'select', 'order', 'group_by', 'value'])
    raw(d, `${field} nested 5000 deep`, error, deepCall(field, 5000));
  raw(
    d,
    'a filter value nested 5000 deep',
    error,
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_view","arguments":{"view":"events","filters":[{"column":"user_id","op":"eq","value":${nested(5000)}}]}}}`,
  );
  raw(
    d,
    '_meta nested 5000 deep',
    any,
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_views","arguments":{},"_meta":{"x":${nested(5000)}}}}`,
  );
  raw(d, 'the body an array nested 10000 deep', { rpc: INVALID_REQUEST }, nested(10_000, ''));
  raw(d, 'params nested 10000 deep', { rpc: INVALID_REQUEST }, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${nested(10_000)}}`);

  // --- bodies: oversized, broken, not UTF-8 ----------------------------------------------------
  const b = 'bodies';
  raw(
    b,
    'a 70 kB tools/call',
    { refused: 413 },
    toolCall('query_view', q({ filters: [{ column: 'user_name', op: 'eq', value: 'x'.repeat(70_000) }] })),
  );
  raw(b, 'a 5 MB tools/call with its Content-Length', { refused: 413 }, toolCall('query_view', q({ x: 'y'.repeat(5_000_000) })));
  add(b, 'a 5 MB tools/call, chunked (no Content-Length)', { refused: 413 }, () => {
    const part = new TextEncoder().encode('y'.repeat(100_000));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(toolCall('query_view', { view: 'events', x: '' }).replace('"x":""', '"x":"')));
        for (let n = 0; n < 50; n++) controller.enqueue(part);
        controller.enqueue(new TextEncoder().encode('"}}}'));
        controller.close();
      },
    });
    return postMcp(url, acme, body);
  });
  const rawPost = (headers: readonly string[], body: string) =>
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${acme}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${headers.map((x) => `${x}\r\n`).join('')}Connection: close\r\n\r\n${body}`;
  const viaRaw = async (request: string): Promise<McpAnswer> => {
    const r = await rawRequest(port, request);
    return { status: r.status, contentType: r.headers['content-type'] ?? null, body: r.body, headers: r.headers };
  };
  for (const [name, headers, body] of [
    ['a chunk size that is not hex', ['Transfer-Encoding: chunked'], '5\r\n{"jso\r\nzz\r\nnrpc":1}\r\n0\r\n\r\n'],
    ['a chunk shorter than its size, then the end', ['Transfer-Encoding: chunked'], '40\r\n{"jsonrpc":"2.0"}'],
    ['a Content-Length longer than the body', ['Content-Length: 500'], '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'],
  ] as const) {
    add(b, name, { refused: 400 }, () => viaRaw(rawPost(headers, body)));
  }
  raw(
    b,
    'invalid UTF-8 inside a JSON string',
    { rpc: PARSE_ERROR },
    Buffer.concat([
      Buffer.from(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query_view","arguments":{"view":"daily_user_summary","limit":1,"filters":[{"column":"user_name","op":"eq","value":"',
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('"}]}}}'),
    ]),
  );

  // --- malformed JSON-RPC envelopes -----------------------------------------------------------
  const m = 'malformed JSON-RPC';
  raw(m, 'not JSON', { rpc: PARSE_ERROR }, '{jsonrpc: 2.0, method: tools/list}');
  raw(m, 'an empty body', { rpc: PARSE_ERROR }, '');
  raw(m, 'invalid UTF-8 as a field name', { rpc: PARSE_ERROR }, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
  raw(m, 'JSON cut short', { rpc: PARSE_ERROR }, '{"jsonrpc":"2.0","id":1,"method":"tools/li');
  for (const [name, body] of [
    ['a JSON string', '"tools/list"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['an empty object', '{}'],
    ['jsonrpc "1.0"', '{"jsonrpc":"1.0","id":1,"method":"tools/list"}'],
    ['jsonrpc 2', '{"jsonrpc":2,"id":1,"method":"tools/list"}'],
    ['no jsonrpc', '{"id":1,"method":"tools/list"}'],
    ['no method', '{"jsonrpc":"2.0","id":1}'],
    ['method 42', '{"jsonrpc":"2.0","id":1,"method":42}'],
    ['id an object', '{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}'],
    ['id an array', '{"jsonrpc":"2.0","id":[1],"method":"tools/list"}'],
    ['params an array', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":["query_view",{}]}'],
    ['params a string', '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"x"}'],
  ] as const)
    raw(m, name, { rpc: INVALID_REQUEST }, body);
  raw(m, 'an unknown method', { rpc: METHOD_NOT_FOUND }, '{"jsonrpc":"2.0","id":1,"method":"tools/explode"}');
  raw(
    m,
    'a method of the client (sampling/createMessage)',
    { rpc: METHOD_NOT_FOUND },
    '{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{"messages":[],"maxTokens":1}}',
  );
  raw(m, 'tools/call with no params', { rpc: INVALID_PARAMS }, '{"jsonrpc":"2.0","id":1,"method":"tools/call"}');
  raw(m, 'tools/call with no name', { rpc: INVALID_PARAMS }, envelope({ arguments: {} }));
  raw(m, 'tools/call with name 42', { rpc: INVALID_PARAMS }, envelope({ name: 42, arguments: {} }));
  raw(
    m,
    'tools/call of a tool that does not exist',
    { rpc: INVALID_PARAMS },
    envelope({ name: 'run_sql', arguments: { sql: 'SELECT 1' } }),
  );
  raw(
    m,
    'resources/read of a resource that does not exist',
    { rpc: RESOURCE_NOT_FOUND },
    '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///etc/passwd"}}',
  );
  raw(m, 'a notification', { accepted: true }, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
  raw(m, 'a response the server never asked for', { accepted: true }, '{"jsonrpc":"2.0","id":7,"result":{}}');
  raw(m, 'an unsupported MCP-Protocol-Version', { refused: 400 }, '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', {
    ...MCP_HEADERS,
    'mcp-protocol-version': '1999-01-01',
  });
  raw(m, 'an Mcp-Session-Id on a stateless server', any, toolCall('list_views', {}), {
    ...MCP_HEADERS,
    'mcp-session-id': 'made-up-session',
  });

  // --- wrong Accept and Content-Type ----------------------------------------------------------
  const a = 'accept and content-type';
  const listCall = toolCall('list_views', {});
  for (const accept of [undefined, 'text/html', 'application/json', 'text/event-stream', '*/*'])
    raw(
      a,
      `Accept: ${accept ?? '(none)'}`,
      { refused: 406 },
      listCall,
      accept === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', accept },
    );
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x'])
    raw(a, `Content-Type: ${type}`, { refused: 415 }, listCall, { ...MCP_HEADERS, 'content-type': type });
  raw(a, 'no Content-Type', { refused: 415 }, new TextEncoder().encode(listCall), { accept: MCP_HEADERS.accept });
  // Refused on the headers, yet the whole upload is read first, so the refusal arrives intact.
  const large = toolCall('query_view', q({ x: 'y'.repeat(5_000_000) }));
  raw(a, 'a 5 MB body with Accept: application/json', { refused: 406 }, large, {
    'content-type': 'application/json',
    accept: 'application/json',
  });
  raw(a, 'a 5 MB body with Content-Type: text/plain', { refused: 415 }, large, { ...MCP_HEADERS, 'content-type': 'text/plain' });
  raw(a, 'Content-Type: application/json; charset=utf-8', any, listCall, {
    ...MCP_HEADERS,
    'content-type': 'application/json; charset=utf-8',
  });

  // --- batches --------------------------------------------------------------------------------
  const bt = 'batches';
  const call = (id: number, name: string, args: unknown) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args },
  });
  add(
    bt,
    'a batch of a good and a bad call',
    { refused: 200 },
    () => postMcp(url, acme, JSON.stringify([call(1, 'list_views', {}), call(2, 'query_view', { view: 42 })])),
    batchOf(2),
  );
  add(
    bt,
    'a batch of 100 calls',
    { refused: 200 },
    () =>
      postMcp(
        url,
        acme,
        JSON.stringify(Array.from({ length: 100 }, (_, n) => call(n + 1, 'describe_view', { view: n % 2 ? 'events' : `nope${n}` }))),
      ),
    batchOf(100),
  );
  raw(bt, 'an empty batch', { rpc: INVALID_REQUEST }, '[]');
  raw(
    bt,
    'a batch of 101 calls',
    { rpc: INVALID_REQUEST },
    JSON.stringify(Array.from({ length: 101 }, (_, n) => call(n + 1, 'list_views', {}))),
  );
  raw(bt, 'a batch with a malformed member', { rpc: INVALID_REQUEST }, JSON.stringify([call(1, 'list_views', {}), 42]));
  raw(bt, 'a batch of numbers', { rpc: INVALID_REQUEST }, '[1,2,3]');
  raw(
    bt,
    'a batch with initialize and another request',
    { rpc: INVALID_REQUEST },
    JSON.stringify([
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]),
  );
  raw(
    bt,
    'a batch of notifications only',
    { accepted: true },
    JSON.stringify([
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } },
    ]),
  );
  return cases;
}

/** A batch answer: one JSON-RPC response per request, each a tool result. */
function batchOf(n: number) {
  return (answer: McpAnswer): string => {
    const messages = rpcMessages(answer);
    if (!messages) return `not JSON: ${answer.body.slice(0, 200)}`;
    if (messages.length !== n) return `${messages.length} answers to ${n} requests`;
    const bad = messages.find((msg) => msg.error !== undefined || !Array.isArray(msg.result?.content));
    return bad ? `a member is not a tool result: ${JSON.stringify(bad).slice(0, 200)}` : '';
  };
}

/** The 500 wrangler dev's own proxy answers, with miniflare's stack, when a request body breaks in transit. */
function devProxyFailure(a: McpAnswer): boolean {
  return (
    a.status === 500 &&
    !a.headers['x-request-id'] &&
    /^text\/plain/.test(a.contentType ?? '') &&
    /^Error: Network connection lost\./.test(a.body)
  );
}

function judge(c: Case, answer: McpAnswer): string {
  const e = c.expect;
  if ('tool' in e) return checkToolAnswer(answer, e.tool);
  if ('rpc' in e) return checkRpcError(answer, e.rpc);
  if ('accepted' in e) return answer.status === 202 && answer.body === '' ? '' : `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (answer.status !== e.refused) return `status ${answer.status}, not ${e.refused}: ${answer.body.slice(0, 200)}`;
  if (e.refused === 200) return leakIn(answer.body) ? `leaks ${leakIn(answer.body)}` : '';
  if (/problem\+json/.test(answer.contentType ?? '')) {
    const p = checkProblem(answer.status, answer.contentType, answer.body);
    return p.ok ? '' : p.reason;
  }
  const messages = rpcMessages(answer);
  const code = messages?.[0]?.error?.code;
  if (typeof code !== 'number') return `neither a JSON-RPC error nor a problem: ${answer.body.slice(0, 200)}`;
  return checkRpcError(answer, code);
}

export async function runMcpHostile(ctx: McpHostileContext, tally: Tally): Promise<void> {
  const cases = buildMcpCorpus(ctx);
  const byGroup = new Map<string, { tried: number; failed: number }>();
  for (const c of cases) {
    const g = byGroup.get(c.group) ?? { tried: 0, failed: 0 };
    byGroup.set(c.group, g);
    g.tried++;
    tally.inputsTried++;
    tally.requests++;
    let answer: McpAnswer;
    try {
      answer = await c.send();
    } catch (err) {
      g.failed++;
      tally.check(`[MCP ${c.group}] ${c.name}`, false, `no answer: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    let reason = '';
    if (devProxyFailure(answer)) {
      // As in hostile.ts: wrangler dev's proxy failed forwarding a broken body; the Worker never ran.
      tally.note(`[MCP ${c.group}] ${c.name}: failed in wrangler dev's proxy before the Worker ran`);
    } else if (answer.status >= 500) {
      reason = `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
    } else if (answer.status === 400 && !answer.headers['x-request-id'] && !/json/.test(answer.contentType ?? '')) {
      tally.note(`[MCP ${c.group}] ${c.name}: refused by the runtime before the Worker (${answer.status})`);
    } else {
      reason = judge(c, answer);
    }
    if (!reason && c.extra) reason = c.extra(answer);
    if (!reason && answer.headers['x-request-id'] && answer.headers['x-content-type-options'] !== 'nosniff')
      reason = 'no X-Content-Type-Options: nosniff on the answer';
    if (!tally.check(`[MCP ${c.group}] ${c.name}`, reason === '', reason)) g.failed++;
  }
  for (const [group, g] of byGroup) console.log(`   MCP ${group}: ${g.tried} inputs, ${g.failed} failed`);
}
