// Property: whatever arguments an agent sends a tool, POST /mcp answers 200 with a tool result
// (content, or isError with the API's sentence); never a 5xx, a protocol error for bad
// arguments, or a leaked stack or SQL. The same classes of input the /rows fuzzing uses.
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Keys } from '../api/support/contract.ts';
import { seedTinyDemo } from '../support/demo.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

/** Text with the characters that broke parsers before: line terminators, NUL, lone surrogates. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\r', '\n', '\u0000', '\u2028', '\ud800', '%0D%0A', "'; DROP TABLE x; --", 'user_id.desc\nx', '*'.repeat(80)),
  fc.constantFrom('user_id', 'local_date', 'user_name', 'daily_user_summary', 'events', 'eq.1', 'in.(1,2)', 'not.is.null'),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const FIELDS = ['view', 'select', 'filters', 'from', 'to', 'group_by', 'aggregates', 'order', 'limit', 'cursor'];
const toolArguments = fc.oneof(
  fc.record(Object.fromEntries(FIELDS.map((f) => [f, hostileValue])), { requiredKeys: [] }),
  fc.record(
    { view: fc.constant('daily_user_summary'), select: hostileValue, filters: hostileValue, order: hostileValue },
    { requiredKeys: ['view'] },
  ),
  fc.dictionary(hostileText, hostileValue, { maxKeys: 4 }),
);

async function callTool(key: string, name: string, args: unknown): Promise<Response> {
  return exports.default.fetch(
    new Request('http://bridge.test/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    }),
  );
}

describe('MCP tool arguments, hostile or not', () => {
  it('query_view and describe_view always answer 200 with a tool result, never a 5xx or a leak', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('query_view', 'describe_view'), toolArguments, async (name, args) => {
        const res = await callTool(keys.acme, name, args);
        const text = await res.text();
        expect(res.status, text).toBe(200);
        expect(text).not.toMatch(/SQLITE|D1_ERROR|\bSELECT\b.*\bFROM\b|at [\w.]+ \(/);
        // A JSON answer or one server-sent event holding it.
        const json = JSON.parse(text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? 'null')) as {
          result?: { isError?: boolean; content?: unknown[] };
          error?: unknown;
        };
        expect(json.error, text).toBeUndefined();
        expect(Array.isArray(json.result?.content), text).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('arguments that are not an object are a malformed request: a JSON-RPC error, not a 5xx', async () => {
    // The protocol defines `arguments` as an object, so the SDK refuses anything else before a
    // tool runs; what matters here is that the refusal is an answer and leaks nothing.
    for (const args of [[], 'daily_user_summary', 42, true]) {
      const res = await callTool(keys.acme, 'query_view', args);
      const text = await res.text();
      expect(res.status, text).toBeLessThan(500);
      expect(text).toContain('"error"');
      expect(text).not.toMatch(/at [\w.]+ \(/);
    }
  });
});
