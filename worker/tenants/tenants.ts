import { isPlan, planRank, PLANS, type Plan } from '../../shared/plans.ts';
import { ApiError } from '../http/errors.ts';
import { DATASET_ID_PATTERN } from '../warehouse/bigquery/dialect.ts';
import { constantTimeEqual, hashApiKey } from './keys.ts';

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
  };
}

const unauthorized = (detail: string) =>
  new ApiError(401, 'unauthorized', detail, {}, { 'www-authenticate': 'Bearer realm="activconnect-bridge"' });

/** Resolves an API key to its caller, or a 401 that says what to fix. */
export async function authenticate(db: D1Database, key: string): Promise<Caller> {
  if (key.length < 8 || key.length > 200 || !/^[\x21-\x7e]+$/.test(key)) {
    throw unauthorized('That API key is not in the right form. Copy the whole key, which starts with acb_.');
  }
  const hash = await hashApiKey(key);
  const row = await db
    .prepare(
      `SELECT k.id AS key_id, k.key_hash, k.plan AS key_plan, k.revoked_at, k.last_used_at, t.*
       FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.key_hash = ?`,
    )
    .bind(hash)
    .first<KeyRow>();
  if (!row || !constantTimeEqual(row.key_hash, hash)) throw unauthorized('The API key you supplied is incorrect.');
  if (row.revoked_at) throw unauthorized('This API key was revoked. Ask your administrator for a new one.');
  const tenant = tenantFromRow(row);
  const keyPlan = isPlan(row.key_plan) ? row.key_plan : PLANS[0];
  const plan = planRank(keyPlan) < planRank(tenant.plan) ? keyPlan : tenant.plan;
  return { tenant, plan, keyId: row.key_id, lastUsedAt: row.last_used_at };
}

/** Records that a key was used, at most once an hour, so admins can find unused keys. */
export async function touchKey(db: D1Database, caller: Caller, now = new Date()): Promise<void> {
  if (caller.lastUsedAt && now.getTime() - Date.parse(caller.lastUsedAt) < 3_600_000) return;
  await db
    .prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
    .bind(now.toISOString().slice(0, 19) + 'Z', caller.keyId)
    .run();
}
