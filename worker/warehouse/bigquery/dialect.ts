import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import type { LeafColumn } from '../../query/model.ts';
import type { BoundParam, Dialect } from '../../query/sql.ts';

/**
 * BigQuery project ids: 6-30 lowercase letters, digits and hyphens, optionally behind a
 * legacy `domain.com:` prefix. Checked because the id is written into the SQL text.
 */
export const PROJECT_PATTERN = /^(?:[a-z0-9][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Dataset ids: letters, digits and underscores (BigQuery allows 1024; ours are tenant ids). */
export const DATASET_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
/** View, record and column names come from shared/ definitions, which use snake_case only. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * BigQuery's documented ceilings for one query (https://cloud.google.com/bigquery/quotas,
 * "Query jobs": at most 10,000 query parameters; an unresolved GoogleSQL query of at most
 * 1,024K characters). GoogleSQL's LIKE has no documented pattern-length limit
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/operators#like_operator);
 * a pattern travels as a parameter, bounded only by the API's own value length. With one
 * parameter per in.() list (inList below), the API's limits (50 filters, 1,000 characters
 * per value, a 64 KB body) keep every query far inside both; the stand-in enforces them.
 */
export const BIGQUERY_QUERY_LIMITS = { maxParameters: 10_000, maxQueryChars: 1024 * 1024 } as const;

/** The alias of the view's row in FROM; record fields are reached through their own UNNEST alias. */
const ROW_ALIAS = 't';

function checkName(kind: string, name: string): string {
  // A definition with a backtick or dot in a name must fail loudly, not alter the SQL.
  if (!NAME_PATTERN.test(name)) throw new Error(`invalid BigQuery ${kind} name '${name}'`);
  return name;
}

/**
 * The `source` compileSelect passes to `from()`: the tenant's project and dataset, checked
 * here so that nothing but a well-formed identifier pair can reach the SQL text.
 * @example bigQuerySource('acme-analytics', 'activconnect') // 'acme-analytics.activconnect'
 */
export function bigQuerySource(project: string, dataset: string): string {
  if (!PROJECT_PATTERN.test(project)) {
    throw new Error(`invalid BigQuery project id '${project}': use 6-30 lowercase letters, digits or hyphens, starting with a letter`);
  }
  if (!DATASET_ID_PATTERN.test(dataset)) {
    throw new Error(`invalid BigQuery dataset id '${dataset}': use letters, digits or '_'`);
  }
  return `${project}.${dataset}`;
}

function splitSource(source: string): { project: string; dataset: string } {
  const dot = source.lastIndexOf('.');
  const project = source.slice(0, dot);
  const dataset = source.slice(dot + 1);
  bigQuerySource(project, dataset);
  return { project, dataset };
}

const tick = (name: string) => `\`${name}\``;

/**
 * Reference to a leaf column. REPEATED record fields come from the element alias the FROM
 * clause unnests (`agents`.`agent_id`); a NULLABLE record's fields are reached through the row.
 */
function columnRef(column: LeafColumn): string {
  if (!column.record) return `${ROW_ALIAS}.${tick(checkName('column', column.name))}`;
  const record = checkName('record', column.record.name);
  const field = checkName('field', column.name.slice(record.length + 1));
  return column.record.mode === 'REPEATED' ? `${tick(record)}.${tick(field)}` : `${ROW_ALIAS}.${tick(record)}.${tick(field)}`;
}

/**
 * An unpaired backslash at the end of a LIKE pattern is an error in BigQuery ("LIKE pattern
 * ends with a backslash"); treat it as a literal backslash instead, so user input never
 * turns into a warehouse error.
 */
function closeTrailingEscape(pattern: string): string {
  let run = 0;
  for (let i = pattern.length - 1; i >= 0 && pattern[i] === '\\'; i--) run++;
  return run % 2 === 1 ? `${pattern}\\` : pattern;
}

/**
 * BigQuery Standard SQL (GoogleSQL) over an ActivConnect dataset: one view per table, each
 * REPEATED record flattened with LEFT JOIN UNNEST so a row without elements still appears
 * once, with NULL fields (what the API promises and what the demo tables store).
 */
export const bigQueryDialect: Dialect = {
  from(view: ViewDef, source: string) {
    const { project, dataset } = splitSource(source);
    let from = `${tick(`${project}.${dataset}.${checkName('view', view.name)}`)} AS ${ROW_ALIAS}`;
    for (const column of view.columns) {
      if (column.type === 'RECORD' && column.mode === 'REPEATED') {
        const record = checkName('record', column.name);
        from += ` LEFT JOIN UNNEST(${ROW_ALIAS}.${tick(record)}) AS ${tick(record)}`;
      }
    }
    return from;
  },
  column: columnRef,
  placeholder: (index) => `@p${index}`,
  // INT64 already travels exactly: the REST API writes every INT64 as a JSON string.
  output: (expr) => expr,
  aggregate: (fn, expr) => (expr === null ? 'COUNT(*)' : `${fn.toUpperCase()}(${expr})`),
  // BigQuery's LIKE is case-sensitive; ilike lowers both sides (Unicode-aware, unlike SQLite's ASCII-only folding).
  like: (expr, placeholder, caseInsensitive) =>
    caseInsensitive ? `LOWER(${expr}) LIKE LOWER(${placeholder})` : `${expr} LIKE ${placeholder}`,
  likePattern: (pattern) => closeTrailingEscape(pattern),
  // No LIKE pattern limit is documented. The query-length limits on
  // https://cloud.google.com/bigquery/quotas ("Query jobs": unresolved query length, 12 MB
  // resolved; "API requests": 10 MB request) stay out of reach: every value arrives in a URL of
  // at most LIMITS.maxUrlLength or a body of at most LIMITS.maxQueryBodyBytes, and an in.() list
  // binds a single parameter (below).
  // One parameter per in.() list, not per value: BigQuery takes at most 10,000 parameters in a
  // query and 50 lists of 500 values would need 25,000. The list travels as a JSON array of the
  // values' canonical text, each cast back to the column's type
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/json_functions#json_value_array).
  inList: (expr, values, type, bind) => {
    const list = bind(JSON.stringify(values.map((value) => parameterText({ value, type }))), 'STRING');
    const items = `UNNEST(JSON_VALUE_ARRAY(${list}))`;
    return type === 'STRING' ? `${expr} IN ${items}` : `${expr} IN (SELECT CAST(v AS ${type}) FROM ${items} AS v)`;
  },
  bool: (value) => value,
};

/** A named query parameter in the form jobs.query takes (QueryParameter). */
export interface QueryParameter {
  readonly name: string;
  readonly parameterType: { readonly type: ScalarType };
  readonly parameterValue: { readonly value: string };
}

/**
 * The QueryParameter for the i-th bound value. Every value travels as text typed by the
 * column, so INT64 and NUMERIC stay exact. TIMESTAMP is written with an explicit +00:00
 * offset, the canonical literal form, rather than the API's trailing Z.
 * @example toQueryParameter({ value: '2026-09-01T08:15:00Z', type: 'TIMESTAMP' }, 2)
 * // { name: 'p2', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2026-09-01 08:15:00+00:00' } }
 */
export function toQueryParameter(param: BoundParam, index: number): QueryParameter {
  return { name: `p${index}`, parameterType: { type: param.type }, parameterValue: { value: parameterText(param) } };
}

function parameterText({ value, type }: BoundParam): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot bind ${value} as ${type}`);
    return type === 'INT64' ? String(Math.trunc(value)) : String(value);
  }
  if (type === 'BOOL') return value === '1' || value.toLowerCase() === 'true' ? 'true' : 'false';
  if (type === 'TIMESTAMP') return value.replace('T', ' ').replace(/Z$/i, '+00:00');
  return value;
}
