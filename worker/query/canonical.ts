import type { Filter, OutputItem, Query, TypedValue } from './model.ts';

function valueText(value: TypedValue): string {
  return typeof value === 'string' ? value : String(value);
}

function listItem(value: TypedValue): string {
  const text = valueText(value);
  // Quoted when a bare item would read differently: empty (`in.()` is an empty list), or with a separator.
  return text === '' || /[",()\\\s]/.test(text) ? `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : text;
}

function filterText(f: Filter): string {
  const not = f.negated ? 'not.' : '';
  switch (f.op) {
    case 'like':
    case 'ilike':
      return `${not}${f.op}.${f.pattern}`;
    case 'in':
      return `${not}in.(${f.values.map(listItem).join(',')})`;
    case 'is':
      return `${not}is.${f.value === null ? 'null' : String(f.value)}`;
    default:
      return `${not}${f.op}.${valueText(f.value)}`;
  }
}

function selectText(item: OutputItem): string {
  if (item.kind === 'column') return item.name;
  return `${item.fn}(${item.column ? item.column.name : ''})`;
}

/**
 * The query as a canonical query string: how next links are written, so two spellings of
 * one query produce the same links (and so the same cached bytes).
 */
export function canonicalParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  params.set('select', query.output.map(selectText).join(','));
  const filters = query.filters.map((f) => [f.column.name, filterText(f)] as const);
  filters.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  for (const [name, text] of filters) params.append(name, text);
  if (query.groupBy.length) params.set('group_by', query.groupBy.map((c) => c.name).join(','));
  params.set('order', query.order.map((t) => `${t.item.kind === 'aggregate' ? t.item.name : t.item.name}.${t.direction}`).join(','));
  if (!query.limitDefaulted) params.set('limit', String(query.limit));
  params.set('format', query.format);
  return params;
}
