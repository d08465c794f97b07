/**
 * Hook subscriptions and deliveries in D1 (migrations/0002_hooks.sql). Every read a request
 * makes is scoped by tenant in SQL, so another tenant's hook is simply not found.
 */
import { isPlan, type Plan } from '../../shared/plans.ts';
import type { Position } from './change-feed.ts';

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
}

export interface SubscriptionRow {
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
}

export function subscriptionFromRow(row: SubscriptionRow): Subscription {
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
  };
}

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
  'id' | 'tenantId' | 'keyId' | 'plan' | 'view' | 'targetUrl' | 'secret' | 'filters'
> {
  readonly select: readonly string[] | null;
  readonly cursor: Position | null;
}

export async function insertSubscription(db: D1Database, s: NewSubscription): Promise<Subscription> {
  const row = await db
    .prepare(
      `INSERT INTO hook_subscriptions (id, tenant_id, key_id, plan, view, target_url, secret, filters, select_columns, cursor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
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
    )
    .first<SubscriptionRow>();
  return subscriptionFromRow(row!);
}

export async function getSubscription(db: D1Database, tenantId: string, id: string): Promise<Subscription | null> {
  const row = await db
    .prepare('SELECT * FROM hook_subscriptions WHERE id = ? AND tenant_id = ?')
    .bind(id, tenantId)
    .first<SubscriptionRow>();
  return row ? subscriptionFromRow(row) : null;
}

export async function listSubscriptions(db: D1Database, tenantId: string): Promise<Subscription[]> {
  const { results } = await db
    .prepare('SELECT * FROM hook_subscriptions WHERE tenant_id = ? ORDER BY created_at, id')
    .bind(tenantId)
    .all<SubscriptionRow>();
  return results.map(subscriptionFromRow);
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

export async function countInFlight(db: D1Database, subscriptionId: string): Promise<number> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM hook_deliveries WHERE subscription_id = ? AND status = 'pending'`)
    .bind(subscriptionId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The delivery log of one hook, newest first. The caller has already checked the tenant. */
export async function listDeliveries(db: D1Database, subscriptionId: string, limit: number): Promise<Delivery[]> {
  const { results } = await db
    .prepare('SELECT * FROM hook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?')
    .bind(subscriptionId, limit)
    .all<DeliveryRow>();
  return results.map(deliveryFromRow);
}
