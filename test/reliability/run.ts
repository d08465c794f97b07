/**
 * `npm run test:reliability`: the Worker under `wrangler dev` (workerd) on 127.0.0.1 over
 * the three demo tenants, put through
 *   1. isolation: random queries with every tenant's key, directly and from the cache, over
 *      /rows and over POST /mcp (query_view), and the refusals at the edge of a key;
 *   2. bad input: a corpus of hostile requests, each a clear 4xx problem+json, and one of
 *      hostile MCP tool arguments and JSON-RPC envelopes (a tool error or a JSON-RPC error);
 *   3. load: mixed queries at 100 connections, zero 5xx, memory flat afterwards;
 *   4. webhook faults: a receiver that fails, times out and answers 410;
 *   5. BigQuery faults: the stand-in slow, failing, throttling, returning partial pages.
 * and prints requests, faults injected, inputs tried and rows lost at the end. Exit code 1
 * when any check failed.
 *
 *   node test/reliability/run.ts            (about 4–7 minutes: small warehouse, 60 s load;
 *                                            the warehouse is built once, ~2 minutes, and reused)
 *   node test/reliability/run.ts --quick    (about 1 minute, for CI: tiny warehouse, 10 s
 *                                            load, no 30-second webhook retries, no deadline case)
 *   options: --seconds N --connections N --seed N
 *            --only isolation|hostile|load|webhooks|bigquery   (one part; run it alone)
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalWorker, type LocalWorker } from '../../scripts/lib/local-worker.ts';
import { startWebhookReceiver } from '../../scripts/lib/webhook-receiver.ts';
import { parseArgs } from '../../scripts/lib/args.ts';
import { ROOT } from '../../scripts/lib/wrangler.ts';
import type { FaultReport } from './bigquery-faults.ts';
import { runHostile } from './hostile.ts';
import { runIsolation } from './isolation.ts';
import { runMcpHostile } from './mcp-hostile.ts';
import { runMcpIsolation } from './mcp-isolation.ts';
import { runLoad } from './load.ts';
import { reliabilityState, sqliteQuery } from './support/state.ts';
import { Random, Tally } from './support/tally.ts';
import { receiverAnswers, runWebhookFaults, subscribe, type HookBehaviour } from './webhook-faults.ts';

const args = parseArgs(process.argv.slice(2), {
  quick: 'boolean',
  seconds: 'string',
  connections: 'string',
  seed: 'string',
  only: 'string',
});
const PARTS = ['isolation', 'hostile', 'load', 'webhooks', 'bigquery'] as const;
const ONLY = typeof args.only === 'string' ? args.only : undefined;
if (ONLY !== undefined && !(PARTS as readonly string[]).includes(ONLY)) {
  console.error(`reliability: --only takes one of ${PARTS.join(', ')}; got '${ONLY}'`);
  process.exit(2);
}
/** Whether a part runs: all of them, or the one --only names. */
const runs = (part: (typeof PARTS)[number]) => ONLY === undefined || ONLY === part;
const QUICK = args.quick === true;
const SECONDS = args.seconds ? Number(args.seconds) : QUICK ? 10 : 60;
const CONNECTIONS = args.connections ? Number(args.connections) : 100;
const SEED = args.seed ? Number(args.seed) : Math.floor(Math.random() * 2 ** 31);
/** Hard stop for the whole run. */
const BUDGET_MS = (QUICK ? 8 : 20) * 60_000;

const log = (m: string) => console.log(`reliability: ${m}`);

function bigQueryFaultsInChild(persistTo: string): Promise<FaultReport> {
  return new Promise((resolve) => {
    const file = fileURLToPath(new URL('./bigquery-faults.ts', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-transform-types', '--no-warnings', file, persistTo, QUICK ? 'quick' : 'full'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      const text = c.toString();
      out += text;
      for (const line of text.split('\n')) if (line.startsWith('  ')) console.log(` ${line}`);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as FaultReport);
      } catch {
        resolve({
          checks: [{ name: 'BigQuery faults ran', ok: false, detail: `exited ${code}: ${(err || out).slice(-600)}` }],
          requests: 0,
          faults: 0,
          rowsChecked: 0,
          rowsLost: 0,
          rowsDuplicated: 0,
          notes: [],
        });
      }
    });
  });
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    console.log('reliability: the run exceeded its time budget; stopping');
    process.exit(2);
  }, BUDGET_MS);
  watchdog.unref();
  const tally = new Tally();
  const rnd = new Random(SEED);
  log(`seed ${SEED} (replay with --seed ${SEED}); ${QUICK ? 'quick' : 'full'} run`);

  const size = QUICK ? 'tiny' : 'small';
  const state = await reliabilityState(size, log);
  const snapshot = join(ROOT, '.wrangler', 'reliability', `worker-${size}`);
  rmSync(join(state.dir, 'v3', 'cache'), { recursive: true, force: true });
  const answers = receiverAnswers();
  const receiver = await startWebhookReceiver({ answer: answers.answer, keepBodies: true });
  let worker: LocalWorker | null = null;
  try {
    worker = await startLocalWorker({ persistTo: state.dir, snapshotDir: snapshot, testScheduled: true });
    log(`worker on ${worker.url}`);

    if (runs('isolation')) {
      tally.section('isolation');
      await runIsolation({ url: worker.url, keys: state.keys, rnd, tally, queries: QUICK ? 15 : 60 });
      tally.section('isolation (MCP)');
      await runMcpIsolation({
        url: worker.url,
        keys: state.keys,
        revokedKey: state.revokedKey,
        essentialsKey: state.essentialsKey,
        rnd,
        tally,
        queries: QUICK ? 10 : 40,
      });
    }

    if (runs('hostile')) {
      tally.section('bad input');
      await runHostile(
        {
          url: worker.url,
          port: worker.port,
          keys: state.keys,
          revokedKey: state.revokedKey,
          essentialsKey: state.essentialsKey,
          accountIds: state.accountIds,
        },
        tally,
      );
      tally.section('bad input (MCP)');
      await runMcpHostile({ url: worker.url, port: worker.port, keys: state.keys, accountIds: state.accountIds }, tally);
    }

    if (runs('load')) {
      tally.section(`load (${CONNECTIONS} connections, ${SECONDS} s)`);
      await runLoad({ worker, keys: state.keys, rnd, tally, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: QUICK ? 3 : 10 });
    }

    if (runs('webhooks')) {
      tally.section('webhook faults');
      const behaviours: HookBehaviour[] = QUICK ? ['ok', 'gone'] : ['ok', 'fail-first', 'timeout-first', 'gone'];
      const users = sqliteQuery(state.sqliteFile, 'SELECT DISTINCT user_id FROM acme__daily_user_summary ORDER BY user_id').split('\n');
      const perHook = QUICK ? 1 : 3;
      const userSets = behaviours.map((_, i) => users.slice(i * perHook, (i + 1) * perHook));
      const hooks = await subscribe(worker, state.keys.acme, receiver.url, behaviours, userSets);
      // New hooks start at the newest row; with the worker stopped, move them back to the start
      // so each has a backlog of several batches.
      await worker.stop();
      sqliteQuery(state.sqliteFile, "UPDATE hook_subscriptions SET cursor = 'null', checked_at = NULL;");
      const expected = new Map<string, Set<string>>();
      for (const [i, h] of hooks.entries()) {
        const ids = sqliteQuery(
          state.sqliteFile,
          `SELECT user_id || '|' || local_date FROM acme__daily_user_summary WHERE user_id IN (${userSets[i]!.join(',')})`,
        )
          .split('\n')
          .filter((l) => l !== '');
        expected.set(h.id, new Set(ids));
      }
      worker = await startLocalWorker({ persistTo: state.dir, snapshotDir: snapshot, testScheduled: true });
      await runWebhookFaults({
        worker,
        key: state.keys.acme,
        receiver,
        hooks,
        expected,
        tally,
        maxSeconds: QUICK ? 45 : 150,
        injected: answers.injected,
      });
    }
    await worker.stop();
    worker = null;

    if (runs('bigquery')) {
      tally.section('BigQuery faults');
      const report = await bigQueryFaultsInChild(state.dir);
      for (const c of report.checks) tally.check(c.name, c.ok, c.detail);
      tally.requests += report.requests;
      tally.faultsInjected += report.faults;
      tally.rowsChecked += report.rowsChecked;
      tally.rowsLost += report.rowsLost;
      tally.rowsDuplicated += report.rowsDuplicated;
      for (const n of report.notes) tally.note(n);
    }
  } catch (err) {
    tally.check('the run completed', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await worker?.stop();
    await receiver.close();
  }
  console.log(tally.summary());
  console.log(`  seed: ${SEED}`);
  return tally.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
