/**
 * Paged polling of a change feed for clients that keep no state between polls, Zapier's
 * polling triggers first among them (migrations/0004_poll_positions.sql).
 *
 * Why the bridge keeps the position: Zapier calls a polling trigger with nothing from earlier
 * polls (bundle.meta.zap is deprecated and z.cursor only serves the pages of one call), it
 * de-duplicates the answer by `id` against every id it has seen, and it takes at most 100 new
 * items per poll, holding the rest under flood protection until the user replays them
 * (https://docs.zapier.com/platform/build/deduplication,
 * https://docs.zapier.com/platform/build/operating-constraints,
 * https://help.zapier.com/hc/en-us/articles/8496181445261). A day of a daily view for a large
 * account is more than 100 rows with one change value, so no answer computed from the data
 * alone can hand them out 100 at a time: something must remember how far the client got.
 *
 * The design:
 * - A named poller has a position in the feed (oldest first). Each poll hands out the next
 *   `limit` rows past it, so a backlog of 1,000 rows takes ten polls of 100, and nothing is
 *   skipped however long the backlog.
 * - The page handed out last time is sent again with the new one. Zapier has seen it, so it
 *   costs nothing; if Zapier never received that answer (a poll that timed out), its rows are
 *   not lost: they come again, new to Zapier, and at worst flood protection holds them for the
 *   user to replay.
 * - `start=newest` (Zapier's isPopulatingDedupe, when a Zap is turned on) answers with the
 *   newest rows and puts the position at the newest row, so existing data does not trigger.
 *   A poller seen for the first time starts the same way.
 */
import { ApiError } from '../http/errors.ts';
import type { Query } from '../query/model.ts';
import { normalForm } from '../query/normalize.ts';
import type { Page, Warehouse } from '../warehouse/types.ts';
import type { Position } from './change-feed.ts';
import { sha256Hex } from '../encoding/sha256.ts';

/** A poller name: what the client calls itself ("zapier", "zapier:zap:123"), kept with the position. */
export const POLLER_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
/** Values of `start`: where a poller begins. */
export const POLL_STARTS = ['newest'] as const;

export function pollerName(raw: string): string {
  if (POLLER_NAME.test(raw)) return raw;
  throw new ApiError(
    400,
    'invalid-parameter',
    `poller must be 1 to 100 letters, digits or '_', '.', ':', '-' (a name for this client, such as 'zapier'); got '${raw.slice(0, 40)}'.`,
    { parameter: 'poller' },
  );
}

export interface PollerKey {
  readonly tenantId: string;
  readonly keyId: string;
  readonly view: string;
  readonly poller: string;
  /** Hash of the feed query without its order and limit: the same conditions, the same position. */
  readonly queryHash: string;
}

interface Stored {
  readonly pageStart: string;
  readonly pageEnd: string;
  readonly pageRows: number;
}

export async function queryHash(query: Query): Promise<string> {
  const text = normalForm({ ...query, order: [], after: null, afterTies: 0 });
  return sha256Hex(text, 16);
}

async function load(db: D1Database, key: PollerKey): Promise<Stored | null> {
  const row = await db
    .prepare(
      'SELECT page_start, page_end, page_rows FROM poll_positions WHERE tenant_id = ? AND key_id = ? AND view = ? AND poller = ? AND query_hash = ?',
    )
    .bind(key.tenantId, key.keyId, key.view, key.poller, key.queryHash)
    .first<{ page_start: string; page_end: string; page_rows: number }>();
  return row ? { pageStart: row.page_start, pageEnd: row.page_end, pageRows: row.page_rows } : null;
}

async function save(db: D1Database, key: PollerKey, next: Stored): Promise<void> {
  await db
    .prepare(
      `INSERT INTO poll_positions (tenant_id, key_id, view, poller, query_hash, page_start, page_end, page_rows, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
       ON CONFLICT (tenant_id, key_id, view, poller, query_hash) DO UPDATE SET
         page_start = excluded.page_start, page_end = excluded.page_end, page_rows = excluded.page_rows, updated_at = excluded.updated_at`,
    )
    .bind(key.tenantId, key.keyId, key.view, key.poller, key.queryHash, next.pageStart, next.pageEnd, next.pageRows)
    .run();
}

export interface PolledPage {
  /** Newest first, as a polling trigger returns them: the new rows, then the repeated page. */
  readonly page: Page;
  /** Rows handed out for the first time. */
  readonly fresh: number;
  /** Whether more rows wait past this page. */
  readonly hasMore: boolean;
}

/**
 * One poll of a named poller. `asc` and `desc` are the feed query in each direction, with the
 * caller's filters and select; `limit` is the most new rows one answer hands out.
 */
export async function pollPage(
  db: D1Database,
  warehouse: Warehouse,
  key: PollerKey,
  feed: { readonly asc: Query; readonly desc: Query },
  options: { readonly limit: number; readonly start?: (typeof POLL_STARTS)[number] | undefined },
): Promise<PolledPage> {
  const stored = options.start === 'newest' ? null : await load(db, key);
  if (stored === null) {
    const newest = await warehouse.page(feed.desc, options.limit + 1);
    const head = JSON.stringify(newest.keys[0] ?? null);
    await save(db, key, { pageStart: head, pageEnd: head, pageRows: 0 });
    return {
      page: { rows: newest.rows.slice(0, options.limit), keys: newest.keys.slice(0, options.limit) },
      fresh: 0,
      hasMore: newest.rows.length > options.limit,
    };
  }

  const after = JSON.parse(stored.pageStart) as Position | null;
  const read = await warehouse.page({ ...feed.asc, after, afterTies: 0 }, stored.pageRows + options.limit + 1);
  // The repeated page ends at the row last handed out. Found by its position rather than by
  // counting, so a row that has since left the feed (edited, so it moved on) does not shift it.
  const found = read.keys.findIndex((k) => JSON.stringify(k) === stored.pageEnd);
  const repeated = found >= 0 ? found + 1 : Math.min(stored.pageRows, read.rows.length);
  const freshRows = Math.min(options.limit, read.rows.length - repeated);
  const end = repeated + freshRows;
  if (freshRows > 0) {
    await save(db, key, { pageStart: stored.pageEnd, pageEnd: JSON.stringify(read.keys[end - 1]), pageRows: freshRows });
  }
  return {
    page: { rows: read.rows.slice(0, end).reverse(), keys: read.keys.slice(0, end).reverse() },
    fresh: freshRows,
    hasMore: read.rows.length > end,
  };
}
