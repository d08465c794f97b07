import { leafColumns, viewMinPlan } from '../../../shared/columns.ts';
import { PLANS } from '../../../shared/plans.ts';
import { SCALAR_TYPES, type ViewDef } from '../../../shared/types.ts';
import { VIEW_NAMES } from '../../../shared/views/index.ts';
import { PROBLEM_BASE, PROBLEM_TYPES } from '../../http/errors.ts';
import { DATE_FORMS, LIMITS } from '../../../shared/query-vocabulary.ts';
import { AGGREGATES, FORMATS } from '../../query/model.ts';
import { CHANGE_COLUMN_NOTE } from '../follow.ts';
import { columnInfo, viewDetail, viewList, viewSummary } from '../../catalog/views.ts';
import { versionInfo } from '../../version.ts';
import { dryRunBody, WAREHOUSE_KINDS } from '../../format/dry-run.ts';
import { type Json, nullable, ref } from '../json.ts';
import {
  DATES_DESCRIPTION,
  expectedValue,
  FILTER_EXAMPLES,
  filterableColumns,
  JSON_SCHEMAS,
  limitDescription,
  operatorsFor,
} from '../vocabulary.ts';

/** The schemas of rows, pages, queries and the catalog and service answers. */

export function rowSchema(view: ViewDef): Json {
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

export function pageSchema(view: ViewDef): Json {
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
        description:
          'URL of the next page, or null on the last page. For a POST query too it is the same query as a `GET /rows` URL; to stay with POST, send the body again with `cursor` set to `next_cursor`.',
      },
      next_cursor: {
        type: ['string', 'null'],
        description: 'Pass as `cursor` with the same query for the next page; null on the last page.',
      },
    },
  };
}

export function querySchema(view: ViewDef): Json {
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
    dates: { type: 'string', enum: [...DATE_FORMS], default: 'iso', description: DATES_DESCRIPTION },
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

export function sharedSchemas(): Record<string, Json> {
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
        'A 2D array for a spreadsheet range: a header row of column names, then one array per row. Nulls are empty strings and text that would read as a formula is neutralised. DATE, DATETIME and TIMESTAMP cells are ISO 8601 text, or numbers with `dates=serial` (see that parameter).',
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
        warehouse: { type: 'string', enum: [...WAREHOUSE_KINDS] },
        bytes_processed: { type: ['integer', 'null'], description: 'Bytes BigQuery would scan; null where the warehouse cannot tell.' },
      } satisfies Record<keyof ReturnType<typeof dryRunBody>, Json>,
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
      } satisfies Record<keyof ReturnType<typeof viewSummary>, Json>,
    },
    ViewList: {
      type: 'object',
      required: ['plan', 'views'],
      properties: {
        plan: { type: 'string', enum: [...PLANS], description: "Your key's plan." },
        views: { type: 'array', items: ref('schemas', 'ViewSummary'), description: 'The views your plan can read.' },
      } satisfies Record<keyof ReturnType<typeof viewList>, Json>,
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
      } satisfies Record<keyof ReturnType<typeof columnInfo>, Json>,
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
      } satisfies Record<keyof ReturnType<typeof viewDetail>, Json>,
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
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
    Version: {
      type: 'object',
      required: ['name', 'version', 'api', 'views'],
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        api: { type: 'string' },
        views: { type: 'integer' },
      } satisfies Record<keyof ReturnType<typeof versionInfo>, Json>,
    },
  };
}
