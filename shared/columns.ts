import { PLANS, planIncludes, planRank, type Plan } from './plans.ts';
import type { ColumnNameOf, RecordColumn, ScalarColumn, ScalarType, Unit, ViewDef } from './types.ts';

/**
 * A column as clients see it: records flattened to dotted names (`agents.agent_id`), the
 * way BigQuery's `LEFT JOIN UNNEST` returns them.
 */
export interface LeafColumn<Name extends string = string> {
  readonly name: Name;
  readonly type: ScalarType;
  readonly description: string;
  readonly minPlan: Plan;
  /** What the number counts (`seconds`), when the definition says. */
  readonly unit?: Unit;
  /** Set on fields of a nested record: the record they are flattened from. */
  readonly record?: { readonly name: string; readonly mode: RecordColumn['mode'] };
}

/**
 * Every leaf column of a view in definition order, records flattened in place.
 * @example leafColumns(users).map((c) => c.name) // ['agents.agent_id', 'agents.logon_name', ..., 'uid', ...]
 */
export function leafColumns<V extends ViewDef>(view: V): readonly LeafColumn<ColumnNameOf<V>>[] {
  const leaves: LeafColumn[] = [];
  for (const column of view.columns) {
    if (column.type === 'RECORD') {
      const record = { name: column.name, mode: column.mode };
      for (const field of column.fields) {
        leaves.push({ ...leafOf(field), name: `${column.name}.${field.name}`, record });
      }
    } else {
      leaves.push(leafOf(column));
    }
  }
  // The names are built from the same definition ColumnNameOf reads; TypeScript cannot
  // follow the template-literal concatenation above.
  return leaves as readonly LeafColumn<ColumnNameOf<V>>[];
}

function leafOf(column: ScalarColumn): LeafColumn {
  return {
    name: column.name,
    type: column.type,
    description: column.description,
    minPlan: column.minPlan,
    ...(column.unit ? { unit: column.unit } : {}),
  };
}

/** The leaf columns a caller on `plan` may read, in definition order. */
export function readableColumns<V extends ViewDef>(view: V, plan: Plan): readonly LeafColumn<ColumnNameOf<V>>[] {
  return leafColumns(view).filter((column) => planIncludes(plan, column.minPlan));
}

/**
 * The lowest plan that can read the view: the lowest minPlan over its columns, because a
 * view is available as soon as one of its columns is readable.
 * @example viewMinPlan(dailyGroupBenchmarks) // 'professional'
 */
export function viewMinPlan(view: ViewDef): Plan {
  const ranks = leafColumns(view).map((column) => planRank(column.minPlan));
  if (ranks.length === 0) throw new Error(`view ${view.name} has no columns`);
  return PLANS[Math.min(...ranks)]!;
}

/** True when a caller on `plan` can read at least one column of the view. */
export function isViewAvailable(view: ViewDef, plan: Plan): boolean {
  return planIncludes(plan, viewMinPlan(view));
}
