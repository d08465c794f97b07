import type { Filter, Query } from './model.ts';

function filterKey(f: Filter): unknown[] {
  const base = [f.column.name, f.op, f.negated ? 1 : 0];
  switch (f.op) {
    case 'like':
    case 'ilike':
      return [...base, f.pattern];
    case 'in':
      return [...base, [...new Set(f.values.map((v) => JSON.stringify(v)))].sort()];
    default:
      return [...base, f.value];
  }
}

/**
 * The normal form of a query's meaning: parameter order, defaults and spelling
 * (`order=a` vs `order=a.asc`, `in.(b,a)` vs `in.(a,b)`) give the same string. Used for
 * cache keys and to bind a cursor to the query it came from. Excludes the position
 * (`after`) and the format, which are keyed separately.
 */
export function normalForm(query: Query): string {
  return JSON.stringify({
    v: query.view.name,
    p: query.plan,
    o: query.output.map((o) => o.name),
    f: query.filters
      .map(filterKey)
      .map((k) => JSON.stringify(k))
      .sort(),
    g: query.groupBy.map((c) => c.name),
    s: query.order.map((t) => `${t.item.name}.${t.direction}`),
  });
}
