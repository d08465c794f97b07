import { leafColumns } from '../../../shared/columns.ts';
import { planDisplayName } from '../../../shared/plans.ts';
import { type ViewDef } from '../../../shared/types.ts';
import { DATE_FORMS, LIMITS } from '../../../shared/query-vocabulary.ts';
import { AGGREGATES, FORMATS } from '../../query/model.ts';
import { type Json } from '../json.ts';
import { DATES_DESCRIPTION, expectedValue, FILTER_EXAMPLES, filterableColumns, limitDescription, operatorsFor } from '../vocabulary.ts';
import { list } from '../words.ts';

/** The query parameters of /rows: shared ones and one set per view. */

export function sharedParameters(): Record<string, Json> {
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
    dates: {
      name: 'dates',
      in: 'query',
      description: DATES_DESCRIPTION,
      schema: { type: 'string', enum: [...DATE_FORMS], default: 'iso' },
    },
    ifNoneMatch: {
      name: 'If-None-Match',
      in: 'header',
      description: 'The `ETag` of a page you already have: the answer is 304 with no body while the page is unchanged.',
      schema: { type: 'string' },
    },
    dry_run: {
      name: 'dry_run',
      in: 'query',
      description: 'Check the query and report the bytes the warehouse would scan, without running it.',
      schema: { type: 'boolean', default: false },
    },
  };
}

export function viewParameters(view: ViewDef): Record<string, Json> {
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
