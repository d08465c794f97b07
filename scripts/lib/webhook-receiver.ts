/**
 * A local webhook receiver on 127.0.0.1 for benchmarks and reliability runs: records every
 * delivery (webhook-id, path, rows, the answer it got) and answers as a test tells it to:
 * 2xx, an error status, 410 Gone, or no answer at all (a timeout at the sender).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type ReceiverAnswer =
  | { readonly status: number; readonly delayMs?: number }
  /** Keep the connection open without answering until the receiver closes. */
  | { readonly hang: true };

export interface ReceivedDelivery {
  readonly path: string;
  readonly webhookId: string;
  readonly webhookTimestamp: string;
  readonly webhookSignature: string;
  readonly bytes: number;
  /** `rows` of the JSON body, or [] when the body is not a delivery. */
  readonly rows: readonly Record<string, unknown>[];
  /** The status answered, or null for a hang. */
  readonly answered: number | null;
  readonly at: number;
  /** Raw body, kept only with `keepBodies`. */
  readonly body?: string;
}

export interface ReceiverOptions {
  /** Decides the answer per delivery (default 204). */
  readonly answer?: (delivery: Omit<ReceivedDelivery, 'answered' | 'at'>, attempt: number) => ReceiverAnswer;
  readonly keepBodies?: boolean;
  /** Keep row objects (default true); a benchmark turns it off to stay small. */
  readonly keepRows?: boolean;
  /** Refuse bodies larger than this (default 4 MB) with 413. */
  readonly maxBodyBytes?: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly deliveries: ReceivedDelivery[];
  /** Attempts per webhook-id so far. */
  attempts(webhookId: string): number;
  /**
   * Resolves with the deliveries once `count` have been recorded, as the last one is: a test
   * awaits the delivery itself instead of sleeping and looking. Rejects after `timeoutMs`.
   */
  delivered(count: number, timeoutMs: number): Promise<readonly ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: ReceiverOptions = {}): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const attempts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const record = (delivery: ReceivedDelivery) => {
    deliveries.push(delivery);
    for (const wake of waiters) wake();
  };
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) refused = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (refused) {
        res.writeHead(413).end();
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      let rows: Record<string, unknown>[] = [];
      try {
        const parsed = JSON.parse(text) as { rows?: unknown };
        if (Array.isArray(parsed.rows)) rows = parsed.rows as Record<string, unknown>[];
      } catch {
        // not JSON: recorded with no rows
      }
      const header = (name: string) => String(req.headers[name] ?? '');
      const base = {
        path: req.url ?? '/',
        webhookId: header('webhook-id'),
        webhookTimestamp: header('webhook-timestamp'),
        webhookSignature: header('webhook-signature'),
        bytes: size,
        rows: options.keepRows === false ? rows.map(() => ({})) : rows,
        ...(options.keepBodies ? { body: text } : {}),
      };
      const attempt = (attempts.get(base.webhookId) ?? 0) + 1;
      attempts.set(base.webhookId, attempt);
      const answer = options.answer?.(base, attempt) ?? { status: 204 };
      if ('hang' in answer) {
        record({ ...base, answered: null, at: Date.now() });
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      const send = () => {
        record({ ...base, answered: answer.status, at: Date.now() });
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status < 300 ? '' : `status ${answer.status}`);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deliveries,
    attempts: (id) => attempts.get(id) ?? 0,
    delivered: (count, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`${deliveries.length} of ${count} deliveries arrived within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        const wake = () => {
          if (deliveries.length < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(deliveries);
        };
        waiters.add(wake);
        wake();
      }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
