/**
 * Webhook faults, end to end: real subscriptions through the API, the real Cron Trigger and
 * Queue under wrangler dev, and a local receiver that answers well, fails, times out or says
 * 410 Gone. Each hook must end as specified (delivered in full, retried to success, or
 * unsubscribed), with every row delivered (0 lost), in feed order (0 out of order: the drain
 * keeps one batch per hook in flight), and none delivered under two different webhook ids (a
 * retry re-sends the same id: at-least-once, which receivers de-duplicate on).
 */
import { Webhook } from 'standardwebhooks';
import type { LocalWorker } from '../../scripts/lib/local-worker.ts';
import type { ReceivedDelivery, ReceiverAnswer, WebhookReceiver } from '../../scripts/lib/webhook-receiver.ts';
import type { Tally } from './support/tally.ts';

export type HookBehaviour = 'ok' | 'fail-first' | 'timeout-first' | 'gone';

export interface HookUnderTest {
  readonly behaviour: HookBehaviour;
  readonly id: string;
  readonly secret: string;
  readonly path: string;
}

const VIEW = 'daily_user_summary';

/**
 * The receiver's answers: by path, and for the first failures by count per path, so one
 * failure per hook is injected, not one per batch (each failed batch costs the queue's
 * 30-second backoff).
 */
export function receiverAnswers(): { answer: (d: Omit<ReceivedDelivery, 'answered' | 'at'>) => ReceiverAnswer; injected: () => number } {
  const seen = new Map<string, number>();
  let injected = 0;
  return {
    injected: () => injected,
    answer: (d) => {
      const n = (seen.get(d.path) ?? 0) + 1;
      seen.set(d.path, n);
      if (d.path.startsWith('/hooks/gone')) {
        injected++;
        return { status: 410 };
      }
      if (d.path.startsWith('/hooks/fail-first') && n <= 2) {
        injected++;
        return { status: 500 };
      }
      if (d.path.startsWith('/hooks/timeout-first') && n === 1) {
        injected++;
        return { hang: true };
      }
      return { status: 204 };
    },
  };
}

/** One hook per behaviour on acme's daily_user_summary, each filtered to its own users. */
export async function subscribe(
  worker: LocalWorker,
  key: string,
  receiverUrl: string,
  behaviours: readonly HookBehaviour[],
  userIds: readonly string[][],
): Promise<HookUnderTest[]> {
  const hooks: HookUnderTest[] = [];
  for (const [i, behaviour] of behaviours.entries()) {
    const path = `/hooks/${behaviour}/${i}`;
    const res = await fetch(`${worker.url}/v1/hooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: receiverUrl + path, view: VIEW, filters: { user_id: `in.(${userIds[i]!.join(',')})` } }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { id?: string; secret?: string; detail?: string };
    if (res.status !== 201 || !body.id || !body.secret)
      throw new Error(`subscribing ${behaviour} answered ${res.status}: ${body.detail ?? ''}`);
    hooks.push({ behaviour, id: body.id, secret: body.secret, path });
  }
  return hooks;
}

/**
 * Rows whose first acceptance (2xx) came after a row later in feed order had been accepted:
 * what a receiver would see as out of order. Repeats of an accepted row (at-least-once) are
 * not counted again.
 */
function rowsOutOfOrder(deliveries: readonly ReceivedDelivery[]): string[] {
  const seen = new Set<string>();
  const late: string[] = [];
  let newest: readonly [string, number] | null = null;
  for (const d of deliveries) {
    if (d.answered === null || d.answered >= 300) continue;
    for (const row of d.rows) {
      const id = String(row['id']);
      if (seen.has(id)) continue;
      seen.add(id);
      const position = [String(row['local_date']), Number(row['user_id'])] as const;
      if (newest && (position[0] < newest[0] || (position[0] === newest[0] && position[1] < newest[1]))) late.push(id);
      else newest = position;
    }
  }
  return late;
}

interface HookState {
  status: string;
  consecutive_failures: number;
}

async function hookState(worker: LocalWorker, key: string, id: string): Promise<HookState | null> {
  const res = await fetch(`${worker.url}/v1/hooks/${id}`, {
    headers: { authorization: `Bearer ${key}` },
    signal: AbortSignal.timeout(30_000),
  });
  return res.ok ? ((await res.json()) as HookState) : null;
}

async function fire(worker: LocalWorker): Promise<void> {
  for (const path of ['/cdn-cgi/local/scheduled', '/__scheduled']) {
    const res = await fetch(`${worker.url}${path}?cron=${encodeURIComponent('* * * * *')}`, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (res.status !== 404) return;
  }
  throw new Error('no scheduled-event endpoint: start wrangler dev with --test-scheduled');
}

/**
 * Fires the cron every `intervalMs` until every hook has ended as specified or `maxSeconds`
 * pass, then checks each hook's rows against `expected` (row ids per hook, from SQLite).
 */
export async function runWebhookFaults(opts: {
  readonly worker: LocalWorker;
  readonly key: string;
  readonly receiver: WebhookReceiver;
  readonly hooks: readonly HookUnderTest[];
  readonly expected: ReadonlyMap<string, ReadonlySet<string>>;
  readonly tally: Tally;
  readonly maxSeconds: number;
  readonly injected: () => number;
}): Promise<void> {
  const { worker, key, receiver, hooks, expected, tally } = opts;
  const started = Date.now();
  const landed = (h: HookUnderTest) => {
    const ids = new Set<string>();
    for (const d of receiver.deliveries)
      if (d.path === h.path && d.answered !== null && d.answered < 300) for (const r of d.rows) ids.add(String(r['id']));
    return ids;
  };
  const done = async () => {
    for (const h of hooks) {
      if (h.behaviour === 'gone') {
        if ((await hookState(worker, key, h.id))?.status !== 'unsubscribed') return false;
      } else if (landed(h).size < (expected.get(h.id)?.size ?? 0)) return false;
    }
    return true;
  };
  let runs = 0;
  while ((Date.now() - started) / 1000 < opts.maxSeconds) {
    await fire(worker);
    runs++;
    await new Promise((r) => setTimeout(r, 2_000));
    if (await done()) break;
  }
  // A little longer, to catch anything sent after the end (a delivery to a gone hook, a duplicate).
  await new Promise((r) => setTimeout(r, 4_000));
  await fire(worker);
  await new Promise((r) => setTimeout(r, 3_000));
  const seconds = (Date.now() - started) / 1000;
  console.log(`   ${runs} cron runs in ${seconds.toFixed(0)} s, ${receiver.deliveries.length} delivery attempts received`);
  tally.faultsInjected += opts.injected();

  for (const h of hooks) {
    const mine = receiver.deliveries.filter((d) => d.path === h.path);
    const want = expected.get(h.id) ?? new Set<string>();
    tally.requests += mine.length;
    // Signatures: every attempt carries the signature the Standard Webhooks project's own
    // library computes for it (compared directly: its verify() refuses anything older than
    // 5 minutes, and a retried attempt may be older by the time this runs).
    const oracle = new Webhook(h.secret);
    let badSignatures = 0;
    for (const d of mine) {
      if (d.body === undefined) continue;
      const expected = oracle.sign(d.webhookId, new Date(Number(d.webhookTimestamp) * 1000), d.body);
      if (!d.webhookSignature.split(' ').includes(expected)) badSignatures++;
    }
    tally.check(
      `${h.behaviour}: every delivery carries a valid Standard Webhooks signature`,
      badSignatures === 0,
      `${badSignatures} of ${mine.length} did not verify`,
    );
    // Rows: which webhook ids carried each row id.
    const carriers = new Map<string, Set<string>>();
    for (const d of mine)
      for (const r of d.rows) {
        const id = String(r['id']);
        const set = carriers.get(id) ?? new Set<string>();
        set.add(d.webhookId);
        carriers.set(id, set);
      }
    const duplicated = [...carriers.values()].filter((s) => s.size > 1).length;
    tally.rowsDuplicated += duplicated;
    tally.check(`${h.behaviour}: no row sent under two different webhook ids`, duplicated === 0, `${duplicated} rows`);
    const state = await hookState(worker, key, h.id);
    if (h.behaviour === 'gone') {
      const first410 = mine.find((d) => d.answered === 410);
      const after = first410 ? mine.filter((d) => d.at > first410.at + 1000) : [];
      tally.check('gone: the first 410 unsubscribes the hook', state?.status === 'unsubscribed', `status ${state?.status ?? 'missing'}`);
      tally.check('gone: nothing is sent to a target that answered 410', after.length === 0, `${after.length} deliveries after the 410`);
      continue;
    }
    const got = landed(h);
    const outOfOrder = rowsOutOfOrder(mine);
    tally.check(
      `${h.behaviour}: rows accepted in feed order (${VIEW}: local_date, then user_id)`,
      outOfOrder.length === 0,
      `${outOfOrder.length} rows accepted after a later one, e.g. ${outOfOrder.slice(0, 3).join(', ')}`,
    );
    const lost = [...want].filter((id) => !got.has(id));
    const extra = [...got].filter((id) => !want.has(id));
    tally.rowsChecked += want.size;
    tally.rowsLost += lost.length;
    tally.check(
      `${h.behaviour}: every row delivered (${want.size} rows)`,
      lost.length === 0,
      `${lost.length} rows never acknowledged, e.g. ${lost.slice(0, 3).join(', ')}`,
    );
    tally.check(
      `${h.behaviour}: no row outside the hook's filter`,
      extra.length === 0,
      `${extra.length} extra rows, e.g. ${extra.slice(0, 3).join(', ')}`,
    );
    tally.check(
      `${h.behaviour}: the hook ends active with no failures counted`,
      state?.status === 'active' && state.consecutive_failures === 0,
      `status ${state?.status}, consecutive_failures ${state?.consecutive_failures}`,
    );
    if (h.behaviour === 'fail-first')
      tally.check(
        'fail-first: the failed batch was retried under the same webhook id',
        mine
          .filter((d) => d.answered === 500)
          .every((f) => mine.some((d) => d.webhookId === f.webhookId && d.answered !== null && d.answered < 300)),
        'a failed batch never landed',
      );
    if (h.behaviour === 'timeout-first')
      tally.check(
        'timeout-first: the timed-out batch was retried under the same webhook id',
        mine
          .filter((d) => d.answered === null)
          .every((f) => mine.some((d) => d.webhookId === f.webhookId && d.answered !== null && d.answered < 300)),
        'a timed-out batch never landed',
      );
  }
}
