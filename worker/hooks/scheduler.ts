/**
 * The Cron Trigger's half of REST hooks: it only finds work (drain.ts). For each live
 * subscription it stores the next batch when the hook has none in flight, brings a dead batch
 * back after its cool-down, and notices messages the queue lost; then it hands each account's
 * waiting batches to the queue within the account's ceiling. A backlog then drains through the
 * queue consumer, which reads each next batch as soon as the last one lands. The cursor is not
 * touched here; only a 2xx at the target moves it (transitions.ts).
 */
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import type { Tenant } from '../tenants/tenants.ts';
import { dispatch, prepareNext, stopReason, type DeliveryQueue } from './drain.ts';
import { HOOK_POLICY } from './policy.ts';
import { dueSubscriptions, getTenant, liveDelivery, markChecked, reviveDead, type Subscription } from './store.ts';
import { disable, fastForward } from './transitions.ts';

export type { DeliveryQueue } from './drain.ts';

/** What one run did, for logs and tests. */
export interface SchedulerReport {
  subscriptions: number;
  enqueued: number;
  disabled: number;
  errors: number;
}

/**
 * One scheduler run at `now` (the cron's scheduled time). Each subscription is handled on its
 * own: a failure with one is logged and the rest carry on.
 */
export async function runScheduler(env: Env, now: Date, queue: DeliveryQueue = env.DELIVERIES): Promise<SchedulerReport> {
  const db = env.DB;
  const due = await dueSubscriptions(db, HOOK_POLICY.subscriptionsPerRun);
  const report: SchedulerReport = { subscriptions: due.length, enqueued: 0, disabled: 0, errors: 0 };
  const tenants = new Map<string, Promise<Tenant | null>>();
  for (const sub of due) {
    try {
      let tenant = tenants.get(sub.tenantId);
      if (!tenant) {
        tenant = getTenant(db, sub.tenantId);
        tenants.set(sub.tenantId, tenant);
      }
      const stop = stopReason(sub, sub.keyFound, await tenant, now);
      if (stop) {
        await disable(db, sub.id, stop, now);
        report.disabled++;
        continue;
      }
      await findWork(env, sub, (await tenant)!, now);
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) {
        // The stored filters no longer parse for this plan or view: the subscriber must act.
        await disable(db, sub.id, `Disabled: ${err.message}`, now);
        report.disabled++;
      } else {
        report.errors++;
        console.error('hook scheduler failed for a subscription', sub.id, err instanceof Error ? err.message : String(err));
      }
    } finally {
      await markChecked(db, sub.id, now);
    }
  }
  for (const [tenantId, tenant] of tenants) {
    if (!(await tenant)) continue;
    try {
      report.enqueued += await dispatch(db, queue, tenantId, now);
    } catch (err) {
      report.errors++;
      console.error('hook scheduler could not enqueue for an account', tenantId, err instanceof Error ? err.message : String(err));
    }
  }
  return report;
}

/** Leaves the hook with its next batch waiting for a slot, when it has work and none in flight. */
async function findWork(env: Env, sub: Subscription, tenant: Tenant, now: Date): Promise<void> {
  // Batches that landed before the one in front of them (older deployments sent several at
  // once) may have left the cursor behind; catch it up first.
  const at = await fastForward(env.DB, sub.id, sub.cursor, now);
  const live = await liveDelivery(env.DB, sub.id);
  if (live?.status === 'dead') {
    // The target failed the whole retry schedule for this batch. Try it again after a
    // cool-down, and send nothing past it meanwhile: a broken target gets one batch at a time.
    const since = Date.parse(live.finishedAt ?? live.createdAt);
    if (now.getTime() - since >= HOOK_POLICY.deadLetterCooldownSeconds * 1000) await reviveDead(env.DB, live.id);
    return;
  }
  // A pending batch is on its way, or waiting for a slot, or lost on the queue: dispatch()
  // tells those apart. A failing hook gets its undelivered batch again and nothing new.
  if (live || sub.status !== 'active') return;
  await prepareNext(env, sub, tenant, at);
}
