import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { feedLimit, feedQuery, feedRows, requireChangeColumn, sinceValue } from '../hooks/change-feed.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import { resolveView } from './catalog.ts';

/** Parameters of /changes itself; everything else is a /rows filter or `select`. */
export const OWN_PARAMS = ['since', 'shape', 'limit'] as const;
/** Values of `shape`: the default first. */
export const SHAPES = ['object', 'array'] as const;
type OwnParam = (typeof OWN_PARAMS)[number];

/**
 * `GET /v1/views/{view}/changes`: a polling trigger. Rows come newest first by the view's
 * change column (then the row key, descending), each with a unique, stable `id`, which is the
 * contract Zapier polling triggers and Make's polling modules de-duplicate on. `since` keeps
 * only rows whose change value is greater; `latest` is the value to pass as `since` next time.
 * `shape=array` answers with the bare array, the form a Zapier trigger returns.
 */
export const changes = new Hono<AppEnv>().get('/:view/changes', async (c) => {
  const caller = c.get('caller');
  const view = resolveView(c.req.param('view'), caller.plan);
  const changeColumn = requireChangeColumn(view);

  const own = new Map<OwnParam, string>();
  const entries: [string, string][] = [];
  for (const [key, value] of new URL(c.req.url).searchParams) {
    const param = OWN_PARAMS.find((p) => p === key);
    if (!param) {
      entries.push([key, value]);
      continue;
    }
    if (own.has(param)) throw new ApiError(400, 'invalid-parameter', `'${param}' was given twice; give it once.`);
    own.set(param, value);
  }
  const shape = own.get('shape') ?? SHAPES[0];
  if (!(SHAPES as readonly string[]).includes(shape)) {
    throw new ApiError(
      400,
      'invalid-parameter',
      `shape must be 'object' (the default) or 'array' (the bare list of rows); got '${shape.slice(0, 40)}'.`,
    );
  }
  // Make and Zapier send an empty `since` on the first poll when the stored value is blank.
  const since = own.get('since') || undefined;
  const limit = feedLimit(own.get('limit'));
  const query = feedQuery(view, caller.plan, entries, { direction: 'desc', limit, since });

  // One row more than the page says whether older changes past `since` were left out.
  const page = await warehouseFor(c.env, caller.tenant).page(query, limit + 1);
  const hasMore = page.rows.length > limit;
  const rows = feedRows(view, query, { rows: page.rows.slice(0, limit), keys: page.keys.slice(0, limit) }).map((r) => r.json);
  const newest = page.keys[0]?.[0] ?? null;
  const latest = newest ?? (since === undefined ? null : sinceValue(view, since));

  // Built as text, like /rows, so INT64 values keep every digit.
  const array = `[${rows.join(',')}]`;
  const body =
    shape === 'array'
      ? array
      : `{"view":${JSON.stringify(view.name)},"change_column":${JSON.stringify(changeColumn)},"rows":${array},"latest":${JSON.stringify(latest)},"has_more":${hasMore}}`;
  return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store' });
});
