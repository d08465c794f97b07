/**
 * Load with autocannon (npm, already a devDependency): a fixed number of connections for a
 * fixed time against one URL on 127.0.0.1.
 */
import { createRequire } from 'node:module';

interface AutocannonHistogram {
  readonly average: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

interface AutocannonResult {
  readonly requests: AutocannonHistogram & { readonly total: number };
  readonly latency: AutocannonHistogram;
  readonly throughput: AutocannonHistogram;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly duration: number;
}

interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly headers?: Record<string, string>;
  readonly timeout?: number;
}

type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Runs `connections` connections for `seconds` against `url` (127.0.0.1 only). */
export async function runLoad(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1[:/]/.test(url)) throw new Error(`load goes to 127.0.0.1 only, not ${url}`);
  const r = await autocannon({ url, connections, duration: seconds, headers, timeout: 30 });
  return {
    requestsPerSecond: r.requests.average,
    total: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}
