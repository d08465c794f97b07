import { type Json, ref } from '../json.ts';

/**
 * POST /mcp, described only as far as HTTP sees it: the body is JSON-RPC 2.0 and what the
 * tools take and return is listed by the protocol itself (tools/list), from the same view
 * definitions as the rest of this document.
 */
export function mcpPaths(): Record<string, Json> {
  const jsonRpc = {
    type: 'object',
    required: ['jsonrpc'],
    properties: { jsonrpc: { const: '2.0' }, id: { type: ['string', 'integer'] }, method: { type: 'string' } },
    description: 'A JSON-RPC 2.0 request, notification or response (or an array of them), as MCP defines it.',
  };
  return {
    '/mcp': {
      post: {
        operationId: 'postMcp',
        summary: 'Model Context Protocol (for AI agents)',
        description:
          'MCP over Streamable HTTP (https://modelcontextprotocol.io/specification/2025-11-25/basic/transports), stateless and answering in JSON: ' +
          'tools list_views, describe_view and query_view, and the data dictionary of your plan as a resource. The same API key, plan, cache and rate limit as /v1. ' +
          'Send `Accept: application/json, text/event-stream`. A tool that fails answers 200 with `isError: true` and the sentence the API would give. ' +
          'GET and DELETE /mcp answer 405 (`Allow: POST`): there is no event stream and no session.',
        tags: ['AI agents'],
        requestBody: { required: true, content: { 'application/json': { schema: jsonRpc } } },
        responses: {
          '200': {
            description: 'The JSON-RPC response to a request.',
            content: { 'application/json': { schema: { type: 'object', description: 'A JSON-RPC 2.0 response.' } } },
          },
          '202': { description: 'Accepted: the body held only notifications or responses, which need no answer.' },
          '401': ref('responses', 'Unauthorized'),
          '429': ref('responses', 'TooManyRequests'),
        },
      },
    },
  };
}
