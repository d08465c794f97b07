import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { MCP_BUDGET } from '../../mcp/budget.ts';
import { DICTIONARY_DESCRIPTION, DICTIONARY_URI, MCP_TOOLS } from '../../mcp/tools.ts';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { type Json, ref } from '../json.ts';

const MESSAGE: Json = {
  type: 'object',
  required: ['jsonrpc'],
  properties: {
    jsonrpc: { const: '2.0' },
    id: { type: ['string', 'integer'] },
    method: { type: 'string' },
    params: { type: 'object' },
  },
  description: 'A JSON-RPC 2.0 request, notification or response, as MCP defines it.',
};

const RPC_ERROR: Json = {
  type: 'object',
  required: ['jsonrpc', 'error'],
  properties: {
    jsonrpc: { const: '2.0' },
    id: { type: ['string', 'integer', 'null'] },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer' }, message: { type: 'string' } },
    },
  },
  description: 'A JSON-RPC 2.0 error response.',
};

const rpcErrorAnswer = (description: string): Json => ({ description, content: { 'application/json': { schema: RPC_ERROR } } });

/** Requests a client sends, as the examples /docs turns into curl commands. */
function examples(): Record<string, Json> {
  const request = (id: number, method: string, params?: Json) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
  return {
    initialize: {
      summary: 'Start: the server answers with its name, its tools and resources capability and instructions',
      value: request(1, 'initialize', {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'curl', version: '1.0' },
      }),
    },
    'tools/list': { summary: "The tools, with input schemas for your key's plan", value: request(2, 'tools/list') },
    query_view: {
      summary: 'Ten rows of daily_user_summary, newest first',
      value: request(3, 'tools/call', {
        name: 'query_view',
        arguments: {
          view: 'daily_user_summary',
          select: ['user_name', 'local_date', 'productive_active_duration_seconds'],
          order: [{ column: 'local_date', direction: 'desc' }],
          limit: 10,
        },
      }),
    },
  };
}

/**
 * POST /mcp, described as far as HTTP sees it: the body is JSON-RPC 2.0, and what each tool
 * takes is listed by the protocol itself (tools/list, with schemas for the caller's plan).
 * The tools' names and words are quoted from worker/mcp/tools.ts in `x-mcp-tools`, which the
 * /docs page shows with a client configuration and these examples.
 */
export function mcpPaths(): Record<string, Json> {
  return {
    '/mcp': {
      post: {
        operationId: 'postMcp',
        summary: 'Model Context Protocol (for AI agents)',
        description:
          '[MCP over Streamable HTTP](https://modelcontextprotocol.io/specification/2025-11-25/basic/transports), stateless and answering in JSON: ' +
          `tools ${MCP_TOOLS.map((t) => t.name).join(', ')}, and the data dictionary of your plan as the resource \`${DICTIONARY_URI}\`. The same API key, plan, cache and rate limit as /v1. ` +
          `One query_view call returns ${MCP_BUDGET.defaultRows} rows unless \`limit\` says otherwise, at most ${MCP_BUDGET.maxRows} rows and about ${MCP_BUDGET.maxChars.toLocaleString('en-US')} characters; \`next_cursor\` continues. ` +
          'Send `Content-Type: application/json` and `Accept: application/json, text/event-stream`. A tool that fails answers 200 with `isError: true` and the sentence the API would give; ' +
          'a body that is not JSON-RPC is a JSON-RPC error (-32700 not JSON, -32600 not a message, -32602 params a method does not take). ' +
          'GET and DELETE /mcp answer 405 (`Allow: POST`): there is no event stream and no session.',
        tags: ['AI agents'],
        'x-mcp-tools': MCP_TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description })),
        'x-mcp-resources': [{ uri: DICTIONARY_URI, description: DICTIONARY_DESCRIPTION }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [MESSAGE, { type: 'array', items: MESSAGE, minItems: 1, maxItems: 100, description: 'A batch of messages.' }],
              },
              examples: examples(),
            },
          },
        },
        responses: {
          '200': {
            description:
              'The JSON-RPC response to a request (an array of them for a batch); a failed tool call is a result with `isError: true`.',
            content: { 'application/json': { schema: { type: 'object', description: 'A JSON-RPC 2.0 response.' } } },
          },
          '202': { description: 'Accepted: the body held only notifications or responses, which need no answer.' },
          '400': {
            description:
              'The body is not JSON-RPC: a JSON-RPC error, -32700 when it is not JSON (or not UTF-8), -32600 when it is JSON but not a message or an empty batch. (Both key headers with different keys is a problem+json 400.)',
            content: { 'application/json': { schema: RPC_ERROR }, 'application/problem+json': { schema: ref('schemas', 'Problem') } },
          },
          '401': ref('responses', 'Unauthorized'),
          '406': rpcErrorAnswer('The Accept header does not list both `application/json` and `text/event-stream`.'),
          '413': rpcErrorAnswer(`The body is larger than ${LIMITS.maxQueryBodyBytes} bytes.`),
          '415': rpcErrorAnswer('The body is not sent as `Content-Type: application/json`.'),
          '429': ref('responses', 'TooManyRequests'),
        },
      },
    },
  };
}
