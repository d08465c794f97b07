import { leafColumns, viewMinPlan, type LeafColumn } from '../../shared/columns.ts';
import { PLAN_LABELS, PLANS, planDisplayName } from '../../shared/plans.ts';
import { SCALAR_TYPES, type ScalarType, type ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { neutraliseFormula } from '../format/cells.ts';
import { ENCODERS } from '../format/encoders.ts';
import {
  CHANGES_DEFAULT_LIMIT,
  CHANGES_MAX_LIMIT,
  NOT_FOR_FEEDS,
  feedColumns,
  feedLimit,
  requireChangeColumn,
  rowId,
} from '../hooks/change-feed.ts';
import { HOOK_POLICY, backoffSeconds } from '../hooks/policy.ts';
import { DEFAULT_TOLERANCE_SECONDS, SECRET_PREFIX, SIGNATURE_VERSION } from '../hooks/signature.ts';
import { DELIVERY_STATUSES, SUBSCRIPTION_STATUSES, type DeliveryStatus, type SubscriptionStatus } from '../hooks/store.ts';
import { MAX_TARGET_URL_LENGTH } from '../hooks/target-url.ts';
import { ApiError, PROBLEM_BASE, PROBLEM_TYPES, problemBody } from '../http/errors.ts';
import { LIMITS } from '../query/limits.ts';
import { AGGREGATES, FORMATS, type FilterOp } from '../query/model.ts';
import { RESERVED_PARAMS, parseQuery } from '../query/parse.ts';
import { parseValue } from '../query/values.ts';
import { OWN_PARAMS, SHAPES } from '../routes/changes.ts';
import {
  DELIVERIES_DEFAULT_LIMIT,
  DELIVERIES_MAX_LIMIT,
  FIELDS as HOOK_FIELDS,
  HOOK_ID,
  MAX_BODY_BYTES as MAX_HOOK_BODY_BYTES,
  MAX_HOOKS_PER_TENANT,
  type deliveryJson,
  type hookJson,
} from '../routes/hooks.ts';
import { API_VERSION } from '../routes/meta.ts';

/**
 * The OpenAPI 3.1 description of the API, computed from the view definitions, the query
 * limits and the encoders at run time: nothing in it is written twice, so it cannot drift
 * from what the server does. Served at /openapi.json and read by the /docs page, which
 * also uses the `x-` extensions below (plans, operators, each column's BigQuery type).
 * The trigger and webhook parts quote worker/hooks/ and the /changes and /v1/hooks routes
 * the same way: their limits, statuses and signature scheme are imported, never retyped.
 */

type Json = Record<string, unknown>;

/** How each BigQuery type reaches a client in json and ndjson (see worker/format/cells.ts). */
const JSON_SCHEMAS = {
  // jsonCell writes INT64 digit for digit, so values past 2^53 need a big-number parser.
  INT64: { type: 'integer', format: 'int64' },
  NUMERIC: { type: 'number', description: 'Exact decimal, written digit for digit.' },
  FLOAT64: { type: 'number', format: 'double' },
  STRING: { type: 'string' },
  BOOL: { type: 'boolean' },
  DATE: { type: 'string', format: 'date' },
  // JSON Schema's date-time format requires an offset, which a civil DATETIME has none of.
  DATETIME: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$' },
  TIMESTAMP: { type: 'string', format: 'date-time' },
  TIME: { type: 'string', pattern: '^\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$' },
} as const satisfies Record<ScalarType, { type: string; format?: string; pattern?: string; description?: string }>;

/** The filter operators in the order users meet them; `satisfies` keeps the list complete. */
const OPERATORS = {
  eq: 'equals',
  neq: 'does not equal',
  gt: 'greater than',
  gte: 'greater than or equal to',
  lt: 'less than',
  lte: 'less than or equal to',
  like: 'matches a pattern, case-sensitive; `*` is the wildcard (text columns)',
  ilike: 'matches a pattern, ignoring case; `*` is the wildcard (text columns)',
  in: 'is one of a list: `in.(a,b,c)`; quote values holding commas: `in.("a,b",c)`',
  is: '`is.null`; on true/false columns also `is.true` and `is.false`',
} as const satisfies Record<FilterOp, string>;
const OPERATOR_NAMES = Object.keys(OPERATORS) as FilterOp[];
const TEXT_ONLY_OPERATORS: readonly FilterOp[] = ['like', 'ilike'];

function operatorsFor(type: ScalarType): FilterOp[] {
  return OPERATOR_NAMES.filter((op) => type === 'STRING' || !TEXT_ONLY_OPERATORS.includes(op));
}

/** Two filters per type that the parser accepts; openapi.test.ts runs every one through it. */
const FILTER_EXAMPLES = {
  INT64: ['eq.42', 'not.in.(1,2,3)'],
  NUMERIC: ['gte.6.5', 'is.null'],
  FLOAT64: ['lt.0.25', 'gte.1'],
  STRING: ['ilike.*chrome*', 'not.is.null'],
  BOOL: ['is.true', 'eq.false'],
  DATE: ['gte.2026-09-01', 'lt.2026-10-01'],
  DATETIME: ['gte.2026-09-01T09:00:00', 'lt.2026-09-02'],
  TIMESTAMP: ['gte.2026-09-01T09:00:00Z', 'lt.2026-09-01T17:00:00+02:00'],
  TIME: ['gte.09:00:00', 'lt.17:30'],
} as const satisfies Record<ScalarType, readonly [string, string]>;

/** What a value must look like, in the parser's own words (STRING accepts anything). */
function expectedValue(type: ScalarType): string {
  const probe = parseValue(type, '');
  return probe.ok ? 'any text' : probe.expected;
}

/** Every limit, explained; `satisfies` makes a new limit fail to compile until it is documented. */
const LIMIT_NOTES = {
  maxUrlLength: 'characters in a request URL; longer gets 414, so send the query to POST /v1/views/{view}/query instead',
  maxQueryBodyBytes: 'bytes in a POST query body',
  maxFilters: 'filters in one query, `from`/`to` included',
  maxInValues: 'values in one `in.(...)` list',
  maxValueLength: 'characters in one filter value or pattern',
  maxSelectItems: 'columns and aggregates in `select`',
  maxOrderTerms: 'terms in `order`',
  maxGroupBy: 'columns in `group_by`',
  defaultPageSize: 'rows in a json or values page when `limit` is not given',
  maxPageSize: 'largest `limit` for json and values',
  maxExportRows: 'largest csv or ndjson export in one request (the default when `limit` is not given)',
  chunkRows: 'rows read from the warehouse per chunk while an export streams',
  maxPageBytes: 'characters of body after which a json or values page ends early and links on, so wide rows fit in an isolate',
} as const satisfies Record<keyof typeof LIMITS, string>;

/** The characters that make a cell a formula, found by asking neutraliseFormula itself. */
function formulaTriggers(): string[] {
  const names: Record<string, string> = { '\t': 'tab', '\r': 'carriage return', '\n': 'line feed' };
  const found: string[] = [];
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    if (neutraliseFormula(`${ch}x`) !== `${ch}x`) found.push(names[ch] ?? `\`${ch}\``);
  }
  return found;
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim();
const pascal = (name: string) => name.replace(/(^|_)([a-z0-9])/g, (_m, _sep: string, ch: string) => ch.toUpperCase());
const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });
const list = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(', ');
const nullable = (schema: Json & { type: string }): Json => ({ ...schema, type: [schema.type, 'null'] });

/** Columns a filter parameter can name: a column called like a reserved parameter would be read as that parameter. */
function filterableColumns(view: ViewDef): LeafColumn[] {
  return leafColumns(view).filter((c) => !(RESERVED_PARAMS as readonly string[]).includes(c.name));
}

// ---------------------------------------------------------------------------------------
// Schemas

function rowSchema(view: ViewDef): Json {
  const properties: Record<string, Json> = {};
  for (const column of leafColumns(view)) {
    const base = JSON_SCHEMAS[column.type];
    // The plan lives in x-min-plan, so the description stays the dictionary's words.
    const notes = [column.description, 'description' in base ? base.description : ''];
    if (column.record) {
      notes.push(
        column.record.mode === 'REPEATED'
          ? `Field of the repeated record \`${column.record.name}\`: one row per element.`
          : `Field of the record \`${column.record.name}\`.`,
      );
    }
    properties[column.name] = {
      ...nullable(base),
      description: notes.filter(Boolean).join(' '),
      'x-bigquery-type': column.type,
      'x-min-plan': column.minPlan,
      ...(column.record ? { 'x-record': column.record.name, 'x-repeated': column.record.mode === 'REPEATED' } : {}),
    };
  }
  return {
    type: 'object',
    title: `${view.name} row`,
    description: `${view.description} Every property is optional: a row holds the selected columns your plan can read, named as here (nested fields dotted), plus any aggregates you select.`,
    properties,
    // Aggregates are named like sum_duration_sec or count (see parse.ts aggregateName).
    patternProperties: {
      [`^(?:count|(?:${AGGREGATES.join('|')})_.+)$`]: { description: 'An aggregate from `select`, such as `sum(col)` named `sum_col`.' },
    },
    additionalProperties: false,
    'x-view': view.name,
    'x-min-plan': viewMinPlan(view),
  };
}

function pageSchema(view: ViewDef): Json {
  return {
    type: 'object',
    title: `${view.name} page (format=json)`,
    required: ['view', 'columns', 'rows', 'row_count', 'next', 'next_cursor'],
    additionalProperties: false,
    properties: {
      view: { const: view.name },
      columns: { type: 'array', items: ref('schemas', 'OutputColumn') },
      rows: { type: 'array', items: ref('schemas', `${view.name}Row`) },
      row_count: { type: 'integer', minimum: 0 },
      next: {
        type: ['string', 'null'],
        format: 'uri',
        description: 'URL of the next page, or null on the last page (always null for POST queries).',
      },
      next_cursor: {
        type: ['string', 'null'],
        description: 'Pass as `cursor` with the same query for the next page; null on the last page.',
      },
    },
  };
}

function querySchema(view: ViewDef): Json {
  const filters: Record<string, Json> = {};
  for (const column of filterableColumns(view)) {
    filters[column.name] = {
      type: ['string', 'array'],
      items: { type: 'string' },
      description: `${column.type}; ${operatorsFor(column.type).join(', ')}. Value: ${expectedValue(column.type)}.`,
      examples: [FILTER_EXAMPLES[column.type][0]],
      'x-min-plan': column.minPlan,
    };
  }
  const stringOrList = (description: string, maxItems?: number): Json => ({
    type: ['string', 'array'],
    items: { type: 'string' },
    ...(maxItems ? { maxItems } : {}),
    description,
  });
  const properties: Record<string, Json> = {
    select: stringOrList('Columns and aggregates, as a list or a comma-separated string.', LIMITS.maxSelectItems),
    filters: {
      type: 'object',
      additionalProperties: false,
      description: 'Column name to filter (`op.value`), or a list of filters on that column (all must hold).',
      properties: filters,
    },
    ...(view.dateColumn
      ? {
          from: { type: 'string', format: 'date', description: `First day of ${view.dateColumn} (inclusive).` },
          to: { type: 'string', format: 'date', description: `Last day of ${view.dateColumn} (inclusive).` },
        }
      : {}),
    order: stringOrList('`col` or `col.desc` terms.', LIMITS.maxOrderTerms),
    group_by: stringOrList('Columns to group by.', LIMITS.maxGroupBy),
    limit: { type: 'integer', minimum: 1, maximum: LIMITS.maxExportRows, description: limitDescription() },
    cursor: { type: 'string', description: 'The `next_cursor` of the previous page; send the same query with it.' },
    format: { type: 'string', enum: [...FORMATS], default: 'json' },
    dry_run: { type: 'boolean', default: false },
  };
  return {
    type: 'object',
    title: `${view.name} query`,
    additionalProperties: false,
    properties,
    examples: [exampleBody(view)],
  };
}

function exampleBody(view: ViewDef): Json {
  const key = view.rowKey;
  return {
    select: view.dateColumn && !key.includes(view.dateColumn) ? [...key, view.dateColumn] : [...key],
    ...(view.dateColumn ? { from: '2026-09-01', to: '2026-09-30' } : {}),
    order: `${view.dateColumn ?? key[0]}.desc`,
    limit: 100,
  };
}

function sharedSchemas(): Record<string, Json> {
  return {
    Problem: {
      type: 'object',
      description: 'An RFC 9457 problem. `type` is a stable URI to switch on; `detail` is written for the person using the API.',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: {
          type: 'string',
          format: 'uri',
          description: `One of: ${Object.entries(PROBLEM_TYPES)
            .map(([id, title]) => `\`${PROBLEM_BASE}${id}\` (${title})`)
            .join('; ')}.`,
          enum: Object.keys(PROBLEM_TYPES).map((id) => PROBLEM_BASE + id),
        },
        title: { type: 'string' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        detail: { type: 'string' },
        instance: { type: 'string', description: 'The request path.' },
        request_id: { type: 'string', description: 'Also in the X-Request-Id header; quote it to support.' },
        suggestions: { type: 'array', items: { type: 'string' }, description: 'Near names for an unknown column or view.' },
        view: { type: 'string' },
        column: { type: 'string' },
        required_plan: { type: 'string', enum: [...PLANS] },
        your_plan: { type: 'string', enum: [...PLANS] },
        // Not an enum: /changes, /v1/hooks and the warehouses report limits of their own.
        limit: {
          type: 'string',
          examples: Object.keys(LIMITS),
          description: 'The exceeded limit: a name in `x-limits`, or a limit of the endpoint that answered.',
        },
        maximum: { type: 'integer' },
        parameter: { type: 'string', description: 'The query parameter at fault, such as `since`.' },
        field: { type: 'string', description: 'The body field at fault, such as `target_url`.' },
      },
      additionalProperties: true,
    },
    OutputColumn: {
      type: 'object',
      required: ['name', 'type'],
      properties: { name: { type: 'string' }, type: { type: 'string', enum: [...SCALAR_TYPES] } },
    },
    ValuesPage: {
      type: 'object',
      title: 'Page (format=values)',
      description:
        'A 2D array for a spreadsheet range: a header row of column names, then one array per row. Nulls are empty strings and text that would read as a formula is neutralised.',
      required: ['view', 'columns', 'values', 'row_count', 'next', 'next_cursor'],
      additionalProperties: false,
      properties: {
        view: { type: 'string' },
        columns: { type: 'array', items: ref('schemas', 'OutputColumn') },
        values: { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'boolean'] } } },
        row_count: { type: 'integer', minimum: 0 },
        next: { type: ['string', 'null'], format: 'uri' },
        next_cursor: { type: ['string', 'null'] },
      },
    },
    DryRun: {
      type: 'object',
      title: 'Dry run',
      required: ['view', 'dry_run', 'warehouse', 'bytes_processed'],
      additionalProperties: false,
      properties: {
        view: { type: 'string' },
        dry_run: { const: true },
        warehouse: { type: 'string', enum: ['d1', 'bigquery'] },
        bytes_processed: { type: ['integer', 'null'], description: 'Bytes BigQuery would scan; null where the warehouse cannot tell.' },
      },
    },
    ViewSummary: {
      type: 'object',
      required: ['name', 'description', 'min_plan', 'columns', 'row_key', 'date_column', 'change_column', 'freshness'],
      properties: {
        name: { type: 'string', enum: [...VIEW_NAMES] },
        description: { type: 'string' },
        min_plan: { type: 'string', enum: [...PLANS] },
        columns: { type: 'integer', description: 'Columns your plan can read.' },
        row_key: { type: 'array', items: { type: 'string' } },
        date_column: { type: ['string', 'null'] },
        change_column: { type: ['string', 'null'], description: CHANGE_COLUMN_NOTE },
        freshness: {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['daily', 'streaming', 'reference'] }, max_age_seconds: { type: 'integer' } },
        },
      },
    },
    ViewList: {
      type: 'object',
      required: ['plan', 'views'],
      properties: {
        plan: { type: 'string', enum: [...PLANS], description: "Your key's plan." },
        views: { type: 'array', items: ref('schemas', 'ViewSummary'), description: 'The views your plan can read.' },
      },
    },
    ColumnInfo: {
      type: 'object',
      required: ['name', 'type', 'description', 'min_plan', 'readable'],
      properties: {
        name: { type: 'string' },
        type: { type: 'string', enum: [...SCALAR_TYPES] },
        description: { type: 'string' },
        min_plan: { type: 'string', enum: [...PLANS] },
        readable: { type: 'boolean', description: 'Whether your plan can read it.' },
        record: { type: 'string', description: 'The nested record the field is flattened from.' },
        repeated: { type: 'boolean' },
      },
    },
    ViewDetail: {
      type: 'object',
      description: 'A view and all its columns, each marked readable or not for your plan.',
      required: ['name', 'description', 'min_plan', 'plan', 'row_key', 'date_column', 'change_column', 'freshness', 'columns'],
      properties: {
        name: { type: 'string', enum: [...VIEW_NAMES] },
        description: { type: 'string' },
        min_plan: { type: 'string', enum: [...PLANS] },
        plan: { type: 'string', enum: [...PLANS] },
        row_key: { type: 'array', items: { type: 'string' } },
        date_column: { type: ['string', 'null'] },
        change_column: { type: ['string', 'null'], description: CHANGE_COLUMN_NOTE },
        freshness: { type: 'object' },
        columns: { type: 'array', items: ref('schemas', 'ColumnInfo') },
      },
    },
    ServiceInfo: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        description: { type: 'string' },
        docs: { type: 'string', format: 'uri' },
        openapi: { type: 'string', format: 'uri' },
      },
    },
    Health: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok', 'degraded'] }, detail: { type: 'string' } },
    },
    Version: {
      type: 'object',
      required: ['name', 'version', 'api', 'views'],
      properties: { name: { type: 'string' }, version: { type: 'string' }, api: { type: 'string' }, views: { type: 'integer' } },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Parameters

function limitDescription(): string {
  return (
    `Rows per page. json and values: default ${LIMITS.defaultPageSize}, at most ${LIMITS.maxPageSize}. ` +
    `csv and ndjson: without a limit the whole result streams (at most ${LIMITS.maxExportRows} rows); ` +
    `with a limit up to ${LIMITS.maxPageSize} they are paged like json, the next link in the Link header.`
  );
}

function sharedParameters(): Record<string, Json> {
  return {
    limit: {
      name: 'limit',
      in: 'query',
      description: limitDescription(),
      schema: { type: 'integer', minimum: 1, maximum: LIMITS.maxExportRows, default: LIMITS.defaultPageSize },
      'x-maximum-by-format': {
        json: LIMITS.maxPageSize,
        values: LIMITS.maxPageSize,
        csv: LIMITS.maxExportRows,
        ndjson: LIMITS.maxExportRows,
      },
    },
    cursor: {
      name: 'cursor',
      in: 'query',
      description:
        'The `next_cursor` of the previous page (the `next` URL already carries it). Opaque, signed for your account and valid only with the same query; a changed query gets 400 invalid-cursor.',
      schema: { type: 'string' },
    },
    group_by: {
      name: 'group_by',
      in: 'query',
      description: `Comma-separated columns to group by, at most ${LIMITS.maxGroupBy}. Then \`select\` may name only grouped columns and aggregates; without \`select\` you get the grouped columns and \`count\`.`,
      schema: { type: 'string' },
      example: 'user_id',
    },
    format: {
      name: 'format',
      in: 'query',
      description: 'Response format; wins over a `rows.<format>` suffix and the Accept header.',
      schema: { type: 'string', enum: [...FORMATS], default: 'json' },
    },
    dry_run: {
      name: 'dry_run',
      in: 'query',
      description: 'Check the query and report the bytes the warehouse would scan, without running it.',
      schema: { type: 'boolean', default: false },
    },
  };
}

function viewParameters(view: ViewDef): Record<string, Json> {
  const names = leafColumns(view).map((c) => c.name);
  const params: Record<string, Json> = {
    [`${view.name}.select`]: {
      name: 'select',
      in: 'query',
      description:
        `Comma-separated columns and aggregates, at most ${LIMITS.maxSelectItems}; default: every column your plan can read. ` +
        `Aggregates: ${AGGREGATES.map((a) => (a === 'count' ? 'count()' : `${a}(col)`)).join(', ')}; sum and avg need a number column, and an aggregate is named like \`sum_col\`. ` +
        `Columns: ${list(names)}.`,
      schema: { type: 'string' },
      example: view.rowKey.join(','),
      'x-columns': names,
    },
    [`${view.name}.order`]: {
      name: 'order',
      in: 'query',
      description:
        `Comma-separated \`col\` or \`col.desc\` terms, at most ${LIMITS.maxOrderTerms}; with group_by, a grouped column or a selected aggregate (\`sum(col).desc\`). ` +
        `Ties are broken by the row key (${list(view.rowKey)}), which keeps paging stable.`,
      schema: { type: 'string' },
      example: `${view.dateColumn ?? view.rowKey[0]}.desc`,
    },
  };
  if (view.dateColumn) {
    const dateColumn = leafColumns(view).find((c) => c.name === view.dateColumn);
    for (const [name, words] of [
      ['from', 'on or after'],
      ['to', 'on or before'],
    ] as const) {
      params[`${view.name}.${name}`] = {
        name,
        in: 'query',
        description: `Rows whose \`${view.dateColumn}\`${dateColumn ? ` (${dateColumn.type})` : ''} falls ${words} this day (YYYY-MM-DD, inclusive).`,
        schema: { type: 'string', format: 'date' },
        example: name === 'from' ? '2026-09-01' : '2026-09-30',
        'x-date-column': view.dateColumn,
      };
    }
  }
  for (const column of filterableColumns(view)) {
    const ops = operatorsFor(column.type);
    const [first, second] = FILTER_EXAMPLES[column.type];
    params[`${view.name}.filter.${column.name}`] = {
      name: column.name,
      in: 'query',
      required: false,
      description:
        `${column.description}\n\nFilter: \`${column.name}=op.value\` with op one of ${list(ops)}; put \`not.\` in front to negate. ` +
        `Value: ${expectedValue(column.type)}. Repeat the parameter to combine filters (all must hold). ` +
        `${column.type}, needs the ${planDisplayName(column.minPlan)} plan.`,
      style: 'form',
      explode: true,
      schema: {
        type: 'array',
        items: { type: 'string', pattern: `^(not\\.)?(${ops.join('|')})\\.` },
        maxItems: LIMITS.maxFilters,
      },
      examples: Object.fromEntries([first, second].map((e) => [/^(not\.)?[a-z]+/.exec(e)![0], { value: [e] }])),
      'x-min-plan': column.minPlan,
      'x-bigquery-type': column.type,
    };
  }
  return params;
}

// ---------------------------------------------------------------------------------------
// Responses

function problemAnswer(description: string, example?: Json): Json {
  return {
    description,
    headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem'), ...(example ? { example } : {}) } },
  };
}

/** Real problems, produced by the parser from the first view, so examples match the server. */
function problemExample(run: () => unknown): Json | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return problemBody(err, 'c0ffee00-0000-4000-8000-000000000000');
  }
  return undefined;
}

function sharedResponses(): Record<string, Json> {
  const view = VIEWS[VIEW_NAMES[0]!] as ViewDef;
  const column = leafColumns(view)[0]!;
  const typo = column.name.slice(0, -1);
  const aboveBasePlan = VIEW_NAMES.map((n) => VIEWS[n] as ViewDef)
    .flatMap((v) => leafColumns(v).map((c) => ({ v, c })))
    .find(({ c }) => c.minPlan !== PLANS[0]);
  return {
    BadRequest: problemAnswer(
      'The request cannot be run as given: an unknown column or parameter, a malformed filter or value, an exceeded limit or a cursor from another query.',
      problemExample(() => parseQuery([[typo, 'eq.1']], { view, plan: PLANS[PLANS.length - 1]! })),
    ),
    Unauthorized: {
      ...problemAnswer('No API key, or one that is unknown or revoked.'),
      headers: {
        'X-Request-Id': ref('headers', 'X-Request-Id'),
        'WWW-Authenticate': { description: 'Always `Bearer realm="activconnect-bridge"`.', schema: { type: 'string' } },
      },
    },
    Forbidden: problemAnswer(
      "The view or a column needs a higher plan than your key's; `required_plan` names it.",
      aboveBasePlan && problemExample(() => parseQuery([['select', aboveBasePlan.c.name]], { view: aboveBasePlan.v, plan: PLANS[0] })),
    ),
    NotFound: problemAnswer('No such view, route or format suffix.'),
    PayloadTooLarge: problemAnswer(`The query body is larger than ${LIMITS.maxQueryBodyBytes} bytes.`),
    UriTooLong: problemAnswer(`The URL is longer than ${LIMITS.maxUrlLength} characters; send the query to POST /v1/views/{view}/query.`),
    UnsupportedMediaType: problemAnswer('The body must be sent as `Content-Type: application/json`.'),
    NotAcceptable: problemAnswer(
      'The Accept header allows none of application/json, text/csv and application/x-ndjson, and neither `format=` nor a suffix names a format.',
    ),
    WarehouseError: problemAnswer('The warehouse could not run the query.'),
    WarehouseUnavailable: problemAnswer('The warehouse is unavailable for this account.'),
  };
}

function rowsResponse(view: ViewDef): Json {
  const content: Record<string, Json> = {};
  for (const format of FORMATS) {
    const type = mediaType(ENCODERS[format].contentType);
    if (content[type]) continue;
    if (type === 'application/json') {
      content[type] = {
        schema: {
          oneOf: [ref('schemas', `${view.name}Page`), ref('schemas', 'ValuesPage'), ref('schemas', 'DryRun')],
        },
      };
    } else if (format === 'ndjson') {
      content[type] = {
        schema: { type: 'string', description: `One JSON object per line, each a ${view.name}Row.` },
        'x-item-schema': ref('schemas', `${view.name}Row`),
      };
    } else {
      content[type] = {
        schema: {
          type: 'string',
          description: 'RFC 4180 CSV with a header row; nulls are empty fields and text that would read as a formula is neutralised.',
        },
      };
    }
  }
  return {
    description: `Rows of ${view.name} in the requested format.`,
    headers: {
      'X-Request-Id': ref('headers', 'X-Request-Id'),
      Link: ref('headers', 'Link'),
      'X-Next-Cursor': ref('headers', 'X-Next-Cursor'),
      'X-Row-Count': ref('headers', 'X-Row-Count'),
    },
    content,
  };
}

const queryErrors = {
  '400': ref('responses', 'BadRequest'),
  '401': ref('responses', 'Unauthorized'),
  '403': ref('responses', 'Forbidden'),
  '404': ref('responses', 'NotFound'),
  '406': ref('responses', 'NotAcceptable'),
  '414': ref('responses', 'UriTooLong'),
  '502': ref('responses', 'WarehouseError'),
  '503': ref('responses', 'WarehouseUnavailable'),
};

// ---------------------------------------------------------------------------------------
// Paths

function viewPaths(view: ViewDef): Record<string, Json> {
  const p = pascal(view.name);
  const tags = [view.name];
  const viewParams = [
    ref('parameters', `${view.name}.select`),
    ...(view.dateColumn ? [ref('parameters', `${view.name}.from`), ref('parameters', `${view.name}.to`)] : []),
    ref('parameters', `${view.name}.order`),
    ref('parameters', 'limit'),
    ref('parameters', 'cursor'),
    ref('parameters', 'group_by'),
  ];
  const filterParams = filterableColumns(view).map((c) => ref('parameters', `${view.name}.filter.${c.name}`));
  const example = `/v1/views/${view.name}/rows?select=${view.rowKey.join(',')}${view.dateColumn ? '&from=2026-09-01' : ''}&limit=100`;
  const base = `/v1/views/${view.name}`;
  return {
    [base]: {
      get: {
        operationId: `get${p}View`,
        summary: `Describe ${view.name}`,
        description: `${view.description}\n\n${followNote(view)}\n\nThe view's columns, each with its type, description, minimum plan and whether your plan can read it.`,
        tags,
        responses: {
          '200': { description: `The ${view.name} view.`, content: { 'application/json': { schema: ref('schemas', 'ViewDetail') } } },
          '401': ref('responses', 'Unauthorized'),
          '403': ref('responses', 'Forbidden'),
          '404': ref('responses', 'NotFound'),
        },
      },
    },
    [`${base}/rows`]: {
      get: {
        operationId: `get${p}Rows`,
        summary: `Read ${view.name} rows`,
        description: `${view.description}\n\nExample: \`${example}\`. Every other query parameter is a filter on the column it names.`,
        tags,
        parameters: [...viewParams, ref('parameters', 'format'), ref('parameters', 'dry_run'), ...filterParams],
        responses: { '200': rowsResponse(view), ...queryErrors },
      },
    },
    [`${base}/rows.{format}`]: {
      get: {
        operationId: `get${p}RowsAs`,
        summary: `Read ${view.name} rows in the format the suffix names`,
        description: `The same as \`GET ${base}/rows\`, with the format in the path (\`rows.csv\`), which spreadsheet IMPORTDATA and file links like.`,
        tags,
        parameters: [
          { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: [...FORMATS] } },
          ...viewParams,
          ref('parameters', 'dry_run'),
          ...filterParams,
        ],
        responses: { '200': rowsResponse(view), ...queryErrors },
      },
    },
    [`${base}/query`]: {
      post: {
        operationId: `query${p}`,
        summary: `Query ${view.name} with a JSON body`,
        description:
          `The query of \`GET ${base}/rows\` as JSON, for queries too long for a URL (over ${LIMITS.maxUrlLength} characters). ` +
          'For the next page, send the same body again with `cursor` set to `next_cursor`. The `next` link is the same query as a GET URL, which may be too long for the client that needed this endpoint.',
        tags,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('schemas', `${view.name}Query`) } },
        },
        responses: {
          '200': rowsResponse(view),
          ...queryErrors,
          '413': ref('responses', 'PayloadTooLarge'),
          '415': ref('responses', 'UnsupportedMediaType'),
        },
      },
    },
  };
}

function servicePaths(): Record<string, Json> {
  const open = { security: [] };
  const json = (description: string, schema: string) => ({
    description,
    content: { 'application/json': { schema: ref('schemas', schema) } },
  });
  return {
    '/': {
      get: {
        operationId: 'getServiceInfo',
        summary: 'Service links',
        tags: ['Service'],
        ...open,
        responses: { '200': json('Name and links.', 'ServiceInfo') },
      },
    },
    '/healthz': {
      get: {
        operationId: 'getHealth',
        summary: 'Health check',
        tags: ['Service'],
        ...open,
        responses: { '200': json('Up.', 'Health'), '503': json('The control-plane database is not answering.', 'Health') },
      },
    },
    '/version': {
      get: {
        operationId: 'getVersion',
        summary: 'API version',
        tags: ['Service'],
        ...open,
        responses: { '200': json('Versions.', 'Version') },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['Service'],
        ...open,
        responses: {
          '200': {
            description: 'OpenAPI 3.1, generated from the view definitions.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/docs': {
      get: {
        operationId: 'getDocsPage',
        summary: 'Interactive reference',
        tags: ['Service'],
        ...open,
        responses: {
          '200': {
            description: 'An HTML page that reads this document and can try requests.',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/v1/views': {
      get: {
        operationId: 'listViews',
        summary: 'List the views your plan can read',
        tags: ['Catalog'],
        responses: { '200': json('The views your plan can read.', 'ViewList'), '401': ref('responses', 'Unauthorized') },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Triggers and webhooks: GET /v1/views/{view}/changes, /v1/hooks and the delivery POST

const CHANGE_COLUMN_NOTE =
  'The column `/changes` and hooks follow: it moves forward as rows are added or changed. null when the view cannot be polled or followed.';

/** What each hook status means; `satisfies` makes a new status fail to compile until it is documented. */
const SUBSCRIPTION_STATUS_NOTES = {
  active: 'new rows are sent as they arrive',
  failing: `a batch exhausted its retries; it is kept, nothing newer is sent, and it is tried again after ${duration(HOOK_POLICY.deadLetterCooldownSeconds)}`,
  disabled:
    `stopped after ${HOOK_POLICY.maxDeadLetters} dead batches in a row or ${duration(HOOK_POLICY.maxFailingSeconds)} without a success, ` +
    'or because the key that created it was revoked, its target URL is no longer allowed or its filters no longer fit the plan; ' +
    'undelivered rows are kept, and `POST /v1/hooks/{id}/resume` continues from the first of them',
  unsubscribed: 'the target answered 410 Gone, so the hook ended for good; it cannot be resumed',
} satisfies Record<SubscriptionStatus, string>;

/** What each delivery outcome in the log means. */
const DELIVERY_STATUS_NOTES = {
  pending: 'on the queue, or between retries',
  delivered: 'the target answered 2xx; the hook moved past these rows',
  dead: `every retry failed; the rows are kept and the batch is sent again after ${duration(HOOK_POLICY.deadLetterCooldownSeconds)}`,
  cancelled: 'not sent: the hook stopped (disabled, or 410 Gone), or was resumed, which reads the rows afresh',
} satisfies Record<DeliveryStatus, string>;

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The first retry delays, computed by the policy itself: "30 s, 1 min, 2 min, 4 min ...". */
function retrySchedule(): string {
  return `${[1, 2, 3, 4].map((n) => duration(backoffSeconds(n))).join(', ')} ..., doubling up to ${duration(HOOK_POLICY.backoffMaxSeconds)}`;
}

/** A Markdown list, one `name`: note per line. */
const notes = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([name, note]) => `- \`${name}\`: ${note}.`)
    .join('\n');

/** The views /changes and hooks can follow: those with a change column. */
function followableViews(views: readonly ViewDef[]): ViewDef[] {
  return views.filter((v) => v.changeColumn !== null);
}

function changeColumnOf(view: ViewDef): LeafColumn {
  const name = requireChangeColumn(view);
  return leafColumns(view).find((c) => c.name === name)!;
}

/** One sentence for a view's description: how to follow it, or why it cannot be followed. */
function followNote(view: ViewDef): string {
  if (view.changeColumn === null) {
    return `Polling (\`/changes\`) and webhooks are not available for ${view.name}: it has no change column. ${view.decisions.changeColumn}`;
  }
  return `New rows by \`${view.changeColumn}\`: poll \`GET /v1/views/${view.name}/changes\` or subscribe with \`POST /v1/hooks\`.`;
}

/** A `since` the server accepts, taken from the filter examples of the column's type. */
function sinceExample(view: ViewDef): string {
  return FILTER_EXAMPLES[changeColumnOf(view).type][0].replace(/^(not\.)?[a-z]+\./, '');
}

/** How the id is built, shown by rowId itself on placeholders: "<user_id>|<local_date>". */
function idDescription(view: ViewDef): string {
  const shape = rowId(
    view,
    feedColumns(view).map((c) => `<${c}>`),
  );
  return (
    `The row's stable, unique id: its row key (${list(view.rowKey)}) joined with \`|\`, as in \`${shape}\`. ` +
    'A `|` or `\\` inside a value is escaped with `\\`, and a null is `\\N`. Zapier and Make de-duplicate on it.'
  );
}

/** A row of /changes and of deliveries: `id`, then the view's columns as its Row schema has them. */
function changeRowSchema(view: ViewDef): Json {
  const pointer = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');
  const properties: Record<string, Json> = { id: { type: 'string', description: idDescription(view) } };
  for (const column of leafColumns(view))
    properties[column.name] = { $ref: `#/components/schemas/${view.name}Row/properties/${pointer(column.name)}` };
  return {
    type: 'object',
    title: `${view.name} change`,
    description: `A row of ${view.name} with its \`id\`: the selected columns your plan can read, named as in ${view.name}Row. Aggregates do not apply.`,
    required: ['id'],
    properties,
    additionalProperties: false,
    'x-view': view.name,
  };
}

function changesSchema(view: ViewDef): Json {
  const change = changeColumnOf(view);
  return {
    type: 'object',
    title: `${view.name} changes`,
    required: ['view', 'change_column', 'rows', 'latest', 'has_more'],
    additionalProperties: false,
    properties: {
      view: { const: view.name },
      change_column: { const: change.name },
      rows: {
        type: 'array',
        maxItems: CHANGES_MAX_LIMIT,
        items: ref('schemas', `${view.name}ChangeRow`),
        description: `Newest first by \`${change.name}\`, then the row key descending; at most \`limit\`.`,
      },
      latest: {
        ...nullable(JSON_SCHEMAS[change.type]),
        description: `The newest \`${change.name}\` in \`rows\`, or your \`since\` when nothing is newer (null when neither): pass it as \`since\` next time.`,
      },
      has_more: {
        type: 'boolean',
        description: 'More than `limit` rows are newer than `since`: raise `limit`, or read the gap with /rows.',
      },
    },
  };
}

/** The body POSTed to a hook's target_url for one view. */
function deliverySchema(view: ViewDef): Json {
  return {
    type: 'object',
    title: `${view.name} delivery`,
    required: ['view', 'subscription_id', 'rows'],
    additionalProperties: false,
    properties: {
      view: { const: view.name },
      subscription_id: { type: 'string', pattern: HOOK_ID.source, description: 'The `id` of the hook this delivery is for.' },
      rows: {
        type: 'array',
        minItems: 1,
        maxItems: HOOK_POLICY.batchRows,
        items: ref('schemas', `${view.name}ChangeRow`),
        description:
          `Oldest first by \`${changeColumnOf(view).name}\`, then the row key: at most ${HOOK_POLICY.batchRows} rows, ` +
          `fewer when wide rows would make the body longer than ${HOOK_POLICY.batchBytes} characters.`,
      },
    },
  };
}

function hookSchemas(followable: readonly ViewDef[]): Record<string, Json> {
  const viewNames = followable.map((v) => v.name);
  const timestamp = (description?: string): Json => ({
    type: description ? ['string', 'null'] : 'string',
    format: 'date-time',
    ...(description ? { description } : {}),
  });
  const filters: Json = {
    type: 'object',
    description: "Column name to a filter (`op.value`) or a list of filters that must all hold, exactly as the view's `/rows` takes them.",
    additionalProperties: { type: ['string', 'array'], items: { type: 'string' }, minItems: 1 },
    examples: [{ user_id: FILTER_EXAMPLES.INT64[0] }],
  };
  const example = followable[0];
  const input = {
    target_url: {
      type: 'string',
      format: 'uri',
      maxLength: MAX_TARGET_URL_LENGTH,
      description:
        'Where deliveries are POSTed: a public `https://` URL. Loopback, private, link-local and cloud-metadata addresses are refused with a 400 that names the rule.',
    },
    view: { type: 'string', enum: viewNames, description: 'A view with a change column; its new rows are sent, oldest first.' },
    filters,
    select: {
      type: ['array', 'string'],
      items: { type: 'string' },
      maxItems: LIMITS.maxSelectItems,
      description: 'Columns to send (a list or a comma-separated string); default: every column your plan can read. `id` is always sent.',
    },
    headers: {
      type: 'object',
      description:
        "Headers sent with every delivery, write-only (never returned). Only `x-make-apikey`: a Make custom webhook's API key, printable ASCII, at most 512 characters.",
      properties: { 'x-make-apikey': { type: 'string', minLength: 1, maxLength: 512 } },
      additionalProperties: false,
    },
  } satisfies Record<(typeof HOOK_FIELDS)[number], Json>;
  const hook = {
    id: { type: 'string', pattern: HOOK_ID.source },
    view: { type: 'string', enum: viewNames },
    target_url: { type: 'string', format: 'uri' },
    filters,
    select: { type: ['array', 'null'], items: { type: 'string' }, description: 'null: every column the plan can read.' },
    status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES], description: notes(SUBSCRIPTION_STATUS_NOTES) },
    status_reason: {
      type: ['string', 'null'],
      description:
        'Why the hook is failing, disabled or unsubscribed, in words fit to show: the revoked key, the refused target, the 410, or the failed batches and the last error. null while active.',
    },
    cursor: {
      type: ['object', 'null'],
      description:
        'The last row the target accepted; rows after it are (or will be) delivered. It moves only when a delivery lands. null when the view had no rows when the hook was created.',
      required: ['change_value', 'row_id'],
      properties: {
        change_value: {
          type: [...new Set(followable.map((v) => JSON_SCHEMAS[changeColumnOf(v).type].type)), 'null'],
          description: "That row's change column value.",
        },
        row_id: { type: 'string', description: "That row's `id`." },
      },
    },
    failing_since: timestamp('The first failed attempt since the last success; null while deliveries succeed.'),
    consecutive_failures: { type: 'integer', minimum: 0, description: 'Failed attempts since the last success.' },
    dead_letters: {
      type: 'integer',
      minimum: 0,
      description: `Batches in a row that exhausted their retries; at ${HOOK_POLICY.maxDeadLetters} the hook is disabled.`,
    },
    last_success_at: timestamp('The last delivery the target accepted.'),
    created_at: timestamp(),
    updated_at: timestamp(),
  } satisfies Record<keyof ReturnType<typeof hookJson>, Json>;
  const entry = {
    id: { type: 'string', description: 'The batch id, sent as `webhook-id`: the same on every attempt of the batch.' },
    created_at: timestamp(),
    rows: { type: 'integer', minimum: 1, maximum: HOOK_POLICY.batchRows },
    outcome: { type: 'string', enum: [...DELIVERY_STATUSES], description: notes(DELIVERY_STATUS_NOTES) },
    attempts: { type: 'integer', minimum: 0 },
    last_attempt_at: timestamp('When it was last sent.'),
    status_code: { type: ['integer', 'null'], description: 'The HTTP status of the last attempt; null when there was no answer.' },
    error: {
      type: ['string', 'null'],
      description: 'What went wrong on the last attempt: a status, a refused redirect, a timeout, a connection error.',
    },
    finished_at: timestamp('When it was delivered, died or was cancelled.'),
  } satisfies Record<keyof ReturnType<typeof deliveryJson>, Json>;
  // Every field of these answers is always present, null where it has no value.
  const object = (properties: Record<string, Json>, extra: Json = {}): Json => ({
    type: 'object',
    required: Object.keys(properties),
    properties,
    ...extra,
  });
  return {
    HookCreate: {
      type: 'object',
      title: 'New hook',
      required: ['target_url', 'view'],
      additionalProperties: false,
      properties: input,
      ...(example
        ? {
            examples: [
              {
                target_url: 'https://hooks.zapier.com/hooks/standard/123/abc',
                view: example.name,
                select: [...example.rowKey, changeColumnOf(example).name],
              },
            ],
          }
        : {}),
    },
    Hook: object(hook, { title: 'Hook', description: `A REST-hook subscription. An account may have at most ${MAX_HOOKS_PER_TENANT}.` }),
    HookCreated: {
      title: 'New hook, with its secret',
      allOf: [ref('schemas', 'Hook')],
      required: ['secret'],
      properties: {
        secret: {
          type: 'string',
          pattern: `^${SECRET_PREFIX}[A-Za-z0-9+/]+={0,2}$`,
          description: 'The signing secret, shown this once: keep it to verify `webhook-signature` on deliveries.',
        },
      },
    },
    HookList: object({ hooks: { type: 'array', maxItems: MAX_HOOKS_PER_TENANT, items: ref('schemas', 'Hook') } }),
    HookDeleted: object({ id: { type: 'string', pattern: HOOK_ID.source }, deleted: { const: true } }),
    DeliveryLogEntry: object(entry, {
      title: 'Delivery (log entry)',
      description: 'One batch of rows sent, or being sent, to the target.',
    }),
    DeliveryLog: object({
      hook_id: { type: 'string', pattern: HOOK_ID.source },
      status: hook.status,
      status_reason: hook.status_reason,
      deliveries: {
        type: 'array',
        maxItems: DELIVERIES_MAX_LIMIT,
        items: ref('schemas', 'DeliveryLogEntry'),
        description: 'Newest first.',
      },
    }),
    Delivery: {
      title: 'Delivery (webhook body)',
      description: 'What a hook POSTs to its target_url: the view, the hook id and the new rows.',
      oneOf: followable.map((v) => ref('schemas', `${v.name}Delivery`)),
      discriminator: {
        propertyName: 'view',
        mapping: Object.fromEntries(followable.map((v) => [v.name, `#/components/schemas/${v.name}Delivery`])),
      },
    },
  };
}

function changesParameters(view: ViewDef): Record<string, Json> {
  const change = changeColumnOf(view);
  const names = leafColumns(view).map((c) => c.name);
  return {
    [`${view.name}.since`]: {
      name: 'since',
      in: 'query',
      description:
        `Only rows whose \`${change.name}\` (${change.type}) is greater. Value: ${expectedValue(change.type)}. ` +
        'Pass the `latest` of the previous answer; absent or empty means from the start.',
      schema: { ...JSON_SCHEMAS[change.type] },
      example: sinceExample(view),
      'x-change-column': change.name,
      'x-bigquery-type': change.type,
    },
    [`${view.name}.changes.select`]: {
      name: 'select',
      in: 'query',
      description: `Comma-separated columns, at most ${LIMITS.maxSelectItems}; default: every column your plan can read. \`id\` is always included; aggregates do not apply. Columns: ${list(names)}.`,
      schema: { type: 'string' },
      example: view.rowKey.join(','),
      'x-columns': names,
    },
  };
}

function sharedChangesParameters(): Record<string, Json> {
  return {
    'changes.limit': {
      name: 'limit',
      in: 'query',
      description: `Rows per answer: default ${CHANGES_DEFAULT_LIMIT}, at most ${CHANGES_MAX_LIMIT}. \`has_more\` says whether more are newer than \`since\`.`,
      schema: { type: 'integer', minimum: 1, maximum: CHANGES_MAX_LIMIT, default: CHANGES_DEFAULT_LIMIT },
    },
    'changes.shape': {
      name: 'shape',
      in: 'query',
      description:
        '`object`: `{view, change_column, rows, latest, has_more}`. `array`: the bare list of rows, what a Zapier polling trigger returns.',
      schema: { type: 'string', enum: [...SHAPES], default: SHAPES[0] },
    },
    'hook.id': {
      name: 'id',
      in: 'path',
      required: true,
      description: 'The `id` that POST /v1/hooks answered with.',
      schema: { type: 'string', pattern: HOOK_ID.source },
    },
    'hook.deliveries.limit': {
      name: 'limit',
      in: 'query',
      description: `Log entries, newest first: default ${DELIVERIES_DEFAULT_LIMIT}, at most ${DELIVERIES_MAX_LIMIT}.`,
      schema: { type: 'integer', minimum: 1, maximum: DELIVERIES_MAX_LIMIT, default: DELIVERIES_DEFAULT_LIMIT },
    },
  };
}

function feedResponses(views: readonly ViewDef[]): Record<string, Json> {
  const unfollowable = views.find((v) => v.changeColumn === null);
  return {
    ChangesBadRequest: problemAnswer(
      `The poll cannot be run as given: a \`since\` that is not a value of the change column, \`limit\` outside 1 to ${CHANGES_MAX_LIMIT}, ` +
        `an unknown \`shape\`, a /rows parameter that does not apply (${list(NOT_FOR_FEEDS)}), an aggregate, or a filter /rows would refuse.`,
      problemExample(() => feedLimit(String(CHANGES_MAX_LIMIT + 1))),
    ),
    HookRefused: problemAnswer(
      'The hook cannot be created as given: a missing or unknown field, a target URL that is not a public https:// address, ' +
        "a view without a change column, or a filter or select the view's /rows would refuse.",
      unfollowable && problemExample(() => requireChangeColumn(unfollowable)),
    ),
    HookNotFound: problemAnswer('No hook with this id in your account. GET /v1/hooks lists yours.'),
    TooManyHooks: problemAnswer(`The account already has ${MAX_HOOKS_PER_TENANT} hooks, the most it may have; delete unused ones first.`),
    HookEnded: problemAnswer('The target answered 410 Gone, so the hook ended for good (`unsubscribed`). Create a new hook instead.'),
    HookBodyTooLarge: problemAnswer(`The hook body is larger than ${MAX_HOOK_BODY_BYTES} bytes.`),
  };
}

function changesPath(view: ViewDef): Record<string, Json> {
  const change = changeColumnOf(view);
  const base = `/v1/views/${view.name}`;
  const own = {
    since: ref('parameters', `${view.name}.since`),
    shape: ref('parameters', 'changes.shape'),
    limit: ref('parameters', 'changes.limit'),
  } satisfies Record<(typeof OWN_PARAMS)[number], Json>;
  const filters = filterableColumns(view)
    .filter((c) => !(OWN_PARAMS as readonly string[]).includes(c.name))
    .map((c) => ref('parameters', `${view.name}.filter.${c.name}`));
  const rows = { type: 'array', items: ref('schemas', `${view.name}ChangeRow`), title: 'shape=array' };
  return {
    [`${base}/changes`]: {
      get: {
        operationId: `get${pascal(view.name)}Changes`,
        summary: `Poll ${view.name} for new rows`,
        description:
          `A polling trigger (Zapier, Make): rows newest first by \`${change.name}\`, then the row key descending, each with a stable \`id\`. ` +
          `Pass the previous answer's \`latest\` as \`since\` to get only newer rows. Filters and \`select\` are those of \`GET ${base}/rows\`; ` +
          `${list(NOT_FOR_FEEDS)} and aggregates do not apply.\n\nExample: \`${base}/changes?since=${sinceExample(view)}&limit=${CHANGES_DEFAULT_LIMIT}\`.`,
        tags: [view.name],
        parameters: [own.since, ref('parameters', `${view.name}.changes.select`), own.limit, own.shape, ...filters],
        responses: {
          '200': {
            description: `New rows of ${view.name}, newest first.`,
            headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
            content: { 'application/json': { schema: { oneOf: [ref('schemas', `${view.name}Changes`), rows] } } },
          },
          ...queryErrors,
          '400': ref('responses', 'ChangesBadRequest'),
        },
      },
    },
  };
}

function hookPaths(): Record<string, Json> {
  const tags = ['Hooks'];
  const json = (description: string, schema: string): Json => ({
    description,
    headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
    content: { 'application/json': { schema: ref('schemas', schema) } },
  });
  const id = ref('parameters', 'hook.id');
  const unauthorized = { '401': ref('responses', 'Unauthorized') };
  const notFound = { '404': ref('responses', 'HookNotFound') };
  const created = json('The hook, with its signing `secret`: shown this once.', 'HookCreated');
  return {
    '/v1/hooks': {
      post: {
        operationId: 'createHook',
        summary: 'Follow a view: POST its new rows to a URL',
        description:
          "Zapier's subscribe, Make's custom webhook. The hook starts at the view's newest row, so history is not replayed; " +
          'from then on new rows are POSTed to `target_url` in signed batches (see `webhooks`). The filters and select are checked ' +
          `now, with the messages /rows gives. At most ${MAX_HOOKS_PER_TENANT} hooks per account.`,
        tags,
        requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'HookCreate') } } },
        responses: {
          '201': { ...created, headers: { ...(created.headers as Json), Location: ref('headers', 'Location') } },
          '400': ref('responses', 'HookRefused'),
          ...unauthorized,
          '403': ref('responses', 'Forbidden'),
          '404': ref('responses', 'NotFound'),
          '409': ref('responses', 'TooManyHooks'),
          '413': ref('responses', 'HookBodyTooLarge'),
          '415': ref('responses', 'UnsupportedMediaType'),
          '502': ref('responses', 'WarehouseError'),
          '503': ref('responses', 'WarehouseUnavailable'),
        },
      },
      get: {
        operationId: 'listHooks',
        summary: "List your account's hooks",
        tags,
        responses: { '200': json('Your hooks, oldest first, with their status and cursor.', 'HookList'), ...unauthorized },
      },
    },
    '/v1/hooks/{id}': {
      get: {
        operationId: 'getHook',
        summary: 'Show a hook',
        tags,
        parameters: [id],
        responses: { '200': json('The hook.', 'Hook'), ...unauthorized, ...notFound },
      },
      delete: {
        operationId: 'deleteHook',
        summary: 'Delete a hook',
        description: "Zapier's unsubscribe. Deletes the hook and its delivery log; nothing more is sent.",
        tags,
        parameters: [id],
        responses: { '200': json('Deleted.', 'HookDeleted'), ...unauthorized, ...notFound },
      },
    },
    '/v1/hooks/{id}/resume': {
      post: {
        operationId: 'resumeHook',
        summary: 'Resume a failing or disabled hook',
        description:
          'Makes the hook active again; delivery continues from the first row the target has not accepted. An `unsubscribed` hook cannot be resumed.',
        tags,
        parameters: [id],
        responses: { '200': json('The hook, active again.', 'Hook'), ...unauthorized, ...notFound, '409': ref('responses', 'HookEnded') },
      },
    },
    '/v1/hooks/{id}/deliveries': {
      get: {
        operationId: 'listHookDeliveries',
        summary: "A hook's delivery log",
        description: 'Recent batches, newest first: when, how many rows, the outcome, the attempts and the last status code and error.',
        tags,
        parameters: [id, ref('parameters', 'hook.deliveries.limit')],
        responses: {
          '200': json('The log.', 'DeliveryLog'),
          '400': ref('responses', 'BadRequest'),
          ...unauthorized,
          ...notFound,
        },
      },
    },
  };
}

/** The delivery POST as an OpenAPI 3.1 webhook: what a hook's target receives and must answer. */
function webhooks(): Record<string, Json> {
  const header = (name: string, description: string, schema: Json): Json => ({ name, in: 'header', required: true, description, schema });
  const base64 = '[A-Za-z0-9+/]+={0,2}';
  return {
    newRows: {
      post: {
        operationId: 'receiveNewRows',
        summary: "New rows of a followed view, POSTed to the hook's target_url",
        description:
          `About every minute, a hook sends the rows past its cursor, oldest first, in batches of at most ${HOOK_POLICY.batchRows}. ` +
          "Deliveries are signed per Standard Webhooks (https://www.standardwebhooks.com), so its libraries verify them with the hook's `secret`. " +
          `To check by hand: take the bytes after \`${SECRET_PREFIX}\` in the secret, base64-decode them, and compute HMAC-SHA256 over ` +
          '`{webhook-id}.{webhook-timestamp}.{body}` with the body exactly as received; base64 of the result must equal one ' +
          `\`${SIGNATURE_VERSION},\` entry of \`webhook-signature\`.\n\n` +
          `Answer within ${HOOK_POLICY.timeoutMs / 1000} s. Every attempt of a batch carries the same \`webhook-id\`, so drop one you have processed: ` +
          'delivery is at least once.',
        tags: ['Hooks'],
        // Signed, not authenticated with an API key.
        security: [],
        parameters: [
          header('webhook-id', 'The batch id: the same on every attempt, and the `id` in the delivery log. De-duplicate on it.', {
            type: 'string',
          }),
          header(
            'webhook-timestamp',
            `Seconds since 1970 when this attempt was sent. Reject a timestamp more than ${DEFAULT_TOLERANCE_SECONDS} s from your clock: it may be a replay.`,
            { type: 'string', pattern: '^\\d+$' },
          ),
          header(
            'webhook-signature',
            `\`${SIGNATURE_VERSION},\` then the base64 HMAC-SHA256 of \`{webhook-id}.{webhook-timestamp}.{body}\` keyed with the secret. ` +
              'Several space-separated signatures may be listed; one that matches is enough.',
            { type: 'string', pattern: `^${SIGNATURE_VERSION},${base64}( ${SIGNATURE_VERSION},${base64})*$` },
          ),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'Delivery') } } },
        responses: {
          '2XX': { description: 'Delivered: the hook moves past these rows and never sends them again. The answer body is ignored.' },
          '3XX': { description: 'A failure, retried: redirects are not followed. Point the hook at the final URL.' },
          '410': {
            description: "Unsubscribe: the hook ends (`unsubscribed`) and nothing more is sent. Zapier's convention for a deleted Zap.",
          },
          default: {
            description:
              `Any other answer, or none within ${HOOK_POLICY.timeoutMs / 1000} s, is a failure. The batch is retried after ${retrySchedule()}; ` +
              `when its retries run out it is kept, the hook turns \`failing\`, and it is tried again after ${duration(HOOK_POLICY.deadLetterCooldownSeconds)}. ` +
              `After ${HOOK_POLICY.maxDeadLetters} such batches in a row, or ${duration(HOOK_POLICY.maxFailingSeconds)} without a success, the hook is \`disabled\`.`,
          },
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// The document

function description(views: readonly ViewDef[]): string {
  const plans = PLANS.map((p) => planDisplayName(p)).join(', ');
  const triggers = formulaTriggers();
  const formatLines = FORMATS.map((f) => {
    const type = mediaType(ENCODERS[f].contentType);
    const shape = {
      json: '`{view, columns: [{name, type}], rows: [{...}], row_count, next, next_cursor}`',
      values:
        '`{view, columns, values: [[header...], [...]], row_count, next, next_cursor}`: a 2D array with a header row, what a Sheets range takes',
      csv: 'RFC 4180 with a header row',
      ndjson: 'one JSON object per line',
    }[f];
    return `- \`${f}\` (\`${type}\`): ${shape}`;
  });
  const limitRows = (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).map((k) => `| \`${k}\` | ${LIMITS[k]} | ${LIMIT_NOTES[k]} |`);
  return [
    `ActivTrak's ActivConnect views as an HTTP API: ${views.length} views (${views.map((v) => v.name).join(', ')}), for Google Sheets, Zapier, Make and scripts. This document is generated from the view definitions, so every view and column here is one the server knows.`,
    '## Authentication',
    "Send your API key as `Authorization: Bearer <key>` or as an `X-API-Key: <key>` header. The key decides your account and plan; nothing in a request can name another account's data. `/`, `/healthz`, `/version`, `/openapi.json` and `/docs` need no key.",
    '## Plans',
    `Plans, lowest first: ${plans}. Each column has a minimum plan (\`x-min-plan\`); a view is available as soon as your plan can read one of its columns, and by default you get every column your plan can read. Naming a column above your plan is a 403 that names the plan to ask for.`,
    '## Querying',
    `\`GET /v1/views/{view}/rows\` takes \`select\`, filters, \`from\`/\`to\`, \`order\`, \`limit\`, \`cursor\`, \`group_by\`, \`format\` and \`dry_run\`. Every other parameter filters the column it names: \`col=op.value\`, with \`not.\` in front to negate.`,
    OPERATOR_NAMES.map((op) => `- \`${op}\`: ${OPERATORS[op]}`).join('\n'),
    `Aggregates in \`select\`: ${AGGREGATES.map((a) => `\`${a}()\``).join(', ')}, with \`group_by\`. \`from\` and \`to\` are inclusive days on the view's date column. \`POST /v1/views/{view}/query\` takes the same query as JSON.`,
    '## Paging',
    `json and values pages hold at most \`limit\` rows (default ${LIMITS.defaultPageSize}, at most ${LIMITS.maxPageSize}). While more rows remain, \`next\` is the URL of the next page and \`next_cursor\` its cursor, also sent as \`Link: <...>; rel="next"\` and \`X-Next-Cursor\`. Cursors are keyset positions, so pages do not shift as new data arrives; they are signed for your account and bound to the query. csv and ndjson without a \`limit\` stream the whole result, up to ${LIMITS.maxExportRows} rows.`,
    '## Triggers and webhooks',
    followSection(views),
    '## Formats',
    'Choose with `format=`, a suffix (`rows.csv`), or the Accept header (weighed by q), in that order.',
    formatLines.join('\n'),
    '## Spreadsheet safety',
    `Text typed by monitored users (window titles, URLs, search terms) can look like a spreadsheet formula. In csv and values, a text cell that starts with ${triggers.slice(0, -1).join(', ')} or ${triggers.at(-1)} gets a leading apostrophe, which Sheets and Excel read as "this is text" and do not display. json and ndjson return text as stored.`,
    '## Limits',
    'Exceeding one is a 400 (414 for the URL, 413 for a body) that names the limit.',
    '| Limit | Value | Meaning |\n| --- | --- | --- |\n' + limitRows.join('\n'),
    '## Errors',
    `Every error is \`application/problem+json\` (RFC 9457) with a \`detail\` you can act on, a \`request_id\`, and \`suggestions\` for a misspelt name. Problem types are \`${PROBLEM_BASE}<type>\`.`,
  ].join('\n\n');
}

function followSection(views: readonly ViewDef[]): string {
  const followable = followableViews(views);
  const others = views.filter((v) => v.changeColumn === null);
  const paragraph =
    `Views with a change column, a column that moves forward as rows arrive, can be followed: ${followable.map((v) => `${v.name} (\`${v.changeColumn}\`)`).join(', ')}. ` +
    (others.length ? `${others.map((v) => v.name).join(', ')} cannot: each one's description says why; read them with /rows.` : '');
  const items = [
    `- \`GET /v1/views/{view}/changes\` (polling, Zapier and Make): rows newest first, each with a stable \`id\` built from the row key. ` +
      `Pass the answer's \`latest\` as \`since\` next time. \`limit\` defaults to ${CHANGES_DEFAULT_LIMIT}, at most ${CHANGES_MAX_LIMIT}; ` +
      '`shape=array` answers with the bare list. Filters and `select` are those of /rows.',
    `- \`POST /v1/hooks\` (REST hooks, at most ${MAX_HOOKS_PER_TENANT} per account): about every minute, new rows are POSTed to your URL, ` +
      `oldest first, at most ${HOOK_POLICY.batchRows} per batch, signed with the hook's \`secret\` (see \`webhooks\`). A 2xx answer delivers ` +
      'the batch, 410 Gone ends the hook, anything else is retried with backoff; `GET /v1/hooks/{id}/deliveries` shows what happened.',
  ];
  return [paragraph, items.join('\n')].join('\n\n');
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
      headers: {
        'X-Request-Id': { description: 'Identifies the request in logs; quote it to support.', schema: { type: 'string' } },
        Link: { description: '`<url>; rel="next"` while more rows remain (GET only).', schema: { type: 'string' } },
        'X-Next-Cursor': { description: 'The cursor of the next page while more rows remain.', schema: { type: 'string' } },
        'X-Row-Count': { description: 'Rows in this page (paged responses).', schema: { type: 'integer' } },
        Location: { description: 'The URL of what was created.', schema: { type: 'string', format: 'uri' } },
      },
    },
    'x-plans': PLANS.map((id) => ({ id, label: PLAN_LABELS[id].label, display: planDisplayName(id) })),
    'x-filter-operators': OPERATOR_NAMES.map((op) => ({
      name: op,
      description: OPERATORS[op],
      types: SCALAR_TYPES.filter((t) => operatorsFor(t).includes(op)),
    })),
    'x-aggregates': [...AGGREGATES],
  };
}
