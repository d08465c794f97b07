/**
 * Sheets: the built add-on inserting a view through its sidebar into the stand-in
 * spreadsheet (test/support/apps-script/), over real HTTP to the running Worker. Rows per
 * second are given twice: by the wall clock of this machine, and by the stand-in's simulated
 * Apps Script clock (its per-call costs model Google's back ends, and are what a user waits
 * for). Bytes per cell compare the add-on's `values` pages, as it asks for them (dates=serial:
 * dates as numbers), with the same rows as CSV, checked cell by cell.
 *
 * The stand-ins use TypeScript that Node's type stripping refuses (parameter properties), so
 * the measurement runs in a child Node with --experimental-transform-types, this same file
 * as its entry, and hands its result back as JSON on stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../../scripts/lib/wrangler.ts';

export type SheetsResult =
  | {
      readonly measured: true;
      readonly rows: number;
      readonly columns: number;
      readonly wallSeconds: number;
      readonly simulatedSeconds: number;
      readonly executions: number;
      readonly requests: number;
      readonly valuesBytes: number;
      readonly csvBytes: number;
      /** Rows of the add-on's pages found equal, cell by cell, to the CSV's. */
      readonly checkedRows: number;
    }
  | { readonly measured: false; readonly reason: string };

const NEEDED = [
  'apps-script/build.ts',
  'apps-script/server/index.ts',
  'test/support/apps-script/world.ts',
  'test/support/apps-script/project.ts',
];

interface InsertOutcome {
  readonly result: string;
  readonly rows: number;
  readonly detail: string;
  readonly sheet: string;
}

interface FetchRecordLike {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  readonly status: number | null;
}

/** What this bench uses of the stand-in world; checked loosely so a changed harness says so. */
interface WorldLike {
  sidebarCall<T>(name: string, args: readonly unknown[]): { value?: T; error?: string; elapsedMs: number };
  runUntil(ms: number): { result: { error?: string; elapsedMs: number } }[];
  readonly clock: { now: number };
  readonly fetches: FetchRecordLike[];
  readonly spreadsheet: { sheets: { name: string; lastRow(): number }[] };
  close(): Promise<void>;
}

async function measureSheets(apiUrl: string, key: string, view: string, columns: readonly string[], limit: number): Promise<SheetsResult> {
  const missing = NEEDED.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length > 0) return { measured: false, reason: `the add-on or its stand-ins are not there yet (${missing.join(', ')})` };
  let world: WorldLike;
  try {
    const { builtProject } = (await import('../../test/support/apps-script/project.ts')) as {
      builtProject: () => Promise<{ outDir: string }>;
    };
    const { AppsScriptWorld } = (await import('../../test/support/apps-script/world.ts')) as unknown as {
      AppsScriptWorld: new (options: { projectDir: string }) => WorldLike;
    };
    const project = await builtProject();
    world = new AppsScriptWorld({ projectDir: project.outDir });
  } catch (err) {
    return {
      measured: false,
      reason: `the add-on did not build or load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    };
  }
  try {
    const connected = world.sidebarCall('sidebarConnect', [apiUrl, key]);
    if (connected.error !== undefined) return { measured: false, reason: `sidebarConnect failed: ${connected.error}` };
    world.fetches.length = 0;
    const simulatedStart = world.clock.now;
    const wallStart = performance.now();
    const inserted = world.sidebarCall<InsertOutcome>('sidebarInsert', [
      { view, columns, limit, target: { kind: 'new', name: 'bench' }, mode: 'replace', every: 'off' },
    ]);
    if (inserted.error !== undefined) return { measured: false, reason: `sidebarInsert failed: ${inserted.error}` };
    let executions = 1;
    // A long insert continues in time-driven runs; let them fire, bounded by simulated time.
    if (inserted.value?.result === 'continued') {
      const fired = world.runUntil(world.clock.now + 6 * 3600_000);
      executions += fired.length;
      const failed = fired.find((f) => f.result.error !== undefined);
      if (failed) return { measured: false, reason: `a continuation run failed: ${failed.result.error}` };
    }
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const simulatedSeconds = (world.clock.now - simulatedStart) / 1000;
    const sheet = world.spreadsheet.sheets.find((s) => s.name === (inserted.value?.sheet ?? 'bench'));
    const rows = sheet ? Math.max(0, sheet.lastRow() - 1) : 0;
    if (rows === 0) return { measured: false, reason: `no rows landed (${inserted.value?.detail ?? 'no detail'})` };

    // Bytes on the wire: the add-on's own requests again (the Worker's cache answers them
    // with the same bodies), against the same rows as one CSV.
    const queries = world.fetches.filter((f) => /\/v1\/views\/[^/]+\/(query|rows)/.test(f.url) && f.status === 200);
    let valuesBytes = 0;
    const pages: string[] = [];
    for (const f of queries) {
      const res = await fetch(f.url, {
        method: f.method,
        headers: f.headers,
        ...(f.body !== null ? { body: f.body } : {}),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      valuesBytes += Buffer.byteLength(text);
      // The insert's one-row probe (limit 1) checks the query before a sheet is made; the rest are the pages.
      if (f.body === null || (JSON.parse(f.body) as { limit?: number }).limit !== 1) pages.push(text);
    }
    const csvUrl = `${apiUrl}/v1/views/${view}/rows.csv?select=${columns.join(',')}&limit=${limit}`;
    const csv = await fetch(csvUrl, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(120_000) });
    const csvText = await csv.text();
    const csvBytes = Buffer.byteLength(csvText);
    const mismatch = await sameRows(pages, csvText);
    if (mismatch !== null) return { measured: false, reason: `the values pages are not the CSV's rows: ${mismatch}` };
    return {
      measured: true,
      rows,
      columns: columns.length,
      wallSeconds,
      simulatedSeconds,
      executions,
      requests: queries.length,
      valuesBytes,
      csvBytes,
      checkedRows: rows,
    };
  } catch (err) {
    return { measured: false, reason: `the run failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  } finally {
    await world.close();
  }
}

/**
 * Null when the pages (read back as the add-on reads them, dates=serial numbers to ISO text)
 * hold the CSV's rows in its order, cell for cell; otherwise where they first differ. CSV text
 * also gets an apostrophe before a formula trigger after a separator, which values does not.
 */
async function sameRows(pages: readonly string[], csvText: string): Promise<string | null> {
  const { isoDatesInPlace } = await import('../../apps-script/api/serial-dates.ts');
  const { parseCsv } = await import('../../test/worker/api/support/csv.ts');
  const csvRows = parseCsv(csvText).slice(1);
  let r = 0;
  for (const text of pages) {
    const page = JSON.parse(text) as { columns: { name: string; type: string }[]; values: (string | number | boolean)[][] };
    isoDatesInPlace(page.columns, page.values);
    for (const row of page.values.slice(1)) {
      const want = csvRows[r];
      if (!want) return `more rows than the CSV's ${csvRows.length}`;
      for (let i = 0; i < row.length; i++) {
        const csvCell = page.columns[i]!.type === 'STRING' ? want[i]!.replace(/([,;\t|\r\n])'([=+\-@\t\r])/g, '$1$2') : want[i];
        if (String(row[i]) !== csvCell)
          return `row ${r + 1}, ${page.columns[i]!.name}: ${JSON.stringify(row[i])} vs ${JSON.stringify(want[i])}`;
      }
      r++;
    }
  }
  return r === csvRows.length ? null : `${r} rows against the CSV's ${csvRows.length}`;
}

interface SheetsJob {
  readonly apiUrl: string;
  readonly key: string;
  readonly view: string;
  readonly columns: readonly string[];
  readonly limit: number;
}

/** Runs measureSheets in a child Node that can load the stand-ins; bounded by `timeoutMs`. */
export function measureSheetsInChild(job: SheetsJob, timeoutMs = 240_000): Promise<SheetsResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--experimental-transform-types', '--no-warnings', fileURLToPath(import.meta.url), JSON.stringify(job)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as SheetsResult);
      } catch {
        resolve({
          measured: false,
          reason: `the sheets run ended (${code ?? 'killed'}) without a result: ${(err || out).trim().split('\n').slice(-2).join(' ').slice(0, 300)}`,
        });
      }
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const job = JSON.parse(process.argv[2] ?? '{}') as SheetsJob;
  measureSheets(job.apiUrl, job.key, job.view, job.columns, job.limit).then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (err: unknown) => {
      console.log(JSON.stringify({ measured: false, reason: String(err instanceof Error ? err.message : err) }));
      process.exit(0);
    },
  );
}
