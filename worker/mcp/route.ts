import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { rateLimitKey, requireApiKey } from '../http/middleware.ts';
import { answerInvalidParams, readEnvelope } from './envelope.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';
import { mcpServerFor } from './server.ts';

/**
 * POST /mcp: the Model Context Protocol over Streamable HTTP
 * (https://modelcontextprotocol.io/specification/2025-11-25/basic/transports), with the same
 * key, plan and rate limit as /v1 (requireApiKey, rateLimitKey).
 *
 * Stateless: no session id, a new server and transport for each request, JSON answers
 * rather than SSE streams. Every tool here is one request and one answer, and the caller is
 * known from the key on each request, so there is nothing a session would hold; without one
 * no Durable Object is needed to pin a session to an isolate, and any isolate can answer any
 * request.
 */
export const mcp = new Hono<AppEnv>()
  .post('/', requireApiKey, rateLimitKey, async (c) => {
    const server = mcpServerFor({
      env: c.env,
      caller: c.get('caller'),
      origin: new URL(c.req.url).origin,
      waitUntil: (p) => c.executionCtx.waitUntil(p),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // The same bound as a JSON query body: a tool call is a query.
      maxRequestBodySize: LIMITS.maxQueryBodyBytes,
    });
    const envelope = await readEnvelope(c.req.raw);
    if (envelope instanceof Response) return envelope;
    await server.connect(transport);
    answerInvalidParams(transport);
    try {
      return await transport.handleRequest(c.req.raw, envelope ? { parsedBody: envelope.body } : undefined);
    } finally {
      // The answer is complete (JSON, not a stream), so the pair can go.
      c.executionCtx.waitUntil(server.close());
    }
  })
  // A stateless server has no stream to offer on GET and no session to end on DELETE: the
  // spec's answer to both is 405 (transports: "Listening for Messages from the Server").
  .all('/', (c) => {
    throw new ApiError(
      405,
      'method-not-allowed',
      `${c.req.method} is not supported on /mcp: this MCP server is stateless, with no event stream and no sessions. Send JSON-RPC messages with POST.`,
      { allow: ['POST'] },
      { allow: 'POST' },
    );
  });
