/**
 * `npm run seed`: (re)creates the demo warehouse in the local D1 database.
 * `npm run seed -- --help` lists the options (SEED_OPTIONS below).
 */
import { DEMO_SIZES, type DemoSize } from '../worker/demo/generate.ts';
import { isSeeded, seedDemo, yesterday } from '../worker/demo/seed.ts';
import { demoApiKey } from '../worker/tenants/keys.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS } from '../worker/demo/tenants.ts';
import { optionKinds, parseArgs, usage, wantsHelp, type OptionSpecs } from './lib/args.ts';
import { applyLocalMigrations, openLocalDb } from './lib/wrangler.ts';

export const PERSIST_OPTION = { value: 'DIR', help: 'the local database kept in DIR (default .wrangler/state, where `npm start` reads)' };

export const SEED_OPTIONS = {
  size: { value: Object.keys(DEMO_SIZES).join('|'), help: 'default small; large has over a million events, for benchmarks' },
  seed: { value: 'N', help: `default ${DEFAULT_DEMO_SEED}: the same seed and end date give the same data` },
  'end-date': { value: 'YYYY-MM-DD', help: 'the last day with data (default yesterday, UTC)' },
  'persist-to': PERSIST_OPTION,
  'if-missing': { help: 'do nothing when the demo data is already there' },
  help: { help: 'this text' },
} as const satisfies OptionSpecs;

export interface SeedCommand {
  size?: DemoSize;
  seed?: number;
  endDate?: string;
  persistTo?: string;
  ifMissing?: boolean;
}

/** The days the demo data covers, as its events table holds them. */
export interface DemoDataRange {
  readonly firstDate: string;
  readonly endDate: string;
  /** False when `ifMissing` found data from an earlier seed and kept it. */
  readonly seededNow: boolean;
}

export async function seedCommand(options: SeedCommand): Promise<DemoDataRange> {
  const size = options.size ?? 'small';
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const local = options.persistTo ? { persistTo: options.persistTo } : {};
  applyLocalMigrations(local);
  const { db, dispose } = await openLocalDb(local);
  try {
    if (options.ifMissing && (await isSeeded(db))) {
      console.log('Demo warehouse found; keeping it (run `npm run seed` to rebuild it).');
      return { ...(await demoDataRange(db)), seededNow: false };
    }
    const started = Date.now();
    const endDate = options.endDate ?? yesterday();
    // Measured: about 30 s for `small` on an idle 2-core machine, 2-3 minutes when it is busy;
    // nearly all of it is D1 writes through wrangler's local proxy (generation takes ~2 s).
    console.log(
      `Seeding the demo warehouse (${size}, seed ${seed}, ending ${endDate}) for ${DEMO_TENANTS.length} demo accounts. ` +
        `This takes about half a minute, minutes on a busy machine; progress follows.`,
    );
    await seedDemo(db, { size, seed, endDate, onProgress: (message) => console.log(`  ${message}`) });
    console.log(`Demo warehouse ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { ...(await demoDataRange(db)), seededNow: true };
  } finally {
    await dispose();
  }
}

/** First and last day of the first demo tenant's events: every tenant is seeded with the same end date. */
async function demoDataRange(db: D1Database): Promise<Omit<DemoDataRange, 'seededNow'>> {
  const row = await db
    .prepare(`SELECT min(local_date) AS firstDate, max(local_date) AS endDate FROM "${DEMO_TENANTS[0].id}__events"`)
    .first<{ firstDate: string | null; endDate: string | null }>();
  if (!row?.firstDate || !row.endDate) throw new Error('the demo warehouse has no events; run `npm run seed` to rebuild it');
  return { firstDate: row.firstDate, endDate: row.endDate };
}

export function describeDemoData(range: DemoDataRange): string {
  const days = Math.round((Date.parse(range.endDate) - Date.parse(range.firstDate)) / 86_400_000) + 1;
  const lines = [
    `\nDemo data: ${days} days, ${range.firstDate} to ${range.endDate}${range.seededNow ? '' : ' (kept from an earlier seed)'}.`,
  ];
  if (range.endDate !== README_END_DATE) {
    lines.push(
      `The README's examples use data ending ${README_END_DATE}: \`npm run seed -- --end-date ${README_END_DATE}\` rebuilds it so.`,
    );
  }
  return lines.join('\n');
}

/** The end date the README's and docs/make.md's worked examples were run with. */
export const README_END_DATE = '2026-11-20';

export async function printDemoKeys(seed = DEFAULT_DEMO_SEED): Promise<void> {
  console.log('\nDemo API keys (local demo data only):');
  for (const tenant of DEMO_TENANTS) {
    console.log(`  ${tenant.plan.padEnd(16)} ${tenant.id.padEnd(8)} ${await demoApiKey(tenant.id, seed)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const argv = process.argv.slice(2);
    if (wantsHelp(argv)) {
      console.log(usage('npm run seed -- [options]', 'Rebuilds the demo warehouse: three demo accounts, one per plan.', SEED_OPTIONS));
      process.exit(0);
    }
    const args = parseArgs(argv, optionKinds(SEED_OPTIONS));
    const size = (args.size as string | undefined) ?? 'small';
    if (!(size in DEMO_SIZES)) throw new Error(`--size must be one of ${Object.keys(DEMO_SIZES).join(', ')}`);
    const seed = args.seed === undefined ? DEFAULT_DEMO_SEED : Number(args.seed);
    if (!Number.isSafeInteger(seed)) throw new Error('--seed must be a whole number');
    const endDate = args['end-date'] as string | undefined;
    if (endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new Error('--end-date must be YYYY-MM-DD');
    const range = await seedCommand({
      size: size as DemoSize,
      seed,
      ...(endDate ? { endDate } : {}),
      ...(args['persist-to'] ? { persistTo: args['persist-to'] as string } : {}),
      ifMissing: args['if-missing'] === true,
    });
    console.log(describeDemoData(range));
    await printDemoKeys(seed);
  } catch (err) {
    console.error(`seed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
