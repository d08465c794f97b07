import { isPlan } from '../../shared/plans.ts';
import type { Env } from '../env.ts';
import { answerRows } from '../rows/answer.ts';
import { effectivePlan, tenantFromRow, type Caller } from '../tenants/tenants.ts';
import { RECENT_HOURS } from './prune.ts';
import { isoSeconds } from '../encoding/iso-seconds.ts';

/** How many of the most used queries each cron run keeps warm. */
const PREWARM_QUERIES = 20;

interface UsageRow {
  tenant_id: string;
  plan: string;
  key_id: string;
  view: string;
  query: string;
  origin: string;
}

export interface PrewarmReport {
  readonly considered: number;
  readonly warmed: number;
  readonly failed: number;
  /** `tenant/view` of each query warmed, for the cron's log line. */
  readonly queries: readonly string[];
}

/**
 * Runs the most used first pages through the same path a client's request takes, so a
 * missing or expired entry is recomputed and a stale one is refreshed before the next
 * scheduled sheet refresh or trigger poll asks for it. Keys revoked since are skipped, and
 * the warming itself is not recorded as use.
 */
export async function prewarm(env: Env, waitUntil: (p: Promise<unknown>) => void, now = new Date()): Promise<PrewarmReport> {
  const since = isoSeconds(now.getTime() - RECENT_HOURS * 3_600_000);
  const { results } = await env.DB.prepare(
    `SELECT u.tenant_id, u.plan, u.key_id, u.view, u.query, u.origin, t.*
     FROM query_usage u
     JOIN tenants t ON t.id = u.tenant_id
     JOIN api_keys k ON k.id = u.key_id AND k.revoked_at IS NULL
     WHERE u.last_used_at >= ?
     ORDER BY u.uses DESC, u.last_used_at DESC
     LIMIT ?`,
  )
    .bind(since, PREWARM_QUERIES)
    .all<UsageRow & Parameters<typeof tenantFromRow>[0]>();
  let warmed = 0;
  let failed = 0;
  const queries: string[] = [];
  for (const row of results) {
    try {
      const tenant = tenantFromRow(row);
      if (!isPlan(row.plan)) continue;
      // The account may have moved to a lower plan since the query was recorded.
      const plan = effectivePlan(tenant.plan, row.plan);
      const caller: Caller = { tenant, plan, keyId: row.key_id, lastUsedAt: null };
      const res = await answerRows({
        env,
        caller,
        viewName: row.view,
        entries: new URLSearchParams(row.query),
        origin: row.origin,
        waitUntil,
        // Warming is not use: counted, a warmed query would never go cold.
        countsAsUse: false,
      });
      await res.body?.cancel();
      if (res.ok) {
        warmed++;
        queries.push(`${tenant.id}/${row.view}`);
      } else failed++;
    } catch (err) {
      failed++;
      console.warn('prewarm failed', row.tenant_id, row.view, err instanceof Error ? err.message : err);
    }
  }
  await env.DB.prepare(`UPDATE query_usage SET last_warmed_at = ? WHERE last_used_at >= ?`).bind(isoSeconds(now), since).run();
  return { considered: results.length, warmed, failed, queries };
}
