/**
 * `npm run bench`: the Worker under `wrangler dev` (workerd) over the large demo warehouse,
 * every figure beside a baseline measured in the same run. Prints one markdown table and
 * writes it, with the machine it ran on, to bench/results/latest.md.
 *
 *   node bench/run.ts [--quick]      (--quick: shorter load, fewer samples, no full json paging)
 *
 * The warehouse (one large tenant, acme; globex and initech tiny) is built once into
 * .wrangler/bench/state (about 3 minutes) and reused. Everything goes to 127.0.0.1, every
 * loop is bounded, and the whole run takes about 5–8 minutes on 2 CPUs.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureDemoState } from '../scripts/lib/demo-state.ts';
import { IsolateInspector, startLocalWorker, type LocalWorker } from '../scripts/lib/local-worker.ts';
import { startWebhookReceiver } from '../scripts/lib/webhook-receiver.ts';
import { parseArgs } from '../scripts/lib/args.ts';
import { ROOT } from '../scripts/lib/wrangler.ts';
import { pagedExport, streamedExport, type ExportResult } from './lib/exports.ts';
import { runLoad } from './lib/load.ts';
import { cachedLatencies, uncachedLatencies } from './lib/queries.ts';
import { fmt, machineInfo, table, type Row } from './lib/report.ts';
import { measureBigQueryExport } from './lib/bigquery-pages.ts';
import { measureSheetsInChild } from './lib/sheets.ts';
import { compiledSql, hasSqlite3, sqliteRunTimes, sqliteScalar, timeSqliteCsv } from './lib/sqlite-baseline.ts';
import { DRAIN_GOAL_ROWS_PER_MINUTE, dropHooks, measureDrain, rewindHooks, subscribeHooks } from './lib/webhooks.ts';
import { HOOK_POLICY } from '../worker/hooks/policy.ts';
import { median } from './lib/http.ts';

const args = parseArgs(process.argv.slice(2), { quick: 'boolean' });
const QUICK = args.quick === true;

const STATE_DIR = join(ROOT, '.wrangler', 'bench', 'state');
const SNAPSHOT_DIR = join(ROOT, '.wrangler', 'bench', 'worker');
const RESULTS = join(ROOT, 'bench', 'results', 'latest.md');
const RECIPE = { sizes: { acme: 'large', globex: 'tiny', initech: 'tiny' }, seed: 42, endDate: '2026-03-31' } as const;
const TENANT = 'acme';
const PLAN = 'professional';
/** Hard stop for the whole run, whatever hangs. */
const RUN_BUDGET_MS = 15 * 60_000;

const GROUP_QUERY = {
  group_by: 'user_id,activity_week',
  select:
    'user_id,activity_week,sum(productive_active_duration_seconds),sum(unproductive_active_duration_seconds),sum(active_duration_seconds),count()',
};
const LOAD_QUERY = { select: 'user_id,local_date,productive_active_duration_seconds', limit: '100' };
const SHEETS_COLUMNS = [
  'user_id',
  'user_name',
  'local_date',
  'utc_timestamp',
  'application',
  'productivity',
  'duration_sec',
  'titlebar',
  'category',
  'computer_name',
];

const log = (message: string) => console.error(`bench: ${message}`);
const rows: Row[] = [];
const notes: string[] = [];

function notMeasured(id: string, what: string, reason: string): void {
  rows.push({ id, what, api: `not measured: ${reason}`, baseline: '', ratio: '' });
}

/** Runs one section; a failure becomes its row's "not measured" instead of ending the run. */
async function attempt(id: string, what: string, section: () => Promise<void>): Promise<void> {
  try {
    await section();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    log(`${id} failed: ${reason}`);
    notMeasured(id, what, `the run failed: ${reason}`);
  }
}

function rate(r: ExportResult): string {
  return `${fmt.seconds(r.seconds)} (${fmt.count(r.rows / r.seconds)} rows/s, ${fmt.mb(r.bytes / r.seconds)}/s, first byte ${fmt.seconds(r.firstByteSeconds)})`;
}

async function main(): Promise<void> {
  const runStarted = Date.now();
  const loadAtStart = loadavg();
  const watchdog = setTimeout(() => {
    log('the run exceeded its time budget; stopping');
    process.exit(2);
  }, RUN_BUDGET_MS);
  watchdog.unref();
  if (!hasSqlite3()) throw new Error('sqlite3 is needed for the baselines: apt-get install sqlite3');

  const state = await ensureDemoState(STATE_DIR, RECIPE, log);
  const key = state.keys[TENANT];
  const eventCount = Number(sqliteScalar(state.sqliteFile, `SELECT count(*) FROM "${TENANT}__events"`));
  log(`warehouse: ${eventCount.toLocaleString('en-US')} events for ${TENANT}${state.built ? ' (just built)' : ' (reused)'}`);
  // A clean slate: no cached results from an earlier run, no hooks.
  rmSync(join(STATE_DIR, 'v3', 'cache'), { recursive: true, force: true });
  dropHooks(state.sqliteFile);

  // As many hooks as one account may have batches in flight: each drains at its own pace.
  const hookCount = HOOK_POLICY.maxInFlightPerAccount;
  const userIds = sqliteScalar(
    state.sqliteFile,
    `SELECT DISTINCT user_id FROM "${TENANT}__events" ORDER BY user_id LIMIT ${hookCount}`,
  ).split('\n');
  const receiver = await startWebhookReceiver({ keepRows: false });
  let worker: LocalWorker = await startLocalWorker({ persistTo: STATE_DIR, snapshotDir: SNAPSHOT_DIR, testScheduled: true });
  const idle = worker.workerdMemory();
  const inspector = await IsolateInspector.connect(worker).catch((err: unknown) => {
    notes.push(
      `Isolate heap not measured: the DevTools inspector was not reachable (${err instanceof Error ? err.message : String(err)}).`,
    );
    return null;
  });
  const idleHeap = (await inspector?.heap().catch(() => null)) ?? null;
  try {
    // --- 1, 2, 5: exports and their memory -------------------------------------------
    log('baseline: sqlite3 -csv over the same SELECT');
    const exportSql = compiledSql(TENANT, PLAN, 'events', {}, null, 'csv').replace(/, (?:CAST\()?"[^"]+"(?: AS TEXT\))? AS k\d+/g, '');
    const base = await timeSqliteCsv(state.sqliteFile, exportSql);
    const baseText = `sqlite3 -csv > /dev/null: ${fmt.seconds(base.seconds)} (${fmt.count(eventCount / base.seconds)} rows/s, ${fmt.mb(base.bytes)})`;

    log('export: events as csv, limit 100000');
    const csvSmall = await streamedExport(worker, key, 'events', 'csv', 100_000, inspector);
    log('export: events as csv, whole view');
    const csv = await streamedExport(worker, key, 'events', 'csv', undefined, inspector);
    const csvOk = csv.rows === eventCount ? '' : ` — ROW COUNT ${csv.rows} != ${eventCount}`;
    rows.push({
      id: '1',
      what: `events → /rows.csv, whole view (${fmt.count(eventCount)} rows, ${fmt.mb(csv.bytes)})`,
      api: rate(csv) + csvOk,
      baseline: baseText,
      ratio: `${fmt.ratio(csv.seconds, base.seconds)} the time`,
    });

    log('export: events as ndjson, whole view');
    const ndjson = await streamedExport(worker, key, 'events', 'ndjson', undefined, inspector);
    const ndOk = ndjson.rows === eventCount ? '' : ` — ROW COUNT ${ndjson.rows} != ${eventCount}`;
    rows.push({
      id: '2a',
      what: `events → /rows.ndjson, whole view (${fmt.mb(ndjson.bytes)})`,
      api: rate(ndjson) + ndOk,
      baseline: 'same as 1',
      ratio: `${fmt.ratio(ndjson.seconds, base.seconds)} the time`,
    });

    if (!QUICK) log('export: events as json pages of 10000, following next links');
    const pages = QUICK ? null : await pagedExport(worker, key, 'events', 10_000, 400, inspector);
    if (pages) {
      const pagesOk = pages.rows === eventCount ? '' : ` — ROW COUNT ${pages.rows} != ${eventCount}`;
      rows.push({
        id: '2b',
        what: `events → json pages of 10000 via next links (${pages.requests} requests, ${fmt.mb(pages.bytes)})`,
        api: rate(pages) + pagesOk,
        baseline: 'same as 1',
        ratio: `${fmt.ratio(pages.seconds, base.seconds)} the time`,
      });
    } else notMeasured('2b', 'events → json pages of 10000', 'skipped with --quick');

    const heapText = (r: ExportResult) =>
      r.heap
        ? `isolate heap: peak used ${fmt.mib(r.heap.used)} (reserved ${fmt.mib(r.heap.total)}), live after GC ${fmt.mib(r.heap.afterGc)}; `
        : '';
    const memory = (r: ExportResult) =>
      `${heapText(r)}workerd RSS peak ${fmt.mib(r.memory.peak.rss)} (+${fmt.mib(r.memory.peak.rss - r.memory.before.rss)}), anon +${fmt.mib(r.memory.peak.anon - r.memory.before.anon)}`;
    rows.push({
      id: '5',
      what: 'memory during a csv export: 100k rows vs the whole view (isolate heap over the DevTools inspector every 250 ms; RSS of the workerd processes from /proc every 50 ms)',
      api: `whole (${fmt.count(csv.rows)} rows): ${memory(csv)}`,
      baseline: `100k rows: ${memory(csvSmall)}; idle: ${idleHeap ? `heap ${fmt.mib(idleHeap.used)}, ` : ''}RSS ${fmt.mib(idle.rss)}`,
      ratio:
        csv.heap && csvSmall.heap
          ? `${fmt.ratio(csv.heap.used, csvSmall.heap.used)} the peak heap used for ${fmt.ratio(csv.rows, csvSmall.rows)} the rows`
          : `${fmt.ratio(csv.memory.peak.rss - idle.rss, csvSmall.memory.peak.rss - idle.rss)} the RSS growth for ${fmt.ratio(csv.rows, csvSmall.rows)} the rows`,
    });
    notes.push(`ndjson export (${fmt.mb(ndjson.bytes)}): ${memory(ndjson)}.`);
    if (pages) notes.push(`json paging: ${memory(pages)}.`);
    if (inspector) {
      // One uncached json page of the largest size: built whole, hashed, cached and sent.
      const probeUrl = `${worker.url}/v1/views/events/rows?limit=10000&user_id=gt.-7777777`;
      const before = await inspector.heapAfterGc();
      let peakUsed = 0;
      const poll = setInterval(
        () =>
          void inspector.heap().then(
            (h) => (peakUsed = Math.max(peakUsed, h.used)),
            () => undefined,
          ),
        20,
      );
      const page = await fetch(probeUrl, { headers: { authorization: `Bearer ${key}` } });
      const pageBytes = (await page.arrayBuffer()).byteLength;
      clearInterval(poll);
      notes.push(
        `One uncached json page of 10,000 events rows (${fmt.mb(pageBytes)}, all columns): isolate heap used peaked at ${fmt.mib(peakUsed)} from ${fmt.mib(before.used)} live; the page is built whole, hashed for its ETag, cached and sent, so several copies are alive at once. Production isolates stop at 128 MB.`,
      );
    }
    notes.push(
      'Heap "used" includes garbage not yet collected: local workerd sets no 128 MB limit, so V8 collects lazily and the peak overstates what a limited isolate would need; "live after GC" shows nothing is retained.',
    );
    notes.push(
      'workerd RSS covers the whole local runtime (the Worker, miniflare’s D1 and Cache API, the allocator’s free pages) and is not returned after a peak (under wrangler 4.156 even a hello-world Worker grows it by about 30 KB per request per workerd process); the isolate heap is the Worker’s own memory, which the 128 MB limit applies to.',
    );

    // --- 3: cached /rows under load vs a trivial route ---------------------------------
    await attempt('3', 'cached /rows under load vs /version', async () => {
      const seconds = QUICK ? 5 : 10;
      const loadUrl = `${worker.url}/v1/views/daily_user_summary/rows?${new URLSearchParams(LOAD_QUERY)}`;
      const auth = { authorization: `Bearer ${key}` };
      const warm = await fetch(loadUrl, { headers: auth });
      await warm.arrayBuffer();
      log(`load: ${seconds} s x 50 connections on /version, then on a cached /rows`);
      const trivial = await runLoad(`${worker.url}/version`, {}, 50, seconds);
      const cachedLoad = await runLoad(loadUrl, auth, 50, seconds);
      const check = await fetch(loadUrl, { headers: auth });
      await check.arrayBuffer();
      const loadLine = (r: typeof trivial) =>
        `${fmt.count(r.requestsPerSecond)} req/s, p50 ${fmt.ms(r.p50Ms)}, p99 ${fmt.ms(r.p99Ms)} (${fmt.count(r.total)} requests, non-2xx ${r.non2xx}, errors ${r.errors})`;
      rows.push({
        id: '3',
        what: `cached /rows (daily_user_summary, 100 rows, x-cache ${check.headers.get('x-cache')}) under 50 connections, ${seconds} s`,
        api: loadLine(cachedLoad),
        baseline: `/version: ${loadLine(trivial)}`,
        ratio: `${fmt.ratio(cachedLoad.requestsPerSecond, trivial.requestsPerSecond)} the req/s, ${fmt.ratio(cachedLoad.p99Ms, trivial.p99Ms)} the p99`,
      });
    });

    // --- 4, 6: an aggregated query uncached vs sqlite3, and cached vs uncached ----------
    await attempt('4', 'uncached group_by vs sqlite3, and cached vs uncached (6)', async () => {
      const times = QUICK ? 7 : 15;
      log(`query: group_by uncached x${times}, sqlite3 x${times}, cached x${times * 2}`);
      const uncached = await uncachedLatencies(worker, key, 'daily_user_summary', GROUP_QUERY, 'user_id', times, 1);
      const groupSql = compiledSql(TENANT, PLAN, 'daily_user_summary', { ...GROUP_QUERY, user_id: 'gt.-1000001' }, 1001);
      const engine = sqliteRunTimes(state.sqliteFile, groupSql, times).map((s) => s * 1000);
      const status = (s: Readonly<Record<string, number>>) =>
        Object.entries(s)
          .map(([k, v]) => `${k}×${v}`)
          .join(' ');
      rows.push({
        id: '4',
        what: `uncached group_by=user_id,activity_week with 3 sums + count over daily_user_summary (${uncached.rows} groups; cache busted by an always-true user_id filter)`,
        api: `median ${fmt.ms(uncached.medianMs)}, p90 ${fmt.ms(uncached.p90Ms)} (x-cache ${status(uncached.cacheStatus)})`,
        baseline: `sqlite3, same SQL: median ${fmt.ms(median(engine))}`,
        ratio: `${fmt.ratio(uncached.medianMs, median(engine))} the time`,
      });
      const cached = await cachedLatencies(worker, key, 'daily_user_summary', GROUP_QUERY, times * 2);
      rows.push({
        id: '6',
        what: 'the query of 4: cached (same URL again) vs uncached',
        api: `cached: median ${fmt.ms(cached.cached.medianMs)}, p90 ${fmt.ms(cached.cached.p90Ms)} (x-cache ${status(cached.cached.cacheStatus)}); If-None-Match: median ${fmt.ms(cached.notModified.medianMs)} (${status(cached.notModified.cacheStatus)})`,
        baseline: `uncached: median ${fmt.ms(uncached.medianMs)}; first request of this URL ${fmt.ms(cached.first.medianMs)} (${status(cached.first.cacheStatus)})`,
        ratio: `cached is ${fmt.ratio(uncached.medianMs, cached.cached.medianMs)} faster`,
      });
    });

    // --- 7: Sheets ----------------------------------------------------------------------
    await attempt('7', 'Sheets: add-on insert into the stand-in sheet', async () => {
      log('sheets: the add-on inserting events into the stand-in spreadsheet');
      const sheetRows = QUICK ? 5_000 : 20_000;
      const sheets = await measureSheetsInChild({ apiUrl: worker.url, key, view: 'events', columns: SHEETS_COLUMNS, limit: sheetRows });
      if (sheets.measured) {
        const cells = sheets.rows * sheets.columns;
        rows.push({
          id: '7',
          what: `Sheets: add-on sidebar insert of events (${fmt.count(sheets.rows)} rows x ${sheets.columns} columns, ${sheets.requests} API requests, ${sheets.executions} executions)`,
          api: `${fmt.count(sheets.rows / sheets.wallSeconds)} rows/s by wall clock (${fmt.seconds(sheets.wallSeconds)}); ${fmt.count(sheets.rows / sheets.simulatedSeconds)} rows/s by the simulated Apps Script clock (${fmt.seconds(sheets.simulatedSeconds)}); ${(sheets.valuesBytes / cells).toFixed(1)} bytes/cell as values pages`,
          baseline: `same rows as CSV: ${(sheets.csvBytes / cells).toFixed(1)} bytes/cell`,
          ratio: `${fmt.ratio(sheets.valuesBytes, sheets.csvBytes)} the bytes of CSV`,
        });
      } else notMeasured('7', 'Sheets: add-on insert into the stand-in sheet', sheets.reason);
    });

    // --- 8: webhooks ----------------------------------------------------------------------
    await attempt('8', 'Webhooks: rows/min per hook at the production cadence', async () => {
      let hooksReady = false;
      try {
        await subscribeHooks(worker, key, receiver.url, 'events', userIds);
        hooksReady = true;
      } catch (err) {
        notMeasured(
          '8',
          'Webhooks: rows/min per hook at the production cadence',
          `subscribing failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (hooksReady) {
        // New hooks start at the newest row; rewind them so there is a backlog to deliver.
        await worker.stop();
        rewindHooks(state.sqliteFile);
        worker = await startLocalWorker({ persistTo: STATE_DIR, snapshotDir: SNAPSHOT_DIR, testScheduled: true });
        const hookSeconds = QUICK ? 15 : 30;
        log(`webhooks: ${hookCount} hooks with a backlog, the Cron Trigger fired once a minute, measured for ${hookSeconds} s`);
        const d = await measureDrain(worker, receiver, hookSeconds);
        const perHook = median(d.perHookRowsPerMinute);
        rows.push({
          id: '8',
          what: `Webhooks: ${hookCount} hooks on events with a backlog, cron once a minute (${d.schedulerRuns} run${d.schedulerRuns === 1 ? '' : 's'} in ${hookSeconds} s), receiver answers at once`,
          api: `${fmt.count(perHook)} rows/min per hook (median of ${d.hooks}; slowest ${fmt.count(d.perHookRowsPerMinute[0] ?? 0)}), ${fmt.count((d.rows / d.seconds) * 60)} rows/min in all (${d.deliveries} deliveries, ${d.distinctIds} distinct ids, ${fmt.mb(d.bytes)}, ${d.failedAnswers} failed)`,
          baseline: `goal ${fmt.count(DRAIN_GOAL_ROWS_PER_MINUTE)} rows/min per hook; before the queue drain: ${5 * HOOK_POLICY.batchRows} (5 batches per cron run)`,
          ratio: `${(perHook / DRAIN_GOAL_ROWS_PER_MINUTE).toFixed(2)}x the goal`,
        });
        notes.push(
          `Webhooks: each landed batch enqueues the hook's next at once (one batch in flight per hook, at most ${HOOK_POLICY.maxInFlightPerAccount} per account), so a backlog drains at the receiver's pace; the cron only finds work.`,
        );
      }
    });

    // --- 9: BigQuery export, pages fetched ahead vs the sequential page loop ---------------
    await attempt('9', 'BigQuery export over HTTP, pages fetched ahead vs one after another', async () => {
      log('bigquery: events export through the stand-in over HTTP, 150 ms per result page');
      const bq = await measureBigQueryExport({ pageLatencyMs: 150 });
      const line = (r: { seconds: number; rows: number }) => `${fmt.seconds(r.seconds)} (${fmt.count(r.rows / r.seconds)} rows/s)`;
      rows.push({
        id: '9',
        what: `BigQuery export: ${fmt.count(bq.ahead.rows)} events as csv through BigQueryWarehouse, stand-in served over HTTP from another process, ${bq.options.pageLatencyMs} ms per page, ${bq.pages} pages of ${fmt.count(bq.options.pageSize)}`,
        api: `${bq.options.pagesAhead} pages fetched ahead by startIndex: ${line(bq.ahead)}`,
        baseline: `sequential page loop (pagesAhead 0): ${line(bq.sequential)}`,
        ratio: `${fmt.ratio(bq.sequential.seconds, bq.ahead.seconds)} faster`,
      });
    });
  } finally {
    inspector?.close();
    await worker.stop();
    await receiver.close();
    dropHooks(state.sqliteFile);
    // The json pages put ~1.5 GB into the local Cache API; the next run starts clean anyway.
    rmSync(join(STATE_DIR, 'v3', 'cache'), { recursive: true, force: true });
  }

  const elapsed = (Date.now() - runStarted) / 1000;
  const md = [
    `# activconnect-bridge benchmark${QUICK ? ' (--quick)' : ''}`,
    '',
    `Worker under \`wrangler dev --local\` (workerd, local D1) over the large demo warehouse: ${TENANT}, ${eventCount.toLocaleString('en-US')} events. Baselines run in the same session on the same SQLite file. Whole run: ${elapsed.toFixed(0)} s.`,
    '',
    table(rows),
    '',
    ...(notes.length ? ['Notes:', ...notes.map((n) => `- ${n}`), ''] : []),
    'Machine:',
    ...machineInfo(join(ROOT, 'node_modules', '.bin', 'wrangler'), loadAtStart),
    '',
  ].join('\n');
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, md);
  console.log(md);
  log(`written to ${RESULTS}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
