import { getView } from '../../shared/views/index.ts';
import type { ApiCell, ApiClient } from '../api/client.ts';
import { requireConnection } from '../api/connection.ts';
import { UserError, userMessage } from '../api/errors.ts';
import { getChunked, MAX_TTL_SECONDS, putChunked } from '../cache/chunked.ts';
import { DEFAULT_FUNCTION_ROWS, MAX_FUNCTION_ROWS, parseFunctionArguments, type FunctionArguments } from '../query/arguments.ts';
import { loadRows, queryBody, MAX_PAGE_SIZE } from '../query/spec.ts';
import { clientFor, fingerprint, pageSize } from '../runtime/context.ts';
import { Deadline, LIMITS } from '../runtime/deadline.ts';
import { sheetColumns, toCells } from '../sheets/columns.ts';
import { formatCount } from '../sheets/log.ts';
import type { Cache, CellValue, Services } from '../types/apps-script.ts';

/** Catalog answers change when the deployment does, not with the data. */
const CATALOG_TTL_SECONDS = MAX_TTL_SECONDS;

interface Call {
  readonly client: ApiClient;
  readonly cache: Cache;
  readonly cacheKey: (kind: string, request: unknown) => string;
  readonly deadline: Deadline;
  readonly timeZone: string;
}

/**
 * Sheets shows a custom function's error message in the cell. Whatever went wrong, the
 * message is the readable one and nothing else (no stack, no "Exception:" prefix).
 */
function inCell<T>(services: Services, body: (call: Call) => T): T {
  const deadline = new Deadline(Date.now(), LIMITS.customFunctionBudgetMs);
  try {
    const connection = requireConnection(services.PropertiesService.getUserProperties());
    // Keyed by the connection as well: two keys (two tenants) never share an answer.
    const scope = fingerprint(services.Utilities, `${connection.url}\n${connection.key}`);
    return body({
      client: clientFor(services, connection, deadline),
      cache: services.CacheService.getDocumentCache() ?? services.CacheService.getScriptCache(),
      cacheKey: (kind, request) => `acb.f.${fingerprint(services.Utilities, `${scope}\n${kind}\n${JSON.stringify(request)}`)}`,
      deadline,
      timeZone: services.SpreadsheetApp.getActive().getSpreadsheetTimeZone(),
    });
  } catch (err) {
    throw new Error(userMessage(err), { cause: err });
  }
}

function cached<T>(call: Call, key: string, ttlSeconds: number, load: () => T): T {
  const hit = getChunked(call.cache, key);
  if (hit !== null) {
    try {
      return JSON.parse(hit) as T;
    } catch {
      // A corrupt entry is a miss.
    }
  }
  const value = load();
  putChunked(call.cache, key, JSON.stringify(value), ttlSeconds);
  return value;
}

interface CachedRows {
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly ApiCell[])[];
  readonly truncated: boolean;
}

/**
 * =ACTIVTRAK(view, [columns], [from], [to], [filters], [options]): rows of a view with a
 * header row. Pages through the API for results over one page, caches the answer for the
 * view's freshness, and says what to narrow when a result will not fit in 30 seconds.
 */
export function activtrak(services: Services, args: FunctionArguments): CellValue[][] {
  return inCell(services, (call) => {
    const { spec, header, limitGiven } = parseFunctionArguments(args, (d) => services.Utilities.formatDate(d, call.timeZone, 'yyyy-MM-dd'));
    // One more row than asked for when the limit is ours, to tell "exactly 10,000" from "more".
    const wanted = limitGiven ? spec.limit! : DEFAULT_FUNCTION_ROWS + 1;
    const size = pageSize(services) ?? MAX_PAGE_SIZE;
    const request = queryBody({ ...spec, limit: wanted }, { limit: Math.min(wanted, size) });
    const ttl = Math.max(60, Math.min(MAX_TTL_SECONDS, getView(spec.view)?.freshness.maxAgeSeconds ?? 3600));
    const loaded = cached<CachedRows>(call, call.cacheKey('rows', { ...request, wanted }), ttl, () =>
      loadRows(
        call.client,
        { ...spec, limit: wanted },
        (rows) => {
          if (call.deadline.passed()) {
            throw new UserError(
              `This result is too large to load within Sheets' 30-second limit for formulas (${formatCount(rows)} rows so far). Narrow it with dates, filters or limit=…, or use ActivTrak > Insert a view, which has no such limit.`,
            );
          }
        },
        size,
      ),
    );
    if (!limitGiven && loaded.rows.length > DEFAULT_FUNCTION_ROWS) {
      throw new UserError(
        `More than ${formatCount(DEFAULT_FUNCTION_ROWS)} rows match. Add limit=… (up to ${formatCount(MAX_FUNCTION_ROWS)}), a date range or filters, or use ActivTrak > Insert a view for all of them.`,
      );
    }
    const columns = sheetColumns(spec.view, loaded.columns, 'seconds');
    const rows = toCells(loaded.rows, columns, {
      timeZone: call.timeZone,
      utilities: services.Utilities,
      durations: 'seconds',
      literalText: true,
    });
    if (!header) return rows.length > 0 ? rows : [['No rows match.']];
    return [[...loaded.header], ...rows];
  });
}

/** =ACTIVTRAK_VIEWS(): the views the connected key can read, with what each holds. */
export function activtrakViews(services: Services): CellValue[][] {
  return inCell(services, (call) => {
    const catalog = cached(call, call.cacheKey('views', null), CATALOG_TTL_SECONDS, () => call.client.catalog());
    return [
      ['view', 'description', 'date column', 'change column', 'row key', 'columns on your plan', 'lowest plan'],
      ...catalog.views.map((v) => [
        v.name,
        v.description,
        v.date_column ?? '',
        v.change_column ?? '',
        v.row_key.join(', '),
        v.columns,
        v.min_plan,
      ]),
    ];
  });
}

/** =ACTIVTRAK_COLUMNS(view): every column of a view, and whether the key's plan can read it. */
export function activtrakColumns(services: Services, view: unknown): CellValue[][] {
  return inCell(services, (call) => {
    const name = Array.isArray(view) ? String((view as unknown[]).flat(2)[0] ?? '').trim() : String(view ?? '').trim();
    if (!name) throw new UserError('Name a view, like =ACTIVTRAK_COLUMNS("daily_user_summary"). =ACTIVTRAK_VIEWS() lists them.');
    const detail = cached(call, call.cacheKey('columns', name), CATALOG_TTL_SECONDS, () => call.client.view(name));
    return [
      ['column', 'type', 'description', 'plan', 'readable'],
      ...detail.columns.map((c) => [c.name, c.type, c.description, c.min_plan, c.readable]),
    ];
  });
}
