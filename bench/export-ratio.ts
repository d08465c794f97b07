/**
 * Export ratios on a small demo warehouse, for before/after comparisons while working on the
 * export path (the full `npm run bench` takes minutes on the large one). Each named Worker
 * bundle (a snapshot directory from `wrangler deploy --dry-run`, see snapshotWorker) is served
 * in turn over the same data and timed against `sqlite3 -csv` in the same run, alternating
 * bundles per round so machine load falls on both alike. Prints seconds and the ratio to the
 * run's median sqlite3 time, and the CPU seconds workerd spent on each export (the Worker
 * and the local D1 together), which a loaded machine moves far less than wall time.
 *
 *   npm run bench:exports -- --bundle before=DIR --bundle after=DIR [--rounds 3] [--size small] [--only csv,ndjson,pages]
 *   npm run bench:exports -- --snapshot DIR      (bundle the Worker as it is now into DIR)
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDemoState } from '../scripts/lib/demo-state.ts';
import { snapshotWorker, startLocalWorker } from '../scripts/lib/local-worker.ts';
import { ROOT } from '../scripts/lib/wrangler.ts';
import { pagedExport, streamedExport } from './lib/exports.ts';
import { median } from './lib/http.ts';
import { compiledSql, sqliteScalar, timeSqliteCsv } from './lib/sqlite-baseline.ts';

const { values } = parseArgs({
  options: {
    bundle: { type: 'string', multiple: true, default: [] },
    snapshot: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    size: { type: 'string', default: 'small' },
    only: { type: 'string' },
  },
});
const log = (m: string) => console.error(`export-ratio: ${m}`);
const wanted = (what: string) => !values.only || values.only.split(',').includes(what);

async function main(): Promise<void> {
  if (values.snapshot) {
    log(`bundled into ${snapshotWorker(values.snapshot)}`);
    return;
  }
  const size = values.size === 'large' ? 'large' : values.size === 'tiny' ? 'tiny' : 'small';
  const state = await ensureDemoState(
    join(ROOT, '.wrangler', 'export-ratio', size),
    { sizes: { acme: size, globex: 'tiny', initech: 'tiny' }, seed: 42, endDate: '2026-03-31' },
    log,
  );
  const key = state.keys.acme;
  const events = Number(sqliteScalar(state.sqliteFile, 'SELECT count(*) FROM "acme__events"'));
  const sql = compiledSql('acme', 'professional', 'events', {}, null, 'csv').replace(/, (?:CAST\()?"[^"]+"(?: AS TEXT\))? AS k\d+/g, '');
  const bundles = values.bundle.map((b) => {
    const [name, dir] = b.split('=') as [string, string];
    return { name, config: join(resolve(dir), 'wrangler.toml') };
  });
  const times: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const bundle of round % 2 ? [...bundles].reverse() : bundles) {
      // No page cached by an earlier bundle or round may answer this one's json pages.
      rmSync(join(state.dir, 'v3', 'cache'), { recursive: true, force: true });
      const worker = await startLocalWorker({ persistTo: state.dir, config: bundle.config });
      try {
        const t = (times[bundle.name] ??= {});
        const base = await timeSqliteCsv(state.sqliteFile, sql);
        (t.sqlite ??= []).push(base.seconds);
        for (const format of (['csv', 'ndjson'] as const).filter(wanted)) {
          const cpu = worker.workerdCpuSeconds();
          const r = await streamedExport(worker, key, 'events', format);
          if (r.rows !== events) throw new Error(`${bundle.name} ${format}: ${r.rows} rows, not ${events}`);
          (t[format] ??= []).push(r.seconds);
          (t[`${format} cpu`] ??= []).push(worker.workerdCpuSeconds() - cpu);
        }
        if (wanted('pages')) {
          const cpu = worker.workerdCpuSeconds();
          const p = await pagedExport(worker, key, 'events', 10_000, 400);
          if (p.rows !== events) throw new Error(`${bundle.name} json pages: ${p.rows} rows, not ${events}`);
          (t.pages ??= []).push(p.seconds);
          (t['pages cpu'] ??= []).push(worker.workerdCpuSeconds() - cpu);
        }
        log(`round ${round + 1} ${bundle.name}: ${JSON.stringify(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.at(-1)])))}`);
      } finally {
        await worker.stop();
      }
    }
  }
  // One baseline for every bundle: the median sqlite3 time over the whole run, since the
  // machine's load moves each single timing by more than the change being measured.
  const base = median(Object.values(times).flatMap((t) => t.sqlite ?? []));
  console.log(`events: ${events} rows (${size}); medians of ${values.rounds} rounds; sqlite3 -csv median ${base.toFixed(2)} s`);
  console.log('| bundle | csv | ndjson | json pages of 10000 |');
  console.log('|---|---|---|---|');
  for (const [name, t] of Object.entries(times)) {
    const m = (k: string) => (t[k] ? `${median(t[k]).toFixed(2)} s (${(median(t[k]) / base).toFixed(2)}x)` : 'not run');
    console.log(`| ${name} | ${m('csv')} | ${m('ndjson')} | ${m('pages')} |`);
  }
  // CPU seconds of workerd (the Worker and the local D1 together) per export: on a loaded
  // machine these move far less between runs than the wall times above.
  console.log('\n| bundle | csv workerd CPU | ndjson workerd CPU | json pages workerd CPU |');
  console.log('|---|---|---|---|');
  for (const [name, t] of Object.entries(times)) {
    const c = (k: string) => (t[k] ? `${median(t[k]).toFixed(2)} s` : 'not run');
    console.log(`| ${name} | ${c('csv cpu')} | ${c('ndjson cpu')} | ${c('pages cpu')} |`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
