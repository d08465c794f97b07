/**
 * How a hook's backlog drains: one batch in flight per hook, the next read and put on the
 * queue as soon as the last one lands (the queue consumer calls `continueHook` after a 2xx),
 * so a backlog drains at the receiver's pace. The Cron Trigger only finds work: hooks with new
 * rows and nothing in flight, batches whose cool-down is over, messages the queue lost.
 *
 * Bounds: one batch per hook at a time (so rows arrive in feed order), the receiver's own
 * 429/503 Retry-After (a retried batch holds the hook's one slot), and
 * HOOK_POLICY.maxInFlightPerAccount across one account's hooks, handed out oldest waiting first.
 */
import type { ViewDef } from '../../shared/types.ts';
import { getView } from '../../shared/views/index.ts';
import type { Env } from '../env.ts';
import type { Tenant } from '../tenants/tenants.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import { feedQuery, feedRows, type Position } from './change-feed.ts';
import { deliveryId, type DeliveryMessage } from './message.ts';
import { disableReason, HOOK_POLICY } from './policy.ts';
import { claimForQueue, insertNextDelivery, subscriptionEntries, unclaim, waitingDeliveries, type Subscription } from './store.ts';
import { hookPlan } from './visibility.ts';

/** The queue as the drain uses it; a test can pass a recorder instead of the binding. */
export type DeliveryQueue = Pick<Queue<DeliveryMessage>, 'send'>;

/** Why a subscription must stop before anything is read, or null. */
export function stopReason(sub: Subscription, keyFound: boolean, tenant: Tenant | null, now: Date): string | null {
  if (!tenant) return 'Disabled: the account this hook belongs to no longer exists.';
  if (!keyFound || sub.keyPlan === null) {
    return 'Disabled: the API key that created this hook was revoked, so its data is no longer sent anywhere. Create the hook again with a current key.';
  }
  if (!getView(sub.view)) return `Disabled: the view '${sub.view}' no longer exists.`;
  if (sub.status === 'failing') return disableReason(sub, now);
  return null;
}

/**
 * Reads the hook's next batch past `after` (its cursor) and stores it as a pending delivery,
 * waiting for a slot. Nothing is stored when there are no new rows, when the hook already has
 * a batch in flight, or when the cursor moved meanwhile (insertNextDelivery checks both in
 * the same statement). True when a batch was stored.
 *
 * Throws the feed's ApiError (< 500) when the stored filters no longer parse at the hook's
 * plan; the caller disables the hook with that message.
 */
export async function prepareNext(env: Env, sub: Subscription, tenant: Tenant, after: string): Promise<boolean> {
  const view = getView(sub.view)!;
  const query = feedQuery(view, hookPlan(sub, tenant.plan), subscriptionEntries(sub.filters, sub.select), {
    direction: 'asc',
    limit: HOOK_POLICY.batchRows,
  });
  const page = await warehouseFor(env, tenant).page({ ...query, after: JSON.parse(after) as Position | null }, HOOK_POLICY.batchRows);
  const rows = feedRows(view, query, page);
  if (rows.length === 0) return false;
  const { body, count } = batchBody(view, sub.id, rows);
  const first = JSON.stringify(rows[0]!.position);
  const last = JSON.stringify(rows[count - 1]!.position);
  return insertNextDelivery(env.DB, {
    id: await deliveryId(sub.id, first, last),
    subscriptionId: sub.id,
    afterPosition: after,
    lastPosition: last,
    rowCount: count,
    payload: body,
  });
}

/** The body is built by hand so the batch can be cut at the byte budget without serialising twice. */
function batchBody(view: ViewDef, subscriptionId: string, rows: readonly { json: string }[]): { body: string; count: number } {
  let body = `{"view":${JSON.stringify(view.name)},"subscription_id":${JSON.stringify(subscriptionId)},"rows":[`;
  let count = 0;
  for (const { json } of rows) {
    if (count > 0 && body.length + json.length + 2 > HOOK_POLICY.batchBytes) break;
    body += (count > 0 ? ',' : '') + json;
    count++;
  }
  return { body: `${body}]}`, count };
}

/**
 * Puts an account's waiting batches on the queue, oldest first, while the account is under its
 * ceiling. Returns how many were sent. A send the queue refuses is unclaimed, so the next run
 * or the next landed batch sends it.
 */
export async function dispatch(db: D1Database, queue: DeliveryQueue, tenantId: string, now: Date): Promise<number> {
  const waiting = await waitingDeliveries(db, tenantId, now, HOOK_POLICY.maxInFlightPerAccount);
  let sent = 0;
  for (const d of waiting) {
    if (!(await claimForQueue(db, d.id, tenantId, HOOK_POLICY.maxInFlightPerAccount, now))) continue;
    try {
      await queue.send({ deliveryId: d.id, subscriptionId: d.subscriptionId });
      sent++;
    } catch (err) {
      await unclaim(db, d.id);
      throw err;
    }
  }
  return sent;
}
