/**
 * The queue consumer's half of REST hooks: POST one stored batch to its target, signed per
 * Standard Webhooks, and turn the answer into a state change (transitions.ts) and an ack or a
 * retry. Only a 2xx counts as delivered, and a 2xx also reads the hook's next batch and puts
 * it on the queue at once (drain.ts), so a backlog drains at the receiver's pace. A redirect is
 * a failure, never followed, so a hook cannot be bounced to an address checkTargetUrl would
 * have refused.
 */
import { ApiError } from '../http/errors.ts';
import { isDevelopment, type Env } from '../env.ts';
import { dispatch, prepareNext, stopReason, type DeliveryQueue } from './drain.ts';
import { checkTargetUrl, isForbiddenAddress } from './target-url.ts';
import { signatureHeaders } from './signature.ts';
import { DEAD_LETTER_QUEUE, isDeliveryMessage } from './message.ts';
import { backoffSeconds, HOOK_POLICY, retryAfterSeconds, retryDelaySeconds } from './policy.ts';
import { getDelivery, getSubscriptionById, getTenant, type Delivery, type Subscription } from './store.ts';
import { disable, markAttemptFailed, markCancelled, markDead, markDelivered, markGone } from './transitions.ts';

export interface DeliverOptions {
  /** Injected in tests; defaults to the global fetch at call time. */
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  /** Where the next batch goes; defaults to the DELIVERIES binding. */
  readonly queue?: DeliveryQueue;
}

type Outcome = { kind: 'ack' } | { kind: 'retry'; delaySeconds: number };

const USER_AGENT = 'activconnect-bridge-webhooks/1';

/**
 * Handles a batch from either queue: the deliveries queue (send) or its dead-letter queue
 * (record). Messages are independent, so they are worked on concurrently.
 */
export async function consumeBatch(batch: MessageBatch<unknown>, env: Env, options: DeliverOptions = {}): Promise<void> {
  const deadLetters = batch.queue === DEAD_LETTER_QUEUE;
  await Promise.all(
    batch.messages.map(async (msg) => {
      let outcome: Outcome;
      try {
        if (!isDeliveryMessage(msg.body)) {
          console.error('dropping a queue message that is not a delivery', msg.id);
          outcome = { kind: 'ack' };
        } else if (deadLetters) {
          outcome = await recordDeadLetter(env, msg.body.deliveryId, options);
        } else {
          outcome = await deliverOne(env, msg.body.deliveryId, msg.attempts, options);
        }
      } catch (err) {
        // Our own failure (D1 unavailable...), not the target's: try again later, rows are safe.
        console.error('delivery handling failed', msg.id, err instanceof Error ? err.message : String(err));
        outcome = { kind: 'retry', delaySeconds: backoffSeconds(msg.attempts) };
      }
      if (outcome.kind === 'ack') msg.ack();
      else msg.retry({ delaySeconds: outcome.delaySeconds });
    }),
  );
}

async function deliverOne(env: Env, id: string, attempts: number, options: DeliverOptions): Promise<Outcome> {
  const db = env.DB;
  const now = options.now?.() ?? new Date();
  const delivery = await getDelivery(db, id);
  // Gone with its subscription, or already settled by an earlier copy of this message.
  if (!delivery || delivery.status === 'delivered' || delivery.status === 'cancelled') return { kind: 'ack' };
  const sub = await getSubscriptionById(db, delivery.subscriptionId);
  if (!sub || sub.status === 'disabled' || sub.status === 'unsubscribed' || delivery.payload === null) {
    await markCancelled(db, delivery.id, now);
    return { kind: 'ack' };
  }

  // The address rules may have changed since the hook was created, and a stored URL is only
  // as good as the day it was checked; re-check before every send.
  const addressRules = { allowInsecureLocal: isDevelopment(env) };
  const target = checkTargetUrl(sub.targetUrl, addressRules);
  if (!target.ok || isForbiddenAddress(target.url.hostname, addressRules)) {
    const reason = target.ok ? `its host ${target.url.hostname} is not a public address` : target.reason;
    await disable(db, sub.id, `Disabled: the target URL is no longer allowed: ${reason}`, now);
    return { kind: 'ack' };
  }

  const result = await post(target.url, sub, delivery, now, options);
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    await markDelivered(db, delivery, result.status, now);
    await continueHook(env, options.queue ?? env.DELIVERIES, sub.id, now);
    return { kind: 'ack' };
  }
  if (result.status === 410) {
    await markGone(db, delivery, now);
    return { kind: 'ack' };
  }
  const delaySeconds = retryDelaySeconds(attempts, result.status, result.retryAfter);
  await markAttemptFailed(db, delivery, result.status, result.error, now, delaySeconds);
  return { kind: 'retry', delaySeconds };
}

/**
 * After a 2xx: read the hook's next batch and hand the account's waiting batches (this one
 * among them, oldest first) to the queue. A failure here is logged, never retried as the
 * delivery: that batch has landed, and the next cron run finds the work again.
 */
async function continueHook(env: Env, queue: DeliveryQueue, subscriptionId: string, now: Date): Promise<void> {
  let sub: Subscription | null = null;
  try {
    sub = await getSubscriptionById(env.DB, subscriptionId);
    if (!sub || sub.status !== 'active') return;
    const tenant = await getTenant(env.DB, sub.tenantId);
    if (!tenant) return;
    if (stopReason(sub, true, tenant, now) === null) await prepareNext(env, sub, tenant, sub.cursor);
    await dispatch(env.DB, queue, tenant.id, now);
  } catch (err) {
    if (sub && err instanceof ApiError && err.status < 500) {
      await disable(env.DB, sub.id, `Disabled: ${err.message}`, now);
      return;
    }
    console.error('could not continue a hook after a delivery', subscriptionId, err instanceof Error ? err.message : String(err));
  }
}

/** One POST. Never throws: a network error or a timeout is a failed attempt like any other. */
async function post(
  url: URL,
  sub: Subscription,
  delivery: Delivery,
  now: Date,
  options: DeliverOptions,
): Promise<{ status: number | null; error: string; retryAfter: number | null }> {
  const body = delivery.payload!;
  // A fresh timestamp per attempt: receivers reject old ones to stop replays.
  const signed = await signatureHeaders(sub.secret, delivery.id, body, now);
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const res = await doFetch(url.href, {
      method: 'POST',
      // The target's own headers (x-make-apikey) first: ours can never be overridden by them.
      headers: { ...sub.targetHeaders, ...signed, 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(HOOK_POLICY.timeoutMs),
    });
    // The answer's body is of no use to us; drain it so the connection is released.
    await res.body?.cancel();
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      return {
        status: res.status,
        error: `HTTP ${res.status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}; point the hook at the final URL.`,
        retryAfter: null,
      };
    }
    const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), now);
    const asked = retryAfter !== null && (res.status === 429 || res.status === 503);
    return {
      status: res.status,
      error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${asked ? `; the target asked to wait ${retryAfter} s (Retry-After), honoured up to ${HOOK_POLICY.retryAfterMaxSeconds} s` : ''}`,
      retryAfter,
    };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { status: null, error: `No answer within ${HOOK_POLICY.timeoutMs / 1000} s.`, retryAfter: null };
    }
    return {
      status: null,
      error: `Could not connect: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300),
      retryAfter: null,
    };
  }
}

async function recordDeadLetter(env: Env, id: string, options: DeliverOptions): Promise<Outcome> {
  const delivery = await getDelivery(env.DB, id);
  if (delivery) await markDead(env.DB, delivery, options.now?.() ?? new Date());
  return { kind: 'ack' };
}
