/**
 * BigQuery faults, through the whole app: the Worker's own routes, auth, cache and formats
 * (createApp() in Node, over the reliability warehouse's D1 through wrangler's platform
 * proxy), with fetch pointed at the BigQuery stand-in (test/support/bigquery/) while it is
 * slow, failing, throttling or returning partial pages. A BigQuery tenant over the same rows
 * as the D1 tenant acme must answer exactly as acme does, or with a clear problem, and a
 * failed export must fail loudly rather than end short.
 *
 * The stand-ins use TypeScript Node's type stripping refuses, so this file runs as a child:
 *   node --experimental-transform-types test/reliability/bigquery-faults.ts <persist dir> <quick>
 * and prints its result as the last line of stdout (JSON). The workers pool is not used
 * because the check needs real time (deadlines, Retry-After) and a movable clock.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDb } from '../../scripts/lib/wrangler.ts';
import { VIEWS } from '../../shared/views/index.ts';
import { createApp } from '../../worker/app.ts';
import type { Env } from '../../worker/env.ts';
import { createKey, run, upsertTenant } from '../../worker/tenants/admin.ts';
import { demoApiKey } from '../../worker/tenants/keys.ts';
import { createTestServiceAccount } from '../support/bigquery/keys.ts';
import { BigQueryStandIn, d1Executor, type Endpoint, type Fault, type StandInOptions } from '../support/bigquery/standin.ts';
import { checkProblem, leakIn } from './support/problem.ts';

export interface FaultReport {
  checks: { name: string; ok: boolean; detail: string }[];
  requests: number;
  faults: number;
  rowsChecked: number;
  rowsLost: number;
  rowsDuplicated: number;
  notes: string[];
}

/** The Workers Cache API, in memory: what ResultStore needs of it. */
class MemoryCache {
  private readonly entries = new Map<string, { body: ArrayBuffer; status: number; headers: [string, string][] }>();
  async match(request: Request | string): Promise<Response | undefined> {
    const e = this.entries.get(typeof request === 'string' ? request : request.url);
    return e ? new Response(e.body.slice(0), { status: e.status, headers: e.headers }) : undefined;
  }
  async put(request: Request | string, response: Response): Promise<void> {
    this.entries.set(typeof request === 'string' ? request : request.url, {
      body: await response.arrayBuffer(),
      status: response.status,
      headers: [...response.headers],
    });
  }
  async delete(request: Request | string): Promise<boolean> {
    return this.entries.delete(typeof request === 'string' ? request : request.url);
  }
}

const realNow = Date.now.bind(Date);
let clockOffsetMs = 0;
/** Moves the app's clock (cache ages, deadlines) without waiting. */
function advanceClock(ms: number): void {
  clockOffsetMs += ms;
}

/** Bodies without the next cursor, which is signed per tenant and so differs by design. */
function comparable(text: string): string {
  return text.replace(/"next":("[^"]*"|null),"next_cursor":("[^"]*"|null)/, '');
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** Rows in a body of any format: a json page's rows, a values page's rows, csv/ndjson lines. */
function rowsIn(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as { rows?: unknown[]; values?: unknown[][] };
    if (Array.isArray(parsed.rows)) return parsed.rows.map((r) => JSON.stringify(r));
    if (Array.isArray(parsed.values)) return parsed.values.slice(1).map((r) => JSON.stringify(r));
  } catch {
    // csv or ndjson
  }
  return lines(text);
}

export async function runBigQueryFaults(persistTo: string, quick: boolean): Promise<FaultReport> {
  const report: FaultReport = { checks: [], requests: 0, faults: 0, rowsChecked: 0, rowsLost: 0, rowsDuplicated: 0, notes: [] };
  const check = (name: string, ok: boolean, detail = '') => {
    report.checks.push({ name, ok, detail: ok ? '' : detail });
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
    return ok;
  };

  // A copy of the warehouse: this run adds a tenant and must not share a file with workerd.
  const dir = mkdtempSync(join(tmpdir(), 'acb-reliability-bq-'));
  cpSync(join(persistTo, 'v3', 'd1'), join(dir, 'v3', 'd1'), { recursive: true });
  const { db, dispose } = await openLocalDb({ persistTo: dir });
  const realFetch = globalThis.fetch;
  try {
    Date.now = () => realNow() + clockOffsetMs;
    (globalThis as unknown as { caches: { default: MemoryCache } }).caches = { default: new MemoryCache() };
    const project = 'acb-standin';
    const account = await createTestServiceAccount(project);
    const created = await createKey('bqacme', 'professional', 'reliability');
    await run(
      db,
      upsertTenant({
        id: 'bqacme',
        name: 'BQ Acme (reliability)',
        plan: 'professional',
        warehouse: 'bigquery',
        dataset: 'acme',
        bqProject: project,
      }),
      created.statement,
    );
    const bqKey = created.key;
    const d1Key = await demoApiKey('acme', 42);
    const env = {
      DB: db,
      ENVIRONMENT: 'development',
      GOOGLE_SERVICE_ACCOUNT_JSON: account.json,
      DELIVERIES: { send: async () => undefined, sendBatch: async () => undefined },
    } as unknown as Env;
    const pending: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => void pending.push(p.catch(() => undefined)),
      passThroughOnException: () => undefined,
      props: {},
    } as unknown as ExecutionContext;
    const app = createApp();

    let standIn = new BigQueryStandIn({ db: d1Executor(db), project, clientEmail: account.clientEmail, publicKey: account.publicKey });
    const useStandIn = (options: Partial<StandInOptions> = {}) => {
      standIn = new BigQueryStandIn({
        db: d1Executor(db),
        project,
        clientEmail: account.clientEmail,
        publicKey: account.publicKey,
        ...options,
      });
      globalThis.fetch = standIn.fetch;
      return standIn;
    };
    const inject = (fault: Fault) => {
      standIn.inject(fault);
      report.faults += fault.times ?? 1;
    };
    const get = async (path: string, key: string) => {
      report.requests++;
      const res = await app.request(path, { headers: { authorization: `Bearer ${key}` } }, env, ctx);
      // Read chunk by chunk so a stream that fails mid-way still shows what arrived before.
      let body = '';
      let streamError: string | null = null;
      const decoder = new TextDecoder();
      try {
        if (res.body)
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) body += decoder.decode(chunk, { stream: true });
        body += decoder.decode();
      } catch (err) {
        streamError = err instanceof Error ? err.message : String(err);
      }
      await Promise.all(pending.splice(0));
      return { res, body, streamError };
    };
    /** The BigQuery tenant's answer must be the D1 tenant's, row for row. */
    const same = async (name: string, path: string) => {
      const bq = await get(path, bqKey);
      const d1 = await get(path, d1Key);
      if (
        !check(
          `${name}: 200`,
          bq.res.status === 200 && bq.streamError === null,
          `status ${bq.res.status} ${bq.streamError ?? ''} ${bq.body.slice(0, 300)}`,
        )
      )
        return;
      const a = rowsIn(bq.body);
      const b = rowsIn(d1.body);
      const want = new Set(b);
      const got = new Set(a);
      const lost = b.filter((l) => !got.has(l)).length;
      const dup = a.length - got.size;
      report.rowsChecked += b.length;
      report.rowsLost += lost;
      report.rowsDuplicated += Math.max(0, dup - (b.length - want.size));
      check(
        `${name}: same rows as the D1 tenant (${b.length} rows)`,
        comparable(bq.body) === comparable(d1.body),
        `${lost} rows missing, ${a.length} vs ${b.length} rows`,
      );
    };
    const problem = async (name: string, path: string, allowed: (s: number) => boolean, extra?: (r: Response, body: string) => string) => {
      const r = await get(path, bqKey);
      const p = checkProblem(r.res.status, r.res.headers.get('content-type'), r.body, allowed);
      const more = p.ok && extra ? extra(r.res, r.body) : '';
      const google = /troubleshoot-quotas|Retrying may solve|bigquery\.jobs\.create/.test(r.body) ? "quotes Google's own message" : '';
      check(name, p.ok && !more && !google, p.reason || more || google);
      return r;
    };
    const retries = (endpoint: Endpoint) => standIn.count(endpoint);

    // --- no faults: the BigQuery tenant is acme ---------------------------------------
    console.log('  BigQuery tenant over the stand-in, no faults');
    useStandIn();
    await same(
      'no faults, json page',
      '/v1/views/daily_user_summary/rows?select=user_id,local_date,productive_active_duration_seconds&limit=200',
    );
    await same(
      'no faults, group_by',
      '/v1/views/daily_user_summary/rows?group_by=user_id&select=user_id,sum(total_duration_seconds),count()',
    );

    // --- slow ------------------------------------------------------------------------------
    useStandIn({ latencyMs: 300, pollsBeforeComplete: 3 });
    report.faults += 1;
    await same(
      'slow (300 ms per call, 3 polls before complete)',
      '/v1/views/events/rows?select=user_id,utc_timestamp,duration_sec&limit=300&format=values',
    );

    // --- partial pages ---------------------------------------------------------------------
    useStandIn({ maxRowsPerPage: 7 });
    report.faults += 1;
    await same('partial pages (7 rows per page)', '/v1/views/events/rows?select=user_id,computer_id,utc_timestamp,titlebar&limit=400');
    const pages = retries('getQueryResults');
    check('partial pages: the client followed every page token', pages >= Math.floor(400 / 7), `${pages} getQueryResults calls`);

    // --- failing, then recovering ----------------------------------------------------------
    useStandIn();
    inject({ endpoint: 'query', status: 503, reason: 'backendError', times: 2 });
    inject({ endpoint: 'getQueryResults', status: 500, reason: 'internalError', times: 1 });
    await same(
      'transient 503/500 (retried)',
      '/v1/views/daily_user_summary/rows?select=user_id,local_date,focused_duration_seconds&limit=150&order=local_date.desc',
    );

    // --- throttling --------------------------------------------------------------------------
    useStandIn();
    inject({ endpoint: 'query', status: 429, reason: 'rateLimitExceeded', retryAfter: '1', times: 2 });
    const t0 = realNow();
    await same(
      '429 with Retry-After 1 (retried after waiting)',
      '/v1/views/daily_user_summary/rows?select=user_id,local_date&limit=120&to=2026-03-15',
    );
    check('429: the client waited at least the Retry-After', realNow() - t0 >= 1900, `${realNow() - t0} ms`);
    useStandIn();
    inject({ endpoint: 'query', status: 403, reason: 'rateLimitExceeded', times: 1 });
    await same('403 rateLimitExceeded (retried)', '/v1/views/daily_user_summary/rows?select=user_id,local_date&limit=121');
    // --- failed jobs (HTTP 400 job* reasons): run again as new jobs, then 429/503 -------------
    // https://cloud.google.com/bigquery/docs/error-messages
    useStandIn({ pollsBeforeComplete: 1 });
    inject({ endpoint: 'query', status: 400, reason: 'jobRateLimitExceeded', times: 1 });
    inject({ endpoint: 'getQueryResults', status: 400, reason: 'jobBackendError', times: 1 });
    await same(
      'jobRateLimitExceeded, then jobBackendError while polling (each run again as a new job)',
      '/v1/views/daily_user_summary/rows?select=user_id,local_date&limit=127',
    );
    const jobIds = standIn.requests
      .filter((r) => r.endpoint === 'query')
      .map((r) => (JSON.parse(String(r.body)) as { requestId?: string }).requestId);
    check(
      'failed jobs: each retry was a new jobs.query with a requestId of its own',
      // Three jobs; a call retried after a 401 (a fresh stand-in does not know the cached token) keeps its id.
      new Set(jobIds).size === 3,
      `${jobIds.length} jobs.query calls, ${new Set(jobIds).size} requestIds`,
    );
    useStandIn();
    inject({ endpoint: 'query', status: 400, reason: 'jobRateLimitExceeded', times: 100 });
    await problem(
      'jobRateLimitExceeded to the end: a 429 problem with Retry-After naming the concurrent-query limit',
      '/v1/views/daily_user_summary/rows?select=user_id&limit=128',
      (s) => s === 429,
      (res, body) =>
        !res.headers.get('retry-after') ? 'no Retry-After' : /concurrent-query limit/.test(body) ? '' : 'does not name the limit',
    );
    useStandIn();
    inject({ endpoint: 'query', status: 400, reason: 'jobInternalError', times: 100 });
    await problem(
      'jobInternalError to the end: a 503 problem with Retry-After, not blaming the views',
      '/v1/views/daily_user_summary/rows?select=user_id&limit=129',
      (s) => s === 503,
      (res, body) => (!res.headers.get('retry-after') ? 'no Retry-After' : /views may differ/.test(body) ? 'blames the views' : ''),
    );

    useStandIn();
    inject({ endpoint: 'query', status: 403, reason: 'quotaExceeded', times: 1 });
    await problem(
      'quotaExceeded: a 4xx/429 problem at once, not retried',
      '/v1/views/daily_user_summary/rows?select=user_id&limit=122',
      (s) => s === 429 || s === 403 || s === 400,
      () => (retries('query') === 1 ? '' : `${retries('query')} query calls`),
    );

    // --- persistent failure: a clear 5xx, and stale-if-error when there is a copy --------------
    useStandIn();
    inject({ endpoint: 'any', status: 503, reason: 'backendError', times: 100 });
    await problem(
      'backend down, nothing cached: a 5xx problem with no internals',
      '/v1/views/daily_user_summary/rows?select=user_id&limit=123',
      (s) => s >= 500 && s < 600,
    );
    standIn.heal();
    const warmPath = '/v1/views/daily_user_summary/rows?select=user_id,local_date,break_count&limit=90';
    const warm = await get(warmPath, bqKey);
    check(
      'stale-if-error: the first answer is fresh',
      warm.res.status === 200 && warm.res.headers.get('x-cache') === 'MISS',
      `${warm.res.status} ${warm.res.headers.get('x-cache')}`,
    );
    const freshness = VIEWS.daily_user_summary.freshness;
    advanceClock((freshness.maxAgeSeconds + freshness.staleSeconds + 60) * 1000);
    inject({ endpoint: 'any', status: 503, reason: 'backendError', times: 100 });
    const stale = await get(warmPath, bqKey);
    check(
      'stale-if-error: the warehouse fails after expiry and the last good copy is served, marked STALE',
      stale.res.status === 200 && stale.res.headers.get('x-cache') === 'STALE' && comparable(stale.body) === comparable(warm.body),
      `${stale.res.status} x-cache ${stale.res.headers.get('x-cache')} ${stale.body.slice(0, 200)}`,
    );
    report.rowsChecked += rowsIn(warm.body).length;
    standIn.heal();

    // --- streamed export with faults mid-way: complete and identical, or loudly failed ---------
    useStandIn();
    const exportPath = quick
      ? '/v1/views/events/rows.csv?select=user_id,computer_id,utc_timestamp,duration_sec&limit=20000'
      : '/v1/views/events/rows.csv?select=user_id,computer_id,utc_timestamp,duration_sec,titlebar';
    let calls = 0;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      // Every third call, jobs.query or a page read (an export is one job, its pages read ahead).
      if (url.includes('/queries') && ++calls % 3 === 0) inject({ endpoint: 'any', status: 503, reason: 'backendError', times: 1 });
      return standIn.fetch(input, init);
    }) as typeof fetch;
    await same('csv export with a 503 on every third call (retried)', exportPath);
    useStandIn();
    let pagesServed = 0;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/queries/') && ++pagesServed === 3) inject({ endpoint: 'any', status: 503, reason: 'backendError', times: 1000 });
      return standIn.fetch(input, init);
    }) as typeof fetch;
    const broken = await get('/v1/views/events/rows.ndjson?select=user_id,computer_id,utc_timestamp', bqKey);
    const full = await get('/v1/views/events/rows.ndjson?select=user_id,computer_id,utc_timestamp', d1Key);
    const brokenLines = lines(broken.body).length;
    const fullLines = lines(full.body).length;
    check(
      'an export whose warehouse dies mid-way ends in an error, not a short 200 that looks complete',
      broken.streamError !== null || broken.res.status >= 500 || brokenLines === fullLines,
      `status ${broken.res.status}, ${brokenLines} of ${fullLines} rows, body read without error`,
    );
    if (broken.streamError !== null)
      report.notes.push(
        `a broken export ends with a stream error ("${broken.streamError.slice(0, 80)}") after ${brokenLines} of ${fullLines} rows; a client sees a failed download, not a short file`,
      );
    standIn.heal();

    // --- token endpoint trouble --------------------------------------------------------------
    const fresh = await createTestServiceAccount(project);
    const envFresh = { ...env, GOOGLE_SERVICE_ACCOUNT_JSON: fresh.json } as Env;
    standIn = new BigQueryStandIn({ db: d1Executor(db), project, clientEmail: fresh.clientEmail, publicKey: fresh.publicKey });
    globalThis.fetch = standIn.fetch;
    inject({ endpoint: 'token', status: 503, reason: 'internal_failure', times: 1 });
    report.requests++;
    const tokenRes = await app.request(
      '/v1/views/daily_user_summary/rows?select=user_id&limit=124',
      { headers: { authorization: `Bearer ${bqKey}` } },
      envFresh,
      ctx,
    );
    const tokenBody = await tokenRes.text();
    const tokenProblem = checkProblem(tokenRes.status, tokenRes.headers.get('content-type'), tokenBody, (s) => s === 200 || s === 503);
    check(
      'token endpoint down once: 200 (retried) or a 503 problem with Retry-After',
      tokenRes.status === 200 || (tokenProblem.ok && tokenRes.headers.get('retry-after') !== null),
      `${tokenRes.status} ${tokenBody.slice(0, 200)}`,
    );
    if (tokenRes.status === 503)
      report.notes.push(
        'a single failed token exchange is not retried: the request answers 503 with Retry-After (the stale copy covers it when there is one)',
      );
    const denied = new BigQueryStandIn({
      db: d1Executor(db),
      project,
      clientEmail: 'someone-else@acb-standin.iam.gserviceaccount.com',
      publicKey: fresh.publicKey,
    });
    globalThis.fetch = denied.fetch;
    const other = await createTestServiceAccount(project, 'not-known');
    report.requests++;
    report.faults++;
    const refused = await app.request(
      '/v1/views/daily_user_summary/rows?select=user_id&limit=125',
      { headers: { authorization: `Bearer ${bqKey}` } },
      { ...env, GOOGLE_SERVICE_ACCOUNT_JSON: other.json } as Env,
      ctx,
    );
    const refusedBody = await refused.text();
    const rp = checkProblem(refused.status, refused.headers.get('content-type'), refusedBody, (s) => s >= 500 && s < 600);
    check(
      'service account refused by Google: a 5xx problem naming the account, not the key',
      rp.ok && !refusedBody.includes('PRIVATE KEY'),
      rp.reason || 'the private key is in the body',
    );

    // --- too slow for the deadline (real time: ~25 s) -----------------------------------------
    if (!quick) {
      useStandIn({ latencyMs: 400, pollsBeforeComplete: 10_000 });
      report.faults++;
      const t1 = realNow();
      await problem(
        'never completes: a 504 problem within the deadline, with Retry-After',
        '/v1/views/daily_user_summary/rows?select=user_id&limit=126',
        (s) => s === 504 || s === 503,
        (res) => (res.headers.get('retry-after') ? '' : 'no Retry-After'),
      );
      const took = realNow() - t1;
      check('never completes: answered within 30 s', took < 30_000, `${took} ms`);
      // No jobs.cancel (the read-only token may not call it): the job carries a jobTimeoutMs no
      // longer than the deadline, so BigQuery stops it by itself.
      const sent = standIn.requests
        .filter((r) => r.endpoint === 'query')
        .map((r) => JSON.parse(String(r.body)) as { jobTimeoutMs?: string });
      const timeouts = sent.map((b) => Number(b.jobTimeoutMs));
      check(
        'never completes: every job has a jobTimeoutMs within the deadline, and no cancel is sent',
        timeouts.length > 0 && timeouts.every((t) => t > 0 && t <= 25_000) && standIn.count('cancel') === 0,
        `jobTimeoutMs ${timeouts.join(', ')}; ${standIn.count('cancel')} cancels`,
      );
    }
    const leaked = report.checks.filter((c) => !c.ok && leakIn(c.detail) !== null).length;
    if (leaked > 0) report.notes.push(`${leaked} failing checks quote internals`);
  } finally {
    globalThis.fetch = realFetch;
    Date.now = realNow;
    await dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [persistTo, quick] = process.argv.slice(2);
  /** A report with one failed check, for a run that could not finish. */
  const failed = (name: string, detail: string) =>
    JSON.stringify({
      checks: [{ name, ok: false, detail }],
      requests: 0,
      faults: 0,
      rowsChecked: 0,
      rowsLost: 0,
      rowsDuplicated: 0,
      notes: [],
    });
  const watchdog = setTimeout(() => {
    console.log(failed('BigQuery faults finished in time', 'killed after 6 minutes'));
    process.exit(0);
  }, 6 * 60_000);
  runBigQueryFaults(persistTo!, quick === 'quick').then(
    (report) => {
      clearTimeout(watchdog);
      console.log(JSON.stringify(report));
      process.exit(0);
    },
    (err: unknown) => {
      clearTimeout(watchdog);
      console.log(failed('BigQuery faults ran', err instanceof Error ? (err.stack ?? err.message).slice(0, 800) : String(err)));
      process.exit(0);
    },
  );
}
