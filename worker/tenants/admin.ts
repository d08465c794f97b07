import { isPlan, planIncludes, PLANS, type Plan } from '../../shared/plans.ts';
import { DATASET_ID_PATTERN, PROJECT_PATTERN } from '../warehouse/bigquery/dialect.ts';
import { generateApiKey, hashApiKey, keyPrefix } from './keys.ts';
import { RATE_TIER_NAMES, isRateTier, type RateTierName } from './rate-tiers.ts';
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
  /** Left out: 'standard' for a new account, unchanged for an existing one. */
  readonly rateTier?: RateTierName;
}

/**
 * Problems with a tenant definition, as sentences an admin can act on. The BigQuery checks are
 * the ones the API applies when it serves the account, so an account saved here is one it can serve.
 */
export function tenantProblems(t: TenantInput): string[] {
  const problems: string[] = [];
  if (!TENANT_ID.test(t.id)) problems.push(`tenant id '${t.id}' must be 1-31 lowercase letters, digits or _, starting with a letter`);
  if (!isPlan(t.plan)) problems.push(`plan '${String(t.plan)}' must be essentials, essentials_plus or professional`);
  const dataset = t.dataset ?? t.id;
  if (t.warehouse === 'bigquery') {
    if (!t.bqProject) problems.push('a BigQuery tenant needs --project, the Google Cloud project id that holds its dataset');
    else if (!PROJECT_PATTERN.test(t.bqProject)) {
      problems.push(
        `project '${t.bqProject}' is not a valid Google Cloud project id: 6-30 lowercase letters, digits or hyphens, ` +
          'starting with a letter and not ending with a hyphen, such as my-gcp-project',
      );
    }
    if (!DATASET_ID_PATTERN.test(dataset)) problems.push(`dataset '${dataset}' is not a valid BigQuery dataset name`);
    if (t.bqLocation != null && !/^[A-Za-z0-9-]{2,40}$/.test(t.bqLocation)) {
      problems.push(`location '${t.bqLocation}' is not a BigQuery location, such as US, EU or europe-west2`);
    }
    if (t.maxBytesBilled != null && (!Number.isSafeInteger(t.maxBytesBilled) || t.maxBytesBilled <= 0)) {
      problems.push('--max-bytes-billed must be a positive whole number of bytes, such as 10000000000 for 10 GB');
    }
  } else {
    if (!TENANT_ID.test(dataset)) problems.push(`dataset '${dataset}' must be 1-31 lowercase letters, digits or _, starting with a letter`);
    // Settings a D1 tenant never reads: given, they mean the admin forgot --warehouse bigquery.
    const bigQueryOnly = [
      t.bqProject != null && '--project',
      t.bqLocation != null && '--location',
      t.maxBytesBilled != null && '--max-bytes-billed',
    ].filter((flag) => flag !== false);
    if (bigQueryOnly.length) {
      problems.push(
        `${bigQueryOnly.join(', ')} only ${bigQueryOnly.length > 1 ? 'apply' : 'applies'} to BigQuery tenants: add --warehouse bigquery`,
      );
    }
  }
  if (t.rateTier !== undefined && !isRateTier(t.rateTier)) {
    problems.push(`rate tier '${String(t.rateTier)}' must be ${RATE_TIER_NAMES.slice(0, -1).join(', ')} or ${RATE_TIER_NAMES.at(-1)}`);
  }
  if (t.timeZone !== undefined && !isTimeZone(t.timeZone)) {
    problems.push(`time zone '${t.timeZone}' is not an IANA time zone name, such as America/New_York or UTC`);
  }
  return problems;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a key may not have `keyPlan`, or undefined when it may. A key can be limited to a plan
 * below its account's, never raised above it: the API would cap it at the account's plan, so
 * the admin would be told a plan the key does not get.
 */
export function keyPlanProblem(tenant: { readonly id: string; readonly plan: Plan }, keyPlan: Plan): string | undefined {
  if (planIncludes(tenant.plan, keyPlan)) return undefined;
  const allowed = PLANS.filter((plan) => planIncludes(tenant.plan, plan));
  return (
    `a key's plan cannot be above its account's: ${tenant.id} is on ${tenant.plan}, so --plan can be ` +
    `${allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0]} (or leave it out)`
  );
}

export function upsertTenant(t: TenantInput): Statement {
  return {
    sql: `INSERT INTO tenants (id, name, plan, warehouse, dataset, bq_project, bq_location, max_bytes_billed, time_zone, rate_tier)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, 'standard'))
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, plan = excluded.plan, warehouse = excluded.warehouse,
            dataset = excluded.dataset, bq_project = excluded.bq_project, bq_location = excluded.bq_location,
            max_bytes_billed = excluded.max_bytes_billed, time_zone = excluded.time_zone,
            rate_tier = coalesce(?, tenants.rate_tier), data_version = tenants.data_version + 1`,
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
      t.rateTier ?? null,
      t.rateTier ?? null,
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
function sqlLiteral(value: string | number | null): string {
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
