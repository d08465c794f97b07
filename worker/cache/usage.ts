import type { CacheStatus } from './entry.ts';
import { canonicalParams } from '../query/canonical.ts';
import type { Query } from '../query/model.ts';
import type { Caller } from '../tenants/tenants.ts';

/** A HIT is recorded one time in SAMPLE, counted SAMPLE times: popularity without a write per hit. */
const SAMPLE = 8;

/**
 * Notes that a first page was asked for. Misses are always recorded (they were expensive
 * anyway); hits are sampled, so a busy cached query costs D1 one write in eight.
 */
export async function recordUsage(
  db: D1Database,
  caller: Caller,
  query: Query,
  origin: string,
  status: CacheStatus,
  random = Math.random,
): Promise<void> {
  const weight = status === 'HIT' ? (random() < 1 / SAMPLE ? SAMPLE : 0) : 1;
  if (weight === 0) return;
  await db
    .prepare(
      `INSERT INTO query_usage (tenant_id, plan, key_id, view, query, origin, uses, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
       ON CONFLICT (tenant_id, plan, view, query, origin)
       DO UPDATE SET uses = uses + excluded.uses, last_used_at = excluded.last_used_at, key_id = excluded.key_id`,
    )
    .bind(caller.tenant.id, caller.plan, caller.keyId, query.view.name, canonicalParams(query).toString(), origin, weight)
    .run();
}
