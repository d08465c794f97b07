/**
 * Whole-view exports through the API: streamed csv and ndjson, and json pages of the
 * largest size followed by their next links, each with the workerd memory sampled meanwhile.
 */
import { sampleMemory, type IsolateInspector, type LocalWorker, type MemorySamples } from '../../scripts/lib/local-worker.ts';
import { download, getJson } from './http.ts';

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

interface JsonPage {
  readonly row_count: number;
  readonly next: string | null;
}

/** Every json page of `pageSize` rows, following next links, bounded by `maxPages`. */
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
      const page: Awaited<ReturnType<typeof getJson<JsonPage>>> = await getJson<JsonPage>(url, { authorization: `Bearer ${key}` });
      if (page.status !== 200) throw new Error(`${url} answered ${page.status}`);
      if (requests === 0) firstByteSeconds = page.seconds;
      requests++;
      rows += page.body.row_count;
      bytes += page.bytes;
      url = page.body.next;
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
