import { leafColumns } from '../../shared/columns.ts';
import { planDisplayName, planIncludes, type Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { ApiError } from '../http/errors.ts';
import { DATE_FORMS, FILTER_OPS, LIMITS, NEGATION, RESERVED_PARAMS, type DateForm } from '../../shared/query-vocabulary.ts';
import { limitParam } from './limit-param.ts';
import {
  AGGREGATES,
  FORMATS,
  type AggregateFn,
  type Filter,
  type Format,
  type LeafColumn,
  type OrderTerm,
  type OutputItem,
  type Query,
  type TypedValue,
} from './model.ts';
import { checkLikePattern } from './pattern.ts';
import { didYouMean, nearestNames } from './suggest.ts';
import { NUMERIC_TYPES, nextDay, parseValue } from './values.ts';

const RESERVED: ReadonlySet<string> = new Set(RESERVED_PARAMS);

export interface ParseContext {
  readonly view: ViewDef;
  readonly plan: Plan;
  /** Format implied by a `.csv` suffix or the Accept header, used when `format=` is absent. */
  readonly impliedFormat?: Format;
}

export interface ParsedRequest {
  readonly query: Query;
  /** The opaque cursor as given; decoded and checked against the query by cursor.ts. */
  readonly cursor: string | null;
  readonly dryRun: boolean;
}

/** The last day DATE, DATETIME and TIMESTAMP can hold. */
const LAST_DAY = '9999-12-31';

const invalid = (detail: string, extra: Record<string, unknown> = {}) => new ApiError(400, 'invalid-parameter', detail, extra);

/** Resolves a column name for this caller: unknown is 400 with suggestions, above plan is 403. */
function resolveColumn(view: ViewDef, plan: Plan, name: string, columns = leafColumns(view)): LeafColumn {
  const column = columns.find((c) => c.name === name);
  if (!column) {
    const readable = columns.filter((c) => planIncludes(plan, c.minPlan)).map((c) => c.name);
    // A nested record is read through its fields (`agents` → `agents.agent_id`).
    const fields = readable.filter((c) => c.startsWith(`${name}.`));
    const suggestions = fields.length ? fields.slice(0, 5) : nearestNames(name, readable);
    const hint = fields.length
      ? ` '${truncate(name)}' is a nested record: name its fields, such as ${suggestions.map((f) => `'${f}'`).join(', ')}.`
      : didYouMean(suggestions);
    throw new ApiError(400, 'unknown-column', `Unknown column '${truncate(name)}' in ${view.name}.${hint}`, {
      view: view.name,
      column: truncate(name),
      suggestions,
    });
  }
  if (!planIncludes(plan, column.minPlan)) {
    throw new ApiError(
      403,
      'plan-required',
      `Column '${column.name}' in ${view.name} needs the ${planDisplayName(column.minPlan)} plan; your key is on ${planDisplayName(plan)}.`,
      { view: view.name, column: column.name, required_plan: column.minPlan, your_plan: plan },
    );
  }
  return column;
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Splits a PostgREST `in.(a,b,"c,d")` list: double quotes protect commas, backslash escapes.
 */
function splitInList(raw: string): string[] | null {
  if (!raw.startsWith('(') || !raw.endsWith(')')) return null;
  const body = raw.slice(1, -1);
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      current += body[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (ch === ',' && !quoted) {
      out.push(wasQuoted ? current : current.trim());
      current = '';
      wasQuoted = false;
    } else {
      current += ch;
    }
  }
  if (quoted) return null;
  if (body.length > 0) out.push(wasQuoted ? current : current.trim());
  return out;
}

function typed(column: LeafColumn, raw: string, view: ViewDef): TypedValue {
  if (raw.length > LIMITS.maxValueLength) {
    throw new ApiError(400, 'limit-exceeded', `The value for '${column.name}' is longer than ${LIMITS.maxValueLength} characters.`, {
      limit: 'maxValueLength',
    });
  }
  const parsed = parseValue(column.type, raw);
  if (!parsed.ok) {
    throw invalid(
      `'${truncate(raw)}' is not a valid value for ${column.name} (${column.type}) in ${view.name}: expected ${parsed.expected}.`,
      { column: column.name, value: truncate(raw), expected: parsed.expected },
    );
  }
  return parsed.value;
}

function parseFilter(view: ViewDef, column: LeafColumn, raw: string): Filter {
  let rest = raw;
  let negated = false;
  if (rest.startsWith(NEGATION)) {
    negated = true;
    rest = rest.slice(NEGATION.length);
  }
  const dot = rest.indexOf('.');
  const opName = dot === -1 ? rest : rest.slice(0, dot);
  const operand = dot === -1 ? '' : rest.slice(dot + 1);
  const op = FILTER_OPS.find((o) => o === opName);
  if (!op || dot === -1) {
    throw invalid(
      `Filter '${column.name}=${truncate(raw)}' needs an operator, like ${column.name}=eq.value. Operators: ${FILTER_OPS.join(', ')}, with ${NEGATION} in front to negate.`,
      { column: column.name },
    );
  }
  switch (op) {
    case 'is': {
      const v = operand.toLowerCase();
      if (v === 'null') return { column, op, negated, value: null };
      if ((v === 'true' || v === 'false') && column.type === 'BOOL') return { column, op, negated, value: v === 'true' };
      throw invalid(`'is' takes null${column.type === 'BOOL' ? ', true or false' : ''}: ${column.name}=is.null.`, { column: column.name });
    }
    case 'in': {
      const items = splitInList(operand);
      if (!items)
        throw invalid(`Write a list as ${column.name}=in.(a,b,c); quote values that contain commas: in.("a,b",c).`, {
          column: column.name,
        });
      if (items.length === 0) throw invalid(`The list for ${column.name}=in.() is empty.`, { column: column.name });
      if (items.length > LIMITS.maxInValues) {
        throw new ApiError(
          400,
          'limit-exceeded',
          `An in.() list takes at most ${LIMITS.maxInValues} values; ${column.name} has ${items.length}.`,
          {
            limit: 'maxInValues',
          },
        );
      }
      return { column, op, negated, values: items.map((item) => typed(column, item, view)) };
    }
    case 'like':
    case 'ilike': {
      if (column.type !== 'STRING')
        throw invalid(`'${op}' works on text columns; ${column.name} is ${column.type}.`, { column: column.name });
      if (operand.length > LIMITS.maxValueLength) {
        throw new ApiError(400, 'limit-exceeded', `The pattern for '${column.name}' is longer than ${LIMITS.maxValueLength} characters.`, {
          limit: 'maxValueLength',
        });
      }
      // PostgREST spells the wildcard `*` because `%` must be escaped in URLs.
      const pattern = operand.replaceAll('*', '%');
      checkLikePattern(column, op, pattern);
      return { column, op, negated, pattern };
    }
    default:
      return { column, op, negated, value: typed(column, operand, view) };
  }
}

// `s`: a line terminator inside the parentheses (`sum(a%0Ab)`) is part of the argument, which
// then fails as an unknown column, rather than making the term look like no aggregate at all.
const AGGREGATE_RE = /^([a-z]+)\((.*)\)$/is;

function aggregateName(fn: AggregateFn, column: LeafColumn | null): string {
  return column ? `${fn}_${column.name}` : fn;
}

function parseAggregate(view: ViewDef, plan: Plan, text: string, columns: readonly LeafColumn[]): OutputItem | null {
  const m = AGGREGATE_RE.exec(text);
  if (!m) return null;
  const [, name = '', argText = ''] = m;
  const fn = AGGREGATES.find((a) => a === name.toLowerCase());
  if (!fn) throw invalid(`Unknown aggregate '${truncate(name)}()'. Aggregates: ${AGGREGATES.map((a) => `${a}()`).join(', ')}.`);
  const arg = argText.trim();
  if (fn === 'count' && (arg === '' || arg === '*')) return { kind: 'aggregate', name: 'count', type: 'INT64', fn, column: null };
  if (arg === '') throw invalid(`${fn}() needs a column, like ${fn}(duration_seconds).`);
  const column = resolveColumn(view, plan, arg, columns);
  if ((fn === 'sum' || fn === 'avg') && !NUMERIC_TYPES.has(column.type)) {
    throw invalid(`${fn}() needs a number column; ${column.name} is ${column.type}. Try count(), min() or max().`, { column: column.name });
  }
  const type = fn === 'count' ? 'INT64' : fn === 'avg' ? 'FLOAT64' : column.type;
  return { kind: 'aggregate', name: aggregateName(fn, column), type, fn, column };
}

function parseLimit(raw: string | undefined, format: Format): { limit: number; defaulted: boolean } {
  const streamed = format === 'csv' || format === 'ndjson';
  if (streamed) {
    return limitParam(raw, {
      default: LIMITS.maxExportRows,
      max: LIMITS.maxExportRows,
      name: 'maxExportRows',
      tooLarge: (given) =>
        `limit is at most ${LIMITS.maxExportRows} rows for one format=${format} export; got ${given}. Export in parts with from/to or a filter.`,
    });
  }
  return limitParam(raw, {
    default: LIMITS.defaultPageSize,
    max: LIMITS.maxPageSize,
    name: 'maxPageSize',
    tooLarge: (given) =>
      `limit is at most ${LIMITS.maxPageSize} rows a page for format=${format}; got ${given}. Ask for ${LIMITS.maxPageSize} or fewer and follow each page's next link for the rest.`,
  });
}

/**
 * `dates`: blank is absent, as for format. `serial` is refused outside format=values rather
 * than ignored: csv and json keep ISO text, and a caller asking for numbers there would
 * otherwise get text without being told.
 */
function parseDates(raw: string | undefined, format: Format): DateForm {
  if (raw === undefined) return 'iso';
  const form = DATE_FORMS.find((x) => x === raw.trim().toLowerCase());
  if (!form) {
    throw invalid(`Unknown dates '${truncate(raw)}'. dates takes ${DATE_FORMS.join(' or ')}; serial is for format=values.`, {
      parameter: 'dates',
      allowed: [...DATE_FORMS],
    });
  }
  if (form === 'serial' && format !== 'values') {
    throw invalid(
      `dates=serial applies to format=values only; format=${format} writes dates as ISO 8601 text. Add format=values, or leave dates out.`,
      { parameter: 'dates' },
    );
  }
  return form;
}

function single(params: ReadonlyMap<string, string[]>, key: string): string | undefined {
  const values = params.get(key);
  if (!values) return undefined;
  if (values.length > 1) throw invalid(`'${key}' was given ${values.length} times; give it once.`);
  return values[0];
}

/**
 * Turns request parameters into a validated Query for one caller. The only way request
 * text reaches a warehouse: column names are looked up in the definitions, values are
 * typed by their column and later bound as parameters.
 */
export function parseQuery(entries: Iterable<readonly [string, string]>, ctx: ParseContext): ParsedRequest {
  const { view, plan } = ctx;
  const columns = leafColumns(view);
  const params = new Map<string, string[]>();
  for (const [key, value] of entries) {
    const list = params.get(key) ?? [];
    list.push(value);
    params.set(key, list);
  }

  // Blank is absent for format, limit and cursor: form tools (Make, Zapier) send empty fields
  // (for limit, readLimit in shared/query-vocabulary.ts says so for every endpoint).
  const formatRaw = single(params, 'format') || undefined;
  let format: Format = ctx.impliedFormat ?? 'json';
  if (formatRaw !== undefined) {
    const f = FORMATS.find((x) => x === formatRaw.trim().toLowerCase());
    if (!f) throw new ApiError(400, 'invalid-parameter', `Unknown format '${truncate(formatRaw)}'. Formats: ${FORMATS.join(', ')}.`);
    format = f;
  }
  const dates = parseDates(single(params, 'dates') || undefined, format);

  // Filters: every key that is not a reserved parameter names a column.
  const filters: Filter[] = [];
  for (const [key, values] of params) {
    if (RESERVED.has(key)) continue;
    if (key.length === 0) throw invalid('A parameter has an empty name.');
    const column = columns.find((c) => c.name === key);
    if (!column) {
      const readable = columns.filter((c) => planIncludes(plan, c.minPlan)).map((c) => c.name);
      const suggestions = nearestNames(key, [...readable, ...RESERVED_PARAMS]);
      throw new ApiError(
        400,
        'unknown-column',
        `Unknown column or parameter '${truncate(key)}' in ${view.name}.${didYouMean(suggestions)}`,
        { view: view.name, column: truncate(key), suggestions },
      );
    }
    resolveColumn(view, plan, key, columns);
    for (const value of values) filters.push(parseFilter(view, column, value));
  }

  const from = single(params, 'from');
  const to = single(params, 'to');
  if (from !== undefined || to !== undefined) {
    if (!view.dateColumn) {
      throw invalid(`${view.name} has no date column, so from/to do not apply; filter a column instead, like column=gte.value.`);
    }
    const dateColumn = resolveColumn(view, plan, view.dateColumn, columns);
    const day = (label: string, raw: string) => {
      const parsed = parseValue('DATE', raw);
      if (!parsed.ok) throw invalid(`${label}='${truncate(raw)}' is not a date; write YYYY-MM-DD.`, { parameter: label });
      return parsed.value as string;
    };
    const fromDay = from === undefined ? undefined : day('from', from);
    const toDay = to === undefined ? undefined : day('to', to);
    if (fromDay && toDay && fromDay > toDay) throw invalid(`from (${fromDay}) is after to (${toDay}).`);
    const suffix = dateColumn.type === 'TIMESTAMP' ? 'T00:00:00Z' : dateColumn.type === 'DATETIME' ? 'T00:00:00' : '';
    if (fromDay) filters.push({ column: dateColumn, op: 'gte', negated: false, value: fromDay + suffix });
    // Every DATETIME or TIMESTAMP is before the day after 9999-12-31, which no warehouse can
    // write: that `to` bounds nothing.
    if (toDay && !(suffix && toDay === LAST_DAY)) {
      filters.push(
        suffix
          ? { column: dateColumn, op: 'lt', negated: false, value: nextDay(toDay) + suffix }
          : { column: dateColumn, op: 'lte', negated: false, value: toDay },
      );
    }
  }
  if (filters.length > LIMITS.maxFilters) {
    throw new ApiError(400, 'limit-exceeded', `At most ${LIMITS.maxFilters} filters per query; this one has ${filters.length}.`, {
      limit: 'maxFilters',
    });
  }

  // Grouping and output.
  const groupByRaw = single(params, 'group_by');
  const groupBy: LeafColumn[] = [];
  if (groupByRaw !== undefined) {
    const names = splitList(groupByRaw);
    if (names.length === 0) throw invalid('group_by is empty; name one or more columns.');
    if (names.length > LIMITS.maxGroupBy) {
      throw new ApiError(400, 'limit-exceeded', `group_by takes at most ${LIMITS.maxGroupBy} columns.`, { limit: 'maxGroupBy' });
    }
    for (const name of names) {
      const column = resolveColumn(view, plan, name, columns);
      if (!groupBy.includes(column)) groupBy.push(column);
    }
  }

  const selectRaw = single(params, 'select');
  const selectNames = selectRaw === undefined ? null : splitSelect(selectRaw);
  if (selectNames && selectNames.length === 0) throw invalid('select is empty; name columns, or leave select out for all of them.');
  if (selectNames && selectNames.length > LIMITS.maxSelectItems) {
    throw new ApiError(400, 'limit-exceeded', `select takes at most ${LIMITS.maxSelectItems} items.`, { limit: 'maxSelectItems' });
  }

  let output: OutputItem[] = [];
  if (selectNames) {
    for (const name of selectNames) {
      const item = parseAggregate(view, plan, name, columns) ?? columnItem(resolveColumn(view, plan, name, columns));
      if (output.some((o) => o.name === item.name)) throw invalid(`'${item.name}' is selected twice.`);
      output.push(item);
    }
  }
  const aggregated = groupByRaw !== undefined || output.some((o) => o.kind === 'aggregate');
  if (!selectNames) {
    output = aggregated
      ? [...groupBy.map(columnItem), { kind: 'aggregate', name: 'count', type: 'INT64', fn: 'count', column: null }]
      : columns.filter((c) => planIncludes(plan, c.minPlan)).map(columnItem);
  }
  if (aggregated) {
    for (const item of output) {
      if (item.kind === 'column' && !groupBy.includes(item.column)) {
        throw invalid(
          `'${item.name}' is selected but not grouped: add it to group_by, or wrap it in an aggregate such as max(${item.name}).`,
          { column: item.name },
        );
      }
    }
  }

  // Order: the caller's terms, then tie-breakers so every row has one place (keyset paging).
  const order: OrderTerm[] = [];
  const orderRaw = single(params, 'order');
  const findOrderItem = (name: string): OutputItem => {
    if (aggregated) {
      const agg = parseAggregate(view, plan, name, columns);
      const hit = output.find((o) => o.name === (agg?.name ?? name));
      if (hit) return hit;
      const column = groupBy.find((g) => g.name === name);
      if (column) return columnItem(column);
      throw invalid(
        `order=${truncate(name)} must name a group_by column or a selected aggregate (${output.map((o) => o.name).join(', ')}).`,
      );
    }
    return columnItem(resolveColumn(view, plan, name, columns));
  };
  if (orderRaw !== undefined) {
    const terms = splitList(orderRaw);
    if (terms.length === 0) throw invalid('order is empty; write order=column or order=column.desc.');
    if (terms.length > LIMITS.maxOrderTerms) {
      throw new ApiError(400, 'limit-exceeded', `order takes at most ${LIMITS.maxOrderTerms} terms.`, { limit: 'maxOrderTerms' });
    }
    const known = (name: string) => columns.some((c) => c.name === name) || output.some((o) => o.name === name);
    for (const term of terms) {
      const { name, direction } = splitOrderTerm(term);
      const dot = term.lastIndexOf('.');
      if (direction === undefined && dot > 0 && !known(term) && known(term.slice(0, dot))) {
        throw invalid(
          `order takes asc or desc after a column; got '${truncate(term.slice(dot + 1))}' in '${truncate(term)}'. Write order=${term.slice(0, dot)}.desc for descending.`,
        );
      }
      const item = findOrderItem(name);
      if (order.some((o) => o.item.name === item.name)) throw invalid(`'${item.name}' appears twice in order.`);
      order.push({ item, direction: direction ?? 'asc' });
    }
  }
  const tieBreakers = aggregated ? groupBy : view.rowKey.map((name) => columns.find((c) => c.name === name)!);
  for (const column of tieBreakers) {
    if (!order.some((o) => o.item.kind === 'column' && o.item.column === column))
      order.push({ item: columnItem(column), direction: 'asc' });
  }

  const { limit, defaulted } = parseLimit(single(params, 'limit'), format);
  const cursor = single(params, 'cursor') || null;
  const dryRunRaw = single(params, 'dry_run');
  const dryRun = dryRunRaw !== undefined && ['1', 'true', 'yes'].includes(dryRunRaw.toLowerCase());

  return {
    query: { view, plan, output, filters, groupBy, order, limit, limitDefaulted: defaulted, after: null, format, dates },
    cursor,
    dryRun,
  };
}

/**
 * `name.desc` → name and direction. Plain string work, not a regex: an order term is request
 * text and may hold any character, line terminators included, and every term has an answer.
 * @example splitOrderTerm('local_date.DESC') // { name: 'local_date', direction: 'desc' }
 */
function splitOrderTerm(term: string): { name: string; direction: 'asc' | 'desc' | undefined } {
  const dot = term.lastIndexOf('.');
  const suffix = dot === -1 ? '' : term.slice(dot + 1).toLowerCase();
  if (suffix === 'asc' || suffix === 'desc') return { name: term.slice(0, dot), direction: suffix };
  return { name: term, direction: undefined };
}

function columnItem(column: LeafColumn): OutputItem {
  return { kind: 'column', name: column.name, type: column.type, column };
}

/** Splits select on commas outside parentheses (`select=user_id,count()`). */
function splitSelect(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((s) => s.length > 0);
}
