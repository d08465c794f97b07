import { HOOK_POLICY } from '../hooks/policy.ts';
import { DEFAULT_TOLERANCE_SECONDS, SECRET_PREFIX, SIGNATURE_VERSION } from '../hooks/signature.ts';
import { retrySchedule } from './follow.ts';
import { type Json, ref } from './json.ts';
import { duration } from './words.ts';

/** The delivery POST as an OpenAPI 3.1 webhook. */

/** The delivery POST as an OpenAPI 3.1 webhook: what a hook's target receives and must answer. */
export function webhooks(): Record<string, Json> {
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
