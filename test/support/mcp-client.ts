/**
 * The MCP SDK's own client (Client + StreamableHTTPClientTransport) connected to the
 * bridge's POST /mcp with one API key, for the workerd tests (fetch is the Worker's own
 * handler), the Node end-to-end test (fetch is real HTTP to `wrangler dev`) and the
 * reliability run. What a tool answers is read with the helpers below.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface McpConnection {
  readonly client: Client;
  /** Calls a tool; the result as the client received it (after its output-schema check). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Connects and initializes: the handshake is part of what every caller of this tests. */
export async function connectMcp(baseUrl: string, key: string | undefined, fetchImpl?: Fetch): Promise<McpConnection> {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  // @cfworker/json-schema checks query_view's structured content against its output schema;
  // it runs in workerd too, where the SDK's default (Ajv) cannot compile schemas.
  const client = new Client(
    { name: 'activconnect-bridge-tests', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(transport);
  return {
    client,
    async call(name, args = {}) {
      return (await client.callTool({ name, arguments: args })) as CallToolResult;
    },
    close: () => client.close(),
  };
}

/** The text of a result's first content block. */
export function resultText(result: CallToolResult): string {
  const first = result.content[0];
  if (!first || first.type !== 'text') throw new Error(`expected a text block, got ${JSON.stringify(result.content).slice(0, 200)}`);
  return first.text;
}

/** query_view's structured content, typed as its output schema has it. */
export interface QueryContent {
  view: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  row_count: number;
  next_cursor: string | null;
  cache: string;
  note: string | null;
}

export function queryContent(result: CallToolResult): QueryContent {
  if (result.isError) throw new Error(`query_view failed: ${resultText(result)}`);
  return result.structuredContent as unknown as QueryContent;
}

/** The API's problem type and status a failed tool call carries in _meta. */
export function problemOf(result: CallToolResult): { type: string; status: number } | undefined {
  return result._meta?.['dev.activconnect-bridge/problem'] as { type: string; status: number } | undefined;
}
