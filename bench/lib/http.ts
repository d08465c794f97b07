/**
 * Client side of the measurements: reads a response to the end without keeping it, timing
 * the first byte and the last, counting bytes and lines.
 */

export interface Download {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: number;
  /** '\n' count: rows + header line for csv, rows for ndjson. */
  readonly lines: number;
  readonly seconds: number;
  readonly firstByteSeconds: number;
}

/** GETs `url` and drains the body. Bounded by `timeoutMs`. */
export async function download(url: string, headers: Record<string, string>, timeoutMs = 300_000): Promise<Download> {
  const started = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  let firstByte = 0;
  let bytes = 0;
  let lines = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (firstByte === 0) firstByte = performance.now();
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
  }
  const ended = performance.now();
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    lines,
    seconds: (ended - started) / 1000,
    firstByteSeconds: ((firstByte || ended) - started) / 1000,
  };
}

/** GETs `url` as JSON, with its headers and wall time. */
export async function getJson<T>(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ status: number; headers: Headers; body: T; bytes: number; seconds: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  const seconds = (performance.now() - started) / 1000;
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as T, bytes: Buffer.byteLength(text), seconds };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
