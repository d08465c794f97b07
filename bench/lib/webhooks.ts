/**
 * Webhook delivery throughput: REST-hook subscriptions made through the API, rewound to the
 * start of their feed (so there is a backlog to deliver), then the Cron Trigger fired on
 * demand while a local receiver counts what lands.
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
 * Moves every subscription's cursor back to before the first row. Writes the D1 file
 * directly, so only with the worker stopped.
 */
export function rewindHooks(sqliteFile: string): void {
  sqliteExec(sqliteFile, `DELETE FROM hook_deliveries; UPDATE hook_subscriptions SET cursor = 'null', checked_at = NULL;`);
}

export function dropHooks(sqliteFile: string): void {
  sqliteExec(sqliteFile, 'DELETE FROM hook_deliveries; DELETE FROM hook_subscriptions;');
}

/** Fires the Cron Trigger once (wrangler dev --test-scheduled). */
export async function fireScheduled(worker: LocalWorker): Promise<number> {
  for (const path of ['/cdn-cgi/local/scheduled', '/__scheduled']) {
    const res = await fetch(`${worker.url}${path}?cron=${encodeURIComponent('* * * * *')}`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (res.status !== 404) return res.status;
  }
  return 404;
}

export interface DeliveryRate {
  readonly deliveries: number;
  readonly distinctIds: number;
  readonly rows: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly schedulerRuns: number;
  readonly failedAnswers: number;
}

/**
 * Fires the scheduler every `intervalMs` for `seconds` and counts what the receiver got in
 * that window, from the first delivery to the last.
 */
export async function measureDeliveries(
  worker: LocalWorker,
  receiver: WebhookReceiver,
  seconds: number,
  intervalMs = 1000,
): Promise<DeliveryRate> {
  const start = receiver.deliveries.length;
  const started = Date.now();
  let runs = 0;
  while (Date.now() - started < seconds * 1000) {
    const tick = Date.now();
    const status = await fireScheduled(worker);
    if (status >= 400) throw new Error(`the scheduled trigger answered ${status}`);
    runs++;
    const wait = intervalMs - (Date.now() - tick);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  // Let the queue drain what was put on it, bounded.
  const settleUntil = Date.now() + 5_000;
  let seen = receiver.deliveries.length;
  while (Date.now() < settleUntil) {
    await new Promise((r) => setTimeout(r, 500));
    if (receiver.deliveries.length === seen) break;
    seen = receiver.deliveries.length;
  }
  const got = receiver.deliveries.slice(start);
  const first = got[0]?.at ?? started;
  const last = got.at(-1)?.at ?? started;
  return {
    deliveries: got.length,
    distinctIds: new Set(got.map((d) => d.webhookId)).size,
    rows: got.reduce((n, d) => n + d.rows.length, 0),
    bytes: got.reduce((n, d) => n + d.bytes, 0),
    seconds: Math.max(0.001, (last - first) / 1000),
    schedulerRuns: runs,
    failedAnswers: got.filter((d) => d.answered === null || d.answered >= 300).length,
  };
}
