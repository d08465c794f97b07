import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { planDisplayName } from '../../shared/plans.ts';
import { ApiError, toApiError } from '../http/errors.ts';
import { readQueryArguments } from './arguments.ts';
import { describeView, dictionaryMarkdown, listViews } from './catalog.ts';
import { queryView, type ToolContext } from './query-view.ts';
import { QUERY_OUTPUT_SCHEMA, toolSchemas } from './schemas.ts';
import { textTable } from './table.ts';
import { MCP_BUDGET } from './budget.ts';
import { DICTIONARY_DESCRIPTION, DICTIONARY_URI, MCP_TOOLS, toolText } from './tools.ts';

/** Where a tool result says what went wrong, for programs: the API's problem type and status. */
const PROBLEM_META = 'dev.activconnect-bridge/problem';

/**
 * A failure as a tool result: the sentence the API's problem+json would carry, marked isError
 * so the model reads it and can correct its call. Bad arguments are never protocol errors.
 */
function errorResult(err: unknown): CallToolResult {
  const apiError = toApiError(err);
  return {
    isError: true,
    content: [{ type: 'text', text: apiError.message }],
    _meta: { [PROBLEM_META]: { type: apiError.type, status: apiError.status, ...apiError.extensions } },
  };
}

function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function args(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * One MCP server for one caller. The low-level Server rather than McpServer, because
 * McpServer takes zod schemas, and these tools' JSON Schemas are computed from the view
 * definitions for the caller's plan (schemas.ts). The JSON Schema validator is
 * @cfworker/json-schema's: the SDK's default (Ajv) compiles schemas with `new Function`,
 * which workerd forbids.
 */
export function mcpServerFor(ctx: ToolContext): Server {
  const { plan } = ctx.caller;
  const schemas = toolSchemas(plan);
  const server = new Server(
    { name: 'activconnect-bridge', version: '1.0.0' },
    {
      capabilities: { tools: {}, resources: {} },
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
      instructions:
        `ActivTrak ActivConnect workforce analytics for one account, on the ${planDisplayName(plan)} plan. ` +
        'Call list_views to see what can be read, describe_view for one view, then query_view; ' +
        `a result holds at most ${MCP_BUDGET.maxRows} rows, and next_cursor continues it.`,
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      { ...toolText('list_views'), inputSchema: schemas.listViews, annotations: { readOnlyHint: true, openWorldHint: false } },
      { ...toolText('describe_view'), inputSchema: schemas.describeView, annotations: { readOnlyHint: true, openWorldHint: false } },
      {
        ...toolText('query_view'),
        inputSchema: schemas.queryView,
        outputSchema: QUERY_OUTPUT_SCHEMA,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
    ],
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const given = args(request.params.arguments);
    try {
      switch (request.params.name) {
        case 'list_views':
          return jsonResult(listViews(plan));
        case 'describe_view':
          if (typeof given['view'] !== 'string')
            throw new ApiError(400, 'invalid-parameter', 'describe_view needs "view": list_views names them.');
          return jsonResult(describeView(given['view'], plan));
        case 'query_view': {
          const result = await queryView(ctx, readQueryArguments(given));
          const table = textTable(
            result.columns.map((c) => c.name),
            result.rows,
          );
          const summary = result.note ?? `${result.row_count} rows, the whole result.`;
          return {
            content: [{ type: 'text', text: `${table}\n\n${summary}` }],
            structuredContent: { ...result },
          };
        }
      }
    } catch (err) {
      return errorResult(err);
    }
    // A tool that does not exist is the client's mistake about this server, not about data.
    throw new McpError(
      ErrorCode.InvalidParams,
      `Unknown tool '${request.params.name.slice(0, 60)}'. Tools: ${MCP_TOOLS.map((t) => t.name).join(', ')}.`,
    );
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: [
      {
        uri: DICTIONARY_URI,
        name: 'data-dictionary',
        title: `ActivConnect data dictionary (${planDisplayName(plan)})`,
        description: DICTIONARY_DESCRIPTION,
        mimeType: 'text/markdown',
      },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    if (request.params.uri !== DICTIONARY_URI) {
      // The spec's code for a resource that does not exist.
      throw new McpError(-32002, `No resource '${request.params.uri.slice(0, 100)}'. Resources: ${DICTIONARY_URI}.`);
    }
    return { contents: [{ uri: DICTIONARY_URI, mimeType: 'text/markdown', text: dictionaryMarkdown(plan) }] };
  });
  return server;
}
