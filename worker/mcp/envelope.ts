import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../http/errors.ts';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { discardBody, readBodyText } from '../http/body.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';

/**
 * The JSON-RPC envelope of a POST /mcp body, checked before the SDK's transport sees it, for
 * what the transport answers otherwise: a body that is JSON but not a JSON-RPC message is
 * -32700 there (JSON-RPC 2.0 says -32600, Invalid Request), an empty batch is a silent 202
 * (JSON-RPC: one -32600), and an oversized body or one with the wrong headers is answered
 * before it is read, which leaves the client writing into a closed connection (readBodyText
 * drains it and answers 413; a refusal on the headers drains it too).
 */

/** The most messages in one batch: the SDK transport's own bound. */
const MAX_BATCH = 100;

function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', id: null, error: { code, message } }, { status });
}

/**
 * The transport's own precondition (transports: "Sending Messages to the Server"), checked as
 * the transport checks it: a body is read only from a client that accepts both answers and
 * sends JSON; anything else is left to the transport's 406 or 415.
 */
function speaksMcp(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return (
    accept.includes('application/json') && accept.includes('text/event-stream') && isJsonContentType(request.headers.get('content-type'))
  );
}

/**
 * The body as parsed JSON, for the transport's `parsedBody`; a Response when the envelope is
 * wrong; null when the headers are (the transport answers those).
 */
export async function readEnvelope(request: Request): Promise<{ readonly body: unknown } | Response | null> {
  if (!speaksMcp(request)) {
    // The transport answers these on the headers alone, without reading the body: drained
    // first, a large upload still gets its 406 or 415 instead of a reset connection.
    await discardBody(request);
    return null;
  }
  let text: string;
  try {
    text = await readBodyText(request, LIMITS.maxQueryBodyBytes, 'The MCP request body', 'maxQueryBodyBytes');
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // A body over the limit is the server's refusal; one that is not UTF-8 or ended early is not JSON text.
    return rpcError(err.status, err.status === 413 ? -32000 : ErrorCode.ParseError, err.message);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return rpcError(400, ErrorCode.ParseError, 'Parse error: the body is not JSON. Send one JSON-RPC 2.0 message as a JSON object.');
  }
  const messages = Array.isArray(body) ? body : [body];
  if (Array.isArray(body) && (body.length === 0 || body.length > MAX_BATCH)) {
    return rpcError(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: a batch holds 1 to ${MAX_BATCH} messages; this one holds ${body.length}.`,
    );
  }
  const bad = messages.findIndex((m) => !JSONRPCMessageSchema.safeParse(m).success);
  if (bad !== -1) {
    const where = Array.isArray(body) ? `Batch member ${bad} is not` : 'The body is not';
    return rpcError(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: ${where} a JSON-RPC 2.0 message: an object with "jsonrpc": "2.0", a "method" string, an "id" (string or integer) for a request, and "params" as an object when present.`,
    );
  }
  return { body };
}

/** The methods this server answers, with the shape their params must have. */
const PARAMS = new Map<string, { safeParse(value: unknown): { success: boolean; error?: { issues: readonly Issue[] } } }>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['tools/call', CallToolRequestSchema],
  ['resources/list', ListResourcesRequestSchema],
  ['resources/read', ReadResourceRequestSchema],
]);

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Answers a request whose params do not fit its method with -32602 (Invalid params), the
 * code JSON-RPC gives it. The SDK's Protocol parses params before any handler runs and answers
 * a failure as -32603, an internal error, with the validator's raw issue list as the message.
 */
export function answerInvalidParams(transport: WebStandardStreamableHTTPServerTransport): void {
  const next = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const schema = isJSONRPCRequest(message) ? PARAMS.get(message.method) : undefined;
    const parsed = schema?.safeParse(message);
    if (!isJSONRPCRequest(message) || !parsed || parsed.success) return next?.(message, extra);
    const issues = (parsed.error?.issues ?? [])
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`)
      .join('; ');
    void transport.send(
      {
        jsonrpc: '2.0',
        id: message.id,
        error: { code: ErrorCode.InvalidParams, message: `Invalid params for ${message.method}: ${issues}.` },
      },
      { relatedRequestId: message.id },
    );
  };
}
