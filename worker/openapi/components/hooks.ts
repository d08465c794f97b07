import { type ViewDef } from '../../../shared/types.ts';
import { HOOK_POLICY } from '../../hooks/policy.ts';
import { SECRET_PREFIX } from '../../hooks/signature.ts';
import { DELIVERY_STATUSES, SUBSCRIPTION_STATUSES } from '../../hooks/store.ts';
import { MAX_TARGET_URL_LENGTH } from '../../hooks/target-url.ts';
import { DELIVERIES_LIMIT, LIMITS } from '../../../shared/query-vocabulary.ts';
import { type deliveryJson, FIELDS as HOOK_FIELDS, HOOK_ID, type hookJson, MAX_HOOKS_PER_TENANT } from '../../hooks/api-shapes.ts';
import { changeColumnOf, DELIVERY_STATUS_NOTES, SUBSCRIPTION_STATUS_NOTES } from '../follow.ts';
import { type Json, ref } from '../json.ts';
import { FILTER_EXAMPLES, JSON_SCHEMAS } from '../vocabulary.ts';
import { notes } from '../words.ts';

/** The /v1/hooks schemas: a hook as created, shown and listed, and its delivery log. */

export function hookSchemas(followable: readonly ViewDef[]): Record<string, Json> {
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
        maxItems: DELIVERIES_LIMIT.max,
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
