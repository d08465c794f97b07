/**
 * Load: N concurrent connections for a fixed time, each sending a random request from a mix
 * of what Sheets, Zapier and people send (catalog, rows pages in every format, group_by,
 * filters, cursors, POST /query) and what they get wrong (unknown columns, bad values, no
 * key). Zero 5xx; good requests answer 2xx/304, bad ones 4xx.
 *
 * Memory is read after a warm-up and again after the run, two ways. The Worker isolate's heap
 * after a full GC (over the DevTools inspector) must come back to where it was: that is the
 * memory the Worker owns and the 128 MB limit applies to. The RSS of the workerd processes is
 * reported beside it; locally it also holds miniflare's D1 and Cache API storage and the
 * allocator's free pages, so it is a trend to report rather than a pass/fail figure.
 */
import { leafColumns, isViewAvailable } from '../../shared/columns.ts';
import { planIncludes, type Plan } from '../../shared/plans.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { IsolateInspector, type LocalWorker } from '../../scripts/lib/local-worker.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../worker/demo/tenants.ts';
import type { Random, Tally } from './support/tally.ts';

interface Req {
  readonly kind: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly key: string | null;
  readonly body?: string;
  /** 'ok': 2xx or 304; 'bad': 4xx. */
  readonly expect: 'ok' | 'bad';
}

interface Stats {
  sent: number;
  byStatus: Map<number, number>;
  byKind: Map<string, { sent: number; unexpected: number; latencies: number[] }>;
  fivexx: { kind: string; path: string; status: number; body: string }[];
  unexpected: { kind: string; path: string; status: number; body: string }[];
  networkErrors: number;
}

function viewsFor(plan: Plan) {
  return VIEW_NAMES.map((n) => VIEWS[n]).filter((v) => isViewAvailable(v, plan));
}

function readable(view: (typeof VIEWS)[keyof typeof VIEWS], plan: Plan) {
  return leafColumns(view).filter((c) => planIncludes(plan, c.minPlan));
}

const NUMERIC = new Set(['INT64', 'FLOAT64', 'NUMERIC']);

interface NextLink {
  readonly url: string;
  readonly key: string;
}

/** A random request for `tenant`; `nextLinks` feeds cursor-following requests. */
function makeRequest(rnd: Random, keys: Record<DemoTenantId, string>, nextLinks: NextLink[]): Req {
  const tenant = rnd.pick(DEMO_TENANTS);
  const key = keys[tenant.id];
  const plan = tenant.plan as Plan;
  const view = rnd.pick(viewsFor(plan));
  const cols = readable(view, plan);
  const select = () =>
    rnd
      .sample(cols, rnd.int(1, Math.min(8, cols.length)))
      .map((c) => c.name)
      .join(',');
  const roll = rnd.next();
  if (roll < 0.06) return { kind: 'catalog', method: 'GET', path: '/v1/views', key, expect: 'ok' };
  if (roll < 0.1) return { kind: 'view', method: 'GET', path: `/v1/views/${view.name}`, key, expect: 'ok' };
  if (roll < 0.3) {
    const format = rnd.pick(['json', 'values', 'csv', 'ndjson']);
    const qs = new URLSearchParams({ select: select(), limit: String(rnd.pick([1, 10, 100, 500, 1000, 5000])), format });
    if (view.dateColumn && planIncludes(plan, leafColumns(view).find((c) => c.name === view.dateColumn)!.minPlan) && rnd.chance(0.5)) {
      qs.set('from', `2026-0${rnd.int(1, 3)}-${String(rnd.int(1, 28)).padStart(2, '0')}`);
    }
    return { kind: `rows ${format}`, method: 'GET', path: `/v1/views/${view.name}/rows?${qs}`, key, expect: 'ok' };
  }
  if (roll < 0.42) {
    const groupable = cols.filter((c) => !NUMERIC.has(c.type) || c.name.endsWith('_id'));
    const numeric = cols.filter((c) => NUMERIC.has(c.type));
    if (groupable.length === 0) return { kind: 'catalog', method: 'GET', path: '/v1/views', key, expect: 'ok' };
    const by = rnd.sample(groupable, rnd.int(1, 2)).map((c) => c.name);
    const aggs = numeric.length
      ? rnd.sample(numeric, rnd.int(1, 3)).map((c) => `${rnd.pick(['sum', 'avg', 'min', 'max'])}(${c.name})`)
      : [];
    const qs = new URLSearchParams({
      group_by: by.join(','),
      select: [...by, ...aggs, 'count()'].join(','),
      limit: String(rnd.pick([10, 100, 1000])),
    });
    return { kind: 'group_by', method: 'GET', path: `/v1/views/${view.name}/rows?${qs}`, key, expect: 'ok' };
  }
  if (roll < 0.55) {
    const qs = new URLSearchParams({ select: select(), limit: '50' });
    const text = cols.filter((c) => c.type === 'STRING');
    const num = cols.filter((c) => NUMERIC.has(c.type));
    if (text.length && rnd.chance(0.5))
      qs.append(rnd.pick(text).name, rnd.pick(['ilike.*a*', 'like.A*', 'neq.x', 'not.is.null', 'in.(a,b,"c,d")']));
    if (num.length) qs.append(rnd.pick(num).name, `${rnd.pick(['gte', 'lt', 'neq', 'gt'])}.${rnd.int(0, 5000)}`);
    qs.set('order', `${rnd.pick(cols).name}.${rnd.pick(['asc', 'desc'])}`);
    return { kind: 'filters', method: 'GET', path: `/v1/views/${view.name}/rows?${qs}`, key, expect: 'ok' };
  }
  if (roll < 0.65 && nextLinks.length > 0) {
    const link = nextLinks.splice(rnd.int(0, nextLinks.length - 1), 1)[0]!;
    const u = new URL(link.url);
    return { kind: 'cursor', method: 'GET', path: u.pathname + u.search, key: link.key, expect: 'ok' };
  }
  if (roll < 0.75) {
    const body = JSON.stringify({ select: select().split(','), limit: rnd.int(1, 200), format: rnd.pick(['json', 'values']) });
    return { kind: 'POST query', method: 'POST', path: `/v1/views/${view.name}/query`, key, body, expect: 'ok' };
  }
  if (roll < 0.8 && view.changeColumn)
    return { kind: 'changes', method: 'GET', path: `/v1/views/${view.name}/changes?limit=${rnd.int(1, 100)}`, key, expect: 'ok' };
  // Bad requests.
  const bad = rnd.pick([
    { kind: 'bad column', path: `/v1/views/${view.name}/rows?select=usr_name` },
    { kind: 'bad value', path: `/v1/views/events/rows?user_id=eq.abc` },
    { kind: 'bad view', path: `/v1/views/evnts/rows` },
    { kind: 'bad limit', path: `/v1/views/${view.name}/rows?limit=100000` },
    { kind: 'bad cursor', path: `/v1/views/${view.name}/rows?cursor=forged.cursor` },
    { kind: 'no key', path: '/v1/views', noKey: true },
    { kind: 'bad operator', path: `/v1/views/${view.name}/rows?${cols[0]!.name}=sideways.1` },
  ]);
  return { kind: bad.kind, method: 'GET', path: bad.path, key: 'noKey' in bad ? null : key, expect: 'bad' };
}

async function send(url: string, req: Req, timeoutMs: number): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const headers: Record<string, string> = {};
  if (req.key) headers['authorization'] = `Bearer ${req.key}`;
  if (req.body) headers['content-type'] = 'application/json';
  const res = await fetch(url + req.path, {
    method: req.method,
    headers,
    ...(req.body ? { body: req.body } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

/** Runs the mix with `connections` loops for `seconds`; bounded by time and by `maxRequests`. */
async function runMix(
  url: string,
  keys: Record<DemoTenantId, string>,
  rnd: Random,
  connections: number,
  seconds: number,
  maxRequests = 2_000_000,
): Promise<Stats> {
  const stats: Stats = { sent: 0, byStatus: new Map(), byKind: new Map(), fivexx: [], unexpected: [], networkErrors: 0 };
  const nextLinks: NextLink[] = [];
  const deadline = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < deadline && stats.sent < maxRequests) {
      const req = makeRequest(rnd, keys, nextLinks);
      stats.sent++;
      const k = stats.byKind.get(req.kind) ?? { sent: 0, unexpected: 0, latencies: [] };
      stats.byKind.set(req.kind, k);
      k.sent++;
      let r: { status: number; body: string; ms: number };
      try {
        r = await send(url, req, 60_000);
      } catch (err) {
        stats.networkErrors++;
        stats.unexpected.push({ kind: req.kind, path: req.path, status: 0, body: err instanceof Error ? err.message : String(err) });
        continue;
      }
      k.latencies.push(r.ms);
      stats.byStatus.set(r.status, (stats.byStatus.get(r.status) ?? 0) + 1);
      if (r.status >= 500) stats.fivexx.push({ kind: req.kind, path: req.path, status: r.status, body: r.body.slice(0, 300) });
      const ok = req.expect === 'ok' ? (r.status >= 200 && r.status < 300) || r.status === 304 : r.status >= 400 && r.status < 500;
      if (!ok) {
        k.unexpected++;
        if (stats.unexpected.length < 50)
          stats.unexpected.push({ kind: req.kind, path: req.path, status: r.status, body: r.body.slice(0, 300) });
      }
      if (r.status === 200 && req.key && nextLinks.length < 500 && r.body.startsWith('{')) {
        const m = /"next":"([^"]+)"/.exec(r.body.slice(-2000));
        if (m) nextLinks.push({ url: m[1]!, key: req.key });
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return stats;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

export async function runLoad(opts: {
  readonly worker: LocalWorker;
  readonly keys: Record<DemoTenantId, string>;
  readonly rnd: Random;
  readonly tally: Tally;
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}): Promise<void> {
  const { worker, keys, rnd, tally } = opts;
  const settle = () => new Promise((r) => setTimeout(r, 3_000));
  const inspector = await IsolateInspector.connect(worker).catch((err: unknown) => {
    tally.note(`the DevTools inspector is not reachable (${err instanceof Error ? err.message : String(err)}); isolate heap not checked`);
    return null;
  });
  const warm = await runMix(worker.url, keys, rnd, opts.connections, opts.warmupSeconds);
  await settle();
  const afterWarmup = worker.workerdMemory();
  const heapProblem = (err: unknown) => {
    tally.note(`reading the isolate heap failed: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  };
  const heapWarm = (await inspector?.heapAfterGc().catch(heapProblem)) ?? null;
  let peak = afterWarmup;
  let heapPeak = 0;
  const sampler = setInterval(() => {
    const m = worker.workerdMemory();
    peak = { rss: Math.max(peak.rss, m.rss), anon: Math.max(peak.anon, m.anon) };
    void inspector?.heap().then(
      (h) => (heapPeak = Math.max(heapPeak, h.used)),
      () => undefined,
    );
  }, 500);
  const started = Date.now();
  const stats = await runMix(worker.url, keys, rnd, opts.connections, opts.seconds);
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);
  await settle();
  const afterRun = worker.workerdMemory();
  const heapAfter = (await inspector?.heapAfterGc().catch(heapProblem)) ?? null;
  inspector?.close();
  tally.requests += warm.sent + stats.sent;
  tally.inputsTried += stats.sent;

  const statuses = [...stats.byStatus.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(
    `   ${stats.sent.toLocaleString('en-US')} requests in ${elapsed.toFixed(0)} s at ${opts.connections} connections (${(stats.sent / elapsed).toFixed(0)} req/s); statuses ${statuses}; network errors ${stats.networkErrors}`,
  );
  for (const [kind, k] of [...stats.byKind.entries()].sort()) {
    console.log(
      `     ${kind.padEnd(14)} ${String(k.sent).padStart(6)} sent, p50 ${pct(k.latencies, 50).toFixed(0)} ms, p99 ${pct(k.latencies, 99).toFixed(0)} ms, unexpected ${k.unexpected}`,
    );
  }
  console.log(
    `   workerd RSS: after warm-up ${mib(afterWarmup.rss)} (anon ${mib(afterWarmup.anon)}), peak ${mib(peak.rss)} (anon ${mib(peak.anon)}), after the run ${mib(afterRun.rss)} (anon ${mib(afterRun.anon)})`,
  );
  if (heapWarm && heapAfter)
    console.log(
      `   Worker isolate live heap after GC: ${mib(heapWarm.used)} after warm-up, ${mib(heapAfter.used)} after the run; peak live heap during the run ${mib(heapPeak)}`,
    );

  tally.check(
    'zero 5xx under load',
    stats.fivexx.length === 0,
    `${stats.fivexx.length} 5xx, first: ${JSON.stringify(stats.fivexx.slice(0, 3))}`,
  );
  tally.check(
    'no connection errors or timeouts under load',
    stats.networkErrors === 0,
    `${stats.networkErrors} errors: ${stats.unexpected
      .filter((u) => u.status === 0)
      .slice(0, 3)
      .map((u) => u.body)
      .join('; ')}`,
  );
  const unexpected = [...stats.byKind.values()].reduce((n, k) => n + k.unexpected, 0) - stats.networkErrors;
  tally.check(
    'every good request 2xx/304 and every bad one 4xx',
    unexpected === 0,
    `${unexpected} unexpected, e.g. ${JSON.stringify(stats.unexpected.filter((u) => u.status !== 0).slice(0, 3))}`,
  );
  if (heapWarm && heapAfter) {
    tally.check(
      'Worker isolate heap flat after the run (live heap after GC within 8 MiB of the post-warm-up value)',
      heapAfter.used - heapWarm.used <= 8 * 2 ** 20,
      `${mib(heapWarm.used)} -> ${mib(heapAfter.used)}`,
    );
  }
  const rssGrowth = afterRun.anon - afterWarmup.anon;
  const rssFlat = rssGrowth <= Math.max(64 * 2 ** 20, afterWarmup.anon * 0.25);
  if (!rssFlat) {
    tally.note(
      `workerd RSS is not flat: anon ${mib(afterWarmup.anon)} -> ${mib(afterRun.anon)} (+${mib(rssGrowth)}), RSS ${mib(afterWarmup.rss)} -> ${mib(afterRun.rss)}` +
        (heapAfter
          ? `, while the Worker's own live heap after GC is ${mib(heapAfter.used)}: the growth is in the local runtime, not the Worker (a hello-world Worker under wrangler 4.156 grows the same way, about 30 KB per request per workerd process)`
          : ''),
    );
  }
  // Without the inspector, RSS is all there is to judge by.
  if (!heapWarm || !heapAfter)
    tally.check('workerd memory flat after the run (anonymous RSS within max(64 MiB, 25%))', rssFlat, `+${mib(rssGrowth)}`);
}
