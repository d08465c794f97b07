/**
 * Webhook delivery throughput: REST-hook subscriptions made through the API, rewound to the
 * start of their feed (so there is a backlog to deliver), then the Cron Trigger fired at the
 * production cadence (once a minute: the first run at the start of the window) while a local
 * receiver that answers at once counts what lands. The backlog drains through the queue (each
 * landed batch enqueues the next), so the figure is the drain rate per hook, in rows/min.
 */
import type { LocalWorker } from '../../scripts/lib/local-worker.ts';
import type { WebhookReceiver } from '../../scripts/lib/webhook-receiver.ts';
import { sqliteExec } from './sqlite-baseline.ts';

export interface HookSetup {
  readonly ids: readonly string[];
}

/** Subscribes one hook per user id on `view`, each with its own receiver path. */
export async function subscribeHooks(
  worker: LocalWorker,
  key: string,
  receiverUrl: string,
  view: string,
  userIds: readonly string[],
): Promise<HookSetup> {
  const ids: string[] = [];
  for (const [i, userId] of userIds.entries()) {
    const res = await fetch(`${worker.url}/v1/hooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: `${receiverUrl}/hook/${i}`, view, filters: { user_id: `eq.${userId}` } }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { id?: string; detail?: string };
    if (res.status !== 201 || !body.id)
      throw new Error(`subscribe answered ${res.status}: ${body.detail ?? JSON.stringify(body).slice(0, 200)}`);
    ids.push(body.id);
  }
  return { ids };
}

/**
 * Moves the subscriptions' cursors back to before the first row (all of them, or only those of
 * `ids`: the others stay where they are, at the newest row when just created) and forgets every
 * delivery. Writes the D1 file directly, so only with the worker stopped.
 */
export function rewindHooks(sqliteFile: string, ids?: readonly string[]): void {
  const only = ids === undefined ? '' : ` WHERE id IN (${ids.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ')})`;
  sqliteExec(sqliteFile, `DELETE FROM hook_deliveries; UPDATE hook_subscriptions SET cursor = 'null', checked_at = NULL${only};`);
}

export function dropHooks(sqliteFile: string): void {
  sqliteExec(sqliteFile, 'DELETE FROM hook_deliveries; DELETE FROM hook_subscriptions;');
}

/** Fires the Cron Trigger once (wrangler dev --test-scheduled). */
async function fireScheduled(worker: LocalWorker): Promise<number> {
  for (const path of ['/cdn-cgi/local/scheduled', '/__scheduled']) {
    const res = await fetch(`${worker.url}${path}?cron=${encodeURIComponent('* * * * *')}`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (res.status !== 404) return res.status;
  }
  return 404;
}

export interface DrainRate {
  readonly hooks: number;
  readonly deliveries: number;
  readonly distinctIds: number;
  readonly rows: number;
  readonly bytes: number;
  /** The measuring window, from the first cron run. */
  readonly seconds: number;
  readonly schedulerRuns: number;
  readonly failedAnswers: number;
  /** Rows per minute each hook received, lowest first (a hook's own window ends at its last delivery when its backlog ran out). */
  readonly perHookRowsPerMinute: readonly number[];
}

/** The production cadence: wrangler.toml's `crons = ["* * * * *"]`. */
const CRON_INTERVAL_MS = 60_000;

/**
 * Fires the scheduler once a minute (first at once) for `seconds` and counts what the
 * receiver got per hook (by receiver path) in that window.
 */
export async function measureDrain(worker: LocalWorker, receiver: WebhookReceiver, seconds: number): Promise<DrainRate> {
  const start = receiver.deliveries.length;
  const started = Date.now();
  let runs = 0;
  while (Date.now() - started < seconds * 1000) {
    const status = await fireScheduled(worker);
    if (status >= 400) throw new Error(`the scheduled trigger answered ${status}`);
    runs++;
    const until = Math.min(started + runs * CRON_INTERVAL_MS, started + seconds * 1000);
    while (Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(500, until - Date.now())));
  }
  const got = receiver.deliveries.slice(start).filter((d) => d.at <= started + seconds * 1000);
  const byHook = new Map<string, { rows: number; last: number }>();
  for (const d of got) {
    if (d.answered === null || d.answered >= 300) continue;
    const hook = byHook.get(d.path) ?? { rows: 0, last: started };
    hook.rows += d.rows.length;
    hook.last = Math.max(hook.last, d.at);
    byHook.set(d.path, hook);
  }
  const window = seconds * 1000;
  const perHook = [...byHook.values()]
    // A hook whose backlog ran out early is measured up to its last delivery, not the window.
    .map((h) => (h.rows / Math.max(1, Math.min(window, h.last - started))) * 60_000)
    .sort((a, b) => a - b);
  return {
    hooks: byHook.size,
    deliveries: got.length,
    distinctIds: new Set(got.map((d) => d.webhookId)).size,
    rows: got.reduce((n, d) => n + d.rows.length, 0),
    bytes: got.reduce((n, d) => n + d.bytes, 0),
    seconds,
    schedulerRuns: runs,
    failedAnswers: got.filter((d) => d.answered === null || d.answered >= 300).length,
    perHookRowsPerMinute: perHook,
  };
}

/** The goal of issue 12: a hook drains at least this many rows a minute to a receiver that keeps up. */
export const DRAIN_GOAL_ROWS_PER_MINUTE = 20_000;
