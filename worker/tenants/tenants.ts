import { isPlan, planRank, PLANS, type Plan } from '../../shared/plans.ts';
import { ApiError } from '../http/errors.ts';
import { DATASET_ID_PATTERN } from '../warehouse/bigquery/dialect.ts';
import { isolateKeyCache, type KeyCache } from './key-cache.ts';
import { constantTimeEqual } from '../encoding/constant-time.ts';
import { isoSeconds } from '../encoding/iso-seconds.ts';
import { hashApiKey } from './keys.ts';
import { DEFAULT_RATE_TIER, isRateTier, type RateTierName } from './rate-tiers.ts';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly plan: Plan;
  readonly warehouse: 'd1' | 'bigquery';
  readonly dataset: string;
  readonly bqProject: string | null;
  readonly bqLocation: string | null;
  readonly maxBytesBilled: number | null;
  readonly timeZone: string;
  readonly dataVersion: number;
  /** Which request limit and export cap apply (worker/tenants/rate-tiers.ts). */
  readonly rateTier: RateTierName;
}

/** Who is calling: the tenant from the key, and the plan the key may use. */
export interface Caller {
  readonly tenant: Tenant;
  readonly plan: Plan;
  readonly keyId: string;
  /** When the key was last recorded as used (recorded at most hourly, to spare D1 a write per request). */
  readonly lastUsedAt: string | null;
}

export const TENANT_ID = /^[a-z][a-z0-9_]{0,30}$/;

interface KeyRow {
  key_id: string;
  last_used_at: string | null;
  key_hash: string;
  key_plan: string;
  revoked_at: string | null;
  id: string;
  name: string;
  plan: string;
  warehouse: string;
  dataset: string;
  bq_project: string | null;
  bq_location: string | null;
  max_bytes_billed: number | null;
  time_zone: string;
  data_version: number;
  rate_tier?: string | null;
}

export function tenantFromRow(row: Omit<KeyRow, 'key_id' | 'key_hash' | 'key_plan' | 'revoked_at' | 'last_used_at'>): Tenant {
  // A D1 dataset is a table-name prefix, held to tenant-id form; a BigQuery dataset is any
  // BigQuery dataset id (`ActivConnect_417001`), as `npm run admin -- tenant add` accepts.
  const dataset = row.warehouse === 'bigquery' ? DATASET_ID_PATTERN : TENANT_ID;
  if (!isPlan(row.plan) || !TENANT_ID.test(row.id) || !dataset.test(row.dataset)) {
    // A corrupt control-plane row must not become a query against an arbitrary table.
    throw new ApiError(500, 'internal', 'This account is misconfigured. Contact the administrator.');
  }
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    warehouse: row.warehouse === 'bigquery' ? 'bigquery' : 'd1',
    dataset: row.dataset,
    bqProject: row.bq_project,
    bqLocation: row.bq_location,
    maxBytesBilled: row.max_bytes_billed,
    timeZone: row.time_zone,
    dataVersion: row.data_version,
    rateTier: isRateTier(row.rate_tier) ? row.rate_tier : DEFAULT_RATE_TIER,
  };
}

/**
 * The plan a key gets: its own, capped at its account's. The API and `npm run admin -- key
 * list` both use this, so the listing shows what the key can read today.
 */
export function effectivePlan(accountPlan: Plan, keyPlan: unknown): Plan {
  const own = isPlan(keyPlan) ? keyPlan : PLANS[0];
  return planRank(own) < planRank(accountPlan) ? own : accountPlan;
}

const unauthorized = (detail: string) =>
  new ApiError(401, 'unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="activconnect-bridge"' });

export interface AuthenticateOptions {
  /** Verified keys, trusted for `maxAgeMs`; the isolate's own cache unless a test passes one. */
  readonly cache?: KeyCache;
  /** 0 asks D1 every time. */
  readonly maxAgeMs: number;
}

const KEY_LOOKUP = `SELECT k.id AS key_id, k.key_hash, k.plan AS key_plan, k.revoked_at, k.last_used_at, t.*
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.key_hash = ?`;

/**
 * Resolves an API key to its caller, or a 401 that says what to fix. A key verified in the
 * last `maxAgeMs` costs no D1 round trip; otherwise one read, through a D1 session that may
 * be served by a nearby read replica (https://developers.cloudflare.com/d1/best-practices/read-replication/).
 * A replica can lag the primary, so a key it does not know yet (created a moment ago) is
 * looked up once more on the primary before the caller is told it is wrong.
 */
export async function authenticate(db: D1Database, key: string, options: AuthenticateOptions): Promise<Caller> {
  if (key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw unauthorized('That API key is not in the right form. Copy the whole key, which starts with acb_.');
  }
  const hash = await hashApiKey(key);
  const cache = options.cache ?? isolateKeyCache;
  const known = options.maxAgeMs > 0 ? cache.get(hash, options.maxAgeMs) : undefined;
  if (known) return known;
  const lookup = (constraint: D1SessionConstraint) => db.withSession(constraint).prepare(KEY_LOOKUP).bind(hash).first<KeyRow>();
  const row = (await lookup('first-unconstrained')) ?? (await lookup('first-primary'));
  if (!row || !constantTimeEqual(row.key_hash, hash)) throw unauthorized('The API key you supplied is incorrect.');
  if (row.revoked_at) throw unauthorized('This API key was revoked. Ask your administrator for a new one.');
  const tenant = tenantFromRow(row);
  const caller: Caller = { tenant, plan: effectivePlan(tenant.plan, row.key_plan), keyId: row.key_id, lastUsedAt: row.last_used_at };
  if (options.maxAgeMs > 0) cache.set(hash, caller);
  return caller;
}

/**
 * Revokes a key in D1 and forgets it in this isolate at once (POST /admin/keys/{id}/revoke).
 * Other isolates stop accepting it when their cached copy ages out (KEY_CACHE_SECONDS).
 * Returns whether a key that was active is now revoked.
 */
export async function revokeKeyHere(db: D1Database, keyId: string, cache: KeyCache = isolateKeyCache): Promise<boolean> {
  const result = await db
    .prepare(`UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND revoked_at IS NULL`)
    .bind(keyId)
    .run();
  cache.forgetKey(keyId);
  return result.meta.changes > 0;
}

/** Records that a key was used, at most once an hour, so admins can find unused keys. */
export async function touchKey(db: D1Database, caller: Caller, now = new Date(), cache: KeyCache = isolateKeyCache): Promise<void> {
  if (caller.lastUsedAt && now.getTime() - Date.parse(caller.lastUsedAt) < 3_600_000) return;
  const at = isoSeconds(now);
  // Noted first: a failing write is not retried on every request while the key is cached.
  cache.noteUsed(caller.keyId, at);
  await db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').bind(at, caller.keyId).run();
}
