/**
 * The two worked examples of docs/make.md, run as Make would run them, against the local
 * server over real HTTP: the polling scenario's requests, and the webhook scenario with a
 * receiver on loopback standing in for Make's Custom webhook address. The webhook is
 * checked with the verifying receiver the README shows, taken from the README itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/wrangler.ts';
import { startLocalBridge, type LocalBridge } from '../../support/local-bridge.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let bridge: LocalBridge;
let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let verifyWebhook: (secret: string, headers: IncomingHttpHeaders, body: string) => boolean;

beforeAll(async () => {
  bridge = await startLocalBridge({ endDate: '2026-11-20' });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/make-webhook`;
  // The README's receiver snippet, exactly as a reader would copy it.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?verifyWebhook[\s\S]*?)```/.exec(readme)?.[1];
  if (!snippet) throw new Error('README.md has no js block with verifyWebhook');
  const file = join(tmpdir(), `acb-readme-receiver-${process.pid}.mjs`);
  writeFileSync(file, snippet);
  ({ verifyWebhook } = (await import(file)) as { verifyWebhook: typeof verifyWebhook });
}, 180_000);

afterAll(async () => {
  await bridge?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const auth = () => ({ authorization: `Bearer ${bridge.keys.acme}` });

describe('docs/make.md: new daily summaries into a sheet, every hour (polling)', () => {
  const poll = async (since: string) => {
    const params = new URLSearchParams({
      since,
      limit: '1000',
      select: 'user_name,local_date,productive_active_duration_seconds,active_duration_seconds',
    });
    const res = await fetch(`${bridge.url}/v1/views/daily_user_summary/changes?${params}`, { headers: auth() });
    expect(res.status).toBe(200);
    return (await res.json()) as { rows: Record<string, unknown>[]; latest: string | null };
  };

  it('returns every row on the first run, nothing on a repeat from `latest`, and only the new day after it arrives', async () => {
    const first = await poll('');
    expect(first.rows.length).toBeGreaterThan(0);
    expect(new Set(first.rows.map((r) => r.id)).size).toBe(first.rows.length);
    expect(Object.keys(first.rows[0]!).sort()).toEqual(
      ['active_duration_seconds', 'id', 'local_date', 'productive_active_duration_seconds', 'user_name'].sort(),
    );
    expect(first.latest).toBe('2026-11-20');

    expect((await poll(first.latest!)).rows).toEqual([]);

    bridge.sql(
      `INSERT INTO "acme__daily_user_summary" (accountid, user_id, user_name, local_date, productive_active_duration_seconds, active_duration_seconds)
       VALUES (310001, 299999, 'Make Example', '2026-11-21', 3600, 5400)`,
    );
    const next = await poll(first.latest!);
    expect(next.rows).toEqual([
      {
        id: '299999|2026-11-21',
        user_name: 'Make Example',
        local_date: '2026-11-21',
        productive_active_duration_seconds: 3600,
        active_duration_seconds: 5400,
      },
    ]);
    expect(next.latest).toBe('2026-11-21');
  });
});

describe('docs/make.md: unproductive events as they arrive (webhook)', () => {
  it('delivers only new matching rows, once, signed so the README receiver verifies them', async () => {
    const created = await fetch(`${bridge.url}/v1/hooks`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        target_url: receiverUrl,
        view: 'events',
        filters: { productivity: 'eq.Unproductive' },
        select: ['user_name', 'application', 'titlebar', 'duration_sec', 'utc_timestamp'],
      }),
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string };
    expect(hook.secret).toMatch(/^whsec_/);

    bridge.sql(
      `INSERT INTO "acme__events" (accountid, user_id, computer_id, utc_timestamp, local_date, user_name, application, titlebar, duration_sec, productivity)
       VALUES (310001, 299999, 1, '2026-11-21T10:00:00Z', '2026-11-21', 'Make Example', 'YouTube', '=cats - YouTube', 300, 'Unproductive'),
              (310001, 299999, 1, '2026-11-21T10:05:00Z', '2026-11-21', 'Make Example', 'Excel', 'Budget.xlsx', 600, 'Productive')`,
    );
    await bridge.fireScheduled();
    const deadline = Date.now() + 60_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(received).toHaveLength(1);

    const delivery = received[0]!;
    expect(verifyWebhook(hook.secret, delivery.headers, delivery.body)).toBe(true);
    expect(verifyWebhook(hook.secret, delivery.headers, delivery.body.replace('YouTube', 'Netflix'))).toBe(false);
    const payload = JSON.parse(delivery.body) as { view: string; subscription_id: string; rows: Record<string, unknown>[] };
    expect(payload.view).toBe('events');
    expect(payload.subscription_id).toBe(hook.id);
    expect(payload.rows).toEqual([
      {
        id: '299999|1|2026-11-21T10:00:00Z',
        user_name: 'Make Example',
        application: 'YouTube',
        titlebar: '=cats - YouTube',
        duration_sec: 300,
        utc_timestamp: '2026-11-21T10:00:00Z',
      },
    ]);

    // Delivered once: the next cron run finds nothing past the cursor.
    await bridge.fireScheduled();
    await new Promise((r) => setTimeout(r, 3000));
    expect(received).toHaveLength(1);
    const log = (await (await fetch(`${bridge.url}/v1/hooks/${hook.id}/deliveries`, { headers: auth() })).json()) as {
      deliveries: { outcome: string; attempts: number }[];
    };
    expect(log.deliveries.map((d) => d.outcome)).toEqual(['delivered']);
  });
});
