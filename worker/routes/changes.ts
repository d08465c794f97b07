import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { FEED_PARAMS, SHAPES } from '../../shared/query-vocabulary.ts';
import { feedLimit, feedQuery, feedRows, requireChangeColumn, sinceValue } from '../hooks/change-feed.ts';
import { pollerName, pollPage, POLL_STARTS, queryHash } from '../hooks/poll-positions.ts';
import type { Query } from '../query/model.ts';
import type { Page } from '../warehouse/types.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import { resolveView } from '../catalog/views.ts';

type OwnParam = (typeof FEED_PARAMS)[number];

/**
 * `GET /v1/views/{view}/changes`: a polling trigger. Rows come newest first by the view's
 * change column (then the row key, descending), each with a unique, stable `id`, which is the
 * contract Zapier polling triggers and Make's polling modules de-duplicate on. `since` keeps
 * only rows whose change value is greater; `latest` is the value to pass as `since` next time.
 * `shape=array` answers with the bare array, the form a Zapier trigger returns.
 *
 * `poller=<name>` is for clients that keep no state between polls (Zapier's polling
 * triggers): the bridge keeps the name's position and each poll hands out the next `limit`
 * rows past it, with the previous page repeated; `start=newest` restarts it at the newest
 * row. worker/hooks/poll-positions.ts says why.
 */
export const changes = new Hono<AppEnv>().get('/:view/changes', async (c) => {
  const caller = c.get('caller');
  const view = resolveView(c.req.param('view'), caller.plan);
  const changeColumn = requireChangeColumn(view);

  const own = new Map<OwnParam, string>();
  const entries: [string, string][] = [];
  for (const [key, value] of new URL(c.req.url).searchParams) {
    const param = FEED_PARAMS.find((p) => p === key);
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
  const limit = feedLimit(own.get('limit'));
  const poller = own.get('poller');
  const start = own.get('start');
  if (start !== undefined && !(POLL_STARTS as readonly string[]).includes(start)) {
    throw new ApiError(
      400,
      'invalid-parameter',
      `start must be 'newest' (begin this poller at the newest row); got '${start.slice(0, 40)}'.`,
    );
  }
  if (poller === undefined && start !== undefined) {
    throw new ApiError(400, 'invalid-parameter', 'start applies to a named poller only; add poller=<name>, or drop start.');
  }
  if (poller !== undefined && own.get('since')) {
    throw new ApiError(
      400,
      'invalid-parameter',
      'A named poller keeps its own position, so since does not apply; drop since, or drop poller and pass since yourself.',
    );
  }
  const warehouse = warehouseFor(c.env, caller.tenant);

  let since: string | undefined;
  let query: Query;
  let page: Page;
  let hasMore: boolean;
  if (poller === undefined) {
    // Make and Zapier send an empty `since` on the first poll when the stored value is blank.
    since = own.get('since') || undefined;
    query = feedQuery(view, caller.plan, entries, { direction: 'desc', limit, since });
    // One row more than the page says whether older changes past `since` were left out.
    const read = await warehouse.page(query, limit + 1);
    hasMore = read.rows.length > limit;
    page = { rows: read.rows.slice(0, limit), keys: read.keys.slice(0, limit) };
  } else {
    query = feedQuery(view, caller.plan, entries, { direction: 'desc', limit });
    const asc = feedQuery(view, caller.plan, entries, { direction: 'asc', limit });
    const key = {
      tenantId: caller.tenant.id,
      keyId: caller.keyId,
      view: view.name,
      poller: pollerName(poller),
      queryHash: await queryHash(asc),
    };
    const polled = await pollPage(
      c.env.DB,
      warehouse,
      key,
      { asc, desc: query },
      { limit, start: start === 'newest' ? 'newest' : undefined },
    );
    page = polled.page;
    hasMore = polled.hasMore;
  }
  const rows = feedRows(view, query, page).map((r) => r.json);
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
