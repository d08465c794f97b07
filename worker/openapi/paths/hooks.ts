import { MAX_HOOKS_PER_TENANT } from '../../routes/hooks.ts';
import { type Json, ref } from '../json.ts';

/** The /v1/hooks paths. */

export function hookPaths(): Record<string, Json> {
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
