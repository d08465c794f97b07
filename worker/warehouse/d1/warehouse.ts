import type { ScalarType } from '../../../shared/types.ts';
import { tableName } from './tables.ts';
import { ApiError } from '../../http/errors.ts';
import type { OutputItem, Query, TypedValue } from '../../query/model.ts';
import { compileSelect, type BoundParam } from '../../query/sql.ts';
import type { Cell, Page, Warehouse } from '../types.ts';
import { sqliteDialect } from './dialect.ts';

/** Turns a stored SQLite value into the Cell the formats expect for the column type. */
function decodeSqlite(value: unknown, type: ScalarType): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'BOOL':
      return value === 1 || value === true || value === '1';
    case 'FLOAT64':
      return typeof value === 'number' ? value : Number(value);
    case 'INT64':
      return typeof value === 'number' ? (Number.isInteger(value) ? value.toString() : String(Math.trunc(value))) : String(value);
    case 'NUMERIC':
      return typeof value === 'number' ? numberToDecimal(value) : canonicalDecimal(String(value));
    default:
      return String(value);
  }
}

/**
 * NUMERIC as BigQuery's API writes it: no trailing fractional zeros ('6.0' is '6'), so both
 * warehouses give the same bytes, ETags and CSV. Exact: only zeros are dropped.
 */
function canonicalDecimal(text: string): string {
  if (!/^-?\d+\.\d*$/.test(text)) return text;
  return text.replace(/\.?0+$/, '') || '0';
}

/** A float as a plain decimal string (no exponent), for NUMERIC sums computed by SQLite. */
function numberToDecimal(n: number): string {
  if (Number.isInteger(n)) return n.toFixed(0);
  return String(Number(n.toPrecision(15)));
}

/**
 * A keyset value as the next page compares it. An aggregate SQLite computed as a float (a
 * NUMERIC sum: 0.1 + 0.2 = 0.30000000000000004) keeps its exact float: rounded to the decimal
 * the client reads ('0.3'), `SUM(...) > 0.3` would hold for the last row again and paging
 * would repeat it forever, or skip its ties.
 */
function keyValue(value: unknown, item: OutputItem): TypedValue | null {
  // INT64 arrives as a number only where that number is exact (dialect.ts): its digits, as
  // the output and every cursor already written have them.
  if (item.kind === 'aggregate' && typeof value === 'number' && item.type !== 'BOOL' && item.type !== 'INT64') return value;
  return decodeSqlite(value, item.type);
}

function toSqliteParam(p: BoundParam): unknown {
  if (typeof p.value === 'boolean') return p.value ? 1 : 0;
  if (p.type === 'INT64' && typeof p.value === 'string') {
    const n = Number(p.value);
    return Number.isSafeInteger(n) ? n : p.value;
  }
  return p.value;
}

/** The embedded demo warehouse: a tenant's tables in D1, named from its dataset. */
export class D1Warehouse implements Warehouse {
  readonly kind = 'd1' as const;
  constructor(
    private readonly db: D1Database,
    private readonly dataset: string,
  ) {}

  async page(query: Query, limit: number): Promise<Page> {
    const compiled = compileSelect(query, sqliteDialect, tableName(this.dataset, query.view.name), limit);
    let raw: unknown[][];
    try {
      raw = await this.db
        .prepare(compiled.sql)
        .bind(...compiled.params.map(toSqliteParam))
        .raw();
    } catch (err) {
      throw d1Error(err);
    }
    const outputs = query.output.length;
    const rows: Cell[][] = [];
    const keys: (TypedValue | null)[][] = [];
    for (const r of raw) {
      const row: Cell[] = new Array<Cell>(outputs);
      for (let i = 0; i < outputs; i++) row[i] = decodeSqlite(r[i], query.output[i]!.type);
      rows.push(row);
      keys.push(query.order.map((t, i) => keyValue(r[compiled.keyColumns[i]!], t.item)));
    }
    return { rows, keys };
  }

  async dryRun(): Promise<{ bytesProcessed: number | null }> {
    return { bytesProcessed: null };
  }
}

/** D1 failures become a 503 without the SQL or the driver's message, which may quote it. */
function d1Error(err: unknown): ApiError {
  const message = err instanceof Error ? err.message : String(err);
  console.error('d1 query failed', message);
  if (/no such table/i.test(message)) {
    return new ApiError(
      503,
      'warehouse-unavailable',
      'The demo warehouse has no data for this account yet. Run `npm run seed` and try again.',
    );
  }
  // The request's fault, not the warehouse's: a 4xx, so stale-if-error (cache/cached-result.ts
  // serves stale only for 5xx and quota errors) never hides it and retrying cannot help.
  // Parsing refuses these patterns first (query/pattern.ts); this is the backstop.
  if (/LIKE or GLOB pattern too complex/i.test(message)) {
    return new ApiError(
      400,
      'limit-exceeded',
      `A like or ilike pattern is longer than the demo warehouse runs (${sqliteDialect.maxLikePatternBytes} bytes). Shorten it.`,
      { limit: 'maxLikePatternBytes', maximum: sqliteDialect.maxLikePatternBytes },
    );
  }
  return new ApiError(
    502,
    'warehouse-error',
    'The warehouse could not run this query. Try again; if it keeps failing, narrow the query (fewer columns, a date range).',
  );
}
