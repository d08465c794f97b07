/**
 * How the stand-in stores a view that has a REPEATED record: as BigQuery holds it, one row
 * per parent with the record's elements in one column, not the demo warehouse's one row per
 * element. "A RECORD column can have REPEATED mode, which is represented as an array of
 * STRUCT types" (https://cloud.google.com/bigquery/docs/nested-repeated); in SQLite the
 * array is a JSON array of objects keyed by field name, `[{"agent_id":7,"user_name":"ada"}]`,
 * which `json_each` and `json_extract` read back (see translate.ts).
 *
 * Which views and columns are nested comes from the definitions in shared/views, never from
 * a list here. A view without a REPEATED record is stored exactly as the demo table, which
 * is already BigQuery's layout for it, so the stand-in reads that table.
 *
 * The rows come from the demo generator (or a test's hand-made rows), which writes flat
 * rows; `nestRows` folds them back, documented on the function.
 */
import type { RecordColumn, ViewDef } from '../../../shared/types.ts';
import { quoteIdent, sqliteTypeOf, type StoredValue } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';

/** The view's REPEATED records, in definition order. */
export function repeatedRecords(view: ViewDef): readonly RecordColumn[] {
  return view.columns.filter((c): c is RecordColumn => c.type === 'RECORD' && c.mode === 'REPEATED');
}

/** True when the stand-in holds the view nested rather than in the demo's flat table. */
export const isNested = (view: ViewDef): boolean => repeatedRecords(view).length > 0;

/**
 * The SQLite table the stand-in reads for `dataset.view`. A nested view gets its own table
 * beside the flat demo one, so both warehouses can share one database in tests.
 * @example standInTable('acme', VIEWS.users) // 'acme__users__nested'
 */
export function standInTable(dataset: string, view: ViewDef): string {
  const flat = tableName(dataset, view.name);
  return isNested(view) ? `${flat}__nested` : flat;
}

/**
 * The nested table's columns in definition order: a scalar column as itself, a REPEATED
 * record as one JSON column named for the record, a NULLABLE record as its dotted fields
 * (as the demo stores them; the translation reaches them the same way).
 */
export function nestedColumns(view: ViewDef): { readonly name: string; readonly sqlite: string }[] {
  return view.columns.flatMap((c) => {
    if (c.type !== 'RECORD') return [{ name: c.name, sqlite: sqliteTypeOf(c.type) }];
    if (c.mode === 'REPEATED') return [{ name: c.name, sqlite: 'TEXT' }];
    return c.fields.map((f) => ({ name: `${c.name}.${f.name}`, sqlite: sqliteTypeOf(f.type) }));
  });
}

/** DROP and CREATE of a nested view's table (STRICT, as the demo tables are). */
export function nestedTableStatements(dataset: string, view: ViewDef): string[] {
  const table = quoteIdent(standInTable(dataset, view));
  const columns = nestedColumns(view)
    .map((c) => `${quoteIdent(c.name)} ${c.sqlite}`)
    .join(', ');
  return [`DROP TABLE IF EXISTS ${table}`, `CREATE TABLE ${table} (${columns}) STRICT`];
}

/** An INSERT of one nested row, `?` per column in nestedColumns order. */
export function nestedInsert(dataset: string, view: ViewDef): string {
  const columns = nestedColumns(view);
  return `INSERT INTO ${quoteIdent(standInTable(dataset, view))} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/** One stored value as JSON; INT64 text stays digit for digit (beyond 2^53 too). */
function jsonValue(value: StoredValue | undefined, int64: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (int64 && /^-?\d+$/.test(String(value))) return String(value);
  return JSON.stringify(value);
}

/**
 * Folds flat rows (the demo layout: `columns` are leaf names, one row per element) into
 * nested rows in `nestedColumns(view)` order:
 * - rows are grouped on the parent key, the view's rowKey without the record's fields
 *   (`uid` for users), in first-seen order; every other parent column must agree within a
 *   group, or the flat rows do not describe one parent and this throws;
 * - each row of a group gives one element, in row order, unless all its fields are NULL:
 *   that is how the flat layout writes a parent without elements (what LEFT JOIN UNNEST
 *   yields for it), so such a parent gets the empty array `[]`.
 * Only one REPEATED record per view can be folded: flat rows of two would be their cross
 * product, which does not say which elements belong together.
 */
export function nestRows(view: ViewDef, columns: readonly string[], rows: Iterable<readonly StoredValue[]>): StoredValue[][] {
  const records = repeatedRecords(view);
  if (records.length !== 1) throw new Error(`view ${view.name}: nestRows folds exactly one REPEATED record, not ${records.length}`);
  const record = records[0]!;
  const inRecord = (name: string) => name.startsWith(`${record.name}.`);
  const key = view.rowKey.filter((k) => !inRecord(k));
  if (key.length === 0) throw new Error(`view ${view.name}: its row key has no parent column to group ${record.name} by`);
  const index = new Map(columns.map((c, i) => [c, i] as const));
  const at = (name: string) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`view ${view.name}: flat rows lack column ${name}`);
    return i;
  };
  const layout = nestedColumns(view);
  const parentColumns = layout.filter((c) => c.name !== record.name).map((c) => ({ name: c.name, i: at(c.name) }));
  const fields = record.fields.map((f) => ({ name: f.name, int64: f.type === 'INT64', i: at(`${record.name}.${f.name}`) }));
  const groups = new Map<string, { parent: StoredValue[]; elements: string[] }>();
  for (const row of rows) {
    const id = JSON.stringify(key.map((k) => row[at(k)] ?? null));
    const parent = parentColumns.map((c) => row[c.i] ?? null);
    let group = groups.get(id);
    if (!group) {
      group = { parent, elements: [] };
      groups.set(id, group);
    } else {
      parentColumns.forEach((c, n) => {
        if (group!.parent[n] !== parent[n]) {
          throw new Error(`view ${view.name}: flat rows of parent ${id} disagree on ${c.name}`);
        }
      });
    }
    if (fields.every((f) => row[f.i] === null || row[f.i] === undefined)) continue;
    group.elements.push(`{${fields.map((f) => `${JSON.stringify(f.name)}:${jsonValue(row[f.i], f.int64)}`).join(',')}}`);
  }
  return [...groups.values()].map(({ parent, elements }) => {
    const out: StoredValue[] = [];
    let p = 0;
    for (const c of layout) out.push(c.name === record.name ? `[${elements.join(',')}]` : (parent[p++] ?? null));
    return out;
  });
}
