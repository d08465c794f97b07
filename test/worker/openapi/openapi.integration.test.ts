import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { PLANS } from '../../../shared/plans.ts';
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import {
  CHANGES_LIMIT,
  DELIVERIES_LIMIT,
  FEED_PARAMS,
  LIMITS,
  NOT_FOR_FEEDS,
  RESERVED_PARAMS,
  SHAPES,
} from '../../../shared/query-vocabulary.ts';
import { feedLimit, sinceValue } from '../../../worker/hooks/change-feed.ts';
import { deliveryId } from '../../../worker/hooks/message.ts';
import { HOOK_POLICY } from '../../../worker/hooks/policy.ts';
import { generateSecret, signatureHeaders, verify } from '../../../worker/hooks/signature.ts';
import { DELIVERY_STATUSES, SUBSCRIPTION_STATUSES, type Delivery, type Subscription } from '../../../worker/hooks/store.ts';
import { MAX_TARGET_URL_LENGTH } from '../../../worker/hooks/target-url.ts';
import { DOCS_SCRIPT, DOCS_STYLE } from '../../../worker/openapi/docs-page.ts';
import { FORMATS } from '../../../worker/query/model.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { docs } from '../../../worker/routes/docs.ts';
import { deliveryJson, FIELDS as HOOK_FIELDS, HOOK_ID, hookJson, MAX_HOOKS_PER_TENANT } from '../../../worker/hooks/api-shapes.ts';
import { API_VERSION } from '../../../worker/version.ts';
import { toBase64 } from '../../../worker/encoding/base64.ts';
import { sha256 as sha256Digest } from '../../../worker/encoding/sha256.ts';

// The document is JSON from the wire; the checks below walk it without trusting its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped, as the line above says
type Doc = any;

const ORIGIN = 'http://docs.test';
const views = VIEW_NAMES.map((name) => VIEWS[name] as ViewDef);
const followable = views.filter((v) => v.changeColumn !== null);
const app = new Hono().route('/', docs);

/** What each BigQuery type must look like in a Row schema, written out independently of document.ts. */
const EXPECTED: Record<ScalarType, { type: string; format?: string; matches?: string; rejects?: string }> = {
  INT64: { type: 'integer', format: 'int64' },
  NUMERIC: { type: 'number' },
  FLOAT64: { type: 'number' },
  STRING: { type: 'string' },
  BOOL: { type: 'boolean' },
  DATE: { type: 'string', format: 'date' },
  DATETIME: { type: 'string', matches: '2026-09-01T09:30:00', rejects: '2026-09-01T09:30:00Z' },
  TIMESTAMP: { type: 'string', format: 'date-time' },
  TIME: { type: 'string', matches: '09:30:00', rejects: '9:30' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const COMPONENT_KEY = /^[a-zA-Z0-9.\-_]+$/;

/**
 * A structural check of an OpenAPI 3.1 document: every $ref resolves, every operation (of
 * `paths` and `webhooks`) has an operationId unique across both, a summary, declared tags and
 * described responses, parameters are unique and complete, and templated path parameters are
 * declared and required.
 * Returns the faults found, empty when there are none.
 */
function structuralProblems(doc: Doc): string[] {
  const problems: string[] = [];
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const deref = (node: Doc): Doc => (node && typeof node.$ref === 'string' ? resolve(node.$ref) : node);

  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref') {
          if (typeof value !== 'string' || resolve(value) === undefined) problems.push(`${at}: $ref ${String(value)} does not resolve`);
        } else walk(value, `${at}/${key}`);
      }
    }
  };
  walk(doc, '#');

  if (doc.openapi !== '3.1.0') problems.push(`openapi is ${doc.openapi}, not 3.1.0`);
  if (!doc.info?.title || !doc.info?.version) problems.push('info needs a title and a version');
  for (const [kind, entries] of Object.entries(doc.components ?? {})) {
    for (const key of Object.keys(entries as object)) if (!COMPONENT_KEY.test(key)) problems.push(`components.${kind}.${key}: invalid key`);
  }
  const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  const checkSecurity = (requirements: unknown, where: string) => {
    if (requirements === undefined) return;
    if (!Array.isArray(requirements)) return problems.push(`${where}: security is not a list`);
    for (const requirement of requirements) {
      for (const name of Object.keys(requirement)) if (!schemes.has(name)) problems.push(`${where}: unknown security scheme ${name}`);
    }
  };
  checkSecurity(doc.security, 'document');
  const tags = new Set((doc.tags ?? []).map((t: { name: string }) => t.name));
  const operationIds = new Map<string, string>();

  const items = [
    ...Object.entries<Doc>(doc.paths ?? {}).map(([name, item]) => ({ name, item, isPath: true })),
    // Webhook keys are names, not paths: no leading slash and no templated parameters.
    ...Object.entries<Doc>(doc.webhooks ?? {}).map(([name, item]) => ({ name: `webhook ${name}`, item, isPath: false })),
  ];
  for (const { name: path, item, isPath } of items) {
    if (isPath && !path.startsWith('/')) problems.push(`${path}: a path must start with /`);
    const templated = isPath ? [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) : [];
    const operations = METHODS.filter((m) => item[m]);
    if (operations.length === 0) problems.push(`${path}: no operations`);
    for (const method of operations) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (typeof op.operationId !== 'string' || op.operationId === '') problems.push(`${where}: no operationId`);
      else if (operationIds.has(op.operationId))
        problems.push(`${where}: operationId ${op.operationId} also used by ${operationIds.get(op.operationId)}`);
      else operationIds.set(op.operationId, where);
      if (!op.summary) problems.push(`${where}: no summary`);
      if (!Array.isArray(op.tags) || op.tags.length === 0) problems.push(`${where}: no tags`);
      for (const tag of op.tags ?? []) if (!tags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
      checkSecurity(op.security, where);

      const responses = Object.entries<Doc>(op.responses ?? {});
      if (responses.length === 0) problems.push(`${where}: no responses`);
      for (const [code, response] of responses) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response key ${code}`);
        if (typeof deref(response)?.description !== 'string') problems.push(`${where} ${code}: no description`);
      }
      if (op.requestBody && !deref(op.requestBody)?.content) problems.push(`${where}: request body without content`);

      const parameters: Doc[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
      const seen = new Set<string>();
      for (const p of parameters) {
        if (!p || typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in)) {
          problems.push(`${where}: malformed parameter ${JSON.stringify(p)?.slice(0, 80)}`);
          continue;
        }
        const id = `${p.in}:${p.name}`;
        if (seen.has(id)) problems.push(`${where}: parameter ${id} twice`);
        seen.add(id);
        if (!p.schema && !p.content) problems.push(`${where}: parameter ${id} has neither schema nor content`);
        if (p.in === 'path') {
          if (!isPath) problems.push(`${where}: a webhook has no path parameters`);
          if (p.required !== true) problems.push(`${where}: path parameter ${p.name} must be required`);
          if (!templated.includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
        }
      }
      for (const name of templated) if (!seen.has(`path:${name}`)) problems.push(`${where}: {${name}} is not declared`);
    }
  }
  return problems;
}

async function fetchDocument(url = `${ORIGIN}/openapi.json`): Promise<{ res: Response; text: string; doc: Doc }> {
  const res = await app.request(url);
  const text = await res.text();
  return { res, text, doc: JSON.parse(text) };
}

function parametersOf(doc: Doc, operation: Doc): Doc[] {
  return (operation.parameters ?? []).map((p: Doc) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p));
}

describe('GET /openapi.json', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = (await fetchDocument()).doc;
  });

  it('is an OpenAPI 3.1.0 document of this API version, served for the requesting origin', async () => {
    const { res } = await fetchDocument();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(API_VERSION);
    expect(doc.servers).toEqual([{ url: ORIGIN }]);
    for (const topic of ['Authorization: Bearer', 'X-API-Key', 'Plans', 'cursor', 'values', 'apostrophe', 'Limits']) {
      expect(doc.info.description).toContain(topic);
    }
  });

  it('passes the structural check: refs resolve, operations are complete and unique, path parameters declared', () => {
    expect(structuralProblems(doc)).toEqual([]);
  });

  it('offers bearer and X-API-Key auth, required on the API and not on the service routes', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(doc.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    for (const path of ['/', '/healthz', '/version', '/openapi.json', '/docs']) expect(doc.paths[path].get.security).toEqual([]);
    expect(doc.paths['/v1/views'].get.security).toBeUndefined();
  });

  it('has the paths, tag and schemas of every view in VIEWS', () => {
    for (const view of views) {
      const base = `/v1/views/${view.name}`;
      expect(doc.paths[base]?.get, base).toBeDefined();
      expect(doc.paths[`${base}/rows`]?.get, `${base}/rows`).toBeDefined();
      expect(doc.paths[`${base}/rows.{format}`]?.get, `${base}/rows.{format}`).toBeDefined();
      expect(doc.paths[`${base}/query`]?.post, `${base}/query`).toBeDefined();
      for (const suffix of ['Row', 'Page', 'Query'])
        expect(doc.components.schemas[`${view.name}${suffix}`], `${view.name}${suffix}`).toBeDefined();
      expect(doc.tags.find((t: Doc) => t.name === view.name)).toMatchObject({ 'x-view': true, 'x-date-column': view.dateColumn });
    }
    // Nothing beyond the definitions: every view-shaped path names a view in VIEWS.
    for (const path of Object.keys(doc.paths)) {
      const m = /^\/v1\/views\/([^/]+)/.exec(path);
      if (m) expect(VIEW_NAMES).toContain(m[1]!.replace(/\..*$/, ''));
    }
  });

  it('puts every leaf column in its Row schema with the JSON type of its BigQuery type, nullable, described, with x-min-plan', () => {
    for (const view of views) {
      const row = doc.components.schemas[`${view.name}Row`];
      const columns = leafColumns(view);
      expect(Object.keys(row.properties).sort(), view.name).toEqual(columns.map((c) => c.name).sort());
      for (const column of columns) {
        const property = row.properties[column.name];
        const expected = EXPECTED[column.type];
        const where = `${view.name}.${column.name}`;
        expect(property.type, where).toEqual([expected.type, 'null']);
        expect(property.format, where).toBe(expected.format);
        if (expected.matches) expect(property.pattern && new RegExp(property.pattern).test(expected.matches), where).toBe(true);
        if (expected.rejects) expect(new RegExp(property.pattern).test(expected.rejects), where).toBe(false);
        expect(property['x-min-plan'], where).toBe(column.minPlan);
        expect(PLANS).toContain(property['x-min-plan']);
        expect(property.description, where).toContain(column.description);
      }
    }
  });

  it('documents GET rows parameters: select, order, limit, cursor, group_by, format, dry_run and one filter per column', () => {
    for (const view of views) {
      const params = parametersOf(doc, doc.paths[`/v1/views/${view.name}/rows`].get);
      const names = params.map((p) => p.name);
      for (const reserved of RESERVED_PARAMS) {
        if (reserved === 'from' || reserved === 'to') continue;
        expect(names, `${view.name} ${reserved}`).toContain(reserved);
      }
      const select = params.find((p) => p.name === 'select');
      for (const column of leafColumns(view)) expect(select.description, `select of ${view.name}`).toContain(column.name);
      for (const column of leafColumns(view)) {
        const filter = params.find((p) => p.name === column.name);
        expect(filter, `${view.name}.${column.name}`).toMatchObject({ in: 'query', required: false, 'x-min-plan': column.minPlan });
        expect(filter.description).toContain(`${column.name}=op.value`);
      }
      expect(params.find((p) => p.name === 'format').schema.enum).toEqual([...FORMATS]);
    }
  });

  it('offers from/to only on views with a date column, and names that column', () => {
    for (const view of views) {
      const params = parametersOf(doc, doc.paths[`/v1/views/${view.name}/rows`].get);
      const body = doc.components.schemas[`${view.name}Query`].properties;
      for (const name of ['from', 'to']) {
        const param = params.find((p) => p.name === name);
        if (view.dateColumn) {
          expect(param?.description, `${view.name} ${name}`).toContain(view.dateColumn);
          expect(param['x-date-column']).toBe(view.dateColumn);
          expect(body[name]).toBeDefined();
        } else {
          expect(param, `${view.name} ${name}`).toBeUndefined();
          expect(body[name]).toBeUndefined();
        }
      }
    }
  });

  it('gives filter examples the parser accepts, for every column of every view', () => {
    for (const view of views) {
      for (const column of leafColumns(view)) {
        const param = doc.components.parameters[`${view.name}.filter.${column.name}`];
        const values = Object.values<Doc>(param.examples).flatMap((e) => e.value as string[]);
        expect(values.length).toBeGreaterThan(0);
        for (const value of values) {
          expect(() => parseQuery([[column.name, value]], { view, plan: 'professional' }), `${column.name}=${value}`).not.toThrow();
        }
      }
    }
  });

  it('quotes LIMITS: limit default and maximum, page sizes, and every limit in the description', () => {
    const limit = doc.components.parameters.limit;
    expect(limit.schema.default).toBe(LIMITS.defaultPageSize);
    expect(limit.schema.maximum).toBe(LIMITS.maxExportRows);
    expect(limit['x-maximum-by-format']).toEqual({
      json: LIMITS.maxPageSize,
      values: LIMITS.maxPageSize,
      csv: LIMITS.maxExportRows,
      ndjson: LIMITS.maxExportRows,
    });
    expect(doc.info['x-limits']).toEqual(LIMITS);
    for (const [name, value] of Object.entries(LIMITS)) expect(doc.info.description, name).toContain(`| \`${name}\` | ${value} |`);
    expect(limit.description).toContain(String(LIMITS.maxPageSize));
  });

  it('answers rows with json, csv and ndjson, and errors 400/401/403/404/414 as problem+json', () => {
    for (const view of views) {
      for (const [path, method] of [
        [`/v1/views/${view.name}/rows`, 'get'],
        [`/v1/views/${view.name}/rows.{format}`, 'get'],
        [`/v1/views/${view.name}/query`, 'post'],
      ] as const) {
        const op = doc.paths[path][method];
        expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'application/x-ndjson', 'text/csv']);
        expect(op.responses['200'].content['application/json'].schema.oneOf).toContainEqual({
          $ref: `#/components/schemas/${view.name}Page`,
        });
        for (const code of ['400', '401', '403', '404', '414']) {
          const response = doc.components.responses[op.responses[code].$ref.split('/').pop()];
          expect(response.content['application/problem+json'].schema, `${path} ${code}`).toEqual({ $ref: '#/components/schemas/Problem' });
        }
      }
      expect(doc.paths[`/v1/views/${view.name}/query`].post.requestBody.content['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${view.name}Query`,
      });
    }
    expect(doc.components.schemas.Problem.properties).toHaveProperty('request_id');
    expect(doc.components.schemas.Problem.properties).toHaveProperty('suggestions');
  });

  it('serves the cached text again for the same origin and a separate document for another', async () => {
    const first = await fetchDocument();
    const again = await fetchDocument();
    expect(again.text).toBe(first.text);
    const other = await fetchDocument('https://other.example/openapi.json');
    expect(other.doc.servers).toEqual([{ url: 'https://other.example' }]);
  });
});

describe('GET /openapi.json: triggers and webhooks', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = (await fetchDocument()).doc;
  });
  const schema = (name: string): Doc => doc.components.schemas[name];
  const changesOf = (view: ViewDef): Doc => doc.paths[`/v1/views/${view.name}/changes`]?.get;
  const expectProblem = (response: Doc, where: string) => {
    const answer = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
    expect(answer.content['application/problem+json'].schema, where).toEqual({ $ref: '#/components/schemas/Problem' });
  };

  it('documents GET /changes for exactly the views with a change column, and says why the others have none', () => {
    expect(followable.length).toBeGreaterThan(0);
    for (const view of views) {
      const tag = doc.tags.find((t: Doc) => t.name === view.name);
      if (view.changeColumn) {
        expect(changesOf(view)?.tags, view.name).toEqual([view.name]);
        expect(tag['x-change-column']).toBe(view.changeColumn);
      } else {
        expect(doc.paths[`/v1/views/${view.name}/changes`], view.name).toBeUndefined();
        for (const description of [tag.description, doc.paths[`/v1/views/${view.name}`].get.description]) {
          expect(description, view.name).toContain('not available');
          expect(description, view.name).toContain(view.decisions.changeColumn);
        }
      }
    }
    const polled = Object.keys(doc.paths).filter((p) => p.endsWith('/changes'));
    expect(polled.sort()).toEqual(followable.map((v) => `/v1/views/${v.name}/changes`).sort());
  });

  it('documents the /changes limit with the default and maximum change-feed.ts enforces', () => {
    const limit = doc.components.parameters['changes.limit'];
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, default: CHANGES_LIMIT.default, maximum: CHANGES_LIMIT.max });
    // The numbers are the server's: the default is what no limit gets, the maximum the last accepted.
    expect(feedLimit(undefined)).toBe(limit.schema.default);
    expect(feedLimit(String(limit.schema.maximum))).toBe(limit.schema.maximum);
    expect(() => feedLimit(String(limit.schema.maximum + 1))).toThrow(/at most/);
    for (const view of followable)
      expect(changesOf(view).parameters, view.name).toContainEqual({ $ref: '#/components/parameters/changes.limit' });
  });

  it('types `since` by the change column, with an example the server accepts', () => {
    for (const view of followable) {
      const column = leafColumns(view).find((c) => c.name === view.changeColumn)!;
      const since = parametersOf(doc, changesOf(view)).find((p) => p.name === 'since');
      const expected = EXPECTED[column.type];
      expect(since.schema.type, view.name).toBe(expected.type);
      expect(since.schema.format, view.name).toBe(expected.format);
      expect(since['x-change-column']).toBe(column.name);
      expect(since.description).toContain(column.name);
      expect(() => sinceValue(view, since.example), `${view.name} since=${since.example}`).not.toThrow();
    }
  });

  it('takes since, limit, shape, select and the filters of /rows on /changes, and none of the /rows parameters a feed refuses', () => {
    for (const view of followable) {
      const names = parametersOf(doc, changesOf(view)).map((p) => p.name);
      expect(names, view.name).toEqual(expect.arrayContaining([...FEED_PARAMS, 'select']));
      for (const refused of NOT_FOR_FEEDS) expect(names, `${view.name} ${refused}`).not.toContain(refused);
      for (const column of leafColumns(view)) {
        if (!(RESERVED_PARAMS as readonly string[]).includes(column.name))
          expect(names, `${view.name}.${column.name}`).toContain(column.name);
      }
    }
    expect(doc.components.parameters['changes.shape'].schema).toMatchObject({ enum: [...SHAPES], default: SHAPES[0] });
  });

  it('answers /changes with rows holding `id` and the view row columns, `latest` typed by the change column, and `has_more`', () => {
    for (const view of followable) {
      const row = schema(`${view.name}ChangeRow`);
      expect(row.required, view.name).toEqual(['id']);
      expect(row.properties.id.type).toBe('string');
      expect(row.properties.id.description).toContain(view.rowKey.join('>|<'));
      expect(Object.keys(row.properties).sort()).toEqual(['id', ...leafColumns(view).map((c) => c.name)].sort());
      for (const column of leafColumns(view)) {
        expect(row.properties[column.name]).toEqual({ $ref: `#/components/schemas/${view.name}Row/properties/${column.name}` });
      }

      const page = schema(`${view.name}Changes`);
      expect(page.required.sort()).toEqual(['change_column', 'has_more', 'latest', 'rows', 'view']);
      expect(page.properties.change_column).toEqual({ const: view.changeColumn });
      expect(page.properties.rows.items).toEqual({ $ref: `#/components/schemas/${view.name}ChangeRow` });
      expect(page.properties.has_more.type).toBe('boolean');
      const column = leafColumns(view).find((c) => c.name === view.changeColumn)!;
      expect(page.properties.latest.type).toEqual([EXPECTED[column.type].type, 'null']);

      const ok = changesOf(view).responses['200'].content['application/json'].schema.oneOf;
      expect(ok).toContainEqual({ $ref: `#/components/schemas/${view.name}Changes` });
      expect(ok).toContainEqual(expect.objectContaining({ type: 'array', items: { $ref: `#/components/schemas/${view.name}ChangeRow` } }));
      for (const code of ['400', '401', '403', '404']) expectProblem(changesOf(view).responses[code], `${view.name} ${code}`);
    }
  });

  it('documents every hook route with its body, answers and problem responses', () => {
    const routes: Record<string, string[]> = {
      '/v1/hooks': ['get', 'post'],
      '/v1/hooks/{id}': ['delete', 'get'],
      '/v1/hooks/{id}/resume': ['post'],
      '/v1/hooks/{id}/deliveries': ['get'],
    };
    for (const [path, methods] of Object.entries(routes)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods);
      for (const method of methods) {
        expect(doc.paths[path][method].tags).toEqual(['Hooks']);
        expect(doc.paths[path][method].security, path).toBeUndefined();
        if (path.includes('{id}')) expectProblem(doc.paths[path][method].responses['404'], `${method} ${path} 404`);
      }
    }

    const create = doc.paths['/v1/hooks'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HookCreate' });
    const body = schema('HookCreate');
    expect(Object.keys(body.properties).sort()).toEqual([...HOOK_FIELDS].sort());
    expect(body.required.sort()).toEqual(['target_url', 'view']);
    expect(body.properties.view.enum).toEqual(followable.map((v) => v.name));
    expect(body.properties.target_url.maxLength).toBe(MAX_TARGET_URL_LENGTH);
    expect(body.examples[0].view).toBe(followable[0]!.name);
    for (const code of ['400', '401', '403', '409']) expectProblem(create.responses[code], `POST /v1/hooks ${code}`);
    expect(doc.components.responses.TooManyHooks.description).toContain(String(MAX_HOOKS_PER_TENANT));

    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HookCreated' });
    const created = schema('HookCreated');
    expect(created.allOf).toEqual([{ $ref: '#/components/schemas/Hook' }]);
    expect(created.required).toEqual(['secret']);
    expect(new RegExp(created.properties.secret.pattern).test(generateSecret())).toBe(true);
    expect(create.responses['201'].headers.Location).toEqual({ $ref: '#/components/headers/Location' });

    expectProblem(doc.paths['/v1/hooks/{id}/resume'].post.responses['409'], 'resume 409');
    expect(doc.components.parameters['hook.id'].schema.pattern).toBe(HOOK_ID.source);
    expect(doc.components.parameters['hook.deliveries.limit'].schema).toMatchObject({
      default: DELIVERIES_LIMIT.default,
      maximum: DELIVERIES_LIMIT.max,
    });
  });

  it('describes a hook and a delivery log entry with exactly the fields the routes answer, and the statuses store.ts knows', () => {
    const sub: Subscription = {
      id: 'hook_000000000000000000000000',
      tenantId: 't',
      keyId: 'k',
      plan: 'professional',
      view: followable[0]!.name,
      targetUrl: 'https://example.com/hook',
      secret: generateSecret(),
      filters: {},
      select: null,
      cursor: 'null',
      status: 'active',
      statusReason: null,
      failingSince: null,
      consecutiveFailures: 0,
      deadLetters: 0,
      lastSuccessAt: null,
      createdAt: '2026-11-20T00:00:00Z',
      updatedAt: '2026-11-20T00:00:00Z',
      targetHeaders: {},
      keyPlan: 'professional',
    };
    const delivery: Delivery = {
      id: 'msg_0',
      subscriptionId: sub.id,
      afterPosition: 'null',
      lastPosition: 'null',
      rowCount: 1,
      payload: null,
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      enqueuedAt: null,
      lastAttemptAt: null,
      finishedAt: null,
      createdAt: '2026-11-20T00:00:00Z',
      nextAttemptAt: null,
    };
    const hook = schema('Hook');
    expect(Object.keys(hook.properties).sort()).toEqual(Object.keys(hookJson(sub)).sort());
    expect(hook.required.sort()).toEqual(Object.keys(hookJson(sub)).sort());
    expect(new RegExp(hook.properties.id.pattern).test(sub.id)).toBe(true);
    expect(hook.properties.status.enum).toEqual([...SUBSCRIPTION_STATUSES]);
    for (const status of SUBSCRIPTION_STATUSES) expect(hook.properties.status.description).toContain(`\`${status}\`:`);
    expect(hook.properties.dead_letters.description).toContain(String(HOOK_POLICY.maxDeadLetters));

    const entry = schema('DeliveryLogEntry');
    expect(Object.keys(entry.properties).sort()).toEqual(Object.keys(deliveryJson(delivery)).sort());
    expect(entry.properties.outcome.enum).toEqual([...DELIVERY_STATUSES]);
    for (const status of DELIVERY_STATUSES) expect(entry.properties.outcome.description).toContain(`\`${status}\`:`);
    expect(schema('DeliveryLog').properties.deliveries.items).toEqual({ $ref: '#/components/schemas/DeliveryLogEntry' });
  });

  it('describes the delivery POST as a webhook: the body per view, the Standard Webhooks headers, and what each answer does', async () => {
    const op = doc.webhooks.newRows.post;
    expect(op.security).toEqual([]);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Delivery' });
    const body = schema('Delivery');
    expect(body.oneOf).toEqual(followable.map((v) => ({ $ref: `#/components/schemas/${v.name}Delivery` })));
    expect(Object.keys(body.discriminator.mapping)).toEqual(followable.map((v) => v.name));
    for (const view of followable) {
      const one = schema(`${view.name}Delivery`);
      expect(one.required.sort()).toEqual(['rows', 'subscription_id', 'view']);
      expect(one.properties.view).toEqual({ const: view.name });
      expect(one.properties.rows).toMatchObject({
        maxItems: HOOK_POLICY.batchRows,
        items: { $ref: `#/components/schemas/${view.name}ChangeRow` },
      });
    }

    // Real signed headers match what is documented, and verify as the description says.
    const params = parametersOf(doc, op);
    expect(params.map((p) => [p.name, p.in, p.required])).toEqual([
      ['webhook-id', 'header', true],
      ['webhook-timestamp', 'header', true],
      ['webhook-signature', 'header', true],
    ]);
    const secret = generateSecret();
    const text = JSON.stringify({ view: followable[0]!.name, subscription_id: 'hook_000000000000000000000000', rows: [] });
    const headers = await signatureHeaders([secret, generateSecret()], await deliveryId('hook_x', '[1]', '[2]'), text);
    for (const p of params) {
      if (p.schema.pattern) expect(new RegExp(p.schema.pattern).test(headers[p.name as keyof typeof headers]), p.name).toBe(true);
    }
    expect(await verify({ secret, headers, body: text })).toEqual({ ok: true });

    expect(Object.keys(op.responses).sort()).toEqual(['2XX', '3XX', '410', 'default']);
    expect(op.responses['410'].description).toContain('unsubscribed');
    expect(op.responses['3XX'].description).toContain('redirects are not followed');
    expect(op.responses.default.description).toContain(`${HOOK_POLICY.timeoutMs / 1000} s`);
  });
});

describe('the structural check', () => {
  it('reports a dangling $ref, a duplicate operationId and an undeclared path parameter', async () => {
    const { doc } = await fetchDocument();
    doc.paths['/v1/views'].get.responses['200'] = { $ref: '#/components/responses/Nope' };
    doc.paths['/version'].get.operationId = 'getHealth';
    doc.webhooks.newRows.post.operationId = 'createHook';
    doc.paths['/v1/views/events/rows.{format}'].get.parameters.shift();
    const problems = structuralProblems(doc);
    expect(problems).toContainEqual(expect.stringMatching(/\$ref #\/components\/responses\/Nope does not resolve/));
    expect(problems).toContainEqual(expect.stringMatching(/operationId getHealth also used/));
    expect(problems).toContainEqual(expect.stringMatching(/webhook newRows: operationId createHook also used by POST \/v1\/hooks/));
    expect(problems).toContainEqual(expect.stringMatching(/\{format\} is not declared/));
  });
});

describe('GET /docs', () => {
  const sha256 = async (text: string) => toBase64(await sha256Digest(text));

  it('is HTML whose CSP allows exactly its inline script and style, and nothing from elsewhere', async () => {
    const res = await app.request(`${ORIGIN}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(script).toBe(DOCS_SCRIPT);
    expect(style).toBe(DOCS_STYLE);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`'sha256-${await sha256(script)}'`);
    expect(csp).toContain(`'sha256-${await sha256(style)}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org)/);
  });
});
