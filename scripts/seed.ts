/**
 * `npm run seed`: (re)creates the demo warehouse in the local D1 database.
 *   --size tiny|small|large   (default small; large has over a million events, for benchmarks)
 *   --seed N                   (default 42: same seed and end date, same data)
 *   --end-date YYYY-MM-DD      (default yesterday)
 *   --persist-to DIR           (default .wrangler/state, where `npm start` reads)
 *   --if-missing               (do nothing when the demo data is already there)
 */
import { DEMO_SIZES, type DemoSize } from '../worker/demo/generate.ts';
import { isSeeded, seedDemo } from '../worker/demo/seed.ts';
import { demoApiKey } from '../worker/tenants/keys.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS } from '../worker/demo/tenants.ts';
import { parseArgs } from './lib/args.ts';
import { applyLocalMigrations, openLocalDb } from './lib/wrangler.ts';

export interface SeedCommand {
  size?: DemoSize;
  seed?: number;
  endDate?: string;
  persistTo?: string;
  ifMissing?: boolean;
}

export async function seedCommand(options: SeedCommand): Promise<void> {
  const size = options.size ?? 'small';
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const local = options.persistTo ? { persistTo: options.persistTo } : {};
  applyLocalMigrations(local);
  const { db, dispose } = await openLocalDb(local);
  try {
    if (options.ifMissing && (await isSeeded(db))) {
      console.log('Demo warehouse found; keeping it (run `npm run seed` to rebuild it).');
      return;
    }
    const started = Date.now();
    console.log(`Seeding the demo warehouse (${size}, seed ${seed}). This takes a moment...`);
    await seedDemo(db, {
      size,
      seed,
      ...(options.endDate ? { endDate: options.endDate } : {}),
      onProgress: (message) => console.log(`  ${message}`),
    });
    console.log(`Demo warehouse ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await dispose();
  }
}

export async function printDemoKeys(seed = DEFAULT_DEMO_SEED): Promise<void> {
  console.log('\nDemo API keys (local demo data only):');
  for (const tenant of DEMO_TENANTS) {
    console.log(`  ${tenant.plan.padEnd(16)} ${tenant.id.padEnd(8)} ${await demoApiKey(tenant.id, seed)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseArgs(process.argv.slice(2), {
      size: 'string',
      seed: 'string',
      'end-date': 'string',
      'persist-to': 'string',
      'if-missing': 'boolean',
    });
    const size = (args.size as string | undefined) ?? 'small';
    if (!(size in DEMO_SIZES)) throw new Error(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}`);
    const seed = args.seed === undefined ? DEFAULT_DEMO_SEED : Number(args.seed);
    if (!Number.isSafeInteger(seed)) throw new Error('--seed must be a whole number');
    const endDate = args['end-date'] as string | undefined;
    if (endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new Error('--end-date must be YYYY-MM-DD');
    await seedCommand({
      size: size as DemoSize,
      seed,
      ...(endDate ? { endDate } : {}),
      ...(args['persist-to'] ? { persistTo: args['persist-to'] as string } : {}),
      ifMissing: args['if-missing'] === true,
    });
    await printDemoKeys(seed);
  } catch (err) {
    console.error(`seed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
