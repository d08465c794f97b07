/**
 * Shared pieces of the REST-hook tests: a receiver standing in for Zapier or Make, a queue
 * recorder, and helpers that add rows to the demo warehouse the way a nightly build would.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { getView } from '../../../shared/views/index.ts';
import { quoteIdent, tableName } from '../../../worker/demo/schema.ts';
import type { Env } from '../../../worker/env.ts';
import type { DeliveryMessage } from '../../../worker/hooks/message.ts';
import worker from '../../../worker/index.ts';
import { api } from '../support/demo.ts';

export const workerEnv = env as unknown as Env;

/** The Worker as the runtime sees it, so tests call its handlers with the runtime's arguments. */
const handlers: ExportedHandler<Env> = worker;

export const DELIVERY_QUEUE = 'activconnect-deliveries';
export const DEAD_LETTER_QUEUE = 'activconnect-deliveries-dlq';

/** Inserts rows into a tenant's demo table; column names come from the view definition. */
export async function insertRows(tenant: string, viewName: string, rows: readonly Record<string, string | number | null>[]): Promise<void> {
  const view = getView(viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const statements = rows.map((row) => {
    const columns = Object.keys(row);
    return workerEnv.DB.prepare(
      `INSERT INTO ${quoteIdent(tableName(tenant, view.name))} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ).bind(...columns.map((c) => row[c] ?? null));
  });
  await workerEnv.DB.batch(statements);
}

export interface Received {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json: { view: string; subscription_id: string; rows: { id: string; [column: string]: unknown }[] };
  /** What the receiver answered. */
  status: number;
}

/**
 * A webhook receiver in place of the network: every fetch the Worker makes lands here. The
 * answer is chosen per request by `respond`, which tests change to make the target fail,
 * recover, redirect or go away.
 */
export class Receiver {
  readonly requests: Received[] = [];
  respond: (request: Received) => Response | Promise<Response> = () => new Response('ok', { status: 200 });

  /** Replaces the global fetch, which the Worker's code shares with the tests in workerd. */
  install(): this {
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => this.handle(new Request(input, init)));
    return this;
  }

  async handle(request: Request): Promise<Response> {
    const body = await request.text();
    const received: Received = {
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body,
      json: JSON.parse(body) as Received['json'],
      status: 0,
    };
    this.requests.push(received);
    const response = await this.respond(received);
    received.status = response.status;
    return response;
  }

  /** Requests sent to one hook's target, in arrival order. */
  to(url: string): Received[] {
    return this.requests.filter((r) => r.url === url);
  }

  /** Every row id a target accepted (answered 2xx for), in arrival order. */
  acceptedIds(url: string): string[] {
    return this.to(url)
      .filter((r) => r.status >= 200 && r.status < 300)
      .flatMap((r) => r.json.rows.map((row) => row.id));
  }
}

/** Records what the scheduler puts on the queue instead of sending it. */
export function recordingQueue() {
  const sent: DeliveryMessage[] = [];
  return {
    sent,
    send: async (message: DeliveryMessage) => {
      sent.push(message);
    },
  };
}

/** Fires the Worker's scheduled handler as the Cron Trigger would, for the minute `at`. */
export async function fireCron(at: Date, queue?: ReturnType<typeof recordingQueue>): Promise<void> {
  const controller = createScheduledController({ scheduledTime: at, cron: '* * * * *' });
  const ctx = createExecutionContext();
  // The recorder stands in for the DELIVERIES binding; everything else is the real env.
  const runEnv = queue ? ({ ...workerEnv, DELIVERIES: queue } as unknown as Env) : workerEnv;
  await handlers.scheduled!(controller, runEnv, ctx);
}

/**
 * Hands messages to the Worker's queue handler as a batch from `queueName`, and returns what it
 * acked or retried, and what it put on the queue next (a landed batch enqueues the hook's next
 * one at once). `queue` records those sends instead of the DELIVERIES binding, so nothing runs
 * behind the test's back; pass it to collect several runs' sends in one place.
 */
export async function runQueue(
  queueName: string,
  messages: readonly { body: DeliveryMessage; attempts: number; id?: string }[],
  queue: ReturnType<typeof recordingQueue> = recordingQueue(),
) {
  const batch = createMessageBatch<DeliveryMessage>(
    queueName,
    messages.map((m, i) => ({ id: m.id ?? `m${i}-${m.body.deliveryId}`, timestamp: new Date(), attempts: m.attempts, body: m.body })),
  );
  // getQueueResult reports which messages were retried but drops the delay they asked for, so
  // the delay is read off the retry call itself.
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, 'retry').mockImplementation((options?: QueueRetryOptions) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    });
  }
  const ctx = createExecutionContext();
  await handlers.queue!(batch, { ...workerEnv, DELIVERIES: queue } as unknown as Env, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
    sent: queue.sent,
  };
}

/**
 * The cron at `at`, then the queue consumer on everything enqueued, over and over until the
 * queue is empty, as Cloudflare would run them with a receiver that answers at once. Returns
 * the messages in the order they were put on the queue. Bounded, so a drain that never ends
 * fails the test instead of hanging it.
 */
export async function drain(at: Date, maxRounds = 50): Promise<DeliveryMessage[]> {
  const first = recordingQueue();
  await fireCron(at, first);
  const all = [...first.sent];
  let next = first.sent;
  for (let round = 0; next.length > 0; round++) {
    if (round >= maxRounds) throw new Error(`the queue did not drain in ${maxRounds} rounds`);
    const { sent } = await runQueue(
      DELIVERY_QUEUE,
      next.map((body) => ({ body, attempts: 1 })),
    );
    all.push(...sent);
    next = sent;
  }
  return all;
}

export interface HookBody {
  id: string;
  secret?: string;
  view: string;
  target_url: string;
  status: string;
  status_reason: string | null;
  cursor: { change_value: string | null; row_id: string } | null;
  dead_letters: number;
  failing_since: string | null;
}

/** Subscribes through the API, as Zapier's subscribe call does. */
export async function subscribe(key: string, body: Record<string, unknown>): Promise<HookBody> {
  const res = await api('/v1/hooks', key, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as HookBody;
}

export async function getHook(key: string, id: string): Promise<HookBody> {
  const res = await api(`/v1/hooks/${id}`, key);
  if (res.status !== 200) throw new Error(`get hook failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as HookBody;
}

/** Deletes every hook in this test file's storage, so each test starts with none. */
export async function removeAllHooks(): Promise<void> {
  await workerEnv.DB.prepare('DELETE FROM hook_subscriptions').run();
}
