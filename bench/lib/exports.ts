/**
 * Whole-view exports through the API: streamed csv and ndjson, and json pages of the
 * largest size followed by their next links, each with the workerd memory sampled meanwhile.
 */
import { sampleMemory, type IsolateInspector, type LocalWorker, type MemorySamples } from '../../scripts/lib/local-worker.ts';
import { download } from './http.ts';

export interface ExportResult {
  readonly rows: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly firstByteSeconds: number;
  readonly requests: number;
  readonly memory: MemorySamples;
  /**
   * The Worker isolate's heap when an inspector was given: peak `used` (live objects and
   * garbage not yet collected; local workerd sets no 128 MB limit, so V8 collects lazily),
   * peak reserved, and what is still live after a full GC once the export is done.
   */
  readonly heap: { readonly used: number; readonly total: number; readonly afterGc: number } | null;
}

/** Polls the isolate heap every 250 ms; stop() gives the peaks (null without an inspector). */
function sampleHeap(inspector: IsolateInspector | null) {
  if (!inspector) return { stop: async () => null };
  let stopped: Promise<{ used: number; total: number; afterGc: number }> | null = null;
  let used = 0;
  let total = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    inspector.heap().then(
      (h) => {
        used = Math.max(used, h.used);
        total = Math.max(total, h.total);
        busy = false;
      },
      () => (busy = false),
    );
  }, 250);
  return {
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(timer);
        const h = await inspector.heap().catch(() => null);
        const gc = await inspector.heapAfterGc().catch(() => null);
        return { used: Math.max(used, h?.used ?? 0), total: Math.max(total, h?.total ?? 0), afterGc: gc?.used ?? NaN };
      })()),
  };
}

/** One streamed export (`rows.csv` / `rows.ndjson`), optionally limited. */
export async function streamedExport(
  worker: LocalWorker,
  key: string,
  view: string,
  format: 'csv' | 'ndjson',
  limit?: number,
  inspector: IsolateInspector | null = null,
): Promise<ExportResult> {
  const url = `${worker.url}/v1/views/${view}/rows.${format}${limit ? `?limit=${limit}` : ''}`;
  const sampler = sampleMemory(() => worker.workerdMemory());
  const heap = sampleHeap(inspector);
  try {
    const d = await download(url, { authorization: `Bearer ${key}` });
    if (d.status !== 200) throw new Error(`${url} answered ${d.status}`);
    return {
      rows: format === 'csv' ? d.lines - 1 : d.lines,
      bytes: d.bytes,
      seconds: d.seconds,
      firstByteSeconds: d.firstByteSeconds,
      requests: 1,
      memory: sampler.stop(),
      heap: await heap.stop(),
    };
  } finally {
    sampler.stop();
    await heap.stop();
  }
}

/** The target of a `Link: <url>; rel="next"` header, or null on the last page. */
function nextLink(link: string | null): string | null {
  return link?.match(/<([^>]*)>\s*;\s*rel="next"/)?.[1] ?? null;
}

/**
 * Every json page of `pageSize` rows, following next links, bounded by `maxPages`. Like the
 * streamed exports, the client drains each page without parsing it: the next link comes from
 * the page's Link header (the body's `next` holds the same URL) and its rows from x-row-count,
 * so what is timed is the API's work, not a JSON.parse of 4 MB in the client's own Node. It
 * asks for `identity`: miniflare gzips application/json in workerd's one thread, as
 * Cloudflare's edge would outside the Worker (export-profile.md, "JSON pages").
 */
export async function pagedExport(
  worker: LocalWorker,
  key: string,
  view: string,
  pageSize: number,
  maxPages = 1000,
  inspector: IsolateInspector | null = null,
): Promise<ExportResult> {
  const sampler = sampleMemory(() => worker.workerdMemory());
  const heap = sampleHeap(inspector);
  const started = performance.now();
  let url: string | null = `${worker.url}/v1/views/${view}/rows?limit=${pageSize}`;
  let rows = 0;
  let bytes = 0;
  let requests = 0;
  let firstByteSeconds = 0;
  try {
    while (url && requests < maxPages) {
      // Next links carry the request's origin; keep them on 127.0.0.1 whatever they say.
      const target = new URL(url);
      if (target.hostname !== '127.0.0.1') throw new Error(`next link left 127.0.0.1: ${url}`);
      const page = await download(url, { authorization: `Bearer ${key}`, 'accept-encoding': 'identity' });
      if (page.status !== 200) throw new Error(`${url} answered ${page.status}`);
      const count = Number(page.headers.get('x-row-count') ?? NaN);
      if (!Number.isSafeInteger(count)) throw new Error(`${url} answered without an x-row-count`);
      if (requests === 0) firstByteSeconds = page.firstByteSeconds;
      requests++;
      rows += count;
      bytes += page.bytes;
      url = nextLink(page.headers.get('link'));
    }
    if (url) throw new Error(`more than ${maxPages} pages`);
    return {
      rows,
      bytes,
      seconds: (performance.now() - started) / 1000,
      firstByteSeconds,
      requests,
      memory: sampler.stop(),
      heap: await heap.stop(),
    };
  } finally {
    sampler.stop();
    await heap.stop();
  }
}
