import { viewMinPlan } from '../../shared/columns.ts';
import { PLAN_LABELS, planDisplayName, PLANS } from '../../shared/plans.ts';
import { SCALAR_TYPES, type ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { FILTER_OPS, LIMITS } from '../../shared/query-vocabulary.ts';
import { AGGREGATES } from '../query/model.ts';
import { MAX_HOOKS_PER_TENANT } from '../hooks/api-shapes.ts';
import { API_VERSION } from '../version.ts';
import { changeRowSchema, changesParameters, changesSchema, deliverySchema, sharedChangesParameters } from './components/changes.ts';
import { sharedHeaders } from './components/headers.ts';
import { hookSchemas } from './components/hooks.ts';
import { sharedParameters, viewParameters } from './components/parameters.ts';
import { feedResponses, sharedResponses } from './components/responses.ts';
import { pageSchema, querySchema, rowSchema, sharedSchemas } from './components/schemas.ts';
import { description } from './description.ts';
import { followableViews, followNote } from './follow.ts';
import { type Json, ref } from './json.ts';
import { changesPath } from './paths/changes.ts';
import { hookPaths } from './paths/hooks.ts';
import { mcpPaths } from './paths/mcp.ts';
import { servicePaths } from './paths/service.ts';
import { viewPaths } from './paths/views.ts';
import { OPERATORS, operatorsFor } from './vocabulary.ts';
import { webhooks } from './webhooks.ts';

/**
 * The OpenAPI 3.1 description of the API, computed from the view definitions, the query
 * limits and the encoders at run time: nothing in it is written twice, so it cannot drift
 * from what the server does. Served at /openapi.json and read by the /docs page, which
 * also uses the `x-` extensions below (plans, operators, each column's BigQuery type).
 * The trigger and webhook parts quote worker/hooks/ and the /changes and /v1/hooks routes
 * the same way: their limits, statuses and signature scheme are imported, never retyped.
 */

/**
 * Answers the middleware in worker/app.ts can give before any route runs: every path may get a
 * 414 (URL length), and every /v1 path and /mcp a 400 (both key headers, with different keys),
 * a 401 and a 429 (the key's rate tier). Added here so no path can forget one.
 */
function addMiddlewareResponses(paths: Record<string, Json>): void {
  for (const [path, item] of Object.entries(paths)) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, Json> }>)) {
      const responses = operation.responses;
      if (responses === undefined) continue;
      const added: Record<string, Json> = { '414': ref('responses', 'UriTooLong') };
      if (path.startsWith('/v1/') || path === '/mcp') {
        Object.assign(added, {
          '400': ref('responses', 'BadRequest'),
          '401': ref('responses', 'Unauthorized'),
          '429': ref('responses', 'TooManyRequests'),
        });
      }
      for (const [status, answer] of Object.entries(added)) responses[status] ??= answer;
    }
  }
}

/**
 * Builds the OpenAPI 3.1 document for a server URL. Pure and deterministic for a given URL,
 * so the route caches the serialised result per URL.
 * @example openApiDocument('https://bridge.example.com').paths['/v1/views/events/rows']
 */
export function openApiDocument(serverUrl: string): object {
  const views = VIEW_NAMES.map((n) => VIEWS[n] as ViewDef);
  const followable = followableViews(views);
  const schemas: Record<string, Json> = sharedSchemas();
  const parameters: Record<string, Json> = { ...sharedParameters(), ...sharedChangesParameters() };
  const paths: Record<string, Json> = servicePaths();
  for (const view of views) {
    schemas[`${view.name}Row`] = rowSchema(view);
    schemas[`${view.name}Page`] = pageSchema(view);
    schemas[`${view.name}Query`] = querySchema(view);
    Object.assign(parameters, viewParameters(view));
    Object.assign(paths, viewPaths(view));
    if (view.changeColumn === null) continue;
    schemas[`${view.name}ChangeRow`] = changeRowSchema(view);
    schemas[`${view.name}Changes`] = changesSchema(view);
    schemas[`${view.name}Delivery`] = deliverySchema(view);
    Object.assign(parameters, changesParameters(view));
    Object.assign(paths, changesPath(view));
  }
  Object.assign(schemas, hookSchemas(followable));
  Object.assign(paths, hookPaths());
  Object.assign(paths, mcpPaths());
  addMiddlewareResponses(paths);
  return {
    openapi: '3.1.0',
    info: {
      title: 'ActivConnect Bridge API',
      version: API_VERSION,
      summary: "ActivTrak's ActivConnect views as a safe, cached HTTP API.",
      description: description(views),
      'x-limits': { ...LIMITS },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    tags: [
      { name: 'Service', description: 'Health, version and this documentation; no key needed.' },
      { name: 'Catalog', description: 'Which views your plan can read.' },
      {
        name: 'Hooks',
        description: `REST hooks: new rows of a view POSTed to your URL, signed per Standard Webhooks. At most ${MAX_HOOKS_PER_TENANT} per account.`,
      },
      { name: 'AI agents', description: 'The views as Model Context Protocol tools, for AI agents.' },
      ...views.map((view) => ({
        name: view.name,
        description: `${view.description} ${followNote(view)}`,
        'x-view': true,
        'x-min-plan': viewMinPlan(view),
        'x-date-column': view.dateColumn,
        'x-row-key': view.rowKey,
        'x-change-column': view.changeColumn,
        'x-freshness': { kind: view.freshness.kind, maxAgeSeconds: view.freshness.maxAgeSeconds, why: view.freshness.why },
      })),
    ],
    paths,
    webhooks: webhooks(),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Your API key as a bearer token.' },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'Your API key in a header, where a bearer token is awkward.',
        },
      },
      schemas,
      parameters,
      responses: { ...sharedResponses(), ...feedResponses(views) },
      headers: sharedHeaders(),
    },
    'x-plans': PLANS.map((id) => ({ id, label: PLAN_LABELS[id].label, display: planDisplayName(id) })),
    'x-filter-operators': FILTER_OPS.map((op) => ({
      name: op,
      description: OPERATORS[op],
      types: SCALAR_TYPES.filter((t) => operatorsFor(t).includes(op)),
    })),
    'x-aggregates': [...AGGREGATES],
  };
}
