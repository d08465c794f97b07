import type { Env } from '../env.ts';
import type { Caller } from '../tenants/tenants.ts';
import { answerRows } from '../rows/answer.ts';
import type { OutputColumn } from '../query/model.ts';
import type { ToolQuery } from './arguments.ts';
import { MCP_BUDGET } from './budget.ts';

/** Who is asking and where: what a /rows request carries besides its query. */
export interface ToolContext {
  readonly env: Env;
  readonly caller: Caller;
  readonly origin: string;
  readonly waitUntil: (promise: Promise<unknown>) => void;
}

export interface QueryResult {
  readonly view: string;
  readonly columns: readonly OutputColumn[];
  readonly rows: readonly Record<string, unknown>[];
  readonly row_count: number;
  readonly next_cursor: string | null;
  readonly cache: string;
  readonly note: string | null;
}

interface Page {
  readonly view: string;
  readonly columns: OutputColumn[];
  readonly rows: Record<string, unknown>[];
  readonly next_cursor: string | null;
}

/**
 * INT64 and NUMERIC arrive digit for digit (worker/format/cells.ts); a number JSON.parse would
 * round is kept as its digits, as a string, rather than silently changed.
 */
function exactNumbers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && context?.source !== undefined && !Number.isSafeInteger(value) && /^-?\d+$/.test(context.source)) {
    return context.source;
  }
  return value;
}

/**
 * One page through answerRows, exactly as GET /v1/views/{view}/rows?format=json&limit=n
 * would be answered for this key: the same parser, plan checks, cursor check, result cache
 * and warehouse. Nothing here chooses a table or reads data by another way.
 */
async function readPage(ctx: ToolContext, query: ToolQuery, limit: number): Promise<{ page: Page; cache: string }> {
  const res = await answerRows({
    env: ctx.env,
    caller: ctx.caller,
    viewName: query.view,
    entries: [...query.entries, ['limit', String(limit)], ['format', 'json']],
    format: 'json',
    origin: ctx.origin,
    waitUntil: ctx.waitUntil,
  });
  const text = await res.text();
  const page = (JSON.parse as (text: string, reviver: typeof exactNumbers) => Page)(text, exactNumbers);
  return { page, cache: res.headers.get('x-cache') ?? 'MISS' };
}

/** How many leading rows fit in the character budget; at least one, so a call always moves on. */
function rowsWithin(rows: readonly Record<string, unknown>[], maxChars: number): number {
  let used = 2;
  for (let i = 0; i < rows.length; i++) {
    used += JSON.stringify(rows[i]).length + 1;
    if (used > maxChars) return Math.max(1, i);
  }
  return rows.length;
}

/**
 * query_view: a /rows page cut to MCP_BUDGET. A page over the character budget is read again
 * with fewer rows rather than cut here, so its next_cursor is one the API signed for exactly
 * the rows returned (the cursor binds to the query, not to the limit: a later call may ask for
 * a different limit and continue from it).
 */
export async function queryView(ctx: ToolContext, query: ToolQuery): Promise<QueryResult> {
  const requested = query.limit ?? MCP_BUDGET.defaultRows;
  let limit = Math.min(requested, MCP_BUDGET.maxRows);
  let cutBy: 'rows' | 'characters' | null = requested > MCP_BUDGET.maxRows ? 'rows' : null;
  let { page, cache } = await readPage(ctx, query, limit);
  const fit = rowsWithin(page.rows, MCP_BUDGET.maxChars);
  if (fit < page.rows.length) {
    limit = fit;
    cutBy = 'characters';
    ({ page, cache } = await readPage(ctx, query, limit));
  }
  return {
    view: page.view,
    columns: page.columns,
    rows: page.rows,
    row_count: page.rows.length,
    next_cursor: page.next_cursor,
    cache,
    note: noteFor(page, cutBy, requested),
  };
}

function noteFor(page: Page, cutBy: 'rows' | 'characters' | null, requested: number): string | null {
  if (page.next_cursor === null) return null;
  const n = page.rows.length;
  const why =
    cutBy === 'characters'
      ? `${n} rows are shown, cut to stay within about ${MCP_BUDGET.maxChars.toLocaleString('en-US')} characters per call; more rows match.`
      : cutBy === 'rows'
        ? `${n} rows are shown, not ${requested}: one call returns at most ${MCP_BUDGET.maxRows} rows; more rows match.`
        : `${n} rows are shown and more rows match.`;
  return `${why} To continue, call query_view again with the same arguments and cursor "${page.next_cursor}".`;
}
