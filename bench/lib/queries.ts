/**
 * Latency of one aggregated query through the API: uncached (each request made distinct by
 * an always-true filter, so it misses the cache yet returns the same rows) and cached (the
 * same URL again), read from the x-cache header so a wrong guess about the cache shows.
 */
import { Agent, get } from 'node:http';
import type { LocalWorker } from '../../scripts/lib/local-worker.ts';
import { getJson, median, percentile } from './http.ts';

export interface Latencies {
  readonly samples: readonly number[];
  readonly medianMs: number;
  readonly p90Ms: number;
  /** x-cache values seen, with counts. */
  readonly cacheStatus: Readonly<Record<string, number>>;
  readonly rows: number;
}

function summarise(samples: number[], statuses: string[], rows: number): Latencies {
  const cacheStatus: Record<string, number> = {};
  for (const s of statuses) cacheStatus[s] = (cacheStatus[s] ?? 0) + 1;
  return { samples, medianMs: median(samples), p90Ms: percentile(samples, 90), cacheStatus, rows };
}

/** Query-string parameters with an always-true cache-busting filter on an INT64 column. */
function bustedParams(params: Record<string, string>, bustColumn: string, n: number): Record<string, string> {
  return { ...params, [bustColumn]: `gt.-${1_000_000 + n}` };
}

async function timed(url: string, key: string, headers: Record<string, string> = {}) {
  const r = await getJson<{ row_count?: number }>(url, { authorization: `Bearer ${key}`, ...headers });
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
  return { ms: r.seconds * 1000, cache: r.headers.get('x-cache') ?? 'none', rows: r.body.row_count ?? 0, etag: r.headers.get('etag') };
}

/** `times` requests, each with a fresh cache-busting filter. */
export async function uncachedLatencies(
  worker: LocalWorker,
  key: string,
  view: string,
  params: Record<string, string>,
  bustColumn: string,
  times: number,
  runId: number,
): Promise<Latencies> {
  const samples: number[] = [];
  const statuses: string[] = [];
  let rows = 0;
  for (let i = 0; i < times; i++) {
    const qs = new URLSearchParams(bustedParams(params, bustColumn, runId * 1000 + i));
    const t = await timed(`${worker.url}/v1/views/${view}/rows?${qs}`, key);
    samples.push(t.ms);
    statuses.push(t.cache);
    rows = t.rows;
  }
  return summarise(samples, statuses, rows);
}

/** One URL: a first (uncached) request, then `times` more that the cache should answer. */
export async function cachedLatencies(
  worker: LocalWorker,
  key: string,
  view: string,
  params: Record<string, string>,
  times: number,
): Promise<{ first: Latencies; cached: Latencies; notModified: Latencies }> {
  const url = `${worker.url}/v1/views/${view}/rows?${new URLSearchParams(params)}`;
  const first = await timed(url, key);
  const samples: number[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < times; i++) {
    const t = await timed(url, key);
    samples.push(t.ms);
    statuses.push(t.cache);
  }
  // Revalidation with the ETag: 304 with no body.
  const notModified: number[] = [];
  const nmStatuses: string[] = [];
  for (let i = 0; i < Math.min(times, 10) && first.etag; i++) {
    const started = performance.now();
    const res = await conditionalGet(url, { authorization: `Bearer ${key}`, 'if-none-match': first.etag });
    notModified.push(performance.now() - started);
    nmStatuses.push(`${res.status} ${res.cache}`.trim());
  }
  return {
    first: summarise([first.ms], [first.cache], first.rows),
    cached: summarise(samples, statuses, first.rows),
    notModified: summarise(notModified, nmStatuses, 0),
  };
}

/**
 * A GET with exactly these headers. Not fetch(): the Fetch standard turns a request carrying
 * If-None-Match into cache mode "no-store", which adds `Cache-Control: no-cache` and
 * `Pragma: no-cache`, and the API then revalidates with the warehouse as the client asked.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

function conditionalGet(url: string, headers: Record<string, string>): Promise<{ status: number; cache: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, timeout: 30_000, agent: keepAlive }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cache: String(res.headers['x-cache'] ?? '') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
  });
}
