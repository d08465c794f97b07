import type { Plan } from './plans.ts';

/**
 * BigQuery Standard SQL types used by ActivConnect, in their canonical spelling
 * (the dictionary also writes INTEGER, BOOLEAN, Boolean; see dictionary-repairs.ts).
 */
export const SCALAR_TYPES = ['INT64', 'NUMERIC', 'FLOAT64', 'STRING', 'BOOL', 'DATE', 'DATETIME', 'TIMESTAMP', 'TIME'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** What a number counts, where its name alone would be a guess: `seconds` marks a duration. */
export type Unit = 'seconds';
type NumberType = 'INT64' | 'NUMERIC' | 'FLOAT64';

interface ColumnBase {
  readonly name: string;
  readonly description: string;
  /** The lowest plan the dictionary lists for this column. */
  readonly minPlan: Plan;
}

/** Only a number has a unit; the dictionary's "...in seconds" descriptions say which. */
export type ScalarColumn =
  | (ColumnBase & { readonly type: NumberType; readonly unit?: Unit })
  | (ColumnBase & { readonly type: Exclude<ScalarType, NumberType>; readonly unit?: never });

/**
 * A nested record (`users.agents`, `user_work_schedules.work_schedule`). Its fields are
 * the columns; the API flattens them to dotted names such as `agents.agent_id`.
 */
export interface RecordColumn {
  readonly name: string;
  readonly type: 'RECORD';
  /** REPEATED: one output row per element (BigQuery's LEFT JOIN UNNEST). */
  readonly mode: 'REPEATED' | 'NULLABLE';
  readonly description: string;
  readonly fields: readonly ScalarColumn[];
}

type ColumnDef = ScalarColumn | RecordColumn;

/**
 * How fresh a view's data is expected to be; cache lifetimes derive from it.
 * `maxAgeSeconds`: serve from cache without asking the warehouse.
 * `staleSeconds`: after that, still serve (marked STALE) while revalidating or when the
 * warehouse fails.
 */
export interface Freshness {
  readonly kind: 'daily' | 'streaming' | 'reference';
  readonly maxAgeSeconds: number;
  readonly staleSeconds: number;
  readonly why: string;
}

export interface ViewDef {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnDef[];
  /** Leaf (dotted) column names that together identify a row. */
  readonly rowKey: readonly string[];
  /**
   * False where two rows can share their key. Paging then counts the rows already returned
   * at the last key instead of skipping past it, which is only sound when such rows are alike
   * in every column, so the key must then be every column (a named check holds it to that).
   */
  readonly rowKeyUnique: boolean;
  /** The DATE/DATETIME/TIMESTAMP column `from`/`to` filter on, or null. */
  readonly dateColumn: string | null;
  /** The column that moves forward as data arrives (incremental refresh, triggers), or null. */
  readonly changeColumn: string | null;
  readonly freshness: Freshness;
  /** Why rowKey/dateColumn/changeColumn are what they are, where the dictionary is silent. */
  readonly decisions: { readonly rowKey: string; readonly dateColumn: string; readonly changeColumn: string };
}

/**
 * Returns its argument unchanged but keeps every literal type, so row types can be
 * derived from the definition (see RowOf).
 */
export function defineView<const V extends ViewDef>(view: V): V {
  return view;
}

/** The JSON type a client receives for a BigQuery type. */
interface JsonTypeOf {
  INT64: number;
  NUMERIC: number;
  FLOAT64: number;
  STRING: string;
  BOOL: boolean;
  DATE: string;
  DATETIME: string;
  TIMESTAMP: string;
  TIME: string;
}

type LeafEntries<C> = C extends { type: 'RECORD'; name: infer R extends string; fields: readonly (infer F)[] }
  ? F extends { name: infer N extends string; type: infer T extends ScalarType }
    ? [`${R}.${N}`, T]
    : never
  : C extends { name: infer N extends string; type: infer T extends ScalarType }
    ? [N, T]
    : never;

/** The flattened row a client receives for a view: every leaf column, nullable. */
export type RowOf<V extends ViewDef> = {
  -readonly [E in LeafEntries<V['columns'][number]> as E[0]]: JsonTypeOf[E[1]] | null;
};

/** Leaf (dotted) column names of a view, as a union of literals. */
export type ColumnNameOf<V extends ViewDef> = keyof RowOf<V> & string;
