/**
 * The Cron Trigger's half of REST hooks: for each live subscription, read the rows past its
 * cursor (oldest first), store each batch as a pending delivery and put its id on the queue.
 * The cursor is not touched here; only a 2xx at the target moves it (transitions.ts).
 */
import { planRank, type Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { getView } from '../../shared/views/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import type { Query } from '../query/model.ts';
import { tenantFromRow, type Tenant } from '../tenants/tenants.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import type { Warehouse } from '../warehouse/types.ts';
import { feedQuery, feedRows, type Position } from './change-feed.ts';
import { deliveryId, type DeliveryMessage } from './message.ts';
import { disableReason, HOOK_POLICY, isoSeconds } from './policy.ts';
import {
  countInFlight,
  deliveryAfter,
  subscriptionEntries,
  subscriptionFromRow,
  type Subscription,
  type SubscriptionRow,
} from './store.ts';
import { disable, fastForward } from './transitions.ts';

/** What one run did, for logs and tests. */
export interface SchedulerReport {
  subscriptions: number;
  enqueued: number;
  disabled: number;
  errors: number;
}

/** The queue as the scheduler uses it; a test can pass a recorder instead of the binding. */
export type DeliveryQueue = Pick<Queue<DeliveryMessage>, 'send'>;

type DueRow = SubscriptionRow & { key_revoked_at: string | null; key_found: number };

/**
 * One scheduler run at `now` (the cron's scheduled time). Each subscription is handled on its
 * own: a failure with one is logged and the rest carry on.
 */
export async function runScheduler(env: Env, now: Date, queue: DeliveryQueue = env.DELIVERIES): Promise<SchedulerReport> {
  const db = env.DB;
  const { results } = await db
    .prepare(
      `SELECT s.*, k.revoked_at AS key_revoked_at, (k.id IS NOT NULL) AS key_found
       FROM hook_subscriptions s LEFT JOIN api_keys k ON k.id = s.key_id
       WHERE s.status IN ('active', 'failing')
       ORDER BY s.checked_at IS NOT NULL, s.checked_at, s.id LIMIT ?`,
    )
    .bind(HOOK_POLICY.subscriptionsPerRun)
    .all<DueRow>();
  const report: SchedulerReport = { subscriptions: results.length, enqueued: 0, disabled: 0, errors: 0 };
  const tenants = new Map<string, Promise<Tenant | null>>();
  for (const row of results) {
    const sub = subscriptionFromRow(row);
    try {
      let tenant = tenants.get(sub.tenantId);
      if (!tenant) {
        tenant = loadTenant(db, sub.tenantId);
        tenants.set(sub.tenantId, tenant);
      }
      const stop = stopReason(sub, row, await tenant, now);
      if (stop) {
        await disable(db, sub.id, stop, now);
        report.disabled++;
        continue;
      }
      report.enqueued += await follow(env, queue, sub, (await tenant)!, now);
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
      await db.prepare('UPDATE hook_subscriptions SET checked_at = ? WHERE id = ?').bind(isoSeconds(now), sub.id).run();
    }
  }
  return report;
}

async function loadTenant(db: D1Database, id: string): Promise<Tenant | null> {
  const row = await db.prepare('SELECT * FROM tenants WHERE id = ?').bind(id).first<Parameters<typeof tenantFromRow>[0]>();
  return row ? tenantFromRow(row) : null;
}

/** Why a subscription must stop before anything is read, or null. */
function stopReason(sub: Subscription, row: DueRow, tenant: Tenant | null, now: Date): string | null {
  if (!tenant) return 'Disabled: the account this hook belongs to no longer exists.';
  if (!row.key_found || row.key_revoked_at) {
    return 'Disabled: the API key that created this hook was revoked, so its data is no longer sent anywhere. Create the hook again with a current key.';
  }
  if (!getView(sub.view)) return `Disabled: the view '${sub.view}' no longer exists.`;
  if (sub.status === 'failing') return disableReason(sub, now);
  return null;
}

/** The lower of two plans: a hook never reads more than both its key and its account may. */
function lowerPlan(a: Plan, b: Plan): Plan {
  return planRank(a) <= planRank(b) ? a : b;
}

/**
 * Walks forward from the cursor over existing deliveries and new rows, up to
 * HOOK_POLICY.batchesPerRun batches. Returns how many messages were put on the queue.
 */
async function follow(env: Env, queue: DeliveryQueue, sub: Subscription, tenant: Tenant, now: Date): Promise<number> {
  const db = env.DB;
  const view = getView(sub.view)!;
  const query = feedQuery(view, lowerPlan(sub.plan, tenant.plan), subscriptionEntries(sub.filters, sub.select), {
    direction: 'asc',
    limit: HOOK_POLICY.batchRows,
  });
  const warehouse = warehouseFor(env, tenant);
  // Batches delivered out of order may have left the cursor behind; catch it up first.
  let at = await fastForward(db, sub.id, sub.cursor, now);
  let inFlight = await countInFlight(db, sub.id);
  let sent = 0;
  for (let batch = 0; batch < HOOK_POLICY.batchesPerRun; batch++) {
    const existing = await deliveryAfter(db, sub.id, at);
    if (existing) {
      if (existing.status === 'dead') {
        // The target failed the whole retry schedule for this batch. Try it again after a
        // cool-down, and send nothing past it meanwhile: a broken target gets one batch at a time.
        const since = Date.parse(existing.finishedAt ?? existing.createdAt);
        if (now.getTime() - since >= HOOK_POLICY.deadLetterCooldownSeconds * 1000) {
          const revived = await db
            .prepare(
              `UPDATE hook_deliveries SET status = 'pending', enqueued_at = NULL, finished_at = NULL WHERE id = ? AND status = 'dead'`,
            )
            .bind(existing.id)
            .run();
          if (revived.meta.changes > 0 && (await claimAndSend(db, queue, existing.id, sub.id, now))) sent++;
        }
        break;
      }
      if (existing.status === 'pending' && (await claimAndSend(db, queue, existing.id, sub.id, now))) sent++;
      // Pending (on its way) or delivered: its rows are taken care of; look past it.
      at = existing.lastPosition;
      continue;
    }
    // A failing target gets its undelivered batch again and nothing new until one lands.
    if (sub.status === 'failing' || inFlight >= HOOK_POLICY.maxInFlight) break;
    const created = await createDelivery(db, warehouse, view, query, sub, at);
    if (!created) break; // no rows past `at`
    if (await claimAndSend(db, queue, created.id, sub.id, now)) sent++;
    inFlight++;
    at = created.lastPosition;
  }
  return sent;
}

/**
 * Reads the next batch past `after` and stores it as a pending delivery with its exact body.
 * Returns null when there are no new rows.
 */
async function createDelivery(
  db: D1Database,
  warehouse: Warehouse,
  view: ViewDef,
  query: Query,
  sub: Subscription,
  after: string,
): Promise<{ id: string; lastPosition: string } | null> {
  const page = await warehouse.page({ ...query, after: JSON.parse(after) as Position | null }, HOOK_POLICY.batchRows);
  const rows = feedRows(view, query, page);
  if (rows.length === 0) return null;

  // The body is built by hand so the batch can be cut at the byte budget without serialising twice.
  let body = `{"view":${JSON.stringify(view.name)},"subscription_id":${JSON.stringify(sub.id)},"rows":[`;
  let count = 0;
  for (const { json } of rows) {
    if (count > 0 && body.length + json.length + 2 > HOOK_POLICY.batchBytes) break;
    body += (count > 0 ? ',' : '') + json;
    count++;
  }
  body += ']}';
  const first = JSON.stringify(rows[0]!.position);
  const last = JSON.stringify(rows[count - 1]!.position);
  const id = await deliveryId(sub.id, first, last);

  // A cancelled delivery with the same id (a resumed hook) comes back to life; a live one for
  // the same start (another run got here first) is left alone.
  await db
    .prepare(
      `INSERT INTO hook_deliveries (id, subscription_id, after_position, last_position, row_count, payload)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = 'pending', after_position = excluded.after_position, last_position = excluded.last_position,
         row_count = excluded.row_count, payload = excluded.payload, enqueued_at = NULL, finished_at = NULL
         WHERE hook_deliveries.status = 'cancelled'
       ON CONFLICT DO NOTHING`,
    )
    .bind(id, sub.id, after, last, count, body)
    .run();
  const stored = await deliveryAfter(db, sub.id, after);
  return stored ? { id: stored.id, lastPosition: stored.lastPosition } : null;
}

/**
 * Claims a pending delivery for this run and puts it on the queue. The claim is a
 * compare-and-set on enqueued_at, so two overlapping runs do not both send it; one that is
 * already on the queue is only sent again when nothing has been heard of it for
 * stalePendingSeconds (the message was lost).
 */
async function claimAndSend(db: D1Database, queue: DeliveryQueue, id: string, subscriptionId: string, now: Date): Promise<boolean> {
  const stale = isoSeconds(new Date(now.getTime() - HOOK_POLICY.stalePendingSeconds * 1000));
  const claim = await db
    .prepare(
      `UPDATE hook_deliveries SET enqueued_at = ? WHERE id = ? AND status = 'pending'
         AND (enqueued_at IS NULL OR COALESCE(last_attempt_at, enqueued_at) < ?)`,
    )
    .bind(isoSeconds(now), id, stale)
    .run();
  if (claim.meta.changes === 0) return false;
  try {
    await queue.send({ deliveryId: id, subscriptionId });
    return true;
  } catch (err) {
    // Not on the queue after all: unclaim so the next run sends it.
    await db.prepare('UPDATE hook_deliveries SET enqueued_at = NULL WHERE id = ?').bind(id).run();
    throw err;
  }
}
