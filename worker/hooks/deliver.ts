/**
 * The queue consumer's half of REST hooks: POST one stored batch to its target, signed per
 * Standard Webhooks, and turn the answer into a state change (transitions.ts) and an ack or a
 * retry. Only a 2xx counts as delivered; a redirect is a failure, never followed, so a hook
 * cannot be bounced to an address checkTargetUrl would have refused.
 */
import { isDevelopment, type Env } from '../env.ts';
import { checkTargetUrl, isForbiddenAddress } from './target-url.ts';
import { signatureHeaders } from './signature.ts';
import { DEAD_LETTER_QUEUE, isDeliveryMessage } from './message.ts';
import { backoffSeconds, HOOK_POLICY } from './policy.ts';
import { getDelivery, type Delivery } from './store.ts';
import { disable, markAttemptFailed, markCancelled, markDead, markDelivered, markGone } from './transitions.ts';

export interface DeliverOptions {
  /** Injected in tests; defaults to the global fetch at call time. */
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
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

interface SubscriptionForDelivery {
  id: string;
  target_url: string;
  secret: string;
  status: string;
}

async function deliverOne(env: Env, id: string, attempts: number, options: DeliverOptions): Promise<Outcome> {
  const db = env.DB;
  const now = options.now?.() ?? new Date();
  const delivery = await getDelivery(db, id);
  // Gone with its subscription, or already settled by an earlier copy of this message.
  if (!delivery || delivery.status === 'delivered' || delivery.status === 'cancelled') return { kind: 'ack' };
  const sub = await db
    .prepare('SELECT id, target_url, secret, status FROM hook_subscriptions WHERE id = ?')
    .bind(delivery.subscriptionId)
    .first<SubscriptionForDelivery>();
  if (!sub || sub.status === 'disabled' || sub.status === 'unsubscribed' || delivery.payload === null) {
    await markCancelled(db, delivery.id, now);
    return { kind: 'ack' };
  }

  // The address rules may have changed since the hook was created, and a stored URL is only
  // as good as the day it was checked; re-check before every send.
  const addressRules = { allowInsecureLocal: isDevelopment(env) };
  const target = checkTargetUrl(sub.target_url, addressRules);
  if (!target.ok || isForbiddenAddress(target.url.hostname, addressRules)) {
    const reason = target.ok ? `its host ${target.url.hostname} is not a public address` : target.reason;
    await disable(db, sub.id, `Disabled: the target URL is no longer allowed: ${reason}`, now);
    return { kind: 'ack' };
  }

  const result = await post(target.url, sub.secret, delivery, now, options);
  if (result.status !== null && result.status >= 200 && result.status < 300) {
    await markDelivered(db, delivery, result.status, now);
    return { kind: 'ack' };
  }
  if (result.status === 410) {
    await markGone(db, delivery, now);
    return { kind: 'ack' };
  }
  await markAttemptFailed(db, delivery, result.status, result.error, now);
  return { kind: 'retry', delaySeconds: backoffSeconds(attempts) };
}

/** One POST. Never throws: a network error or a timeout is a failed attempt like any other. */
async function post(
  url: URL,
  secret: string,
  delivery: Delivery,
  now: Date,
  options: DeliverOptions,
): Promise<{ status: number | null; error: string }> {
  const body = delivery.payload!;
  // A fresh timestamp per attempt: receivers reject old ones to stop replays.
  const signed = await signatureHeaders(secret, delivery.id, body, now);
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const res = await doFetch(url.href, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json', 'user-agent': USER_AGENT },
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
      };
    }
    return { status: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { status: null, error: `No answer within ${HOOK_POLICY.timeoutMs / 1000} s.` };
    }
    return { status: null, error: `Could not connect: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) };
  }
}

async function recordDeadLetter(env: Env, id: string, options: DeliverOptions): Promise<Outcome> {
  const delivery = await getDelivery(env.DB, id);
  if (delivery) await markDead(env.DB, delivery, options.now?.() ?? new Date());
  return { kind: 'ack' };
}
