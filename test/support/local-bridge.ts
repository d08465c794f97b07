/**
 * The bridge as a user runs it, for end-to-end tests over real HTTP: a demo warehouse seeded
 * by the project's seed command into a temporary directory, served by `wrangler dev --local`
 * on a free 127.0.0.1 port (scripts/lib/local-worker.ts), stopped and removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_KEY_CACHE, startLocalWorker } from '../../scripts/lib/local-worker.ts';
import { OFFLINE_ENV, ROOT } from '../../scripts/lib/wrangler.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS, type DemoTenantId } from '../../worker/demo/tenants.ts';
import { demoApiKey } from '../../worker/tenants/keys.ts';
import { fetchRetryingStaleSocket } from './stale-socket.ts';

export interface LocalBridge {
  readonly url: string;
  /** Demo API key per tenant: acme professional, globex essentials_plus, initech essentials. */
  readonly keys: Readonly<Record<DemoTenantId, string>>;
  /** Runs SQL on the bridge's local D1 database, to make new rows arrive. */
  sql(statement: string): void;
  /** The SQLite file behind the local D1 database, for reading it with other tools. */
  d1File(): string;
  /** Fires the Cron Trigger once, as Cloudflare does every minute: due hooks are delivered. */
  fireScheduled(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalBridgeOptions {
  /** The demo data's last day. */
  readonly endDate: string;
  readonly seed?: number;
}

export async function startLocalBridge(options: LocalBridgeOptions): Promise<LocalBridge> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const dir = mkdtempSync(join(tmpdir(), 'acb-bridge-'));
  const persistTo = join(dir, 'state');
  try {
    const seeded = spawnSync(
      process.execPath,
      ['scripts/seed.ts', '--size', 'tiny', '--seed', String(seed), '--end-date', options.endDate, '--persist-to', persistTo],
      { cwd: ROOT, env: OFFLINE_ENV, encoding: 'utf8' },
    );
    if (seeded.status !== 0) throw new Error(`seeding the demo warehouse failed:\n${seeded.stderr || seeded.stdout}`);
    // A snapshot of worker/, so an edit elsewhere in the tree cannot reload it mid-test.
    const worker = await startLocalWorker({ persistTo, snapshotDir: join(dir, 'snapshot'), testScheduled: true, vars: NO_KEY_CACHE });
    try {
      await waitForHealth(worker.url);
    } catch (err) {
      await worker.stop();
      throw err;
    }
    const keys = {} as Record<DemoTenantId, string>;
    for (const tenant of DEMO_TENANTS) keys[tenant.id] = await demoApiKey(tenant.id, seed);
    return {
      url: worker.url,
      keys,
      sql(statement) {
        const result = spawnSync(
          join(ROOT, 'node_modules', '.bin', 'wrangler'),
          ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--command', statement],
          { cwd: ROOT, env: { ...OFFLINE_ENV, NO_COLOR: '1' }, encoding: 'utf8' },
        );
        if (result.status !== 0) throw new Error(`wrangler d1 execute failed:\n${result.stderr || result.stdout}`);
      },
      d1File() {
        const d1Dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
        const file = readdirSync(d1Dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
        if (!file) throw new Error(`no D1 database file in ${d1Dir}`);
        return join(d1Dir, file);
      },
      async fireScheduled() {
        // Current wrangler serves the local scheduled route under /cdn-cgi/; older ones at /__scheduled.
        for (const path of ['/cdn-cgi/local/scheduled', '/__scheduled']) {
          const res = await fetchRetryingStaleSocket(`${worker.url}${path}?cron=${encodeURIComponent('* * * * *')}`, {
            signal: AbortSignal.timeout(60_000),
          });
          await res.arrayBuffer();
          if (res.status === 404) continue;
          if (!res.ok) throw new Error(`the scheduled trigger answered ${res.status}`);
          return;
        }
        throw new Error('wrangler dev serves no scheduled route; was it started with --test-scheduled?');
      },
      async stop() {
        await worker.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** /healthz answers ok once the control-plane database does, not merely once the port is open. */
async function waitForHealth(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      last = await res.text();
      if (res.ok) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/healthz did not answer ok within ${timeoutMs / 1000} s: ${last}`);
}
