/**
 * The rows service: one /rows or POST /query request answered, from a client, the cache
 * pre-warmer or an MCP tool: parse, authorise, read through the cache or stream an export.
 */
import { cachedResult } from '../cache/cached-result.ts';
import { matchesIfNoneMatch } from '../cache/entry.ts';
import { resultCacheKey } from '../cache/key.ts';
import { cacheControl, requestMaxAge, STALE_IF_ERROR_SECONDS } from '../cache/policy.ts';
import { ResultStore } from '../cache/store.ts';
import { isolateResultMemo } from '../cache/memo.ts';
import { keyCacheMaxAgeMs } from '../tenants/key-cache.ts';
import { cursorSecret, type Env } from '../env.ts';
import { recordUsage } from '../cache/usage.ts';
import type { Caller } from '../tenants/tenants.ts';
import { acquireExportLease, type ExportLease } from '../tenants/export-leases.ts';
import { chargeKey } from '../http/rate-limit.ts';
import { dryRunBody } from '../format/dry-run.ts';
import { ENCODERS } from '../format/encoders.ts';
import { canonicalParams } from '../query/canonical.ts';
import { decodeCursor, encodeCursor, type Resume } from '../query/cursor.ts';
import { readRows } from '../query/execute.ts';
import { warnRecovered } from '../log.ts';
import { Utf8Builder } from '../encoding/utf8-builder.ts';
import { LIMITS } from '../../shared/query-vocabulary.ts';
import { type Format, type OutputColumn, type Query } from '../query/model.ts';
import { parseQuery } from '../query/parse.ts';
import { chunkRowsFor, pageRowsKey, rememberPageRows } from './page-rows-hint.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import type { Cell, Warehouse } from '../warehouse/types.ts';
import { resolveView } from '../catalog/views.ts';

/** One rows request, from a client or from the cache pre-warmer. */
export interface RowsRequest {
  readonly env: Env;
  readonly caller: Caller;
  readonly viewName: string;
  readonly entries: Iterable<readonly [string, string]>;
  readonly format?: Format | undefined;
  /** Where next links point. */
  readonly origin: string;
  readonly ifNoneMatch?: string | undefined;
  readonly waitUntil: (promise: Promise<unknown>) => void;
  /** A HEAD request: a streamed export then answers its headers without running the export. */
  readonly head?: boolean;
  /** False for the pre-warmer: its requests must not make a query look popular. */
  readonly countsAsUse?: boolean;
  /** The client's Cache-Control and Pragma headers: `no-cache` asks for a revalidated answer. */
  readonly cacheControl?: string | undefined;
  readonly pragma?: string | undefined;
}

/** Parses, authorises and answers one rows request, from a query string or a JSON body. */
export async function answerRows(req: RowsRequest): Promise<Response> {
  const { env, caller, origin } = req;
  const view = resolveView(req.viewName, caller.plan);
  const parsed = parseQuery(req.entries, { view, plan: caller.plan, ...(req.format ? { impliedFormat: req.format } : {}) });
  const secret = cursorSecret(env);
  let query = parsed.query;
  if (parsed.cursor !== null) {
    const resume = await decodeCursor(secret, caller.tenant.id, query, parsed.cursor);
    query = { ...query, after: resume.after, afterTies: resume.ties };
  }
  const warehouse = warehouseFor(env, caller.tenant);
  if (parsed.dryRun) {
    const { bytesProcessed } = await warehouse.dryRun(query);
    return Response.json(dryRunBody(view.name, warehouse.kind, bytesProcessed));
  }

  const nextLink = async (position: Resume) => {
    const cursor = await encodeCursor(secret, caller.tenant.id, query, position);
    const params = canonicalParams(query);
    params.set('cursor', cursor);
    return { cursor, url: `${origin}/v1/views/${view.name}/rows?${params}` };
  };

  const streamed = (query.format === 'csv' || query.format === 'ndjson') && (query.limitDefaulted || query.limit > LIMITS.maxPageSize);
  if (streamed) {
    if (req.head) return new Response(null, { status: 200, headers: exportHeaders(query) });
    const lease = await acquireExportLease(env.DB, caller.tenant, view.name);
    try {
      return await streamExport(warehouse, query, req.waitUntil, lease);
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  const outcome = await cachedResult({
    store: new ResultStore(caches.default, query.view.freshness.maxAgeSeconds + STALE_IF_ERROR_SECONDS),
    key: await resultCacheKey(caller, query, origin),
    freshness: query.view.freshness,
    compute: () => buildPage(warehouse, query, nextLink, pageRowsKey(caller.tenant.id, query)),
    waitUntil: req.waitUntil,
    clientMaxAgeSeconds: requestMaxAge(req.cacheControl, req.pragma),
    // A read that skips the cache costs the warehouse a query: it takes a second token.
    beforeForcedRefresh: () => chargeKey(env, caller, { what: 'a read that bypasses the cache (Cache-Control: no-cache) counts twice' }),
    // The same bound as a verified key: a data version is trusted that long already.
    memo: { results: isolateResultMemo, maxAgeMs: keyCacheMaxAgeMs(env.KEY_CACHE_SECONDS) },
  });
  if (query.after === null && req.countsAsUse !== false) {
    req.waitUntil(
      recordUsage(env.DB, caller, query, origin, outcome.status).catch((err: unknown) =>
        console.warn('could not record query usage', caller.tenant.id, view.name, err instanceof Error ? err.message : err),
      ),
    );
  }
  const { result } = outcome;
  const headers: Record<string, string> = {
    etag: result.etag,
    'cache-control': cacheControl(result.storedAt, Date.now(), query.view.freshness),
    'x-cache': outcome.status,
    age: String(Math.max(0, Math.floor((Date.now() - result.storedAt) / 1000))),
    vary: 'Authorization, X-API-Key, Accept',
  };
  if (outcome.staleReason) headers['x-cache-stale-reason'] = outcome.staleReason;
  if (matchesIfNoneMatch(req.ifNoneMatch, result.etag)) return new Response(null, { status: 304, headers });
  return new Response(result.bytes ?? result.body, { status: 200, headers: { ...result.headers, ...headers } });
}

/**
 * Characters of encoded rows an export holds before writing them as one chunk: about 1 MB,
 * far below the isolate's 128 MB, and few enough writes that waiting on each costs little.
 */
const STREAM_WRITE_CHARS = 1 << 20;
/** Room for a chunk's bytes from the start: mostly one byte per character, so rarely grown. */
const STREAM_WRITE_BYTES = STREAM_WRITE_CHARS + (STREAM_WRITE_CHARS >> 2);

const outputColumns = (query: Query): OutputColumn[] => query.output.map((o) => ({ name: o.name, type: o.type }));

type NextLink = (position: Resume) => Promise<{ cursor: string; url: string }>;

/**
 * One page, built whole: at most LIMITS.maxPageSize rows and about LIMITS.maxPageBytes,
 * small enough to hold, which lets the next link go in a header as well as the body and the
 * page be cached with an ETag. A page of wide rows stops at the byte budget and links on,
 * because the body is held several times over (built, hashed, cached, sent) and an isolate
 * has 128 MB.
 */
async function buildPage(warehouse: Warehouse, query: Query, nextLink: NextLink, hintKey: string) {
  const encoder = ENCODERS[query.format];
  const columns = outputColumns(query);
  const row = encoder.compile(columns, query.dates);
  // Read about as many rows as this query's last page held (page-rows-hint.ts), not a whole
  // chunk of which a page of wide rows keeps about half.
  const read = readRows(warehouse, query, chunkRowsFor(hintKey, query.limit));
  // Encoded as it grows: the page's bytes are what is hashed, cached and sent.
  const body = new Utf8Builder();
  body.append(encoder.head(columns, query.view.name));
  let count = 0;
  let position: Resume | null = null;
  let full = false;
  for await (const cells of read.rows) {
    // A row is in hand, so stopping here leaves at least one for the next page.
    if (count > 0 && body.length >= LIMITS.maxPageBytes) {
      full = true;
      break;
    }
    body.append(row(cells, count++));
    position = read.lastPosition();
  }
  if (!full) position = read.next();
  if (full || count === query.limit) rememberPageRows(hintKey, count);
  const next = position ? await nextLink(position) : null;
  body.append(encoder.tail({ view: query.view.name, next: next?.url ?? null, nextCursor: next?.cursor ?? null, rowCount: count }));
  const headers: Record<string, string> = { 'content-type': encoder.contentType, 'x-row-count': String(count) };
  if (query.format === 'csv') headers['content-disposition'] = `inline; filename="${query.view.name}.csv"`;
  if (next) {
    headers['link'] = `<${next.url}>; rel="next"`;
    headers['x-next-cursor'] = next.cursor;
  }
  return { bytes: body.bytes(), headers };
}

/**
 * A whole csv/ndjson export, streamed in chunks so the isolate never holds it. Not cached:
 * exports are large and read once. An export without a limit that stops at the row cap
 * (LIMITS.maxExportRows) with rows left over is aborted, not ended: a clean end would pass
 * for the whole result. The export holds `lease` (one of the account's concurrent-export
 * slots) until its stream ends, fails or the client goes away.
 */
export async function streamExport(
  warehouse: Warehouse,
  query: Query,
  waitUntil: (p: Promise<unknown>) => void,
  lease?: ExportLease,
): Promise<Response> {
  const encoder = ENCODERS[query.format];
  const columns = outputColumns(query);
  const read = readRows(warehouse, query);
  // Read the first chunk before answering, so a failing warehouse is a problem+json
  // response rather than a truncated 200.
  const first = await read.chunks.next();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const row = encoder.compile(columns, query.dates);
  const pump = async () => {
    // Encoded as it grows (utf8-builder.ts): a 1 MB rope flattened whole for TextEncoder
    // became two bytes a character as soon as one character needed them.
    let buffer = new Utf8Builder(STREAM_WRITE_BYTES);
    buffer.append(encoder.head(columns, query.view.name));
    let count = 0;
    const send = async () => {
      await writer.write(buffer.bytes());
      buffer = new Utf8Builder(STREAM_WRITE_BYTES);
    };
    const encode = async (chunk: readonly Cell[][]) => {
      for (const cells of chunk) {
        buffer.append(row(cells, count++));
        // Large writes: each one waits for the client to take it, so fewer waits, less time.
        if (buffer.length > STREAM_WRITE_CHARS) await send();
      }
    };
    try {
      if (!first.done) await encode(first.value);
      for await (const chunk of read.chunks) await encode(chunk);
      if (query.limitDefaulted && read.next() !== null) {
        await send();
        throw new Error(`export of ${query.view.name} passed ${count} rows, the most one export returns; export by date range`);
      }
      buffer.append(encoder.tail({ view: query.view.name, next: null, nextCursor: null, rowCount: count }));
      await writer.write(buffer.bytes());
      await writer.close();
    } catch (err) {
      console.error('export stream failed', err instanceof Error ? err.message : err);
      // The client may have gone already, which leaves nothing to abort.
      await writer.abort(err).catch((abortErr: unknown) => warnRecovered('export.abort_failed', abortErr, { view: query.view.name }));
    } finally {
      await lease?.release();
    }
  };
  waitUntil(pump());
  return new Response(readable, { status: 200, headers: exportHeaders(query) });
}

function exportHeaders(query: Query): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': ENCODERS[query.format].contentType,
    'cache-control': 'private, no-store',
    'x-cache': 'BYPASS',
  };
  if (query.format === 'csv') headers['content-disposition'] = `attachment; filename="${query.view.name}.csv"`;
  return headers;
}
