import { isPlan, type Plan } from '../../shared/plans.ts';
import { generateApiKey, hashApiKey, keyPrefix } from './keys.ts';
import { TENANT_ID } from './tenants.ts';

/**
 * Tenant and key administration as statements, so the same code serves the seeder (through
 * a D1 binding) and the admin command (through `wrangler d1 execute`, local or remote).
 */
export interface Statement {
  readonly sql: string;
  readonly params: readonly (string | number | null)[];
}

export interface TenantInput {
  readonly id: string;
  readonly name: string;
  readonly plan: Plan;
  readonly warehouse?: 'd1' | 'bigquery';
  readonly dataset?: string;
  readonly bqProject?: string | null;
  readonly bqLocation?: string | null;
  readonly maxBytesBilled?: number | null;
  readonly timeZone?: string;
}

/** Problems with a tenant definition, as sentences an admin can act on. */
export function tenantProblems(t: TenantInput): string[] {
  const problems: string[] = [];
  if (!TENANT_ID.test(t.id)) problems.push(`tenant id '${t.id}' must be 1-31 lowercase letters, digits or _, starting with a letter`);
  if (!isPlan(t.plan)) problems.push(`plan '${String(t.plan)}' must be essentials, essentials_plus or professional`);
  const dataset = t.dataset ?? t.id;
  if (t.warehouse === 'bigquery') {
    if (!t.bqProject || !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(t.bqProject))
      problems.push('a BigQuery tenant needs --project, a Google Cloud project id');
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,1023}$/.test(dataset)) problems.push(`dataset '${dataset}' is not a valid BigQuery dataset name`);
  } else if (!TENANT_ID.test(dataset)) {
    problems.push(`dataset '${dataset}' must be 1-31 lowercase letters, digits or _, starting with a letter`);
  }
  if (t.maxBytesBilled != null && (!Number.isSafeInteger(t.maxBytesBilled) || t.maxBytesBilled <= 0)) {
    problems.push('max bytes billed must be a positive whole number');
  }
  return problems;
}

export function upsertTenant(t: TenantInput): Statement {
  return {
    sql: `INSERT INTO tenants (id, name, plan, warehouse, dataset, bq_project, bq_location, max_bytes_billed, time_zone)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan, warehouse = excluded.warehouse,
            dataset = excluded.dataset, bq_project = excluded.bq_project, bq_location = excluded.bq_location,
            max_bytes_billed = excluded.max_bytes_billed, time_zone = excluded.time_zone,
            data_version = tenants.data_version + 1`,
    params: [
      t.id,
      t.name,
      t.plan,
      t.warehouse ?? 'd1',
      t.dataset ?? t.id,
      t.bqProject ?? null,
      t.bqLocation ?? null,
      t.maxBytesBilled ?? null,
      t.timeZone ?? 'UTC',
    ],
  };
}

/** A new key for a tenant. The plaintext is returned once and never stored. */
export async function createKey(
  tenantId: string,
  plan: Plan,
  label: string,
  key = generateApiKey(),
): Promise<{ key: string; id: string; statement: Statement }> {
  const id = `key_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  return {
    key,
    id,
    statement: {
      sql: `INSERT INTO api_keys (id, tenant_id, key_hash, prefix, label, plan) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL`,
      params: [id, tenantId, await hashApiKey(key), keyPrefix(key), label.slice(0, 200), plan],
    },
  };
}

export function revokeKey(keyIdOrPrefix: string): Statement {
  return {
    sql: `UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE (id = ? OR prefix = ?) AND revoked_at IS NULL`,
    params: [keyIdOrPrefix, keyIdOrPrefix],
  };
}

/** Invalidates every cached result of a tenant: cache keys carry the data version. */
export function bumpDataVersion(tenantId: string): Statement {
  return { sql: 'UPDATE tenants SET data_version = data_version + 1 WHERE id = ?', params: [tenantId] };
}

export async function run(db: D1Database, ...statements: Statement[]): Promise<void> {
  await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
}

/** A SQL literal, for statements sent as text through `wrangler d1 execute`. */
export function sqlLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('not a finite number');
    return String(value);
  }
  if (value.includes('\0')) throw new Error('NUL is not allowed in SQL text');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Inlines a statement's parameters, for the admin command only (values are the admin's own). */
export function inline(statement: Statement): string {
  let i = 0;
  return statement.sql.replace(/\?/g, () => sqlLiteral(statement.params[i++] ?? null)).replace(/\s+/g, ' ');
}
