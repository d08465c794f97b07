/**
 * What the page needs from /openapi.json, read defensively: the document is JSON from the
 * wire, so a missing part yields an empty value rather than a script error.
 */

interface PlanInfo {
  readonly id: string;
  readonly label: string;
  readonly display: string;
}

interface OperatorInfo {
  readonly name: string;
  readonly description: string;
  /** The column types it applies to; absent: every type. */
  readonly types: readonly string[] | null;
}

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly plan: string;
  readonly description: string;
  readonly record: string | null;
}

export interface ViewInfo {
  readonly name: string;
  readonly description: string;
  readonly minPlan: string;
  readonly dateColumn: string | null;
  readonly rowKey: readonly string[];
  readonly changeColumn: string | null;
  readonly freshness: { readonly kind: string; readonly why: string } | null;
  readonly columns: readonly ColumnInfo[];
}

/** POST /mcp as the document describes it: what an agent's client connects to. */
export interface McpInfo {
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  /** The description of the operation's tag ("AI agents"). */
  readonly tagName: string;
  readonly tagDescription: string;
  readonly tools: readonly { readonly name: string; readonly title: string; readonly description: string }[];
  readonly resources: readonly { readonly uri: string; readonly description: string }[];
  /** The request body examples, as JSON text. */
  readonly examples: readonly { readonly name: string; readonly summary: string; readonly body: string }[];
}

export interface Reference {
  readonly title: string;
  readonly version: string;
  readonly summary: string;
  readonly description: string;
  readonly plans: ReadonlyMap<string, PlanInfo>;
  readonly operators: readonly OperatorInfo[];
  readonly formats: readonly string[];
  readonly limitDefault: number | null;
  readonly views: readonly ViewInfo[];
  readonly mcp: McpInfo | null;
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function readMcp(root: Obj): McpInfo | null {
  const path = '/mcp';
  const post = obj(obj(obj(root.paths)[path]).post);
  if (Object.keys(post).length === 0) return null;
  const tagName = str(arr(post.tags)[0]);
  const tag = arr(root.tags)
    .map(obj)
    .find((t) => t.name === tagName);
  const media = obj(obj(obj(post.requestBody).content)['application/json']);
  return {
    path,
    summary: str(post.summary),
    description: str(post.description),
    tagName,
    tagDescription: str(tag?.description),
    tools: arr(post['x-mcp-tools'])
      .map(obj)
      .map((t) => ({ name: str(t.name), title: str(t.title), description: str(t.description) })),
    resources: arr(post['x-mcp-resources'])
      .map(obj)
      .map((r) => ({ uri: str(r.uri), description: str(r.description) })),
    examples: Object.entries(obj(media.examples)).map(([name, e]) => ({
      name,
      summary: str(obj(e).summary),
      body: JSON.stringify(obj(e).value ?? null),
    })),
  };
}

export function readReference(doc: unknown): Reference {
  const root = obj(doc);
  const info = obj(root.info);
  const components = obj(root.components);
  const schemas = obj(components.schemas);
  const params = obj(components.parameters);
  const limit = obj(obj(params.limit).schema);
  const formats = arr(obj(obj(params.format).schema).enum).map((f) => str(f));
  const plans = new Map<string, PlanInfo>();
  for (const p of arr(root['x-plans']).map(obj)) plans.set(str(p.id), { id: str(p.id), label: str(p.label), display: str(p.display) });
  const views = arr(root.tags)
    .map(obj)
    .filter((t) => t['x-view'] === true)
    .map((t): ViewInfo => {
      const name = str(t.name);
      const properties = obj(obj(schemas[`${name}Row`]).properties);
      const freshness = t['x-freshness'] ? obj(t['x-freshness']) : null;
      return {
        name,
        description: str(t.description),
        minPlan: str(t['x-min-plan']),
        dateColumn: strOrNull(t['x-date-column']),
        rowKey: arr(t['x-row-key']).map((k) => str(k)),
        changeColumn: strOrNull(t['x-change-column']),
        freshness: freshness ? { kind: str(freshness.kind), why: str(freshness.why) } : null,
        columns: Object.entries(properties).map(([column, schema]) => {
          const s = obj(schema);
          return {
            name: column,
            type: str(s['x-bigquery-type'], str(s.type)),
            plan: str(s['x-min-plan']),
            description: str(s.description),
            record: strOrNull(s['x-record']),
          };
        }),
      };
    });
  return {
    title: str(info.title, 'API reference'),
    version: str(info.version),
    summary: str(info.summary),
    description: str(info.description),
    plans,
    operators: arr(root['x-filter-operators'])
      .map(obj)
      .map((o) => ({
        name: str(o.name),
        description: str(o.description),
        types: Array.isArray(o.types) ? o.types.map((t) => str(t)) : null,
      })),
    formats: formats.length ? formats : ['json'],
    limitDefault: typeof limit.default === 'number' ? limit.default : null,
    views,
    mcp: readMcp(root),
  };
}
