import { isViewAvailable, readableColumns } from '../../shared/columns.ts';
import type { Plan } from '../../shared/plans.ts';
import { VIEW_NAMES, VIEWS, type ViewName } from '../../shared/views/index.ts';
import { AGGREGATES } from '../query/model.ts';
import { FILTER_OPS } from '../../shared/query-vocabulary.ts';
import { MCP_BUDGET } from './budget.ts';

/** A JSON Schema object, as MCP's tools/list carries it. */
export type JsonSchema = { readonly type: 'object'; readonly [keyword: string]: unknown };

/** The views a caller on `plan` can read, in catalog order: the `view` enum of every tool. */
export function viewsFor(plan: Plan): ViewName[] {
  return VIEW_NAMES.filter((name) => isViewAvailable(VIEWS[name], plan));
}

/** Every column the caller can read in some view, sorted: what `select`, `filters` and `order` may name. */
function columnsFor(plan: Plan): string[] {
  const names = new Set<string>();
  for (const name of viewsFor(plan)) for (const column of readableColumns(VIEWS[name], plan)) names.add(column.name);
  return [...names].sort();
}

const AGGREGATE_PATTERN = `^(${AGGREGATES.join('|')})\\(([A-Za-z0-9_.]*|\\*)\\)$`;

/**
 * The input schemas of the tools for one caller's plan, derived from the definitions: the
 * views and columns above the plan are not offered. Columns are one enum over the caller's
 * views rather than one per view, because a per-view schema needs a `oneOf` or `if`/`then` at
 * the root of the input schema, and clients that pass MCP schemas on to a model API drop such
 * tools (Anthropic's API refuses "oneOf, allOf, or anyOf at the top level":
 * https://github.com/anthropics/claude-code/issues/95504). describe_view gives each view's own
 * columns, and the query parser refuses a column of another view with its suggestions.
 */
export function toolSchemas(plan: Plan) {
  const views = viewsFor(plan);
  const columns = columnsFor(plan);
  const view = {
    type: 'string',
    enum: views,
    description: 'The view to read. list_views shows them all; describe_view shows one view in full.',
  };
  const column = { type: 'string', enum: columns, description: 'A column of the view (describe_view lists them).' };
  const aggregate = {
    type: 'string',
    pattern: AGGREGATE_PATTERN,
    description: `An aggregate: ${AGGREGATES.map((a) => `${a}(column)`).join(', ')}, or count().`,
  };
  const listViews: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };
  const describeView: JsonSchema = { type: 'object', properties: { view }, required: ['view'], additionalProperties: false };
  const queryView: JsonSchema = {
    type: 'object',
    properties: {
      view,
      select: {
        type: 'array',
        items: { anyOf: [column, aggregate] },
        description:
          'The columns to return, and aggregates when grouping. Leave it out for every column you can read (or, with group_by, the groups and count()).',
      },
      filters: {
        type: 'array',
        description: 'Conditions every row must meet, all of them (AND).',
        items: {
          type: 'object',
          properties: {
            column,
            op: {
              type: 'string',
              enum: [...FILTER_OPS],
              description:
                'eq, neq, gt, gte, lt, lte compare with value; like and ilike (case-insensitive) match a text pattern where * is any text; in takes values; is takes null, true or false.',
            },
            value: { type: ['string', 'number', 'boolean', 'null'], description: 'The value to compare with; dates as YYYY-MM-DD.' },
            values: { type: 'array', items: { type: ['string', 'number', 'boolean'] }, description: 'For op "in": the list of values.' },
            not: { type: 'boolean', description: 'True to negate the condition.' },
          },
          required: ['column', 'op'],
          additionalProperties: false,
        },
      },
      from: { type: 'string', format: 'date', description: "First day (YYYY-MM-DD) on the view's date column, inclusive." },
      to: { type: 'string', format: 'date', description: "Last day (YYYY-MM-DD) on the view's date column, inclusive." },
      group_by: { type: 'array', items: column, description: 'Columns to group by; select the aggregates to compute per group.' },
      order: {
        type: 'array',
        description: 'Sort order, first term first.',
        items: {
          type: 'object',
          properties: {
            column: { anyOf: [column, aggregate, { const: 'count' }] },
            direction: { type: 'string', enum: ['asc', 'desc'] },
          },
          required: ['column'],
          additionalProperties: false,
        },
      },
      limit: {
        type: 'integer',
        minimum: 1,
        maximum: MCP_BUDGET.maxRows,
        description: `Rows to return (default ${MCP_BUDGET.defaultRows}, at most ${MCP_BUDGET.maxRows}; a result is also cut at about ${MCP_BUDGET.maxChars.toLocaleString('en-US')} characters).`,
      },
      cursor: {
        type: 'string',
        description: 'The next_cursor of the previous call, to continue it; keep every other argument the same.',
      },
    },
    required: ['view'],
    additionalProperties: false,
  };
  return { listViews, describeView, queryView };
}

/** What query_view returns as structured content (MCP requires an object schema). */
export const QUERY_OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    view: { type: 'string' },
    columns: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } }, required: ['name', 'type'] },
    },
    rows: { type: 'array', items: { type: 'object' } },
    row_count: { type: 'integer' },
    next_cursor: { type: ['string', 'null'] },
    cache: { type: 'string', description: 'HIT, MISS, STALE or REVALIDATED: the same result cache as /v1/views/{view}/rows.' },
    note: { type: ['string', 'null'], description: 'Why the result stops where it does, and how to continue.' },
  },
  required: ['view', 'columns', 'rows', 'row_count', 'next_cursor', 'note'],
};
