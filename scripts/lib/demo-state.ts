/**
 * A local demo warehouse for benchmarks and reliability runs, built once into its own
 * persist directory and reused: each tenant can have its own size (the benchmark needs one
 * large tenant, not three), and a stamp file records what was built so a changed recipe
 * rebuilds instead of silently measuring the old data.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_SIZES, generateDemo, type DemoSize } from '../../worker/demo/generate.ts';
import { loadDemoData } from '../../worker/demo/load.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../worker/demo/tenants.ts';
import { createKey, run, upsertTenant } from '../../worker/tenants/admin.ts';
import { demoApiKey } from '../../worker/tenants/keys.ts';
import { DEMO_RATE_TIER } from '../../worker/tenants/rate-tiers.ts';
import { applyLocalMigrations, openLocalDb } from './wrangler.ts';

export interface DemoStateRecipe {
  /** Size per demo tenant; a tenant left out gets its tenant row and key but no tables. */
  readonly sizes: Partial<Record<DemoTenantId, DemoSize>>;
  readonly seed: number;
  /** Fixed, so two runs measure the same rows. */
  readonly endDate: string;
}

export interface DemoState {
  readonly dir: string;
  /** Demo API key per tenant. */
  readonly keys: Record<DemoTenantId, string>;
  /** The plain SQLite file wrangler's local D1 keeps, for sqlite3 baselines. */
  readonly sqliteFile: string;
  /** True when this call built it, false when it was reused. */
  readonly built: boolean;
}

const STAMP = 'demo-state.json';

/** The local D1 database file under a persist directory (the one that is not metadata.sqlite). */
function findSqliteFile(dir: string): string {
  const d1 = join(resolve(dir), 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = existsSync(d1) ? readdirSync(d1).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${d1}, found ${files.length}`);
  return join(d1, files[0]!);
}

async function demoKeys(seed: number): Promise<Record<DemoTenantId, string>> {
  const keys = {} as Record<DemoTenantId, string>;
  for (const t of DEMO_TENANTS) keys[t.id] = await demoApiKey(t.id, seed);
  return keys;
}

/**
 * A state built before rate tiers existed got the column's default ('standard') from the
 * migration; the demo accounts are meant to be DEMO_RATE_TIER.
 */
async function keepDemoTier(persistTo: string): Promise<void> {
  const { db, dispose } = await openLocalDb({ persistTo });
  try {
    const ids = DEMO_TENANTS.map((t) => t.id);
    await db
      .prepare(`UPDATE tenants SET rate_tier = ? WHERE rate_tier <> ? AND id IN (${ids.map(() => '?').join(', ')})`)
      .bind(DEMO_RATE_TIER, DEMO_RATE_TIER, ...ids)
      .run();
  } finally {
    await dispose();
  }
}

/**
 * Builds the demo warehouse described by `recipe` into `dir` unless the stamp there says
 * it already holds exactly that. Rebuilding wipes the directory first.
 * @example
 * const state = await ensureDemoState('.wrangler/bench/state', { sizes: { acme: 'large' }, seed: 42, endDate: '2026-03-31' });
 */
export async function ensureDemoState(dir: string, recipe: DemoStateRecipe, log: (message: string) => void = () => {}): Promise<DemoState> {
  const abs = resolve(dir);
  const stampFile = join(abs, STAMP);
  const wanted = JSON.stringify(recipe);
  const keys = await demoKeys(recipe.seed);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
    // New migrations (another engineer's) land in a reused state too; applied ones are skipped.
    applyLocalMigrations({ persistTo: abs });
    await keepDemoTier(abs);
    return { dir: abs, keys, sqliteFile: findSqliteFile(abs), built: false };
  }
  rmSync(abs, { recursive: true, force: true });
  mkdirSync(abs, { recursive: true });
  log(`building the demo warehouse in ${abs} (${JSON.stringify(recipe.sizes)}); this is done once`);
  const started = Date.now();
  applyLocalMigrations({ persistTo: abs });
  const { db, dispose } = await openLocalDb({ persistTo: abs });
  try {
    for (const tenant of DEMO_TENANTS) {
      const created = await createKey(tenant.id, tenant.plan, 'demo key', keys[tenant.id]);
      await run(
        db,
        upsertTenant({ id: tenant.id, name: tenant.name, plan: tenant.plan, timeZone: tenant.timeZone, rateTier: DEMO_RATE_TIER }),
        created.statement,
      );
      const size = recipe.sizes[tenant.id];
      if (!size) continue;
      const data = generateDemo({
        seed: `${recipe.seed}:${tenant.id}`,
        accountId: tenant.accountId,
        endDate: recipe.endDate,
        ...DEMO_SIZES[size],
      });
      let lastLog = 0;
      const result = await loadDemoData(db, tenant.id, data, {
        onProgress: (view, rows) => {
          if (Date.now() - lastLog > 15_000) {
            lastLog = Date.now();
            log(`  ${tenant.id}: ${view} ${rows.toLocaleString('en-US')} rows`);
          }
        },
      });
      log(`  ${tenant.id} (${size}): ${result.totalRows.toLocaleString('en-US')} rows in ${(result.milliseconds / 1000).toFixed(0)} s`);
    }
  } finally {
    await dispose();
  }
  writeFileSync(stampFile, wanted);
  log(`demo warehouse ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { dir: abs, keys, sqliteFile: findSqliteFile(abs), built: true };
}
