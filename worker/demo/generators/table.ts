/**
 * How a view's demo rows are described: a value function per leaf column, keyed and typed
 * by the view definition (RowOf), so a renamed, added or retyped column is a compile error
 * here rather than a silently missing value. The column list and order come from the
 * definition; this file never lists columns itself.
 */
import { leafColumns } from '../../../shared/columns.ts';
import type { ColumnNameOf, RowOf, ViewDef } from '../../../shared/types.ts';
import { encoderFor, type JsonValue, type StoredValue } from '../schema.ts';
import type { World } from './world.ts';

/** One function per leaf column, returning the value as a client would receive it. */
export type ColumnValues<V extends ViewDef, C> = {
  readonly [K in ColumnNameOf<V>]-?: (ctx: C) => RowOf<V>[K];
};

/**
 * A view's demo rows, already in storage encoding (see schema.ts), as arrays in `columns`
 * order. `rows` can be iterated more than once; each pass regenerates the same rows, so
 * no table is ever held in memory.
 */
export interface DemoTable {
  readonly view: ViewDef;
  readonly columns: readonly string[];
  readonly rows: Iterable<StoredValue[]>;
}

export type TableFactory = (world: World) => DemoTable;

/**
 * Binds a view's value functions to the contexts, one per row, that `contexts` yields.
 * The row type is inferred from `contexts` only (NoInfer), so a value function that names
 * its parameter type cannot pull the inference elsewhere.
 * @example
 * viewTable(consumers, (world: World): ConsumerRow[] => ..., { row_id: (r) => r.rowId, email: (r) => r.consumer.email, ... })
 */
export function viewTable<V extends ViewDef, C>(
  view: V,
  contexts: (world: World) => Iterable<C>,
  values: ColumnValues<V, NoInfer<C>>,
): TableFactory {
  const leaves = leafColumns(view);
  const known = new Set<string>(leaves.map((l) => l.name));
  const extra = Object.keys(values).filter((k) => !known.has(k));
  if (extra.length > 0) throw new Error(`demo ${view.name}: values for unknown columns ${extra.join(', ')}`);
  const fns = leaves.map((leaf) => {
    const fn = (values as Record<string, ((ctx: C) => JsonValue) | undefined>)[leaf.name];
    if (typeof fn !== 'function') throw new Error(`demo ${view.name}: no value for column ${leaf.name}`);
    const encode = encoderFor(leaf.type);
    return encode ? (ctx: C) => encode(fn(ctx)) : (fn as (ctx: C) => StoredValue);
  });
  const columns = leaves.map((l) => l.name);
  return (world) => ({
    view,
    columns,
    rows: {
      *[Symbol.iterator]() {
        for (const ctx of contexts(world)) {
          const row = new Array<StoredValue>(fns.length);
          for (let i = 0; i < fns.length; i++) row[i] = fns[i]!(ctx);
          yield row;
        }
      },
    },
  });
}
