import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKey, revokeKey, run } from '../../../worker/tenants/admin.ts';
import { backoffSeconds, HOOK_POLICY } from '../../../worker/hooks/policy.ts';
import { api, seedTinyDemo } from '../support/demo.ts';
import {
  DEAD_LETTER_QUEUE,
  DELIVERY_QUEUE,
  drain,
  fireCron,
  getHook,
  insertRows,
  Receiver,
  recordingQueue,
  removeAllHooks,
  runQueue,
  subscribe,
  workerEnv,
} from './helpers.ts';
import { isoSeconds } from '../../../worker/encoding/iso-seconds.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

let receiver: Receiver;
beforeEach(() => {
  receiver = new Receiver().install();
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await removeAllHooks();
});

const minutes = (n: number) => n * 60_000;

/**
 * Each test writes its rows at its own point in time, far past the demo data and every other
 * test's rows, so a hook created in one test never sees another test's rows.
 */
let clock = Date.UTC(2031, 0, 1);
function nextEpoch(): { at: (offsetSeconds: number) => string; day: (offsetDays: number) => string } {
  clock += 30 * 86_400_000;
  const base = clock;
  return {
    at: (s) => isoSeconds(base + s * 1000),
    day: (d) => new Date(base + d * 86_400_000).toISOString().slice(0, 10),
  };
}

/** New events rows (only the key columns matter to a feed), one second apart. */
async function addEvents(epoch: ReturnType<typeof nextEpoch>, count: number, user = 210001, from = 0): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    user_id: user,
    computer_id: 88001,
    utc_timestamp: epoch.at(from + i),
    local_date: epoch.day(0),
  }));
  for (let i = 0; i < rows.length; i += 100) await insertRows('acme', 'events', rows.slice(i, i + 100));
  return rows.map((r) => `${r.user_id}|${r.computer_id}|${r.utc_timestamp}`);
}

async function deliveryLog(id: string) {
  const res = await api(`/v1/hooks/${id}/deliveries`, keys.acme);
  return (await res.json()) as {
    status: string;
    deliveries: { id: string; outcome: string; attempts: number; status_code: number | null; error: string | null; rows: number }[];
  };
}

/** Cron, then the queue consumer on whatever the cron enqueued, as Cloudflare would run them. */
async function cronThenQueue(at: Date) {
  const queue = recordingQueue();
  await fireCron(at, queue);
  const result = queue.sent.length
    ? await runQueue(
        DELIVERY_QUEUE,
        queue.sent.map((body) => ({ body, attempts: 1 })),
      )
    : null;
  return { sent: queue.sent, result };
}

describe('delivering new rows', () => {
  it('delivers new rows to each subscription exactly once and advances its cursor', async () => {
    const epoch = nextEpoch();
    const all = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const one = await subscribe(keys.acme, { target_url: 'https://b.example/hook', view: 'events', filters: { user_id: 'eq.210002' } });
    const mine = [...(await addEvents(epoch, 2, 210001)), ...(await addEvents(epoch, 1, 210002, 5))];

    const { sent, result } = await cronThenQueue(new Date());
    expect(sent.map((m) => m.subscriptionId).sort()).toEqual([all.id, one.id].sort());
    expect(result!.explicitAcks).toHaveLength(2);
    expect(result!.retryMessages).toEqual([]);

    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(mine);
    expect(receiver.acceptedIds('https://b.example/hook')).toEqual([mine[2]]);
    expect((await getHook(keys.acme, all.id)).cursor).toEqual({ change_value: epoch.at(5), row_id: mine[2] });
    expect((await getHook(keys.acme, one.id)).cursor).toEqual({ change_value: epoch.at(5), row_id: mine[2] });

    // Nothing new: the next minute sends nothing, and a duplicate of the old message is a no-op.
    const again = await cronThenQueue(new Date());
    expect(again.sent).toEqual([]);
    await runQueue(
      DELIVERY_QUEUE,
      sent.map((body) => ({ body, attempts: 1 })),
    );
    expect(receiver.requests).toHaveLength(2);

    const log = await deliveryLog(all.id);
    expect(log.deliveries).toMatchObject([{ outcome: 'delivered', attempts: 1, status_code: 200, rows: 3 }]);
  });

  it('does not replay rows that existed before the hook was created', async () => {
    const epoch = nextEpoch();
    await addEvents(epoch, 3);
    await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const later = await addEvents(epoch, 1, 210001, 10);
    await cronThenQueue(new Date());
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(later);
  });

  it('posts { view, subscription_id, rows } signed per Standard Webhooks, verifiable with an independent implementation', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events', select: ['user_id', 'utc_timestamp'] });
    const ids = await addEvents(epoch, 2);
    const { sent } = await cronThenQueue(new Date());

    const [request] = receiver.to('https://a.example/hook');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(sent[0]!.deliveryId);
    expect(request!.json).toEqual({
      view: 'events',
      subscription_id: hook.id,
      rows: ids.map((id, i) => ({ id, user_id: 210001, utc_timestamp: epoch.at(i) })),
    });
    // The Standard Webhooks project's own library is the oracle: it throws on a bad signature.
    const receiverSide = new Webhook(hook.secret!);
    expect(receiverSide.verify(request!.body, request!.headers)).toEqual(request!.json);
    expect(() => receiverSide.verify(`${request!.body} `, request!.headers)).toThrow(/No matching signature/);
  });

  it('splits a backlog into batches of at most 100 rows, delivered in order, with no row missing or repeated', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 250);
    const sent = await drain(new Date());
    expect(sent).toHaveLength(3);
    expect(receiver.to('https://a.example/hook').map((r) => r.json.rows.length)).toEqual([100, 100, 50]);
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(ids);
    expect((await getHook(keys.acme, hook.id)).cursor?.row_id).toBe(ids.at(-1));
  });

  it('keeps one batch in flight per hook and puts the next on the queue the moment the last one lands', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 150);
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    // The cron only finds work: one batch, not the whole backlog.
    expect(queue.sent).toHaveLength(1);
    const again = recordingQueue();
    await fireCron(new Date(Date.now() + minutes(1)), again);
    expect(again.sent).toEqual([]);

    const first = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(first.sent).toHaveLength(1);
    expect((await getHook(keys.acme, hook.id)).cursor?.row_id).toBe(ids[99]);
    const second = await runQueue(DELIVERY_QUEUE, [{ body: first.sent[0]!, attempts: 1 }]);
    expect(second.sent).toEqual([]);
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(ids);
    expect((await getHook(keys.acme, hook.id)).cursor?.row_id).toBe(ids.at(-1));
  });

  it('sends nothing past a batch that is being retried, so a receiver never sees rows out of order', async () => {
    const epoch = nextEpoch();
    await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 150);
    receiver.respond = () => new Response('busy', { status: 500 });
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    const failed = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
    expect(failed.retryMessages).toHaveLength(1);
    expect(failed.sent).toEqual([]);
    const meanwhile = recordingQueue();
    await fireCron(new Date(Date.now() + minutes(1)), meanwhile);
    expect(meanwhile.sent).toEqual([]);

    receiver.respond = () => new Response('ok');
    const retried = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 2 }]);
    await runQueue(DELIVERY_QUEUE, [{ body: retried.sent[0]!, attempts: 1 }]);
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(ids);
  });

  it('does not enqueue the same rows again while their batch is pending', async () => {
    const epoch = nextEpoch();
    await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 3);
    const first = recordingQueue();
    await fireCron(new Date(), first);
    const second = recordingQueue();
    await fireCron(new Date(Date.now() + minutes(1)), second);
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toEqual([]);
  });

  it('sends a batch again under the same webhook-id when its queue message was lost', async () => {
    const epoch = nextEpoch();
    await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 3);
    const failing = { send: async () => Promise.reject(new Error('queue unavailable')) };
    await fireCron(new Date(), failing as unknown as ReturnType<typeof recordingQueue>);

    const retry = recordingQueue();
    await fireCron(new Date(Date.now() + minutes(1)), retry);
    expect(retry.sent).toHaveLength(1);

    // Put on the queue but never heard of again: sent anew once it is stale, same id.
    const stale = recordingQueue();
    await fireCron(new Date(Date.now() + HOOK_POLICY.stalePendingSeconds * 1000 + minutes(2)), stale);
    expect(stale.sent).toEqual(retry.sent);
  });
});

describe('failing targets', () => {
  it('retries with exponential backoff, dead-letters, loses nothing, and delivers once the target recovers', async () => {
    receiver.respond = () => new Response('down', { status: 500 });
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const start = (await getHook(keys.acme, hook.id)).cursor;
    const ids = await addEvents(epoch, 3);
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    const [message] = queue.sent;

    // max_retries = 8: the first attempt and eight retries, each later than the one before.
    const delays: number[] = [];
    for (let attempts = 1; attempts <= 9; attempts++) {
      const result = await runQueue(DELIVERY_QUEUE, [{ body: message!, attempts }]);
      expect(result.explicitAcks).toEqual([]);
      delays.push(result.retryMessages[0]!.delaySeconds!);
    }
    expect(delays).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(backoffSeconds));
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(new Set(receiver.to('https://a.example/hook').map((r) => r.headers['webhook-id']))).toEqual(new Set([message!.deliveryId]));
    expect((await getHook(keys.acme, hook.id)).cursor).toEqual(start);

    // The queue gives up and hands the message to the dead-letter queue.
    const dead = await runQueue(DEAD_LETTER_QUEUE, [{ body: message!, attempts: 9 }]);
    expect(dead.explicitAcks).toHaveLength(1);
    const failing = await getHook(keys.acme, hook.id);
    expect(failing.status).toBe('failing');
    expect(failing.status_reason).toMatch(/1 batch in a row could not be delivered after 9 attempts \(last: HTTP 500/);
    expect(failing.cursor).toEqual(start);
    expect((await deliveryLog(hook.id)).deliveries).toMatchObject([{ outcome: 'dead', attempts: 9, status_code: 500 }]);

    // Not before the cool-down...
    const early = recordingQueue();
    await fireCron(new Date(Date.now() + minutes(10)), early);
    expect(early.sent).toEqual([]);

    // ...then the same batch again, and the recovered target takes it.
    receiver.respond = () => new Response(null, { status: 204 });
    const { sent } = await cronThenQueue(new Date(Date.now() + minutes(31)));
    expect(sent).toEqual([message]);
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(ids);
    const healthy = await getHook(keys.acme, hook.id);
    expect(healthy).toMatchObject({ status: 'active', status_reason: null, dead_letters: 0, failing_since: null });
    expect(healthy.cursor?.row_id).toBe(ids.at(-1));
  });

  it('disables a hook after 5 dead letters in a row, says why, and resumes from the first undelivered row', async () => {
    receiver.respond = () => new Response('down', { status: 503 });
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 2);
    let at = Date.now();
    for (let i = 0; i < HOOK_POLICY.maxDeadLetters; i++) {
      const queue = recordingQueue();
      await fireCron(new Date(at), queue);
      expect(queue.sent, `cycle ${i}`).toHaveLength(1);
      await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
      await runQueue(DEAD_LETTER_QUEUE, [{ body: queue.sent[0]!, attempts: 9 }]);
      at += minutes(31);
    }
    const disabled = await getHook(keys.acme, hook.id);
    expect(disabled.status).toBe('disabled');
    expect(disabled.status_reason).toMatch(/Disabled after 5 batches in a row exhausted their retries.*resume.*Last attempt: HTTP 503/);

    const idle = recordingQueue();
    await fireCron(new Date(at), idle);
    expect(idle.sent).toEqual([]);

    receiver.respond = () => new Response('ok');
    const resumed = await api(`/v1/hooks/${hook.id}/resume`, keys.acme, { method: 'POST' });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { status: string }).status).toBe('active');
    await cronThenQueue(new Date(at));
    expect(receiver.acceptedIds('https://a.example/hook')).toEqual(ids);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    receiver.respond = () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/' } });
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 1);
    const { result } = await cronThenQueue(new Date());
    expect(result!.retryMessages).toHaveLength(1);
    expect(receiver.requests.map((r) => r.url)).toEqual(['https://a.example/hook']);
    expect((await deliveryLog(hook.id)).deliveries[0]).toMatchObject({
      outcome: 'pending',
      status_code: 302,
      error: expect.stringMatching(/redirects are not followed/),
    });
  });

  it('records a target that does not answer as a failed attempt', async () => {
    receiver.respond = () => Promise.reject(new TypeError('Network connection lost.'));
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 1);
    const { result } = await cronThenQueue(new Date());
    expect(result!.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: 30 }]);
    expect((await deliveryLog(hook.id)).deliveries[0]).toMatchObject({
      status_code: null,
      error: expect.stringMatching(/Network connection lost/),
    });
  });

  it('unsubscribes on 410 Gone and sends nothing more', async () => {
    receiver.respond = () => new Response('gone', { status: 410 });
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 1);
    const { result } = await cronThenQueue(new Date());
    expect(result!.explicitAcks).toHaveLength(1);
    const gone = await getHook(keys.acme, hook.id);
    expect(gone.status).toBe('unsubscribed');
    expect(gone.status_reason).toMatch(/410 Gone/);

    await addEvents(epoch, 1, 210001, 10);
    const after = recordingQueue();
    await fireCron(new Date(), after);
    expect(after.sent).toEqual([]);
    expect((await api(`/v1/hooks/${hook.id}/resume`, keys.acme, { method: 'POST' })).status).toBe(409);
  });
});

describe("the receiver's Retry-After", () => {
  /** When the consumer scheduled the delivery's next attempt, as stored in D1. */
  async function nextAttempt(deliveryId: string) {
    const row = await workerEnv.DB.prepare('SELECT next_attempt_at, last_attempt_at, last_error FROM hook_deliveries WHERE id = ?')
      .bind(deliveryId)
      .first<{ next_attempt_at: string | null; last_attempt_at: string; last_error: string }>();
    return { ...row!, waitSeconds: (Date.parse(row!.next_attempt_at!) - Date.parse(row!.last_attempt_at)) / 1000 };
  }

  async function oneFailure(respond: () => Response) {
    receiver.respond = respond;
    await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(nextEpoch(), 1);
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    // The consumer reads the clock itself: what it read lies between these two.
    const ranFrom = Date.now();
    const result = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
    const ranTo = Date.now();
    return {
      delaySeconds: result.retryMessages[0]?.delaySeconds,
      stored: await nextAttempt(queue.sent[0]!.deliveryId),
      ran: { from: ranFrom, to: ranTo },
    };
  }

  it('waits as long as a 429 asks in seconds, instead of the 30 s backoff', async () => {
    const { delaySeconds, stored } = await oneFailure(() => new Response('slow down', { status: 429, headers: { 'retry-after': '3600' } }));
    expect(delaySeconds).toBe(3600);
    expect(stored.waitSeconds).toBe(3600);
    expect(stored.last_error).toMatch(/HTTP 429.*asked to wait 3600 s \(Retry-After\)/);
  });

  it('waits until the HTTP-date a 503 names', async () => {
    const when = new Date(Math.ceil(Date.now() / 1000) * 1000 + 600_000);
    const { delaySeconds, stored, ran } = await oneFailure(
      () => new Response('maintenance', { status: 503, headers: { 'retry-after': when.toUTCString() } }),
    );
    // Whole seconds, rounded up, from whenever the consumer ran (however slow the machine is
    // between here and there): the stored time is the date itself.
    const secondsUntilWhen = (at: number) => Math.ceil((when.getTime() - at) / 1000);
    expect(delaySeconds).toBeGreaterThanOrEqual(secondsUntilWhen(ran.to));
    expect(delaySeconds).toBeLessThanOrEqual(secondsUntilWhen(ran.from));
    expect(delaySeconds).toBeLessThanOrEqual(601);
    expect(stored.next_attempt_at).toBe(isoSeconds(when));
  });

  it(`caps a longer Retry-After at HOOK_POLICY.retryAfterMaxSeconds (${HOOK_POLICY.retryAfterMaxSeconds} s)`, async () => {
    const { delaySeconds, stored } = await oneFailure(() => new Response(null, { status: 429, headers: { 'retry-after': '86400' } }));
    expect(delaySeconds).toBe(HOOK_POLICY.retryAfterMaxSeconds);
    expect(stored.waitSeconds).toBe(HOOK_POLICY.retryAfterMaxSeconds);
  });

  it('keeps the exponential backoff for other statuses, and for a Retry-After that is not a number or a date', async () => {
    expect((await oneFailure(() => new Response(null, { status: 500, headers: { 'retry-after': '3600' } }))).delaySeconds).toBe(30);
    await removeAllHooks();
    expect((await oneFailure(() => new Response(null, { status: 429, headers: { 'retry-after': 'soon' } }))).delaySeconds).toBe(30);
  });
});

describe('headers the target requires', () => {
  it('sends x-make-apikey with every attempt, retries included, beside the signature', async () => {
    let answers = 0;
    receiver.respond = () => new Response(null, { status: answers++ === 0 ? 500 : 200 });
    await subscribe(keys.acme, { target_url: 'https://hook.eu1.make.com/abc', view: 'events', headers: { 'x-make-apikey': 'mk_123' } });
    await addEvents(nextEpoch(), 1);
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
    await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 2 }]);
    const attempts = receiver.to('https://hook.eu1.make.com/abc');
    expect(attempts.map((r) => r.status)).toEqual([500, 200]);
    for (const r of attempts) {
      expect(r.headers['x-make-apikey']).toBe('mk_123');
      expect(r.headers['webhook-signature']).toMatch(/^v1,/);
    }
    const log = JSON.stringify(await deliveryLog(attempts[0]!.json.subscription_id));
    expect(log).not.toContain('mk_123');
  });
});

describe('the per-account ceiling', () => {
  it(`keeps at most ${HOOK_POLICY.maxInFlightPerAccount} batches of one account in flight and hands a free slot to the longest-waiting hook`, async () => {
    const epoch = nextEpoch();
    const count = HOOK_POLICY.maxInFlightPerAccount + 2;
    const hooks = [];
    for (let i = 0; i < count; i++) hooks.push(await subscribe(keys.acme, { target_url: `https://a.example/${i}`, view: 'events' }));
    await addEvents(epoch, 150);
    const queue = recordingQueue();
    await fireCron(new Date(), queue);
    expect(queue.sent).toHaveLength(HOOK_POLICY.maxInFlightPerAccount);
    // The cron stores the batches in subscription-id order; the last two stored wait, oldest first.
    const waiting = hooks
      .map((h) => h.id)
      .filter((id) => !queue.sent.some((m) => m.subscriptionId === id))
      .sort();
    expect(waiting).toHaveLength(2);

    // One batch lands: its slot goes to a hook that has waited, not to that hook's own next batch.
    const landed = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[0]!, attempts: 1 }]);
    expect(landed.sent.map((m) => m.subscriptionId)).toEqual([waiting[0]]);
    const next = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[1]!, attempts: 1 }]);
    expect(next.sent.map((m) => m.subscriptionId)).toEqual([waiting[1]]);
    // Then the hooks whose first batch landed first get their second.
    const third = await runQueue(DELIVERY_QUEUE, [{ body: queue.sent[2]!, attempts: 1 }]);
    expect(third.sent.map((m) => m.subscriptionId)).toEqual([queue.sent[0]!.subscriptionId]);
  });
});

describe('after a plan downgrade', () => {
  it('delivers only the columns the lower plan reads, and the hook stays visible to the account', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 1);
    await workerEnv.DB.prepare(`UPDATE tenants SET plan = 'essentials' WHERE id = 'acme'`).run();
    try {
      await drain(new Date());
      const [request] = receiver.to('https://a.example/hook');
      expect(request!.json.rows.map((r) => r.id)).toEqual(ids);
      const essentials = (await (await api('/v1/views/events', keys.initech)).json()) as { columns: { name: string }[] };
      expect(Object.keys(request!.json.rows[0]!).sort()).toEqual(['id', ...essentials.columns.map((c) => c.name)].sort());
      expect((await getHook(keys.acme, hook.id)).cursor?.row_id).toBe(ids[0]);
    } finally {
      await workerEnv.DB.prepare(`UPDATE tenants SET plan = 'professional' WHERE id = 'acme'`).run();
    }
  });
});

describe('stopping hooks that must not deliver', () => {
  it('re-checks the target at delivery time and disables a hook whose target is no longer allowed', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://a.example/hook', view: 'events' });
    await addEvents(epoch, 1);
    // As if the rules had changed since the hook was created.
    await workerEnv.DB.prepare('UPDATE hook_subscriptions SET target_url = ? WHERE id = ?').bind('https://10.1.2.3/hook', hook.id).run();
    const { result } = await cronThenQueue(new Date());
    expect(result!.explicitAcks).toHaveLength(1);
    expect(receiver.requests).toEqual([]);
    const stopped = await getHook(keys.acme, hook.id);
    expect(stopped.status).toBe('disabled');
    expect(stopped.status_reason).toMatch(/target URL is no longer allowed.*private network address/);
  });

  it('disables a hook whose API key was revoked', async () => {
    const { key, id, statement } = await createKey('acme', 'professional', 'zapier');
    await run(workerEnv.DB, statement);
    const hook = await subscribe(key, { target_url: 'https://a.example/hook', view: 'events' });
    await run(workerEnv.DB, revokeKey(id));
    await addEvents(nextEpoch(), 1);
    const { sent } = await cronThenQueue(new Date());
    expect(sent).toEqual([]);
    const stopped = await getHook(keys.acme, hook.id);
    expect(stopped.status).toBe('disabled');
    expect(stopped.status_reason).toMatch(/API key that created this hook was revoked/);
  });
});

describe('tenant isolation', () => {
  it('delivers to a hook only the rows of its own account', async () => {
    const epoch = nextEpoch();
    await subscribe(keys.globex, { target_url: 'https://globex.example/hook', view: 'events' });
    await subscribe(keys.acme, { target_url: 'https://acme.example/hook', view: 'events' });
    const acmeRows = await addEvents(epoch, 2);
    const { sent } = await cronThenQueue(new Date());
    expect(sent).toHaveLength(1);
    expect(receiver.acceptedIds('https://acme.example/hook')).toEqual(acmeRows);
    expect(receiver.to('https://globex.example/hook')).toEqual([]);
  });
});

describe('through the real queue', () => {
  it('enqueues from the cron and delivers from the queue consumer Miniflare runs', async () => {
    const epoch = nextEpoch();
    const hook = await subscribe(keys.acme, { target_url: 'https://real.example/hook', view: 'events' });
    const ids = await addEvents(epoch, 2);
    await fireCron(new Date());
    await vi.waitUntil(async () => (await getHook(keys.acme, hook.id)).cursor?.row_id === ids.at(-1), { timeout: 15_000, interval: 100 });
    expect(receiver.acceptedIds('https://real.example/hook')).toEqual(ids);
    expect((await deliveryLog(hook.id)).deliveries).toMatchObject([{ outcome: 'delivered', attempts: 1 }]);
  });
});
