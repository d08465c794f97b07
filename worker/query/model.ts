import type { Plan } from '../../shared/plans.ts';
import type { ScalarType, ViewDef } from '../../shared/types.ts';

/** A column as the query layer sees it: a leaf of the view, dotted for nested fields. */
export type { LeafColumn } from '../../shared/columns.ts';
import type { LeafColumn } from '../../shared/columns.ts';

/**
 * A value typed by its column, in the canonical text form both warehouses bind:
 * INT64 and NUMERIC as exact decimal strings, FLOAT64 as number, BOOL as boolean,
 * DATE 'YYYY-MM-DD', DATETIME 'YYYY-MM-DDTHH:MM:SS', TIMESTAMP 'YYYY-MM-DDTHH:MM:SSZ',
 * TIME 'HH:MM:SS' (the last three with '.f' up to microseconds when the fraction is not zero),
 * STRING as is.
 */
export type TypedValue = string | number | boolean;

/** The operators are the shared vocabulary's (shared/query-vocabulary.ts). */
export type { FilterOp } from '../../shared/query-vocabulary.ts';
import type { DateForm, FilterOp } from '../../shared/query-vocabulary.ts';
type ComparisonOp = Exclude<FilterOp, 'like' | 'ilike' | 'in' | 'is'>;

export type Filter =
  | { readonly column: LeafColumn; readonly op: ComparisonOp; readonly negated: boolean; readonly value: TypedValue }
  | { readonly column: LeafColumn; readonly op: 'like' | 'ilike'; readonly negated: boolean; readonly pattern: string }
  | { readonly column: LeafColumn; readonly op: 'in'; readonly negated: boolean; readonly values: readonly TypedValue[] }
  | { readonly column: LeafColumn; readonly op: 'is'; readonly negated: boolean; readonly value: null | boolean };

export const AGGREGATES = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

export type OutputItem =
  | { readonly kind: 'column'; readonly name: string; readonly type: ScalarType; readonly column: LeafColumn }
  | {
      readonly kind: 'aggregate';
      readonly name: string;
      readonly type: ScalarType;
      readonly fn: AggregateFn;
      readonly column: LeafColumn | null;
    };

export interface OrderTerm {
  readonly item: OutputItem;
  readonly direction: 'asc' | 'desc';
}

export const FORMATS = ['json', 'csv', 'ndjson', 'values'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * The one query model: what a request asks for, validated and typed. Both warehouses
 * compile it; the cache keys on its normal form; nothing from the request reaches SQL
 * except through it.
 */
export interface Query {
  readonly view: ViewDef;
  readonly plan: Plan;
  /** What the caller receives, in order. */
  readonly output: readonly OutputItem[];
  readonly filters: readonly Filter[];
  readonly groupBy: readonly LeafColumn[];
  /** Total order: the caller's terms, then tie-breakers that make rows unique. */
  readonly order: readonly OrderTerm[];
  readonly limit: number;
  /** True when the caller did not give a limit (streamed formats then export all rows). */
  readonly limitDefaulted: boolean;
  /** Keyset position: the order values of the last row already returned. */
  readonly after: readonly (TypedValue | null)[] | null;
  /**
   * For a query whose rows can tie on every order value (see rowsCanTie): how many rows at
   * exactly `after` were already returned. Paging then starts at `after` and skips that many,
   * instead of starting past it. Absent or 0 otherwise.
   */
  readonly afterTies?: number;
  readonly format: Format;
  /** How DATE, DATETIME and TIMESTAMP cells are written: `serial` only with format=values. */
  readonly dates: DateForm;
}

/** The output column descriptor every format and both warehouses agree on. */
export interface OutputColumn {
  readonly name: string;
  readonly type: ScalarType;
}

/**
 * True when two rows of the result can have the same values in every order term: a plain
 * (ungrouped) read of a view whose row key is not unique. Grouped results are unique by
 * their group columns, which are always in the order.
 */
export function rowsCanTie(query: Query): boolean {
  return !query.view.rowKeyUnique && query.groupBy.length === 0 && !query.output.some((o) => o.kind === 'aggregate');
}
