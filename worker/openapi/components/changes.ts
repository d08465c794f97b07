import { leafColumns } from '../../../shared/columns.ts';
import { type ViewDef } from '../../../shared/types.ts';
import { CHANGES_LIMIT, DELIVERIES_LIMIT, LIMITS, SHAPES } from '../../../shared/query-vocabulary.ts';
import { POLL_STARTS, POLLER_NAME } from '../../hooks/poll-positions.ts';
import { HOOK_POLICY } from '../../hooks/policy.ts';
import { HOOK_ID } from '../../hooks/api-shapes.ts';
import { changeColumnOf, idDescription, sinceExample } from '../follow.ts';
import { type Json, nullable, ref } from '../json.ts';
import { expectedValue, JSON_SCHEMAS, LIMIT_RULE } from '../vocabulary.ts';
import { list } from '../words.ts';

/** The /changes answer, its rows and parameters, and the delivery body of one view. */

/** A row of /changes and of deliveries: `id`, then the view's columns as its Row schema has them. */
export function changeRowSchema(view: ViewDef): Json {
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

export function changesSchema(view: ViewDef): Json {
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
        maxItems: CHANGES_LIMIT.max,
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
export function deliverySchema(view: ViewDef): Json {
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

export function changesParameters(view: ViewDef): Record<string, Json> {
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

export function sharedChangesParameters(): Record<string, Json> {
  return {
    'changes.limit': {
      name: 'limit',
      in: 'query',
      description: `Rows per answer: default ${CHANGES_LIMIT.default}, at most ${CHANGES_LIMIT.max}. ${LIMIT_RULE} \`has_more\` says whether more are newer than \`since\`.`,
      schema: { type: 'integer', minimum: 1, maximum: CHANGES_LIMIT.max, default: CHANGES_LIMIT.default },
    },
    'changes.shape': {
      name: 'shape',
      in: 'query',
      description:
        '`object`: `{view, change_column, rows, latest, has_more}`. `array`: the bare list of rows, what a Zapier polling trigger returns.',
      schema: { type: 'string', enum: [...SHAPES], default: SHAPES[0] },
    },
    'changes.poller': {
      name: 'poller',
      in: 'query',
      description:
        'For clients that keep nothing between polls (Zapier): a name (1 to 100 of `A-Z a-z 0-9 _ . : -`) under which the bridge keeps how far this key, view and query have read. ' +
        'Each poll then hands out the next `limit` rows past that position, oldest first but listed newest first, together with the page handed out last time, so a client that takes a few new rows per poll misses none. ' +
        'A name seen for the first time starts at the newest row. `since` does not apply.',
      schema: { type: 'string', pattern: POLLER_NAME.source },
      example: 'zapier',
    },
    'changes.start': {
      name: 'start',
      in: 'query',
      description:
        'With `poller`: `newest` puts the poller at the newest row and answers with the newest rows, what a client that is about to start following needs to remember as seen.',
      schema: { type: 'string', enum: [...POLL_STARTS] },
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
      description: `Log entries, newest first: default ${DELIVERIES_LIMIT.default}, at most ${DELIVERIES_LIMIT.max}. ${LIMIT_RULE}`,
      schema: { type: 'integer', minimum: 1, maximum: DELIVERIES_LIMIT.max, default: DELIVERIES_LIMIT.default },
    },
  };
}
