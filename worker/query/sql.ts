import type { ScalarType, ViewDef } from '../../shared/types.ts';
import type { AggregateFn, Filter, LeafColumn, OutputItem, Query, TypedValue } from './model.ts';

export interface BoundParam {
  readonly value: TypedValue;
  readonly type: ScalarType;
}

/**
 * What differs between SQLite (D1) and BigQuery Standard SQL. Everything else about a
 * query (filters, keyset, grouping) is compiled once, in compileSelect.
 */
export interface Dialect {
  /** FROM clause for the view; `source` comes from the tenant's configuration, never the request. */
  from(view: ViewDef, source: string): string;
  /** Reference to a leaf column (a physical column in D1, `record.field` over UNNEST in BigQuery). */
  column(column: LeafColumn): string;
  /** Placeholder for the parameter at `index` (`?` or `@p3`). */
  placeholder(index: number, param: BoundParam): string;
  /** Wraps a selected expression so its value survives the trip exactly (INT64 as text...). */
  output(expr: string, type: ScalarType): string;
  aggregate(fn: AggregateFn, expr: string | null): string;
  /** Case-sensitive (like) and ASCII case-insensitive (ilike) pattern match, `%` and `_` wildcards. */
  like(expr: string, placeholder: string, caseInsensitive: boolean): string;
  /** Dialects differ in how LIKE is written for case-sensitivity; they may rewrite the pattern. */
  likePattern(pattern: string, caseInsensitive: boolean): string;
  /**
   * The longest pattern, in UTF-8 bytes as `likePattern` writes it, the warehouse runs; absent
   * when the warehouse documents no limit short of its query length. Checked at parse time.
   */
  readonly maxLikePatternBytes?: number;
  /**
   * `expr IN (values)` where a dialect must not spend one parameter per value (D1 allows 100
   * per query; an in-list may hold 500). Optional: the default binds each value.
   */
  inList?(expr: string, values: readonly TypedValue[], type: ScalarType, bind: (value: TypedValue, type: ScalarType) => string): string;
  /** A boolean constant as a BOOL value is stored (1/0 in SQLite, TRUE/FALSE in BigQuery). */
  bool(value: boolean): TypedValue;
  /**
   * The value a comparison filter (`eq`...`lte`) binds, where the warehouse stores a type in a
   * way that compares differently from the canonical value. Cursor positions are not passed
   * here: they come from the stored values themselves. Optional: the value as is.
   */
  comparisonValue?(value: TypedValue, type: ScalarType): TypedValue;
  /**
   * True where an order term that is also an output is read from that output instead of
   * being selected a second time (CompiledQuery.keyColumns says where). Optional: without it
   * every key column follows the outputs, the layout the BigQuery warehouse reads.
   */
  readonly keysFromOutputs?: boolean;
}

export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly BoundParam[];
  /** Aliases of the output columns, then of the hidden keyset columns (`k0`...). */
  readonly outputAliases: readonly string[];
  readonly keyAliases: readonly string[];
  /**
   * Where each order term's value is in a result row: an output's index when the term
   * selects the same expression as that output, else the index of its hidden key column.
   */
  readonly keyColumns: readonly number[];
}

/** Output alias for the i-th output item: plain and safe in both dialects. */
const outputAlias = (i: number) => `c${i}`;
const keyAlias = (i: number) => `k${i}`;

/**
 * Compiles the query model to one SELECT. Identifiers come only from the definitions;
 * every value is a bound parameter. `limit` rows are asked for (callers ask for one
 * more than a page to learn whether a next page exists).
 */
export function compileSelect(query: Query, dialect: Dialect, source: string, limit: number): CompiledQuery {
  const params: BoundParam[] = [];
  const bind = (value: TypedValue, type: ScalarType) => {
    params.push({ value, type });
    return dialect.placeholder(params.length - 1, { value, type });
  };
  const aggregated = query.groupBy.length > 0 || query.output.some((o) => o.kind === 'aggregate');

  // What rows are sorted and compared by; a NUMERIC column is compared as a number.
  const rawExpr = (item: OutputItem): string =>
    item.kind === 'column'
      ? comparable(dialect.column(item.column), item.type)
      : dialect.aggregate(item.fn, item.column ? comparable(dialect.column(item.column), item.column.type) : null);
  // What is returned: a column exactly as stored (NUMERIC text keeps its digits).
  const outputExpr = (item: OutputItem): string => (item.kind === 'column' ? dialect.column(item.column) : rawExpr(item));

  const select: string[] = [];
  // Where each selected expression first is, for order terms that are also outputs.
  const selected = new Map<string, number>();
  const outputAliases = query.output.map((item, i) => {
    const expr = dialect.output(outputExpr(item), item.type);
    if (!selected.has(expr)) selected.set(expr, i);
    select.push(`${expr} AS ${outputAlias(i)}`);
    return outputAlias(i);
  });
  // An order term that is one of the outputs (the row key columns of a whole-view export) is
  // read from that output where the dialect allows, rather than selected again: every
  // selected value is bytes the warehouse serialises and the client parses, per row.
  const keyAliases: string[] = [];
  const keyColumns = query.order.map((term) => {
    const expr = dialect.output(outputExpr(term.item), term.item.type);
    const reused = dialect.keysFromOutputs ? selected.get(expr) : undefined;
    if (reused !== undefined) return reused;
    keyAliases.push(keyAlias(keyAliases.length));
    select.push(`${expr} AS ${keyAliases.at(-1)!}`);
    return select.length - 1;
  });

  const where = query.filters.map((f) => compileFilter(f, dialect, bind));
  const having: string[] = [];
  if (query.after) {
    const keyset = compileKeyset(query, dialect, bind, rawExpr);
    const onAggregate = query.order.some((t) => t.item.kind === 'aggregate');
    (aggregated && onAggregate ? having : where).push(keyset);
  }

  let sql = `SELECT ${select.join(', ')} FROM ${dialect.from(query.view, source)}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (query.groupBy.length) sql += ` GROUP BY ${query.groupBy.map((c) => dialect.column(c)).join(', ')}`;
  if (having.length) sql += ` HAVING ${having.join(' AND ')}`;
  if (query.order.length) {
    sql += ` ORDER BY ${query.order
      .map((t) => `${rawExpr(t.item)} ${t.direction === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`)
      .join(', ')}`;
  }
  sql += ` LIMIT ${bind(String(limit), 'INT64')}`;
  if (query.after && query.afterTies) sql += ` OFFSET ${bind(String(query.afterTies), 'INT64')}`;
  return { sql, params, outputAliases, keyAliases, keyColumns };
}

type Bind = (value: TypedValue, type: ScalarType) => string;

/**
 * A column as it is compared and sorted. NUMERIC is exact decimal text in the demo warehouse
 * ('3.0'), where text comparison says '3.0' <> '3' and '10.5' < '9.0'; CAST(... AS NUMERIC)
 * compares it as a number there (a bound value then gets numeric affinity) and is a no-op in
 * BigQuery.
 */
function comparable(expr: string, type: ScalarType): string {
  return type === 'NUMERIC' ? `CAST(${expr} AS NUMERIC)` : expr;
}

function compileFilter(f: Filter, dialect: Dialect, bind: Bind): string {
  const col = comparable(dialect.column(f.column), f.column.type);
  const type = f.column.type;
  const value = (v: TypedValue) => bind(type === 'BOOL' ? dialect.bool(v === true) : (dialect.comparisonValue?.(v, type) ?? v), type);
  let expr: string;
  switch (f.op) {
    case 'eq':
      expr = `${col} = ${value(f.value)}`;
      break;
    case 'neq':
      expr = `${col} <> ${value(f.value)}`;
      break;
    case 'gt':
      expr = `${col} > ${value(f.value)}`;
      break;
    case 'gte':
      expr = `${col} >= ${value(f.value)}`;
      break;
    case 'lt':
      expr = `${col} < ${value(f.value)}`;
      break;
    case 'lte':
      expr = `${col} <= ${value(f.value)}`;
      break;
    case 'like':
    case 'ilike': {
      const ci = f.op === 'ilike';
      expr = dialect.like(col, bind(dialect.likePattern(f.pattern, ci), 'STRING'), ci);
      break;
    }
    case 'in':
      expr = dialect.inList
        ? dialect.inList(
            col,
            f.values.map((v) => (type === 'BOOL' ? dialect.bool(v === true) : v)),
            type,
            bind,
          )
        : `${col} IN (${f.values.map(value).join(', ')})`;
      break;
    case 'is':
      expr = f.value === null ? `${col} IS NULL` : `${col} = ${value(f.value)}`;
      if (f.value !== null) expr = `(${col} IS NOT NULL AND ${expr})`;
      break;
  }
  return f.negated ? `NOT (${expr})` : `(${expr})`;
}

/**
 * Rows strictly after the cursor position in the query's total order, with NULLs sorting
 * first ascending and last descending (the ORDER BY above says the same), so pages neither
 * skip nor repeat rows and stay stable while rows are appended. Where rows can tie on the
 * whole order (afterTies), rows at the position itself are kept too, and the OFFSET that
 * compileSelect adds skips the ones already returned.
 */
function compileKeyset(query: Query, dialect: Dialect, bind: Bind, rawExpr: (item: OutputItem) => string): string {
  const after = query.after!;
  // Each position value is bound once and referenced wherever it appears: numbered
  // placeholders keep a ten-term order at ten parameters (D1 allows 100 per query).
  const placeholders = new Map<number, string>();
  const param = (i: number) => {
    let ph = placeholders.get(i);
    if (ph === undefined) {
      ph = keyParam(query.order[i]!.item, after[i]!, dialect, bind);
      placeholders.set(i, ph);
    }
    return ph;
  };
  const alternatives: string[] = [];
  for (let i = 0; i < query.order.length; i++) {
    const term = query.order[i]!;
    const v = after[i] ?? null;
    // Nothing sorts after NULL when descending. Checked before the equality prefix is built,
    // whose bound values would otherwise outnumber the placeholders left in the SQL.
    if (term.direction === 'desc' && v === null) continue;
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      const prior = query.order[j]!;
      const pv = after[j] ?? null;
      parts.push(pv === null ? `${rawExpr(prior.item)} IS NULL` : `${rawExpr(prior.item)} = ${param(j)}`);
    }
    const expr = rawExpr(term.item);
    if (v === null) {
      parts.push(`${expr} IS NOT NULL`);
    } else if (term.direction === 'asc') {
      parts.push(`${expr} > ${param(i)}`);
    } else {
      parts.push(`(${expr} < ${param(i)} OR ${expr} IS NULL)`);
    }
    alternatives.push(`(${parts.join(' AND ')})`);
  }
  if (query.afterTies) {
    const equal = query.order.map((term, j) =>
      after[j] === null ? `${rawExpr(term.item)} IS NULL` : `${rawExpr(term.item)} = ${param(j)}`,
    );
    alternatives.push(`(${equal.join(' AND ')})`);
  }
  if (alternatives.length === 0) return '(1 = 0)';
  const keyset = `(${alternatives.join(' OR ')})`;
  // Every alternative implies `first >= v` when the first term ascends from a value. Said
  // outright, it lets SQLite seek the order's index to the position instead of scanning it
  // from the start for every chunk of an export (quadratic in the view's size).
  const first = query.order[0]!;
  if (query.order.length > 1 && first.direction === 'asc' && after[0] !== null && after[0] !== undefined) {
    return `(${rawExpr(first.item)} >= ${param(0)} AND ${keyset})`;
  }
  return keyset;
}

function keyParam(item: OutputItem, value: TypedValue, dialect: Dialect, bind: Bind): string {
  if (item.type === 'BOOL') return bind(dialect.bool(value === true), 'BOOL');
  // Aggregates have no column affinity in SQLite, so numbers must be bound as numbers.
  if (item.kind === 'aggregate' && (item.type === 'INT64' || item.type === 'NUMERIC' || item.type === 'FLOAT64')) {
    return bind(typeof value === 'number' ? value : Number(value), 'FLOAT64');
  }
  return bind(value, item.type);
}
