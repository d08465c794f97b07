/**
 * Hook subscriptions and deliveries in D1 (migrations/0002_hooks.sql, 0005_hooks_drain.sql):
 * every read and insert of the hook tables, and the one tenant lookup the hooks make. State
 * changes are in transitions.ts. Every read a request makes is scoped by tenant in SQL, so
 * another tenant's hook is simply not found.
 */
import { isPlan, type Plan } from '../../shared/plans.ts';
import { tenantFromRow, type Tenant } from '../tenants/tenants.ts';
import type { Position } from './change-feed.ts';
import { isoSeconds } from '../encoding/iso-seconds.ts';
import { HOOK_POLICY } from './policy.ts';

export const SUBSCRIPTION_STATUSES = ['active', 'failing', 'disabled', 'unsubscribed'] as const;
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Filters as the subscriber wrote them: `{column: "op.value"}`, a list for several on one column. */
export type HookFilters = Record<string, string | string[]>;

export interface Subscription {
  readonly id: string;
  readonly tenantId: string;
  readonly keyId: string;
  readonly plan: Plan;
  readonly view: string;
  readonly targetUrl: string;
  readonly secret: string;
  readonly filters: HookFilters;
  readonly select: string[] | null;
  readonly cursor: string;
  readonly status: SubscriptionStatus;
  readonly statusReason: string | null;
  readonly failingSince: string | null;
  readonly consecutiveFailures: number;
  readonly deadLetters: number;
  readonly lastSuccessAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * Headers the target requires on every delivery (Make's `x-make-apikey`). Write-only: sent,
   * never shown by a route (hookJson leaves it out) nor written to a log.
   */
  readonly targetHeaders: Readonly<Record<string, string>>;
  /** The creating key's plan today, or null when that key is revoked or gone. */
  readonly keyPlan: Plan | null;
}

interface SubscriptionRow {
  id: string;
  tenant_id: string;
  key_id: string;
  plan: string;
  view: string;
  target_url: string;
  secret: string;
  filters: string;
  select_columns: string | null;
  cursor: string;
  status: string;
  status_reason: string | null;
  failing_since: string | null;
  consecutive_failures: number;
  dead_letters: number;
  last_success_at: string | null;
  created_at: string;
  updated_at: string;
  target_headers: string | null;
}

/** A subscription row joined with its key (SUBSCRIPTION_SELECT). */
interface JoinedRow extends SubscriptionRow {
  key_plan: string | null;
}

/**
 * Every read of a subscription joins its key, so the plan it reads with (visibility.ts) is
 * known wherever the subscription is: a revoked key counts as no key.
 */
const SUBSCRIPTION_SELECT = `SELECT s.*, CASE WHEN k.revoked_at IS NULL THEN k.plan END AS key_plan
  FROM hook_subscriptions s LEFT JOIN api_keys k ON k.id = s.key_id`;

function subscriptionFromRow(row: SubscriptionRow, keyPlan: string | null): Subscription {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    keyId: row.key_id,
    // A corrupt plan reads as the lowest, so a bad row can only ever show fewer columns.
    plan: isPlan(row.plan) ? row.plan : 'essentials',
    view: row.view,
    targetUrl: row.target_url,
    secret: row.secret,
    filters: JSON.parse(row.filters) as HookFilters,
    select: row.select_columns === null ? null : (JSON.parse(row.select_columns) as string[]),
    cursor: row.cursor,
    status: row.status as SubscriptionStatus,
    statusReason: row.status_reason,
    failingSince: row.failing_since,
    consecutiveFailures: row.consecutive_failures,
    deadLetters: row.dead_letters,
    lastSuccessAt: row.last_success_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    targetHeaders: row.target_headers === null ? {} : (JSON.parse(row.target_headers) as Record<string, string>),
    keyPlan: keyPlan !== null && isPlan(keyPlan) ? keyPlan : null,
  };
}

const fromJoined = (row: JoinedRow) => subscriptionFromRow(row, row.key_plan);

/** The entries parseQuery reads, rebuilt from a stored subscription. */
export function subscriptionEntries(filters: HookFilters, select: readonly string[] | null): [string, string][] {
  const entries: [string, string][] = [];
  for (const [column, spec] of Object.entries(filters)) {
    for (const one of Array.isArray(spec) ? spec : [spec]) entries.push([column, one]);
  }
  if (select) entries.push(['select', select.join(',')]);
  return entries;
}

/** What creating a hook supplies; status, failure counts and times start at their defaults. */
export interface NewSubscription extends Pick<
  Subscription,
  'id' | 'tenantId' | 'keyId' | 'plan' | 'view' | 'targetUrl' | 'secret' | 'filters' | 'targetHeaders'
> {
  readonly select: readonly string[] | null;
  readonly cursor: Position | null;
}

/**
 * Inserts a hook unless its account already has `cap` of them, in one statement: SQLite runs
 * a statement alone, so the count and the insert cannot be split by a concurrent POST (two
 * requests checking, then both inserting, is how 130 parallel POSTs once made 135 hooks).
 * Null when the account is full.
 */
export async function insertSubscriptionWithinCap(db: D1Database, s: NewSubscription, cap: number): Promise<Subscription | null> {
  const row = await db
    .prepare(
      `INSERT INTO hook_subscriptions (id, tenant_id, key_id, plan, view, target_url, secret, filters, select_columns, cursor, target_headers)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
       WHERE (SELECT COUNT(*) FROM hook_subscriptions WHERE tenant_id = ?) < ?
       RETURNING *`,
    )
    .bind(
      s.id,
      s.tenantId,
      s.keyId,
      s.plan,
      s.view,
      s.targetUrl,
      s.secret,
      JSON.stringify(s.filters),
      s.select ? JSON.stringify(s.select) : null,
      JSON.stringify(s.cursor),
      Object.keys(s.targetHeaders).length > 0 ? JSON.stringify(s.targetHeaders) : null,
      s.tenantId,
      cap,
    )
    .first<SubscriptionRow>();
  return row ? subscriptionFromRow(row, s.plan) : null;
}

export async function getSubscription(db: D1Database, tenantId: string, id: string): Promise<Subscription | null> {
  const row = await db.prepare(`${SUBSCRIPTION_SELECT} WHERE s.id = ? AND s.tenant_id = ?`).bind(id, tenantId).first<JoinedRow>();
  return row ? fromJoined(row) : null;
}

/** A subscription by id alone, for the queue consumer, which has no caller. */
export async function getSubscriptionById(db: D1Database, id: string): Promise<Subscription | null> {
  const row = await db.prepare(`${SUBSCRIPTION_SELECT} WHERE s.id = ?`).bind(id).first<JoinedRow>();
  return row ? fromJoined(row) : null;
}

export async function listSubscriptions(db: D1Database, tenantId: string): Promise<Subscription[]> {
  const { results } = await db
    .prepare(`${SUBSCRIPTION_SELECT} WHERE s.tenant_id = ? ORDER BY s.created_at, s.id`)
    .bind(tenantId)
    .all<JoinedRow>();
  return results.map(fromJoined);
}

/**
 * The live subscriptions one scheduler run looks at, least recently checked first, so a long
 * list is served fairly across runs. `keyFound` tells a revoked key from a deleted one.
 */
export async function dueSubscriptions(db: D1Database, limit: number): Promise<(Subscription & { keyFound: boolean })[]> {
  const { results } = await db
    .prepare(
      `${SUBSCRIPTION_SELECT.replace('SELECT s.*,', 'SELECT s.*, (k.id IS NOT NULL) AS key_found,')}
       WHERE s.status IN ('active', 'failing') ORDER BY s.checked_at IS NOT NULL, s.checked_at, s.id LIMIT ?`,
    )
    .bind(limit)
    .all<JoinedRow & { key_found: number }>();
  return results.map((row) => ({ ...fromJoined(row), keyFound: row.key_found === 1 }));
}

/** Records that a scheduler run has looked at a subscription. */
export async function markChecked(db: D1Database, id: string, now: Date): Promise<void> {
  await db.prepare('UPDATE hook_subscriptions SET checked_at = ? WHERE id = ?').bind(isoSeconds(now), id).run();
}

/** The account a hook belongs to, or null when it no longer exists. */
export async function getTenant(db: D1Database, id: string): Promise<Tenant | null> {
  const row = await db.prepare('SELECT * FROM tenants WHERE id = ?').bind(id).first<Parameters<typeof tenantFromRow>[0]>();
  return row ? tenantFromRow(row) : null;
}

/** Deletes a hook and, by cascade, its delivery log. True when there was one to delete. */
export async function deleteSubscription(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM hook_subscriptions WHERE id = ? AND tenant_id = ?').bind(id, tenantId).run();
  return result.meta.changes > 0;
}

export interface Delivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly afterPosition: string;
  readonly lastPosition: string;
  readonly rowCount: number;
  readonly payload: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly enqueuedAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly finishedAt: string | null;
  readonly createdAt: string;
  /** When the queue hands a failed delivery back for its next attempt; null while none is due. */
  readonly nextAttemptAt: string | null;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  after_position: string;
  last_position: string;
  row_count: number;
  payload: string | null;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  enqueued_at: string | null;
  last_attempt_at: string | null;
  finished_at: string | null;
  created_at: string;
  next_attempt_at: string | null;
}

function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    afterPosition: row.after_position,
    lastPosition: row.last_position,
    rowCount: row.row_count,
    payload: row.payload,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    enqueuedAt: row.enqueued_at,
    lastAttemptAt: row.last_attempt_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
  };
}

/** The live (not cancelled) delivery that starts at a position, if any. */
export async function deliveryAfter(db: D1Database, subscriptionId: string, after: string): Promise<Delivery | null> {
  const row = await db
    .prepare(`SELECT * FROM hook_deliveries WHERE subscription_id = ? AND after_position = ? AND status <> 'cancelled'`)
    .bind(subscriptionId, after)
    .first<DeliveryRow>();
  return row ? deliveryFromRow(row) : null;
}

export async function getDelivery(db: D1Database, id: string): Promise<Delivery | null> {
  const row = await db.prepare('SELECT * FROM hook_deliveries WHERE id = ?').bind(id).first<DeliveryRow>();
  return row ? deliveryFromRow(row) : null;
}

/**
 * The hook's batch that is not finished (pending, or dead and waiting to be tried again), if
 * any. There is at most one: the next batch is only read once this one has landed.
 */
export async function liveDelivery(db: D1Database, subscriptionId: string): Promise<Delivery | null> {
  const row = await db
    .prepare(`SELECT * FROM hook_deliveries WHERE subscription_id = ? AND status IN ('pending', 'dead') ORDER BY created_at, rowid LIMIT 1`)
    .bind(subscriptionId)
    .first<DeliveryRow>();
  return row ? deliveryFromRow(row) : null;
}

export interface NewDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly afterPosition: string;
  readonly lastPosition: string;
  readonly rowCount: number;
  readonly payload: string;
}

/**
 * Stores a batch as pending, not yet on the queue, unless the hook already has a live one or
 * its cursor is no longer where the batch starts. The check and the insert are one statement,
 * so the cron and a queue consumer continuing the same hook can never put two batches of
 * one hook in flight. A cancelled delivery with the same id (a resumed hook) comes back to life.
 * True when the batch was stored.
 */
export async function insertNextDelivery(db: D1Database, d: NewDelivery): Promise<boolean> {
  const row = await db
    .prepare(
      `INSERT INTO hook_deliveries (id, subscription_id, after_position, last_position, row_count, payload)
       SELECT ?, ?, ?, ?, ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM hook_deliveries WHERE subscription_id = ? AND status IN ('pending', 'dead'))
         AND EXISTS (SELECT 1 FROM hook_subscriptions WHERE id = ? AND cursor = ? AND status = 'active')
       ON CONFLICT (id) DO UPDATE SET status = 'pending', after_position = excluded.after_position, last_position = excluded.last_position,
         row_count = excluded.row_count, payload = excluded.payload, attempts = 0, last_status_code = NULL, last_error = NULL,
         enqueued_at = NULL, last_attempt_at = NULL, next_attempt_at = NULL, finished_at = NULL
         WHERE hook_deliveries.status = 'cancelled'
       ON CONFLICT DO NOTHING
       RETURNING id`,
    )
    .bind(
      d.id,
      d.subscriptionId,
      d.afterPosition,
      d.lastPosition,
      d.rowCount,
      d.payload,
      d.subscriptionId,
      d.subscriptionId,
      d.afterPosition,
    )
    .first<{ id: string }>();
  return row !== null;
}

/** A dead batch, after its cool-down, becomes pending again and waits for a slot. */
export async function reviveDead(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(`UPDATE hook_deliveries SET status = 'pending', enqueued_at = NULL, finished_at = NULL WHERE id = ? AND status = 'dead'`)
    .bind(id)
    .run();
}

/** A claim older than this, with no attempt since, is taken to be a lost queue message. */
function staleBefore(now: Date): string {
  return isoSeconds(new Date(now.getTime() - HOOK_POLICY.stalePendingSeconds * 1000));
}

/**
 * An account's batches that are waiting for a slot (never put on the queue, or lost on it),
 * oldest first: the order in which the account's hooks take free slots.
 */
export async function waitingDeliveries(
  db: D1Database,
  tenantId: string,
  now: Date,
  limit: number,
): Promise<{ id: string; subscriptionId: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.subscription_id FROM hook_deliveries d JOIN hook_subscriptions s ON s.id = d.subscription_id
       WHERE s.tenant_id = ? AND s.status IN ('active', 'failing') AND d.status = 'pending'
         AND (d.enqueued_at IS NULL OR COALESCE(d.last_attempt_at, d.enqueued_at) < ?)
       ORDER BY d.created_at, d.rowid LIMIT ?`,
    )
    .bind(tenantId, staleBefore(now), limit)
    .all<{ id: string; subscription_id: string }>();
  return results.map((r) => ({ id: r.id, subscriptionId: r.subscription_id }));
}

/**
 * Claims a waiting delivery for the queue: a compare-and-set on enqueued_at, so two runs do
 * not both send it, that also holds the account under `ceiling` batches in flight (counted in
 * the same statement, so concurrent claims cannot overshoot it). True when claimed.
 */
export async function claimForQueue(db: D1Database, id: string, tenantId: string, ceiling: number, now: Date): Promise<boolean> {
  const stale = staleBefore(now);
  const claim = await db
    .prepare(
      `UPDATE hook_deliveries SET enqueued_at = ? WHERE id = ? AND status = 'pending'
         AND (enqueued_at IS NULL OR COALESCE(last_attempt_at, enqueued_at) < ?)
         AND (SELECT COUNT(*) FROM hook_deliveries d JOIN hook_subscriptions s ON s.id = d.subscription_id
              WHERE s.tenant_id = ? AND d.status = 'pending' AND d.id <> ?
                AND d.enqueued_at IS NOT NULL AND COALESCE(d.last_attempt_at, d.enqueued_at) >= ?) < ?`,
    )
    .bind(isoSeconds(now), id, stale, tenantId, id, stale, ceiling)
    .run();
  return claim.meta.changes > 0;
}

/** The queue refused the message: the delivery waits for a slot again. */
export async function unclaim(db: D1Database, id: string): Promise<void> {
  await db.prepare('UPDATE hook_deliveries SET enqueued_at = NULL WHERE id = ?').bind(id).run();
}

/** The delivery log of one hook, newest first. The caller has already checked the tenant. */
export async function listDeliveries(db: D1Database, subscriptionId: string, limit: number): Promise<Delivery[]> {
  const { results } = await db
    .prepare('SELECT * FROM hook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
    .bind(subscriptionId, limit)
    .all<DeliveryRow>();
  return results.map(deliveryFromRow);
}
