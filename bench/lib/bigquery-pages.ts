/**
 * The BigQuery export figure: the worker's own BigQueryWarehouse and readRows, encoding CSV,
 * against the BigQuery stand-in served over HTTP on 127.0.0.1 from a child process (BigQuery
 * is remote: its work must not share this process's CPU), with a fixed latency per result
 * page (jobs.query and each jobs.getQueryResults), as a remote BigQuery adds. The same export
 * runs twice in one session: pages fetched ahead by startIndex (the product) and the
 * sequential page loop (pagesAhead 0: each page requested once the previous one is encoded),
 * after a short untimed export each way.
 *
 *   node --input-type=module -e "import('./bench/lib/bigquery-pages.ts').then(async (m) => console.log(await m.measureBigQueryExport()))"
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTestServiceAccount } from '../../test/support/bigquery/keys.ts';
import { demoExecutor, serveStandIn } from '../../test/support/bigquery/node-server.ts';
import { BigQueryStandIn } from '../../test/support/bigquery/standin.ts';
import { getView } from '../../shared/views/index.ts';
import { DEMO_SIZES } from '../../worker/demo/generate.ts';
import { ENCODERS } from '../../worker/format/encoders.ts';
import { readRows } from '../../worker/query/execute.ts';
import { parseQuery } from '../../worker/query/parse.ts';
import { parseServiceAccountKey, ServiceAccountTokenSource, type TokenSource } from '../../worker/warehouse/bigquery/auth.ts';
import { BigQueryWarehouse } from '../../worker/warehouse/bigquery/warehouse.ts';

export interface BigQueryExportOptions {
  /** Injected per result page, milliseconds. */
  readonly pageLatencyMs?: number;
  readonly rows?: number;
  readonly pageSize?: number;
  readonly pagesAhead?: number;
}

export interface ExportRun {
  readonly seconds: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface BigQueryExportResult {
  readonly options: Required<BigQueryExportOptions>;
  /** Result pages per export, the one jobs.query brings included. */
  readonly pages: number;
  readonly ahead: ExportRun;
  readonly sequential: ExportRun;
}

const PROJECT = 'acb-bench';
const DATASET = 'acme';
const SELF = fileURLToPath(import.meta.url);

interface Served {
  readonly url: string;
  readonly token: string;
  readonly principal: string;
}

/** The child's side: the stand-in over a small demo account, and a token it issued, on stdout. */
async function serveChild(pageLatencyMs: number): Promise<void> {
  const db = demoExecutor(DATASET, { seed: 'bench', accountId: 417_001, endDate: '2026-03-31', ...DEMO_SIZES.small });
  const account = await createTestServiceAccount(PROJECT);
  const standIn = new BigQueryStandIn({
    db,
    project: PROJECT,
    clientEmail: account.clientEmail,
    publicKey: account.publicKey,
    latencyMs: (endpoint) => (endpoint === 'query' || endpoint === 'getQueryResults' ? pageLatencyMs : 0),
  });
  const server = await serveStandIn(standIn);
  const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), { fetch: standIn.fetch });
  const served: Served = { url: server.url, token: await tokens.token(), principal: tokens.principal };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  // The parent closes stdin when it is done (or dies).
  process.stdin.resume();
  await once(process.stdin, 'end');
  await server.close();
  db.close();
}

/** Both exports of `rows` events as CSV, pages fetched ahead first, then the sequential loop. */
export async function measureBigQueryExport(options: BigQueryExportOptions = {}): Promise<BigQueryExportResult> {
  const opts = { pageLatencyMs: 150, rows: 40_000, pageSize: 2_000, pagesAhead: 4, ...options };
  const child = spawn(process.execPath, ['--no-warnings', SELF, String(opts.pageLatencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [line] = (await Promise.race([
      once(createInterface({ input: child.stdout }), 'line'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the stand-in process exited with ${String(code)}`);
      }),
    ])) as [string];
    const served = JSON.parse(line) as Served;
    // The child's stand-in issued this token through its OAuth endpoint; it lasts the run.
    const tokens: TokenSource = { token: async () => served.token, invalidate: () => undefined, principal: served.principal };
    const view = getView('events');
    const fullQuery = { ...parseQuery([], { view, plan: 'professional' }).query, limit: opts.rows };
    const run = async (pagesAhead: number, query = fullQuery): Promise<ExportRun> => {
      const warehouse = new BigQueryWarehouse({ project: PROJECT, dataset: DATASET, location: null, maxBytesBilled: null }, tokens, {
        apiBase: `${served.url}/bigquery/v2`,
        pageSize: opts.pageSize,
        pagesAhead,
        deadlineMs: 120_000,
      });
      const encoder = ENCODERS.csv;
      const started = performance.now();
      let bytes = encoder.head(query.output, view.name).length;
      let rows = 0;
      // As the product's export (streamExport in worker/rows/answer.ts) reads and encodes: chunk
      // by chunk, with the row writer compiled once for the query, not once per row.
      const row = encoder.compile(query.output);
      for await (const chunk of readRows(warehouse, query).chunks) for (const cells of chunk) bytes += row(cells, rows++).length;
      return { seconds: (performance.now() - started) / 1000, rows, bytes };
    };
    // Untimed, a few pages each way first: whichever timed export ran first would otherwise also
    // pay for compiling the decoding and encoding code (about 1 s of CPU on this machine).
    const warmUp = { ...fullQuery, limit: Math.min(opts.rows, 4 * opts.pageSize) };
    await run(opts.pagesAhead, warmUp);
    await run(0, warmUp);
    const ahead = await run(opts.pagesAhead);
    const sequential = await run(0);
    if (ahead.rows !== sequential.rows || ahead.bytes !== sequential.bytes) {
      throw new Error(`the two exports differ: ${ahead.rows} vs ${sequential.rows} rows`);
    }
    return { options: opts, pages: Math.ceil((opts.rows + 1) / opts.pageSize), ahead, sequential };
  } finally {
    child.stdin.end();
    if (child.exitCode === null) await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill();
  }
}

if (process.argv[1] === SELF) await serveChild(Number(process.argv[2] ?? 150));
