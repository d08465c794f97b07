/**
 * Checks a response against the document the server itself serves at /openapi.json: the
 * operation is found by method and path template, the status must be documented, and the
 * body must validate against the schema for its media type (JSON Schema 2020-12, the OpenAPI
 * 3.1 dialect, with @cfworker/json-schema, which runs here inside workerd). An answer the
 * document does not describe fails the test that produced it, so the document and the
 * server cannot drift apart unnoticed.
 */
import { dereference, validate, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { exports } from 'cloudflare:workers';

type Node = Record<string, unknown>;

interface Contract {
  readonly document: Node;
  readonly lookup: Record<string, Schema | boolean>;
  readonly templates: readonly { readonly template: string; readonly pattern: RegExp; readonly params: number }[];
}

const ORIGIN = 'http://bridge.test';
let loaded: Promise<Contract> | undefined;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The served document, read once per test file and indexed for $ref resolution. */
function contract(): Promise<Contract> {
  loaded ??= (async () => {
    const res = await exports.default.fetch(new Request(`${ORIGIN}/openapi.json`));
    if (res.status !== 200) throw new Error(`GET /openapi.json → ${res.status}`);
    const document = (await res.json()) as Node;
    const lookup = dereference({ ...document, $id: `${ORIGIN}/openapi.json` } as Schema);
    const templates = Object.keys(document.paths as Node).map((template) => {
      const parts = template.split(/\{[^}]+\}/);
      const pattern = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
      return { template, pattern, params: parts.length - 1 };
    });
    return { document, lookup, templates };
  })();
  return loaded;
}

/** Follows a local `$ref` (`#/components/responses/BadRequest`) to what it names. */
function resolve(document: Node, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isNode(current) && typeof current.$ref === 'string' && hops < 8; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`non-local $ref ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), document);
  }
  return current;
}

/** The innermost errors first: "properties", "items" and "$ref" only say that something below failed. */
const describeErrors = (errors: readonly OutputUnit[]) =>
  [...errors.filter((e) => !['properties', 'items', '$ref'].includes(e.keyword)), ...errors]
    .slice(0, 6)
    .map((e) => `${e.instanceLocation}: ${e.error}`)
    .join('\n  ');

function check(lookup: Contract['lookup'], schema: unknown, instance: unknown, where: string): void {
  const result = validate(instance, schema as Schema, '2020-12', lookup, false);
  if (!result.valid) throw new Error(`${where} does not match the OpenAPI document:\n  ${describeErrors(result.errors)}`);
}

/** The operation the document has for a request, or undefined when no path template matches. */
function operationFor(c: Contract, method: string, pathname: string): { where: string; operation: Node | undefined } | undefined {
  const matches = c.templates.filter((t) => t.pattern.test(pathname)).sort((a, b) => a.params - b.params);
  const path = matches[0];
  if (!path) return undefined;
  const item = (c.document.paths as Record<string, Node>)[path.template]!;
  // HEAD is answered by the GET route and documented there.
  const operation = item[method === 'HEAD' ? 'get' : method.toLowerCase()];
  return { where: `${method} ${path.template}`, operation: isNode(operation) ? operation : undefined };
}

/**
 * Fails with a readable message unless the response is one the served document describes.
 * Reads a clone, so the caller can still read the body.
 * @example await expectDocumentedResponse('GET', '/v1/views/events/rows?limit=2', res)
 */
export async function expectDocumentedResponse(method: string, path: string, response: Response): Promise<void> {
  const c = await contract();
  const pathname = new URL(path, ORIGIN).pathname;
  const status = response.status;
  const text = method === 'HEAD' ? '' : await response.clone().text();
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const found = operationFor(c, method, pathname);
  const label = `${method} ${pathname} → ${status}`;

  if (!found?.operation) {
    // Nothing documents this request (an unknown route or method): the answer must still be a documented problem.
    if (status < 400 || type !== 'application/problem+json') {
      throw new Error(`${label} (${type || 'no content type'}): no operation in the OpenAPI document describes it`);
    }
    check(c.lookup, resolve(c.document, { $ref: '#/components/schemas/Problem' }), JSON.parse(text), `${label} problem`);
    return;
  }

  const responses = (found.operation.responses ?? {}) as Node;
  const documented = resolve(c.document, responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default);
  if (!isNode(documented)) throw new Error(`${label}: ${found.where} documents no ${status} response`);

  for (const [name, header] of Object.entries((documented.headers ?? {}) as Node)) {
    const value = response.headers.get(name);
    const schema = (resolve(c.document, header) as Node | undefined)?.schema;
    if (value === null || !isNode(schema)) continue;
    check(c.lookup, schema, schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value, `${label} header ${name}`);
  }

  if (text === '' && (status === 304 || status === 204 || method === 'HEAD')) return;
  const content = (documented.content ?? {}) as Record<string, Node>;
  const media = content[type];
  if (!media) {
    throw new Error(
      `${label}: ${found.where} documents ${Object.keys(content).join(', ') || 'no body'} for ${status}, not ${type || 'an untyped body'}`,
    );
  }
  if (type === 'application/x-ndjson' && media['x-item-schema']) {
    const item = resolve(c.document, media['x-item-schema']);
    text
      .split('\n')
      .filter((line) => line !== '')
      .forEach((line, i) => check(c.lookup, item, JSON.parse(line), `${label} line ${i + 1}`));
    return;
  }
  const body: unknown = type === 'application/json' || type.endsWith('+json') ? JSON.parse(text) : text;
  check(c.lookup, media.schema, body, `${label} body`);
}
