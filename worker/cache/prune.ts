import { isoSeconds } from '../encoding/iso-seconds.ts';

/** Queries not asked for in this long are left to go cold, and their usage rows deleted. */
export const RECENT_HOURS = 48;
/** The most usage rows one account keeps: its most used queries. The pre-warmer reads far fewer. */
export const MAX_USAGE_ROWS_PER_TENANT = 200;

export interface PruneReport {
  readonly usageRows: number;
  readonly exportLeases: number;
}

/**
 * Keeps the control-plane tables that grow with traffic bounded, once per cron run: usage
 * rows older than the pre-warm window or past an account's MAX_USAGE_ROWS_PER_TENANT most
 * used, and export leases past their expiry. Between two runs the table can grow by what
 * the rate limits let through, at most about 2.5 KB a row (worker/cache/usage.ts).
 */
export async function pruneControlPlane(db: D1Database, now = new Date()): Promise<PruneReport> {
  const since = isoSeconds(now.getTime() - RECENT_HOURS * 3_600_000);
  const [old, surplus, leases] = await db.batch([
    db.prepare('DELETE FROM query_usage WHERE last_used_at < ?').bind(since),
    db
      .prepare(
        `DELETE FROM query_usage WHERE rowid IN (
           SELECT rowid FROM (
             SELECT rowid, row_number() OVER (PARTITION BY tenant_id ORDER BY uses DESC, last_used_at DESC) AS rank
             FROM query_usage)
           WHERE rank > ?)`,
      )
      .bind(MAX_USAGE_ROWS_PER_TENANT),
    db.prepare('DELETE FROM export_leases WHERE expires_at <= ?').bind(now.toISOString()),
  ]);
  return {
    usageRows: (old?.meta.changes ?? 0) + (surplus?.meta.changes ?? 0),
    exportLeases: leases?.meta.changes ?? 0,
  };
}
