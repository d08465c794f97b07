import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { NO_KEY_CACHE, startLocalWorker, type LocalWorker } from '../../../scripts/lib/local-worker.ts';
import { OFFLINE_ENV, ROOT } from '../../../scripts/lib/wrangler.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS, type DemoTenantId } from '../../../worker/demo/tenants.ts';
import { demoApiKey } from '../../../worker/tenants/keys.ts';

/** The demo data's last day: fixed, so every run sees the same rows. */
export const DEMO_END_DATE = '2026-10-04';

export interface TestApi {
  readonly url: string;
  readonly keys: Record<DemoTenantId, string>;
  readonly persistTo: string;
  /** Runs SQL on the Worker's local D1 database (to make new data arrive). */
  sql(statement: string): string;
  stop(): Promise<void>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Changes to what the seed writes invalidate the cached seeded state. */
function recipeHash(): string {
  const hash = createHash('sha256').update(`tiny ${DEFAULT_DEMO_SEED} ${DEMO_END_DATE}\n`);
  for (const file of [
    ...filesUnder(join(ROOT, 'worker/demo')),
    ...filesUnder(join(ROOT, 'migrations')),
    join(ROOT, 'scripts/seed.ts'),
  ].sort()) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A seeded state directory, built once by the project's own seed command and copied per
 * test file, so tests never share a database they write to. Test files start together: one
 * seeds (holding a lock directory) while the others wait for it rather than seed as well.
 */
async function seededTemplate(): Promise<string> {
  const cache = join(tmpdir(), 'activconnect-bridge-sheets');
  const template = join(cache, `demo-${recipeHash()}`);
  const lock = `${template}.lock`;
  mkdirSync(cache, { recursive: true });
  for (const deadline = Date.now() + 10 * 60_000; !existsSync(join(template, 'v3'));) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is seeding; a lock left by a killed run is taken over after 5 minutes.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      const building = `${template}.building`;
      rmSync(building, { recursive: true, force: true });
      const seeded = spawnSync(
        process.execPath,
        ['scripts/seed.ts', '--size', 'tiny', '--end-date', DEMO_END_DATE, '--persist-to', building],
        {
          cwd: ROOT,
          env: OFFLINE_ENV,
          encoding: 'utf8',
        },
      );
      if (seeded.status !== 0) throw new Error(`seeding the demo data failed:\n${seeded.stderr || seeded.stdout}`);
      renameSync(building, template);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return template;
}

/**
 * The real Worker under `wrangler dev`, over a fresh copy of the seeded demo data. It serves
 * a snapshot of worker/ taken at start, so others editing the tree meanwhile cannot reload
 * it under a running test.
 */
export async function startTestApi(): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'acb-sheets-api-'));
  const persistTo = join(dir, 'state');
  cpSync(await seededTemplate(), persistTo, { recursive: true });
  let worker: LocalWorker;
  try {
    worker = await startLocalWorker({ persistTo, snapshotDir: join(dir, 'snapshot'), vars: NO_KEY_CACHE });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const keys = {} as Record<DemoTenantId, string>;
  for (const tenant of DEMO_TENANTS) keys[tenant.id] = await demoApiKey(tenant.id, DEFAULT_DEMO_SEED);
  return {
    url: worker.url,
    keys,
    persistTo,
    sql(statement: string): string {
      const result = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'wrangler'),
        ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', statement],
        { cwd: ROOT, env: { ...OFFLINE_ENV, NO_COLOR: '1' }, encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`wrangler d1 execute failed:\n${result.stderr || result.stdout}`);
      return result.stdout;
    },
    async stop() {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
