/**
 * The numbers behind REST-hook delivery, in one place so the docs, the scheduler, the queue
 * consumer and the tests agree on them.
 */
export const HOOK_POLICY = {
  /** Rows per delivery: what Zapier and Make handle comfortably in one webhook call. */
  batchRows: 100,
  /** Characters per delivery body (JSON, mostly ASCII, so about bytes); a batch of wide rows is cut short rather than sent huge. */
  batchBytes: 256 * 1024,
  /**
   * Batches in flight (on the queue or being retried) across all of one account's hooks. Each
   * hook has at most one (the next batch is read only once the last has landed, which is what
   * keeps its order); a hook that finds the account at its ceiling waits its turn, oldest first.
   * It bounds what one account asks of the warehouse and of the queue at once.
   */
  maxInFlightPerAccount: 10,
  /** Subscriptions one scheduler run looks at (least recently checked first). */
  subscriptionsPerRun: 200,
  /** Each POST to a target gives up after this long. */
  timeoutMs: 15_000,
  /** First retry delay; doubled per attempt. */
  backoffBaseSeconds: 30,
  backoffMaxSeconds: 3600,
  /**
   * The longest a receiver's Retry-After (on 429 or 503) is honoured: an hour, the longest
   * backoff step. Below the queue's own 12-hour cap on a retry's delaySeconds
   * (https://developers.cloudflare.com/queues/platform/limits/) and below stalePendingSeconds,
   * so a delivery waiting out a Retry-After is never taken for a lost one and sent twice.
   */
  retryAfterMaxSeconds: 3600,
  /**
   * A delivery put on the queue and not heard of for this long is assumed lost and put on the
   * queue again. Longer than the whole retry schedule (about 2 h with max_retries 8).
   */
  stalePendingSeconds: 3 * 3600,
  /** After a dead letter, the scheduler sends the batch again no sooner than this. */
  deadLetterCooldownSeconds: 30 * 60,
  /** A subscription is disabled after this many dead letters in a row... */
  maxDeadLetters: 5,
  /** ...or after failing without a single success for this long, whichever comes first. */
  maxFailingSeconds: 24 * 3600,
} as const;

/**
 * Seconds before the next try of a delivery that has been tried `attempts` times (1 after the
 * first failure): 30 s, 1 min, 2 min ... capped at an hour. With max_retries 8 the whole
 * schedule spans about two hours before the message is dead-lettered, long enough to ride out
 * a deploy or a short outage at the receiver.
 */
export function backoffSeconds(attempts: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 20));
  return Math.min(HOOK_POLICY.backoffBaseSeconds * 2 ** exponent, HOOK_POLICY.backoffMaxSeconds);
}

/** RFC 9110's three HTTP-date forms: IMF-fixdate, the obsolete RFC 850 form, and asctime. */
const HTTP_DATE = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/**
 * A Retry-After header as seconds from `now`: delay-seconds or an HTTP-date (RFC 9110,
 * section 10.2.3). Null when absent or unreadable; a date in the past is 0.
 *
 * @example retryAfterSeconds('120', now) // 120
 * @example retryAfterSeconds('Wed, 21 Oct 2026 07:28:00 GMT', now) // seconds until then
 */
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value);
  if (!HTTP_DATE.some((form) => form.test(value))) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Seconds before the next try after a failed attempt. A 429 or 503 with a Retry-After gets
 * what the receiver asked for, up to HOOK_POLICY.retryAfterMaxSeconds; everything else the
 * exponential backoff.
 */
export function retryDelaySeconds(attempts: number, status: number | null, retryAfter: number | null): number {
  if ((status === 429 || status === 503) && retryAfter !== null) return Math.min(retryAfter, HOOK_POLICY.retryAfterMaxSeconds);
  return backoffSeconds(attempts);
}

/** Why a failing subscription should now be disabled, or null to keep trying. */
export function disableReason(sub: { deadLetters: number; failingSince: string | null }, now: Date): string | null {
  if (sub.deadLetters >= HOOK_POLICY.maxDeadLetters) {
    return `Disabled after ${sub.deadLetters} batches in a row exhausted their retries. Fix the target, then POST /v1/hooks/{id}/resume; undelivered rows are kept.`;
  }
  if (sub.failingSince && now.getTime() - Date.parse(sub.failingSince) >= HOOK_POLICY.maxFailingSeconds * 1000) {
    return `Disabled after failing since ${sub.failingSince} (${HOOK_POLICY.maxFailingSeconds / 3600} h) without a successful delivery. Fix the target, then POST /v1/hooks/{id}/resume; undelivered rows are kept.`;
  }
  return null;
}
