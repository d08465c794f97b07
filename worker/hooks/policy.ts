/**
 * The numbers behind REST-hook delivery, in one place so the docs, the scheduler, the queue
 * consumer and the tests agree on them.
 */
export const HOOK_POLICY = {
  /** Rows per delivery: what Zapier and Make handle comfortably in one webhook call. */
  batchRows: 100,
  /** Characters per delivery body (JSON, mostly ASCII, so about bytes); a batch of wide rows is cut short rather than sent huge. */
  batchBytes: 256 * 1024,
  /** Batches one subscription may get per scheduler run, so one busy hook cannot starve the rest. */
  batchesPerRun: 5,
  /** Deliveries one subscription may have on the queue at once. */
  maxInFlight: 5,
  /** Subscriptions one scheduler run looks at (least recently checked first). */
  subscriptionsPerRun: 200,
  /** Each POST to a target gives up after this long. */
  timeoutMs: 15_000,
  /** First retry delay; doubled per attempt. */
  backoffBaseSeconds: 30,
  backoffMaxSeconds: 3600,
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

/** ISO 8601 in UTC to the second, the form every timestamp column in D1 uses. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
