import type { CacheStatus } from './entry.ts';
import { canonicalParams } from '../query/canonical.ts';
import type { Query } from '../query/model.ts';
import { sha256Hex } from '../encoding/sha256.ts';
import type { Caller } from '../tenants/tenants.ts';

/** A HIT is recorded one time in SAMPLE, counted SAMPLE times: popularity without a write per hit. */
const SAMPLE = 8;
/**
 * The longest canonical query kept for pre-warming. A sheet's or a trigger's query is a few
 * hundred characters; longer ones (large in() lists) are not recorded at all, so one row of
 * query_usage stays under about 2.5 KB whatever a caller sends (migrations/0004_*.sql
 * enforces the same bound).
 */
export const MAX_USAGE_QUERY_CHARS = 2048;
const MAX_ORIGIN_CHARS = 255;

/**
 * Notes that a first page was asked for. Misses are always recorded (they were expensive
 * anyway); hits are sampled, so a busy cached query costs D1 one write in eight. Run it after
 * the answer (waitUntil) and log its failures: usage only steers the pre-warmer, so a full or
 * failing table must never fail a request.
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
  const text = canonicalParams(query).toString();
  if (text.length > MAX_USAGE_QUERY_CHARS || origin.length > MAX_ORIGIN_CHARS) return;
  await db
    .prepare(
      `INSERT INTO query_usage (tenant_id, plan, key_id, view, query_hash, query, origin, uses, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
       ON CONFLICT (tenant_id, plan, view, query_hash, origin)
       DO UPDATE SET uses = uses + excluded.uses, last_used_at = excluded.last_used_at, key_id = excluded.key_id`,
    )
    .bind(caller.tenant.id, caller.plan, caller.keyId, query.view.name, await sha256Hex(text), text, origin, weight)
    .run();
}
