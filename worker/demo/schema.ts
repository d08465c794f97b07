/**
 * The demo warehouse's physical layout, derived from the view definitions at run time so
 * it can never drift from them: one table per (dataset, view), like BigQuery's one dataset
 * per account; one column per leaf column, named exactly as the leaf (dotted for record
 * fields); REPEATED records flattened to one table row per element.
 */
import { leafColumns } from '../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../shared/types.ts';
import { tableName } from '../warehouse/d1/tables.ts';

export type SqliteType = 'INTEGER' | 'REAL' | 'TEXT';

const SQLITE_TYPES: Record<ScalarType, SqliteType> = {
  INT64: 'INTEGER',
  BOOL: 'INTEGER', // 0/1
  FLOAT64: 'REAL',
  // TEXT keeps NUMERIC exact ('2.25'); REAL would round it.
  NUMERIC: 'TEXT',
  STRING: 'TEXT',
  // ISO text sorts chronologically, and SQLite's date functions read it.
  DATE: 'TEXT',
  DATETIME: 'TEXT',
  TIMESTAMP: 'TEXT',
  TIME: 'TEXT',
};

/** The SQLite column type that stores a BigQuery type (values encoded by `encoderFor`). */
export function sqliteTypeOf(type: ScalarType): SqliteType {
  return SQLITE_TYPES[type];
}

/** Double-quotes an identifier; names come from the definitions, never from requests. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * CREATE TABLE and its indexes: one on the row key, which paging reads by, UNIQUE where the
 * view promises a unique key (so the promise is enforced, not assumed); and one each on the
 * date and change columns, which every range filter, incremental refresh and trigger poll
 * reads by.
 *
 * STRICT makes SQLite reject a value in the wrong storage class (a JS string in an
 * INTEGER column, say), so an encoding mistake fails at load time instead of sorting
 * wrongly later.
 */
export function createTableStatements(dataset: string, view: ViewDef): string[] {
  const table = tableName(dataset, view.name);
  const leaves = leafColumns(view);
  const names = new Set(leaves.map((c) => c.name));
  for (const key of [...view.rowKey, view.dateColumn, view.changeColumn]) {
    if (key !== null && !names.has(key)) {
      throw new Error(`view ${view.name}: key column '${key}' is not one of its columns`);
    }
  }
  const columnsSql = leaves.map((c) => `${quoteIdent(c.name)} ${sqliteTypeOf(c.type)}`).join(', ');
  const statements = [`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${columnsSql}) STRICT`];
  if (view.rowKey.length > 0) {
    statements.push(
      `CREATE ${view.rowKeyUnique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(`${table}__key`)} ON ${quoteIdent(table)} (${view.rowKey.map(quoteIdent).join(', ')})`,
    );
  }
  const indexed = new Set<string>();
  for (const [suffix, column] of [
    ['date', view.dateColumn],
    ['change', view.changeColumn],
  ] as const) {
    if (column === null || indexed.has(column)) continue;
    indexed.add(column);
    statements.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}__${suffix}`)} ON ${quoteIdent(table)} (${quoteIdent(column)})`);
  }
  return statements;
}

/** Dropping the table drops its indexes with it. */
export function dropTableStatements(dataset: string, view: ViewDef): string[] {
  return [`DROP TABLE IF EXISTS ${quoteIdent(tableName(dataset, view.name))}`];
}

/** A value as a client receives it (JsonTypeOf), before storage encoding. */
export type JsonValue = string | number | boolean | null;
/** A value as the demo warehouse stores it. */
export type StoredValue = string | number | null;

/**
 * Converts a client-facing value to its storage encoding: BOOL to 0/1, NUMERIC to an exact
 * decimal string ('6.0', '2.25'); everything else is already stored as it is served.
 * Returns null for types that need no conversion, so callers can skip the call per cell.
 */
export function encoderFor(type: ScalarType): ((value: JsonValue) => StoredValue) | null {
  if (type === 'BOOL') return (v) => (v === null ? null : v ? 1 : 0);
  if (type === 'NUMERIC') return (v) => (v === null ? null : typeof v === 'number' ? numericText(v) : String(v));
  return null;
}

/**
 * NUMERIC as text, keeping one decimal for whole numbers so it reads as a decimal ('6.0').
 * Only for values with a short exact decimal form, which is all the demo produces.
 */
function numericText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`NUMERIC cannot hold ${value}`);
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
