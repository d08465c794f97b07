/**
 * POST /mcp as an agent's client sends it (JSON-RPC 2.0 over Streamable HTTP, no session),
 * and what its answers must be: a tool result for anything wrong with a tool's arguments, a
 * JSON-RPC error with the code JSON-RPC 2.0 gives for anything wrong with the envelope, and
 * never a stack, SQL or a 5xx.
 */
import { leakIn, leakInMessage } from './problem.ts';

export interface McpAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  /** Response headers, lower-cased names. */
  readonly headers: Record<string, string>;
}

/** The headers the MCP transport requires of a client (transports: "Sending Messages to the Server"). */
export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } as const;

export async function postMcp(
  url: string,
  key: string | null,
  body: BodyInit,
  headers: Record<string, string> = MCP_HEADERS,
): Promise<McpAnswer> {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { ...headers, ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body,
    signal: AbortSignal.timeout(30_000),
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text(), headers: out };
}

let nextId = 1;

/** One tools/call request as JSON text. */
export function toolCall(name: string, args: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } });
}

export interface ToolResult {
  readonly isError?: boolean;
  readonly content?: { type: string; text?: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly _meta?: Record<string, unknown>;
}

interface RpcMessage {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly result?: ToolResult;
  readonly error?: { code?: unknown; message?: unknown };
}

/** The JSON-RPC message(s) of an answer: a JSON body, or the data of its server-sent events. */
export function rpcMessages(answer: McpAnswer): RpcMessage[] | null {
  const texts = /^text\/event-stream/.test(answer.contentType ?? '')
    ? [...answer.body.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!)
    : [answer.body];
  try {
    return texts.flatMap((t) => {
      const parsed = JSON.parse(t) as RpcMessage | RpcMessage[];
      return Array.isArray(parsed) ? parsed : [parsed];
    });
  } catch {
    return null;
  }
}

/** The API's problem type and status a failed tool call carries in _meta. */
export function toolProblem(result: ToolResult): { type?: string; status?: number } | undefined {
  return result._meta?.['dev.activconnect-bridge/problem'] as { type?: string; status?: number } | undefined;
}

/**
 * What a tools/call must answer: 200 with a result, never a protocol error. `expect` says
 * whether the result must be isError ('error'), or may be either ('any': the input may well
 * be a valid value that matches nothing). Returns a failure reason or ''.
 */
export function checkToolAnswer(answer: McpAnswer, expect: 'error' | 'any'): string {
  if (answer.status !== 200) return `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  const messages = rpcMessages(answer);
  if (!messages || messages.length !== 1) return `not one JSON-RPC message: ${answer.body.slice(0, 200)}`;
  const [message] = messages as [RpcMessage];
  if (message.error !== undefined) return `a protocol error, not a tool result: ${JSON.stringify(message.error).slice(0, 200)}`;
  const result = message.result;
  if (!result || !Array.isArray(result.content)) return `no tool result: ${answer.body.slice(0, 200)}`;
  if (expect === 'error' && result.isError !== true) return `not isError: ${answer.body.slice(0, 200)}`;
  if (result.isError === true) {
    const text = result.content[0]?.text ?? '';
    if (text.trim().length < 10) return `the error '${text}' is not a sentence`;
    const problem = toolProblem(result);
    if (typeof problem?.status !== 'number' || problem.status < 400 || problem.status >= 500)
      return `the error carries no 4xx problem status: ${JSON.stringify(result._meta ?? null).slice(0, 200)}`;
    const leak = leakInMessage(text);
    if (leak) return `leaks ${leak}: ${text.slice(0, 200)}`;
  }
  const leak = leakIn(answer.body);
  return leak ? `leaks ${leak}` : '';
}

/**
 * What a malformed envelope must answer: a 4xx (or 200 for an error inside a well-formed
 * exchange) carrying a JSON-RPC error with `code`, a message, and nothing internal.
 */
export function checkRpcError(answer: McpAnswer, code: number): string {
  if (answer.status >= 500 || answer.status < 200) return `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  const messages = rpcMessages(answer);
  if (!messages || messages.length !== 1) return `not one JSON-RPC message (status ${answer.status}): ${answer.body.slice(0, 200)}`;
  const [message] = messages as [RpcMessage];
  if (message.jsonrpc !== '2.0') return `jsonrpc is ${JSON.stringify(message.jsonrpc)}`;
  if (!message.error) return `not an error: ${answer.body.slice(0, 200)}`;
  if (message.error.code !== code) return `code ${String(message.error.code)}, not ${code}: ${String(message.error.message).slice(0, 160)}`;
  if (typeof message.error.message !== 'string' || message.error.message.length < 5) return 'no error message';
  const leak = leakInMessage(message.error.message) ?? leakIn(answer.body);
  return leak ? `leaks ${leak}: ${answer.body.slice(0, 200)}` : '';
}
