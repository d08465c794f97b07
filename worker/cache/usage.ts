import type { CacheStatus } from './entry.ts';
import { canonicalParams } from '../query/canonical.ts';
import type { Query } from '../query/model.ts';
import { sha256Hex } from '../encoding/sha256.ts';
import type { Caller } from '../tenants/tenants.ts';

/**
 * The longest canonical query kept for pre-warming. A sheet's or a trigger's query is a few
 * hundred characters; longer ones (large in() lists) are not recorded at all, so one row of
 * query_usage stays under about 2.5 KB whatever a caller sends (migrations/0004_*.sql
 * enforces the same bound).
 */
export const MAX_USAGE_QUERY_CHARS = 2048;
const MAX_ORIGIN_CHARS = 255;

/** How long an isolate adds up HITs before it writes them: one write per query per window. */
export const HIT_WINDOW_MS = 60_000;
/** Distinct queries tallied at most; one more ends the window early. */
const MAX_TALLIED = 500;

interface Use {
  readonly caller: Caller;
  readonly view: string;
  readonly text: string;
  readonly origin: string;
  uses: number;
}

/**
 * HITs counted in the isolate and written in one D1 batch per window, so a busy cached query
 * costs D1 one write a minute per isolate instead of one per request (or per sampled
 * request). The window is closed by the first HIT or MISS after it ends; an isolate that is
 * evicted before then loses its last window's counts, which only steer the pre-warmer.
 */
export class HitTally {
  private uses = new Map<string, Use>();
  private openedAt: number | null = null;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Counts one HIT; returns the uses to write now when this HIT closes a window, else none. */
  add(caller: Caller, view: string, text: string, origin: string): Use[] {
    this.openedAt ??= this.now();
    const id = [caller.tenant.id, caller.plan, view, origin, text].join('\n');
    const use = this.uses.get(id);
    if (use) use.uses++;
    else this.uses.set(id, { caller, view, text, origin, uses: 1 });
    return this.uses.size > MAX_TALLIED ? this.take() : this.takeDue();
  }

  /** The uses to write now if the window has ended (a MISS write takes them along), else none. */
  takeDue(): Use[] {
    return this.openedAt !== null && this.now() - this.openedAt >= HIT_WINDOW_MS ? this.take() : [];
  }

  private take(): Use[] {
    const due = [...this.uses.values()];
    this.uses = new Map();
    this.openedAt = null;
    return due;
  }

  get pending(): number {
    return this.uses.size;
  }
}

/** The isolate's own tally, shared by every request it serves. */
const isolateHitTally = new HitTally();

const UPSERT = `INSERT INTO query_usage (tenant_id, plan, key_id, view, query_hash, query, origin, uses, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
       ON CONFLICT (tenant_id, plan, view, query_hash, origin)
       DO UPDATE SET uses = uses + excluded.uses, last_used_at = excluded.last_used_at, key_id = excluded.key_id`;

async function writeUses(db: D1Database, uses: readonly Use[]): Promise<void> {
  if (uses.length === 0) return;
  const statements = await Promise.all(
    uses.map(async (u) =>
      db.prepare(UPSERT).bind(u.caller.tenant.id, u.caller.plan, u.caller.keyId, u.view, await sha256Hex(u.text), u.text, u.origin, u.uses),
    ),
  );
  await db.batch(statements);
}

/**
 * Notes that a first page was asked for. A miss is written at once (it was expensive
 * anyway), with the tally's HITs when their window has ended; a HIT is added to the isolate's
 * tally, which writes every query's HITs of the last minute in one batch. Run it after the answer (waitUntil) and log its failures: usage only
 * steers the pre-warmer, so a full or failing table must never fail a request.
 */
export async function recordUsage(
  db: D1Database,
  caller: Caller,
  query: Query,
  origin: string,
  status: CacheStatus,
  tally: HitTally = isolateHitTally,
): Promise<void> {
  const text = canonicalParams(query).toString();
  if (text.length > MAX_USAGE_QUERY_CHARS || origin.length > MAX_ORIGIN_CHARS) return;
  const use = { caller, view: query.view.name, text, origin };
  await writeUses(db, status === 'HIT' ? tally.add(caller, use.view, text, origin) : [...tally.takeDue(), { ...use, uses: 1 }]);
}
