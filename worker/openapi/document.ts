import { leafColumns, viewMinPlan, type LeafColumn } from '../../shared/columns.ts';
import { PLAN_LABELS, PLANS, planDisplayName } from '../../shared/plans.ts';
import { SCALAR_TYPES, type ScalarType, type ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { neutraliseFormula } from '../format/cells.ts';
import { ENCODERS } from '../format/encoders.ts';
import { ApiError, PROBLEM_BASE, PROBLEM_TYPES, problemBody } from '../http/errors.ts';
import { LIMITS } from '../query/limits.ts';
import { AGGREGATES, FORMATS, type FilterOp } from '../query/model.ts';
import { RESERVED_PARAMS, parseQuery } from '../query/parse.ts';
import { parseValue } from '../query/values.ts';
import { API_VERSION } from '../routes/meta.ts';

/**
 * The OpenAPI 3.1 description of the API, computed from the view definitions, the query
 * limits and the encoders at run time: nothing in it is written twice, so it cannot drift
 * from what the server does. Served at /openapi.json and read by the /docs page, which
 * also uses the `x-` extensions below (plans, operators, each column's BigQuery type).
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
        limit: { type: 'string', enum: Object.keys(LIMITS), description: 'The exceeded limit, as named in `x-limits`.' },
        maximum: { type: 'integer' },
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
        change_column: { type: ['string', 'null'] },
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
        change_column: { type: ['string', 'null'] },
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
    UnsupportedMediaType: problemAnswer('The query body must be sent as `Content-Type: application/json`.'),
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
        description: `${view.description}\n\nThe view's columns, each with its type, description, minimum plan and whether your plan can read it.`,
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
          'The response has no `next` URL: send the same body again with `cursor` set to `next_cursor`.',
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
    '## Formats',
    'Choose with `format=`, a suffix (`rows.csv`), or the Accept header, in that order.',
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

/**
 * Builds the OpenAPI 3.1 document for a server URL. Pure and deterministic for a given URL,
 * so the route caches the serialised result per URL.
 * @example openApiDocument('https://bridge.example.com').paths['/v1/views/events/rows']
 */
export function openApiDocument(serverUrl: string): object {
  const views = VIEW_NAMES.map((n) => VIEWS[n] as ViewDef);
  const schemas: Record<string, Json> = sharedSchemas();
  const parameters: Record<string, Json> = sharedParameters();
  const paths: Record<string, Json> = servicePaths();
  for (const view of views) {
    schemas[`${view.name}Row`] = rowSchema(view);
    schemas[`${view.name}Page`] = pageSchema(view);
    schemas[`${view.name}Query`] = querySchema(view);
    Object.assign(parameters, viewParameters(view));
    Object.assign(paths, viewPaths(view));
  }
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
      ...views.map((view) => ({
        name: view.name,
        description: view.description,
        'x-view': true,
        'x-min-plan': viewMinPlan(view),
        'x-date-column': view.dateColumn,
        'x-row-key': view.rowKey,
        'x-change-column': view.changeColumn,
        'x-freshness': { kind: view.freshness.kind, maxAgeSeconds: view.freshness.maxAgeSeconds, why: view.freshness.why },
      })),
    ],
    paths,
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
      responses: sharedResponses(),
      headers: {
        'X-Request-Id': { description: 'Identifies the request in logs; quote it to support.', schema: { type: 'string' } },
        Link: { description: '`<url>; rel="next"` while more rows remain (GET only).', schema: { type: 'string' } },
        'X-Next-Cursor': { description: 'The cursor of the next page while more rows remain.', schema: { type: 'string' } },
        'X-Row-Count': { description: 'Rows in this page (paged responses).', schema: { type: 'integer' } },
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
