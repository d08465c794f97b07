/**
 * A view as a feed of changes: rows ordered by the view's change column, then its row key,
 * each with a stable `id`. Polling (`GET /v1/views/{view}/changes`, newest first) and REST
 * hooks (oldest first, past a cursor) both read it, and both go through parseQuery, so a
 * filter or select means exactly what it means on /rows.
 */
import { leafColumns } from '../../shared/columns.ts';
import type { Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { jsonCell } from '../format/cells.ts';
import { ApiError } from '../http/errors.ts';
import { CHANGES_LIMIT, NOT_FOR_FEEDS, rowKeyId } from '../../shared/query-vocabulary.ts';
import { limitParam } from '../query/limit-param.ts';
import type { Query, TypedValue } from '../query/model.ts';
import { parseQuery } from '../query/parse.ts';
import { parseValue } from '../query/values.ts';
import type { Page } from '../warehouse/types.ts';

type Direction = 'asc' | 'desc';

export interface FeedOptions {
  readonly direction: Direction;
  readonly limit: number;
  /** Only rows whose change value is greater than this (raw text, typed by the column). */
  readonly since?: string | undefined;
}

/** A keyset position in feed order: the change value, then the rest of the row key. */
export type Position = readonly (TypedValue | null)[];

/**
 * The view's change column name, or a 400 saying why the view cannot be followed, quoting the
 * view definition's own reasoning so the answer is the same everywhere it is asked.
 */
export function requireChangeColumn(view: ViewDef): string {
  if (view.changeColumn !== null) return view.changeColumn;
  throw new ApiError(
    400,
    'invalid-parameter',
    `${view.name} cannot be polled or followed with a webhook: it has no column that moves forward when rows are added or changed. ${view.decisions.changeColumn} Read it with /v1/views/${view.name}/rows instead.`,
    { view: view.name, change_column: null },
  );
}

/**
 * Feed order: the change column, then every row-key column not already named. Together they
 * are unique (the row key is), which is what makes a position a cursor.
 */
export function feedColumns(view: ViewDef): string[] {
  const change = requireChangeColumn(view);
  return [change, ...view.rowKey.filter((k) => k !== change)];
}

/**
 * Turns the subscriber's filter and select entries into the feed Query. Everything goes
 * through parseQuery (the order and the `since` filter are fed to it as entries), so there is
 * one parser and one set of error messages.
 */
export function feedQuery(view: ViewDef, plan: Plan, entries: Iterable<readonly [string, string]>, options: FeedOptions): Query {
  const columns = feedColumns(view);
  const change = columns[0]!;
  const passed: [string, string][] = [];
  for (const [key, value] of entries) {
    if ((NOT_FOR_FEEDS as readonly string[]).includes(key)) {
      throw new ApiError(
        400,
        'invalid-parameter',
        `'${key}' does not apply to changes: rows always come ${options.direction === 'desc' ? 'newest first' : 'oldest first'} by ${change}, then the row key.`,
        { parameter: key },
      );
    }
    if (key === 'limit') throw new ApiError(400, 'invalid-parameter', `'limit' is set by the feed, not by a filter.`);
    passed.push([key, value]);
  }
  // Parsed once as given, so an aggregate in select gets this answer rather than a complaint
  // about the feed's own order; the second parse adds that order.
  const given = parseQuery(passed, { view, plan, impliedFormat: 'json' }).query;
  if (given.output.some((o) => o.kind === 'aggregate')) {
    throw new ApiError(400, 'invalid-parameter', 'Aggregates do not apply to changes: each change is one row. Select plain columns.');
  }
  passed.push(['order', columns.map((c) => `${c}.${options.direction}`).join(',')]);
  passed.push(['limit', String(options.limit)]);
  const query = parseQuery(passed, { view, plan, impliedFormat: 'json' }).query;
  if (options.since === undefined) return query;
  // Added after parsing, not as one more filter entry: `since` is the feed's own position, so a
  // caller with LIMITS.maxFilters filters can poll with it too.
  const column = leafColumns(view).find((c) => c.name === change)!;
  return { ...query, filters: [...query.filters, { column, op: 'gt', negated: false, value: sinceValue(view, options.since) }] };
}

/** `since` typed by the change column, with an error that names `since`, not a filter. */
export function sinceValue(view: ViewDef, raw: string): TypedValue {
  const change = leafColumns(view).find((c) => c.name === view.changeColumn)!;
  const parsed = parseValue(change.type, raw);
  if (!parsed.ok) {
    throw new ApiError(
      400,
      'invalid-parameter',
      `since='${raw.slice(0, 80)}' is not a valid ${change.name} (${change.type}) in ${view.name}: expected ${parsed.expected}. Pass the "latest" value of the previous response.`,
      { parameter: 'since', column: change.name, expected: parsed.expected },
    );
  }
  return parsed.value;
}

/** The limit given as `limit=`, read as every endpoint reads one (query/limit-param.ts). */
export function feedLimit(raw: string | undefined): number {
  return limitParam(raw, {
    ...CHANGES_LIMIT,
    name: 'changesMaxLimit',
    tooLarge: (given) => `limit is at most ${CHANGES_LIMIT.max} for changes; got ${given}. Use /rows to read more.`,
  }).limit;
}

/**
 * A row's stable id from its feed position: the row-key values in the view's rowKey order,
 * written by shared/query-vocabulary.ts rowKeyId (the Zapier app computes the same id for
 * search rows with it). A one-column key is just that value (`row_id` 123 → "123").
 *
 * @example rowId(dailyUserSummary, ['2026-11-19', '1042']) // "1042|2026-11-19"
 */
export function rowId(view: ViewDef, position: Position): string {
  const columns = feedColumns(view);
  return rowKeyId(view.rowKey.map((name) => position[columns.indexOf(name)] ?? null));
}

/** One row of a feed: its id, its JSON text as subscribers receive it, and its position. */
export interface FeedRow {
  readonly id: string;
  /** `{"id": ..., then the selected columns}`, cells written as /rows writes them (INT64 digit for digit). */
  readonly json: string;
  readonly position: Position;
}

/** The page's rows with their ids and positions. */
export function feedRows(view: ViewDef, query: Query, page: Page): FeedRow[] {
  return page.rows.map((cells, i) => {
    const position = page.keys[i]!;
    const id = rowId(view, position);
    let json = `{"id":${JSON.stringify(id)}`;
    query.output.forEach((item, j) => {
      // No view has a column called `id`; if one ever does, the row id still wins, because
      // it is what Zapier and Make de-duplicate on.
      if (item.name !== 'id') json += `,${JSON.stringify(item.name)}:${jsonCell(cells[j] ?? null, item.type)}`;
    });
    return { id, json: `${json}}`, position };
  });
}
