import { demoApiKey } from '../tenants/keys.ts';
import { createKey, run, upsertTenant } from '../tenants/admin.ts';
import { DEMO_RATE_TIER } from '../tenants/rate-tiers.ts';
import { DEMO_SIZES, generateDemo, type DemoOptions, type DemoSize } from './generate.ts';
import { loadDemoData } from './load.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS, type DemoTenantId } from './tenants.ts';

export interface SeedOptions {
  readonly size: DemoSize;
  readonly seed?: number;
  /** Last day with data; defaults to yesterday (UTC), so `npm start` shows recent data. */
  readonly endDate?: string;
  readonly onProgress?: (message: string) => void;
}

export function yesterday(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The generator options behind one demo tenant's data: the same seed, end date and size give
 * the same rows, so other stores of the demo (the BigQuery stand-in's) can be filled alike.
 */
export function tenantDemoOptions(
  tenant: (typeof DEMO_TENANTS)[number],
  options: { readonly size: DemoSize; readonly seed: number; readonly endDate: string },
): DemoOptions {
  return {
    seed: `${options.seed}:${tenant.id}`,
    accountId: tenant.accountId,
    timeZone: tenant.timeZone,
    endDate: options.endDate,
    ...DEMO_SIZES[options.size],
  };
}

/**
 * Creates the demo tenants, their keys and their warehouse tables, replacing any earlier
 * demo data. Same seed and end date, same data. Returns each tenant's demo API key.
 */
export async function seedDemo(db: D1Database, options: SeedOptions): Promise<Record<DemoTenantId, string>> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const endDate = options.endDate ?? yesterday();
  const keys = {} as Record<DemoTenantId, string>;
  for (const tenant of DEMO_TENANTS) {
    const key = await demoApiKey(tenant.id, seed);
    const created = await createKey(tenant.id, tenant.plan, 'demo key', key);
    await run(
      db,
      upsertTenant({ id: tenant.id, name: tenant.name, plan: tenant.plan, timeZone: tenant.timeZone, rateTier: DEMO_RATE_TIER }),
      created.statement,
    );
    keys[tenant.id] = key;
    const data = generateDemo(tenantDemoOptions(tenant, { ...options, seed, endDate }));
    const started = Date.now();
    let lastReport = started;
    options.onProgress?.(`${tenant.id} (${tenant.plan}): generating and loading ${options.size} demo data ending ${endDate}`);
    const result = await loadDemoData(db, tenant.id, data, {
      // A line every few seconds on long loads, not one per chunk.
      onProgress: (view: string, rows: number) => {
        if (Date.now() - lastReport < 3000) return;
        lastReport = Date.now();
        options.onProgress?.(`${tenant.id}: ${view}, ${rows.toLocaleString('en-US')} rows so far`);
      },
    });
    const events = result.rows['events'] ?? 0;
    options.onProgress?.(
      `${tenant.id}: ${result.totalRows.toLocaleString('en-US')} rows in ${Object.keys(result.rows).length} views ` +
        `(${events.toLocaleString('en-US')} events) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return keys;
}

/** True when the demo tenants exist and have data. */
export async function isSeeded(db: D1Database): Promise<boolean> {
  try {
    const row = await db
      .prepare(`SELECT count(*) AS n FROM tenants WHERE id IN (${DEMO_TENANTS.map(() => '?').join(',')})`)
      .bind(...DEMO_TENANTS.map((t) => t.id))
      .first<{ n: number }>();
    if ((row?.n ?? 0) < DEMO_TENANTS.length) return false;
    const data = await db.prepare(`SELECT count(*) AS n FROM "${DEMO_TENANTS[0].id}__events"`).first<{ n: number }>();
    return (data?.n ?? 0) > 0;
  } catch {
    return false;
  }
}
