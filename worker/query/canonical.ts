import { readableColumns } from '../../shared/columns.ts';
import type { Filter, OrderTerm, OutputItem, Query, TypedValue } from './model.ts';

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

const isAggregated = (query: Query) => query.groupBy.length > 0 || query.output.some((o) => o.kind === 'aggregate');

/**
 * True when the output is what parseQuery chooses with no `select`: every readable column in
 * definition order, or the group_by columns and count(). Such a select is left out of links.
 */
function isDefaultOutput(query: Query): boolean {
  const names = query.output.map(selectText);
  const expected = isAggregated(query)
    ? query.groupBy.length > 0
      ? [...query.groupBy.map((c) => c.name), 'count()']
      : null
    : readableColumns(query.view, query.plan).map((c) => c.name);
  return expected !== null && expected.length === names.length && expected.every((n, i) => n === names[i]);
}

/**
 * The order terms a link must carry: the trailing tie-breakers parseQuery appends by itself
 * (the row key, or the group_by columns, ascending) are left out. Written out, a caller's
 * LIMITS.maxOrderTerms terms plus the row key would exceed the limit and the next link would
 * be refused.
 */
function givenOrder(query: Query): readonly OrderTerm[] {
  const tieBreakers = isAggregated(query) ? query.groupBy.map((c) => c.name) : query.view.rowKey;
  for (let k = 0; k <= query.order.length; k++) {
    const given = query.order.slice(0, k);
    const added = tieBreakers.filter((name) => !given.some((t) => t.item.kind === 'column' && t.item.name === name));
    const rest = query.order.slice(k);
    if (rest.length === added.length && rest.every((t, i) => t.item.kind === 'column' && t.item.name === added[i] && t.direction === 'asc'))
      return given;
  }
  return query.order;
}

/**
 * The query as a canonical query string: how next links are written, so two spellings of
 * one query produce the same links (and so the same cached bytes). What parseQuery would fill
 * in by itself (the default select, the tie-breaking order) is left out, so a link is never
 * longer than it must be: a URL the API accepted must not yield a next link it refuses.
 */
export function canonicalParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  if (!isDefaultOutput(query)) params.set('select', query.output.map(selectText).join(','));
  const filters = query.filters.map((f) => [f.column.name, filterText(f)] as const);
  filters.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  for (const [name, text] of filters) params.append(name, text);
  if (query.groupBy.length) params.set('group_by', query.groupBy.map((c) => c.name).join(','));
  const order = givenOrder(query);
  if (order.length) params.set('order', order.map((t) => `${t.item.name}.${t.direction}`).join(','));
  if (!query.limitDefaulted) params.set('limit', String(query.limit));
  params.set('format', query.format);
  // Written only when asked for, so a link without the option is the link it always was.
  if (query.dates !== 'iso') params.set('dates', query.dates);
  return params;
}
