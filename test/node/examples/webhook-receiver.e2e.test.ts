// The README's "Try webhooks locally", run as written against the bridge under wrangler dev:
// examples/webhook-receiver/receiver.mjs, started with the secret a new hook returned, prints a
// delivery the Cron Trigger sent as "signature ok", and refuses a forged one with 401.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/local-worker.ts';
import { OFFLINE_ENV, ROOT } from '../../../scripts/lib/wrangler.ts';
import { startLocalBridge, type LocalBridge } from '../../support/local-bridge.ts';

let bridge: LocalBridge;
let receiver: ChildProcess;
let port = 0;
let hook: { id: string; secret: string };
/** Lines the receiver printed; `nextLine` resolves on the first one (old or new) that matches. */
const lines: string[] = [];
const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
const nextLine = (match: (line: string) => boolean) =>
  new Promise<string>((resolve) => {
    const seen = lines.find(match);
    if (seen !== undefined) resolve(seen);
    else waiters.push({ match, resolve });
  });

beforeAll(async () => {
  bridge = await startLocalBridge({ endDate: '2026-11-20' });
  port = await freePort();
  const res = await fetch(`${bridge.url}/v1/hooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.keys.acme}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target_url: `http://localhost:${port}/hook`, view: 'consumers' }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  hook = (await res.json()) as { id: string; secret: string };
  receiver = spawn(process.execPath, [join(ROOT, 'examples', 'webhook-receiver', 'receiver.mjs')], {
    env: { ...OFFLINE_ENV, SECRET: hook.secret, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: receiver.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  await nextLine((line) => line === `listening on http://localhost:${port}`);
}, 240_000);

afterAll(async () => {
  receiver?.kill();
  await bridge?.stop();
});

describe('examples/webhook-receiver', () => {
  it('prints a delivery of a changed row with "signature ok" and answers 204, which the deliveries list shows', async () => {
    bridge.sql(
      "UPDATE acme__consumers SET etl_last_update_datetime = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE row_id = (SELECT min(row_id) FROM acme__consumers)",
    );
    await bridge.fireScheduled();
    const line = await nextLine((l) => l.startsWith('msg_'));
    const [, verdict, body] = /^msg_\S+ (signature ok|signature BAD) (.*)$/.exec(line) ?? [];
    expect(verdict).toBe('signature ok');
    expect(JSON.parse(body!)).toMatchObject({ view: 'consumers', subscription_id: hook.id, rows: [expect.any(Object)] });
    // The bridge records the 204 after the receiver answered it: wait for that record.
    for (;;) {
      const res = await fetch(`${bridge.url}/v1/hooks/${hook.id}/deliveries`, { headers: { authorization: `Bearer ${bridge.keys.acme}` } });
      const text = await res.text();
      if (text.includes('"status_code":204')) break;
      expect(text).not.toMatch(/"status":"(failed|dead)/);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('refuses a delivery signed with another secret with 401 and prints "signature BAD"', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
      },
      body: '{"rows":[]}',
    });
    expect(res.status).toBe(401);
    expect(await nextLine((l) => l.startsWith('msg_forged'))).toBe('msg_forged signature BAD {"rows":[]}');
  });
});
