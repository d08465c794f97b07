/**
 * Every state change of a subscription or a delivery, as one function each, so the rules
 * (the cursor only moves on a 2xx and only forward; a failure never loses rows) live in one
 * file rather than in the scheduler and both queue consumers.
 */
import { deliveryAfter } from './store.ts';
import { isoSeconds } from '../encoding/iso-seconds.ts';
import { disableReason } from './policy.ts';

/**
 * Moves the cursor from `from` to `to`, only if it is still at `from`. Deliveries may land out
 * of order; a batch that lands before the one in front of it does not move the cursor, and
 * `fastForward` picks it up once the gap closes.
 */
async function moveCursor(db: D1Database, subscriptionId: string, from: string, to: string, now: Date): Promise<boolean> {
  const result = await db
    .prepare('UPDATE hook_subscriptions SET cursor = ?, updated_at = ? WHERE id = ? AND cursor = ?')
    .bind(to, isoSeconds(now), subscriptionId, from)
    .run();
  return result.meta.changes > 0;
}

/**
 * Follows already-delivered batches from the cursor onwards, moving the cursor past each.
 * Bounded, because a cursor can only be behind by the batches in flight.
 */
export async function fastForward(db: D1Database, subscriptionId: string, cursor: string, now: Date, maxSteps = 20): Promise<string> {
  let at = cursor;
  for (let step = 0; step < maxSteps; step++) {
    const next = await deliveryAfter(db, subscriptionId, at);
    if (!next || next.status !== 'delivered') break;
    if (!(await moveCursor(db, subscriptionId, at, next.lastPosition, now))) break;
    at = next.lastPosition;
  }
  return at;
}

/** A 2xx: the batch is delivered, the subscription healthy, and the cursor moves past the batch. */
export async function markDelivered(
  db: D1Database,
  delivery: { id: string; subscriptionId: string; afterPosition: string },
  statusCode: number,
  now: Date,
): Promise<void> {
  const at = isoSeconds(now);
  await db.batch([
    db
      .prepare(
        `UPDATE hook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = ?, last_error = NULL,
           last_attempt_at = ?, next_attempt_at = NULL, finished_at = ?, payload = NULL WHERE id = ?`,
      )
      .bind(statusCode, at, at, delivery.id),
    db
      .prepare(
        `UPDATE hook_subscriptions SET status = 'active', status_reason = NULL, failing_since = NULL, consecutive_failures = 0,
           dead_letters = 0, last_success_at = ?, updated_at = ? WHERE id = ? AND status IN ('active', 'failing')`,
      )
      .bind(at, at, delivery.subscriptionId),
  ]);
  await fastForward(db, delivery.subscriptionId, delivery.afterPosition, now);
}

/**
 * A failed attempt that will be retried after `retryInSeconds`: recorded on the delivery (with
 * the time of its next attempt) and counted on the subscription.
 */
export async function markAttemptFailed(
  db: D1Database,
  delivery: { id: string; subscriptionId: string },
  statusCode: number | null,
  error: string,
  now: Date,
  retryInSeconds: number,
): Promise<void> {
  const at = isoSeconds(now);
  const next = isoSeconds(new Date(now.getTime() + retryInSeconds * 1000));
  await db.batch([
    db
      .prepare(
        `UPDATE hook_deliveries SET attempts = attempts + 1, last_status_code = ?, last_error = ?, last_attempt_at = ?, next_attempt_at = ?
         WHERE id = ?`,
      )
      .bind(statusCode, error.slice(0, 500), at, next, delivery.id),
    db
      .prepare(
        `UPDATE hook_subscriptions SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, ?),
           updated_at = ? WHERE id = ?`,
      )
      .bind(at, at, delivery.subscriptionId),
  ]);
}

/**
 * 410 Gone: the receiver has removed its end (Zapier's convention for a deleted Zap), so the
 * subscription ends here. It is kept, with the reason, so GET /v1/hooks/{id} can say what
 * happened; nothing more is sent to it.
 */
export async function markGone(db: D1Database, delivery: { id: string; subscriptionId: string }, now: Date): Promise<void> {
  const at = isoSeconds(now);
  await db.batch([
    db
      .prepare(
        `UPDATE hook_deliveries SET status = 'cancelled', attempts = attempts + 1, last_status_code = 410, last_error = 'The target answered 410 Gone.',
           last_attempt_at = ?, next_attempt_at = NULL, finished_at = ?, payload = NULL WHERE id = ?`,
      )
      .bind(at, at, delivery.id),
    db
      .prepare(`UPDATE hook_subscriptions SET status = 'unsubscribed', status_reason = ?, updated_at = ? WHERE id = ?`)
      .bind(`Unsubscribed: the target answered 410 Gone at ${at}, which means it no longer wants deliveries.`, at, delivery.subscriptionId),
    cancelPending(db, delivery.subscriptionId, at),
  ]);
}

/**
 * Stops a subscription for good reason (revoked key, a target that is no longer allowed, a
 * plan that no longer covers its columns, too many failures). Its cursor stays where it is,
 * so `POST /v1/hooks/{id}/resume` continues with the first undelivered row.
 */
export async function disable(db: D1Database, subscriptionId: string, reason: string, now: Date): Promise<void> {
  const at = isoSeconds(now);
  await db.batch([
    db
      .prepare(
        `UPDATE hook_subscriptions SET status = 'disabled', status_reason = ?, updated_at = ? WHERE id = ? AND status <> 'unsubscribed'`,
      )
      .bind(reason.slice(0, 1000), at, subscriptionId),
    cancelPending(db, subscriptionId, at),
  ]);
}

/**
 * `POST /v1/hooks/{id}/resume`: the hook is active again with its failure counts cleared.
 * Batches that died are cancelled so the next batch is read afresh from the cursor, which
 * never moved past them.
 */
export async function resume(db: D1Database, tenantId: string, subscriptionId: string, now: Date): Promise<void> {
  const at = isoSeconds(now);
  await db.batch([
    db
      .prepare(
        `UPDATE hook_subscriptions SET status = 'active', status_reason = NULL, failing_since = NULL, consecutive_failures = 0,
           dead_letters = 0, updated_at = ? WHERE id = ? AND tenant_id = ?`,
      )
      .bind(at, subscriptionId, tenantId),
    db
      .prepare(
        `UPDATE hook_deliveries SET status = 'cancelled', finished_at = ?, payload = NULL
         WHERE subscription_id = ? AND status = 'dead' AND subscription_id IN (SELECT id FROM hook_subscriptions WHERE tenant_id = ?)`,
      )
      .bind(at, subscriptionId, tenantId),
  ]);
}

function cancelPending(db: D1Database, subscriptionId: string, at: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE hook_deliveries SET status = 'cancelled', finished_at = ?, next_attempt_at = NULL, payload = NULL
       WHERE subscription_id = ? AND status = 'pending'`,
    )
    .bind(at, subscriptionId);
}

/** A delivery that was never sent because its subscription had already stopped. */
export async function markCancelled(db: D1Database, deliveryId: string, now: Date): Promise<void> {
  const at = isoSeconds(now);
  await db
    .prepare(
      `UPDATE hook_deliveries SET status = 'cancelled', finished_at = ?, payload = NULL WHERE id = ? AND status IN ('pending', 'dead')`,
    )
    .bind(at, deliveryId)
    .run();
}

/**
 * The dead-letter queue handed back a delivery whose retries are exhausted. The batch is kept
 * (status 'dead', payload and all) and the cursor stays before it, so no row is lost: the
 * scheduler sends it again after a cool-down. The subscription is marked failing, and
 * disabled once the policy says it has failed long enough.
 */
export async function markDead(db: D1Database, delivery: { id: string; subscriptionId: string }, now: Date): Promise<void> {
  const at = isoSeconds(now);
  const last = await db
    .prepare(
      `UPDATE hook_deliveries SET status = 'dead', finished_at = ?, next_attempt_at = NULL WHERE id = ? AND status = 'pending'
       RETURNING attempts, last_status_code, last_error`,
    )
    .bind(at, delivery.id)
    .first<{ attempts: number; last_status_code: number | null; last_error: string | null }>();
  if (!last) return; // delivered or cancelled meanwhile: nothing died
  const sub = await db
    .prepare(
      `UPDATE hook_subscriptions SET status = 'failing', dead_letters = dead_letters + 1, failing_since = COALESCE(failing_since, ?), updated_at = ?
       WHERE id = ? AND status IN ('active', 'failing') RETURNING dead_letters, failing_since`,
    )
    .bind(at, at, delivery.subscriptionId)
    .first<{ dead_letters: number; failing_since: string | null }>();
  if (!sub) return;
  const lastAttempt = last.last_error ?? (last.last_status_code ? `HTTP ${last.last_status_code}` : 'no answer');
  const why = disableReason({ deadLetters: sub.dead_letters, failingSince: sub.failing_since }, now);
  const reason = why
    ? `${why} Last attempt: ${lastAttempt}.`
    : `Failing: ${sub.dead_letters} batch${sub.dead_letters === 1 ? '' : 'es'} in a row could not be delivered after ${last.attempts} attempts (last: ${lastAttempt}). Undelivered rows are kept and sent again; the hook is disabled if this goes on.`;
  await db
    .prepare(`UPDATE hook_subscriptions SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`)
    .bind(why ? 'disabled' : 'failing', reason, at, delivery.subscriptionId)
    .run();
}
