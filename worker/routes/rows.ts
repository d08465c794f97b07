import { Hono, type Context } from 'hono';
import { cachedResult } from '../cache/cached-result.ts';
import { matchesIfNoneMatch } from '../cache/entry.ts';
import { resultCacheKey } from '../cache/key.ts';
import { cacheControl } from '../cache/policy.ts';
import { ResultStore } from '../cache/store.ts';
import { STALE_IF_ERROR_SECONDS } from '../cache/policy.ts';
import { cursorSecret, type AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { ENCODERS, formatFromAccept } from '../format/encoders.ts';
import { canonicalParams } from '../query/canonical.ts';
import { decodeCursor, encodeCursor } from '../query/cursor.ts';
import { readRows } from '../query/execute.ts';
import { LIMITS } from '../query/limits.ts';
import { FORMATS, type Format, type OutputColumn, type Query } from '../query/model.ts';
import { parseQuery } from '../query/parse.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import type { Warehouse } from '../warehouse/types.ts';
import { resolveView } from './catalog.ts';
import { bodyEntries } from './query-body.ts';

type Ctx = Context<AppEnv>;

/** `rows.csv` → csv; the suffix wins over Accept, `format=` wins over both. */
function impliedFormat(c: Ctx, suffix: string | undefined): Format | undefined {
  if (suffix !== undefined) {
    const f = FORMATS.find((x) => x === suffix.toLowerCase());
    if (!f) throw new ApiError(404, 'not-found', `No format '.${suffix.slice(0, 20)}'. Use .json, .csv, .ndjson or .values.`);
    return f;
  }
  return formatFromAccept(c.req.header('accept')) ?? undefined;
}

/** Parses, authorises and answers one rows request, from a query string or a JSON body. */
async function handle(c: Ctx, viewName: string, entries: Iterable<readonly [string, string]>, format: Format | undefined) {
  const caller = c.get('caller');
  const view = resolveView(viewName, caller.plan);
  const parsed = parseQuery(entries, { view, plan: caller.plan, ...(format ? { impliedFormat: format } : {}) });
  const secret = cursorSecret(c.env);
  let query = parsed.query;
  if (parsed.cursor !== null) query = { ...query, after: await decodeCursor(secret, caller.tenant.id, query, parsed.cursor) };
  const warehouse = warehouseFor(c.env, caller.tenant);
  if (parsed.dryRun) {
    const { bytesProcessed } = await warehouse.dryRun(query);
    return c.json({ view: view.name, dry_run: true, warehouse: warehouse.kind, bytes_processed: bytesProcessed });
  }

  const origin = new URL(c.req.url).origin;
  const nextLink = async (position: NonNullable<Query['after']>) => {
    const cursor = await encodeCursor(secret, caller.tenant.id, query, position);
    const params = canonicalParams(query);
    params.set('cursor', cursor);
    return { cursor, url: `${origin}/v1/views/${view.name}/rows?${params}` };
  };

  const streamed = (query.format === 'csv' || query.format === 'ndjson') && (query.limitDefaulted || query.limit > LIMITS.maxPageSize);
  if (streamed) return streamExport(c, warehouse, query);

  const outcome = await cachedResult({
    store: new ResultStore(caches.default, query.view.freshness.maxAgeSeconds + STALE_IF_ERROR_SECONDS),
    key: await resultCacheKey(caller, query, origin),
    freshness: query.view.freshness,
    compute: () => buildPage(warehouse, query, nextLink),
    waitUntil: (p) => c.executionCtx.waitUntil(p),
  });
  const { result } = outcome;
  const headers: Record<string, string> = {
    etag: result.etag,
    'cache-control': cacheControl(result.storedAt, Date.now(), query.view.freshness),
    'x-cache': outcome.status,
    age: String(Math.max(0, Math.floor((Date.now() - result.storedAt) / 1000))),
    vary: 'Authorization, X-API-Key, Accept',
  };
  if (outcome.staleReason) headers['x-cache-stale-reason'] = outcome.staleReason;
  if (matchesIfNoneMatch(c.req.header('if-none-match'), result.etag)) return c.body(null, 304, headers);
  return c.body(result.body, 200, { ...result.headers, ...headers });
}

const outputColumns = (query: Query): OutputColumn[] => query.output.map((o) => ({ name: o.name, type: o.type }));

type NextLink = (position: NonNullable<Query['after']>) => Promise<{ cursor: string; url: string }>;

/**
 * One page, built whole: at most LIMITS.maxPageSize rows, small enough to hold, which lets
 * the next link go in a header as well as the body, and the page be cached with an ETag.
 */
async function buildPage(warehouse: Warehouse, query: Query, nextLink: NextLink) {
  const encoder = ENCODERS[query.format];
  const columns = outputColumns(query);
  const read = readRows(warehouse, query, query.limit);
  let body = encoder.head(columns, query.view.name);
  let count = 0;
  for await (const row of read.rows) body += encoder.row(row, columns, count++);
  const position = read.next();
  const next = position ? await nextLink(position) : null;
  body += encoder.tail({ view: query.view.name, next: next?.url ?? null, nextCursor: next?.cursor ?? null, rowCount: count });
  const headers: Record<string, string> = { 'content-type': encoder.contentType, 'x-row-count': String(count) };
  if (query.format === 'csv') headers['content-disposition'] = `inline; filename="${query.view.name}.csv"`;
  if (next) {
    headers['link'] = `<${next.url}>; rel="next"`;
    headers['x-next-cursor'] = next.cursor;
  }
  return { body, headers };
}

/**
 * A whole csv/ndjson export, streamed in chunks so the isolate never holds it. Not cached:
 * exports are large and read once.
 */
async function streamExport(c: Ctx, warehouse: Warehouse, query: Query): Promise<Response> {
  const encoder = ENCODERS[query.format];
  const columns = outputColumns(query);
  const read = readRows(warehouse, query);
  // Read the first chunk before answering, so a failing warehouse is a problem+json
  // response rather than a truncated 200.
  const first = await read.rows.next();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const bytes = new TextEncoder();
  const pump = async () => {
    let buffer = encoder.head(columns, query.view.name);
    let count = 0;
    try {
      if (!first.done) buffer += encoder.row(first.value, columns, count++);
      for await (const row of read.rows) {
        buffer += encoder.row(row, columns, count++);
        if (buffer.length > 65_536) {
          await writer.write(bytes.encode(buffer));
          buffer = '';
        }
      }
      buffer += encoder.tail({ view: query.view.name, next: null, nextCursor: null, rowCount: count });
      await writer.write(bytes.encode(buffer));
      await writer.close();
    } catch (err) {
      console.error('export stream failed', err instanceof Error ? err.message : err);
      await writer.abort(err);
    }
  };
  c.executionCtx.waitUntil(pump());
  const headers: Record<string, string> = {
    'content-type': encoder.contentType,
    'cache-control': 'private, no-store',
    'x-cache': 'BYPASS',
  };
  if (query.format === 'csv') headers['content-disposition'] = `attachment; filename="${query.view.name}.csv"`;
  return c.body(readable, 200, headers);
}

export const rows = new Hono<AppEnv>()
  .get('/:view/rows', (c) => handle(c, c.req.param('view'), new URL(c.req.url).searchParams, impliedFormat(c, undefined)))
  .get('/:view/rows.:format', (c) => handle(c, c.req.param('view'), new URL(c.req.url).searchParams, impliedFormat(c, c.req.param('format'))))
  .post('/:view/query', async (c) => {
    const entries = await bodyEntries(c);
    return handle(c, c.req.param('view'), entries, impliedFormat(c, undefined));
  });
