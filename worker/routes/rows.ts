import { Hono, type Context } from 'hono';
import { cursorSecret, type AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { ENCODERS, formatFromAccept } from '../format/encoders.ts';
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

async function handle(c: Ctx, viewName: string, entries: Iterable<readonly [string, string]>, format: Format | undefined, linkBase: URL | null) {
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
  return respond(c, warehouse, query, async (position) => {
    const cursor = await encodeCursor(secret, caller.tenant.id, query, position);
    if (!linkBase) return { cursor, url: null };
    const url = new URL(linkBase);
    url.searchParams.set('cursor', cursor);
    return { cursor, url: url.toString() };
  });
}

type NextLink = (position: NonNullable<Query['after']>) => Promise<{ cursor: string; url: string | null }>;

const outputColumns = (query: Query): OutputColumn[] => query.output.map((o) => ({ name: o.name, type: o.type }));

async function respond(c: Ctx, warehouse: Warehouse, query: Query, nextLink: NextLink): Promise<Response> {
  const encoder = ENCODERS[query.format];
  const columns = outputColumns(query);
  const streamed = (query.format === 'csv' || query.format === 'ndjson') && (query.limitDefaulted || query.limit > LIMITS.maxPageSize);
  const headers: Record<string, string> = { 'content-type': encoder.contentType };
  if (query.format === 'csv') headers['content-disposition'] = `inline; filename="${query.view.name}.csv"`;

  if (!streamed) {
    // A page is at most LIMITS.maxPageSize rows: small enough to build whole, which lets the
    // next link go in a header as well as the body.
    const read = readRows(warehouse, query, query.limit);
    let body = encoder.head(columns, query.view.name);
    let count = 0;
    for await (const row of read.rows) body += encoder.row(row, columns, count++);
    const position = read.next();
    const next = position ? await nextLink(position) : null;
    body += encoder.tail({ view: query.view.name, next: next?.url ?? null, nextCursor: next?.cursor ?? null, rowCount: count });
    if (next?.url) headers['link'] = `<${next.url}>; rel="next"`;
    if (next) headers['x-next-cursor'] = next.cursor;
    headers['x-row-count'] = String(count);
    return c.body(body, 200, headers);
  }

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
  return c.body(readable, 200, headers);
}

export const rows = new Hono<AppEnv>()
  .get('/:view/rows', (c) => handle(c, c.req.param('view'), new URL(c.req.url).searchParams, impliedFormat(c, undefined), new URL(c.req.url)))
  .get('/:view/rows.:format', (c) =>
    handle(c, c.req.param('view'), new URL(c.req.url).searchParams, impliedFormat(c, c.req.param('format')), new URL(c.req.url)),
  )
  .post('/:view/query', async (c) => {
    const entries = await bodyEntries(c);
    return handle(c, c.req.param('view'), entries, impliedFormat(c, undefined), null);
  });
