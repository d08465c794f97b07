import { ApiError } from '../http/errors.ts';
import { RATE_TIERS } from './rate-tiers.ts';
import type { Tenant } from './tenants.ts';

/** A lease its isolate never released (it was evicted mid-export) stops counting after this. */
export const EXPORT_LEASE_SECONDS = 15 * 60;
/** What a refused export is told to wait: exports of the demo's largest view take about this long. */
const RETRY_AFTER_SECONDS = 30;

export interface ExportLease {
  /** Idempotent; never throws (a failed release expires on its own). */
  release(): Promise<void>;
}

const NO_LEASE: ExportLease = { release: async () => undefined };

/**
 * Claims one of the account's concurrent-export slots (its tier's `concurrentExports`), or
 * throws a 429. The count lives in D1, not in the isolate, because a Worker runs in many
 * isolates at once and a per-isolate count would multiply the cap by their number. The
 * expired-lease sweep and the conditional insert run in one batch, which D1 runs as one
 * transaction, so concurrent claims cannot both take the last slot. If D1 cannot answer, the
 * export goes ahead and the failure is logged: the cap protects the warehouse, and a broken
 * control plane should not also break exports from BigQuery.
 */
export async function acquireExportLease(db: D1Database, tenant: Tenant, view: string, now = Date.now()): Promise<ExportLease> {
  const slots = RATE_TIERS[tenant.rateTier].concurrentExports;
  const id = crypto.randomUUID();
  const at = new Date(now).toISOString();
  const expires = new Date(now + EXPORT_LEASE_SECONDS * 1000).toISOString();
  let claimed: boolean;
  try {
    const [, insert] = await db.batch([
      db.prepare('DELETE FROM export_leases WHERE tenant_id = ? AND expires_at <= ?').bind(tenant.id, at),
      db
        .prepare(
          `INSERT INTO export_leases (id, tenant_id, view, started_at, expires_at)
           SELECT ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM export_leases WHERE tenant_id = ?) < ?`,
        )
        .bind(id, tenant.id, view, at, expires, tenant.id, slots),
    ]);
    claimed = (insert?.meta.changes ?? 0) > 0;
  } catch (err) {
    console.warn('export lease unavailable; export let through', tenant.id, err instanceof Error ? err.message : err);
    return NO_LEASE;
  }
  if (!claimed) {
    throw new ApiError(
      429,
      'rate-limited',
      `This account already has ${slots} whole-view export${slots === 1 ? '' : 's'} running, the most its ${tenant.rateTier} tier allows at once. ` +
        `Wait for one to finish and try again, or read pages instead (limit=10000 or less, following the next link).`,
      { limit: 'concurrentExports', maximum: slots, rate_tier: tenant.rateTier },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await db.prepare('DELETE FROM export_leases WHERE id = ?').bind(id).run();
      } catch (err) {
        console.warn('export lease release failed; it expires on its own', tenant.id, err instanceof Error ? err.message : err);
      }
    },
  };
}
