import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whatever directory a script is started from. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');

/** No account, no login, no telemetry: everything local runs offline. */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_API_TOKEN: process.env.CLOUDFLARE_API_TOKEN ?? '',
  // Local dev otherwise downloads request.cf sample data from workers.cloudflare.com on start
  // and prints a stack trace when offline; the Worker reads nothing from request.cf.
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
};

export interface LocalOptions {
  /** Where local D1 state lives; wrangler's default is .wrangler/state. */
  readonly persistTo?: string;
}

export function persistArgs(options: LocalOptions): string[] {
  return options.persistTo ? ['--persist-to', resolve(options.persistTo)] : [];
}

/** Runs wrangler to completion; throws with its output when it fails. */
export function wrangler(args: string[], options: { quiet?: boolean } = {}): string {
  if (!existsSync(WRANGLER)) throw new Error('wrangler is not installed: run `npm install` first.');
  const result = spawnSync(WRANGLER, args, { cwd: ROOT, env: OFFLINE_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.slice(0, 3).join(' ')} failed:\n${result.stderr || result.stdout}`);
  }
  if (!options.quiet) process.stdout.write('');
  return result.stdout;
}

export function spawnWrangler(args: string[]): ChildProcess {
  return spawn(WRANGLER, args, { cwd: ROOT, env: OFFLINE_ENV, stdio: 'inherit' });
}

/** Applies migrations/ to the local D1 database; wrangler skips those already applied. */
export function applyLocalMigrations(options: LocalOptions): void {
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(options)]);
}

/**
 * A D1 binding onto the same local database `wrangler dev` uses, through wrangler's
 * platform proxy, so seeding runs the Worker's own loader code from Node.
 */
export async function openLocalDb(options: LocalOptions): Promise<{ db: D1Database; dispose: () => Promise<void> }> {
  const { getPlatformProxy } = await import('wrangler');
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: join(ROOT, 'wrangler.toml'),
    persist: options.persistTo ? { path: join(resolve(options.persistTo), 'v3') } : true,
  });
  return { db: proxy.env.DB, dispose: () => proxy.dispose() };
}
