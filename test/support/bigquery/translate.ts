/**
 * The stand-in's SQL engine: translates the BigQuery Standard SQL our dialect emits into
 * SQLite over the stand-in's tables (nested.ts: one table per view; a view with a REPEATED
 * record holds one row per parent with the elements as a JSON array, as BigQuery holds
 * them). It understands exactly the shape
 * compileSelect produces, typed by the shared view definitions, and rejects anything else
 * as BigQuery would an invalid query, so a dialect change that the stand-in cannot follow
 * fails loudly instead of passing by accident.
 *
 * Where BigQuery and SQLite differ, the translation takes BigQuery's side: LIKE is
 * case-sensitive (GLOB), NUMERIC compares as a number (the demo stores it as text), INT64
 * leaves as exact text, parameters are converted by their declared type.
 */
import { leafColumns, type LeafColumn } from '../../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { sqliteTypeOf } from '../../../worker/demo/schema.ts';
import { standInTable } from './nested.ts';

/** A failure BigQuery would report as a 400 invalidQuery (or 404 notFound for missing objects). */
export class QueryRejected extends Error {
  readonly reason: 'invalidQuery' | 'notFound';
  constructor(reason: 'invalidQuery' | 'notFound', message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface WireParameter {
  readonly name?: string;
  readonly parameterType?: { readonly type?: string };
  readonly parameterValue?: { readonly value?: string | null };
}

/** How one output column is read back from SQLite and written in BigQuery's format. */
export interface OutputColumn {
  readonly name: string;
  readonly type: ScalarType;
  /**
   * Set when the column is a whole REPEATED record (`t.agents`): SQLite hands back a JSON
   * array of its elements, each an array of field values in this order.
   */
  readonly record?: { readonly fields: readonly { readonly name: string; readonly type: ScalarType }[] };
}

export interface Translation {
  readonly sqlite: string;
  readonly binds: readonly unknown[];
  readonly outputs: readonly OutputColumn[];
  readonly project: string;
  readonly dataset: string;
  readonly view: ViewDef;
  readonly referenced: ReadonlySet<string>;
  /** The SQLite FROM clause (table and json_each joins), whose rows billing counts. */
  readonly from: string;
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'param'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'punct'; text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end === -1) throw new QueryRejected('invalidQuery', 'Syntax error: Unclosed identifier literal');
      tokens.push({ kind: 'quoted', text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '@') {
      const m = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i));
      if (!m) throw new QueryRejected('invalidQuery', 'Syntax error: Unexpected "@"');
      tokens.push({ kind: 'param', text: m[1]! });
      i += m[0].length;
    } else if (ch === "'") {
      let text = '';
      let j = i + 1;
      for (; j < sql.length && sql[j] !== "'"; j++) text += sql[j] === '\\' ? sql[++j] : sql[j];
      if (j >= sql.length) throw new QueryRejected('invalidQuery', 'Syntax error: Unclosed string literal');
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(?:\.[0-9]+)?/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const two = sql.slice(i, i + 2);
      if (two === '<>' || two === '<=' || two === '>=' || two === '!=') {
        tokens.push({ kind: 'punct', text: two });
        i += 2;
      } else if ('(),.=<>*+-/'.includes(ch)) {
        tokens.push({ kind: 'punct', text: ch });
        i++;
      } else {
        throw new QueryRejected('invalidQuery', `Syntax error: Illegal input character "${ch}"`);
      }
    }
  }
  return tokens;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'NULL',
  'IN',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'WHERE',
  'GROUP',
  'BY',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'AS',
  'BETWEEN',
]);
const FUNCTIONS = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'LOWER', 'UPPER', 'CAST']);
const SQLITE_CAST: Record<string, string> = {
  STRING: 'TEXT',
  INT64: 'INTEGER',
  FLOAT64: 'REAL',
  NUMERIC: 'REAL',
  BOOL: 'INTEGER',
};

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Translates one query. `params` are the request's queryParameters; they are checked
 * (declared, typed, valued) and converted to what the demo tables store.
 */
export function translate(sql: string, params: readonly WireParameter[], project: string): Translation {
  const tokens = tokenize(sql);
  let pos = 0;
  const peek = (offset = 0) => tokens[pos + offset];
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toUpperCase() === word;
  const expectWord = (word: string) => {
    if (!isWord(peek(), word))
      throw new QueryRejected('invalidQuery', `Syntax error: Expected keyword ${word} but got ${describe(peek())}`);
    pos++;
  };
  const expectPunct = (p: string) => {
    const t = peek();
    if (t?.kind !== 'punct' || t.text !== p)
      throw new QueryRejected('invalidQuery', `Syntax error: Expected "${p}" but got ${describe(t)}`);
    pos++;
  };

  expectWord('SELECT');
  const selectStart = pos;
  let depth = 0;
  while (pos < tokens.length && !(depth === 0 && isWord(peek(), 'FROM'))) {
    const t = peek()!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    pos++;
  }
  const selectTokens = tokens.slice(selectStart, pos);
  expectWord('FROM');

  // FROM `project.dataset.view` AS t [LEFT JOIN UNNEST(t.`rec`) AS `rec`]...
  const path = peek();
  if (path?.kind !== 'quoted') throw new QueryRejected('invalidQuery', 'Syntax error: expected a table path');
  pos++;
  const parts = path.text.split('.');
  if (parts.length !== 3)
    throw new QueryRejected('invalidQuery', `Table name "${path.text}" missing dataset while no default dataset is set in the request.`);
  const [tableProject, dataset, viewName] = parts as [string, string, string];
  if (tableProject !== project) {
    throw new QueryRejected('notFound', `Not found: Project ${tableProject}`);
  }
  const view = Object.hasOwn(VIEWS, viewName) ? (VIEWS as Record<string, ViewDef>)[viewName]! : null;
  if (!view) throw new QueryRejected('notFound', `Not found: Table ${tableProject}:${dataset}.${viewName}`);
  expectWord('AS');
  const rowAlias = peek();
  if (rowAlias?.kind !== 'word') throw new QueryRejected('invalidQuery', 'Syntax error: expected a table alias');
  pos++;
  const unnested = new Set<string>();
  const joins: string[] = [];
  while (isWord(peek(), 'LEFT')) {
    pos++;
    expectWord('JOIN');
    expectWord('UNNEST');
    expectPunct('(');
    if (!(peek()?.kind === 'word' && peek()!.text === rowAlias.text))
      throw new QueryRejected('invalidQuery', 'UNNEST must name a column of the table');
    pos++;
    expectPunct('.');
    const record = peek();
    if (record?.kind !== 'quoted') throw new QueryRejected('invalidQuery', 'UNNEST must name a column of the table');
    pos++;
    expectPunct(')');
    expectWord('AS');
    const alias = peek();
    if (alias?.kind !== 'quoted' || alias.text !== record.text)
      throw new QueryRejected('invalidQuery', 'stand-in expects the UNNEST alias to be the record name');
    pos++;
    const def = view.columns.find((c) => c.name === record.text);
    if (!def || def.type !== 'RECORD' || def.mode !== 'REPEATED') {
      throw new QueryRejected(
        'invalidQuery',
        `Values referenced in UNNEST must be arrays. UNNEST contains expression of type ${def ? def.type : 'unknown'}`,
      );
    }
    unnested.add(record.text);
    // `LEFT JOIN UNNEST(t.rec) AS rec` is a correlated join: each parent row joins the
    // elements of its own array, one row per element, and LEFT keeps a parent whose array
    // is empty or NULL as one row with NULL fields, where a comma or CROSS JOIN would drop
    // it (https://cloud.google.com/bigquery/docs/arrays#flattening_arrays, and the UNNEST
    // operator in https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#unnest_operator:
    // a NULL or empty array yields no rows). SQLite's json_each over the JSON array is the
    // same correlated table, and its LEFT JOIN the same outer join (json_each(NULL) and
    // json_each('[]') yield no rows, so the parent comes back once with NULLs).
    joins.push(`LEFT JOIN json_each(${rowAlias.text}.${q(record.text)}) AS ${q(record.text)}`);
  }
  const restTokens = tokens.slice(pos);

  const leaves = new Map(leafColumns(view).map((c) => [c.name, c] as const));
  const referenced = new Set<string>();
  const declared = new Map<string, WireParameter>();
  for (const p of params) {
    if (!p.name) throw new QueryRejected('invalidQuery', 'Positional parameters are not allowed with parameterMode NAMED');
    declared.set(p.name, p);
  }
  const binds: unknown[] = [];

  /** Reads a column reference at `i`; returns the column and the number of tokens used. */
  const columnAt = (list: Token[], i: number): { column: LeafColumn; used: number } | null => {
    const a = list[i];
    const dot = list[i + 1];
    const b = list[i + 2];
    if (!a || dot?.kind !== 'punct' || dot.text !== '.' || b?.kind !== 'quoted') return null;
    let name: string;
    let used = 3;
    if (a.kind === 'word' && a.text === rowAlias.text) {
      name = b.text;
      const dot2 = list[i + 3];
      const c = list[i + 4];
      if (dot2?.kind === 'punct' && dot2.text === '.' && c?.kind === 'quoted') {
        const record = view.columns.find((col) => col.name === b.text);
        if (record?.type === 'RECORD' && record.mode === 'REPEATED') {
          throw new QueryRejected('invalidQuery', `Cannot access field ${c.text} on a value with type ARRAY<STRUCT<...>>`);
        }
        name = `${b.text}.${c.text}`;
        used = 5;
      } else if (view.columns.some((col) => col.name === b.text && col.type === 'RECORD')) {
        throw new QueryRejected('invalidQuery', `stand-in returns a whole record only as a select item (${b.text})`);
      }
    } else if (a.kind === 'quoted' && unnested.has(a.text)) {
      name = `${a.text}.${b.text}`;
    } else {
      throw new QueryRejected('invalidQuery', `Unrecognized name: ${a.text}`);
    }
    const column = leaves.get(name);
    if (!column) throw new QueryRejected('invalidQuery', `Unrecognized name: ${b.text}`);
    referenced.add(name);
    return { column, used };
  };

  const bindParam = (name: string, transform?: (value: string) => string): string => {
    const p = declared.get(name);
    if (!p) throw new QueryRejected('invalidQuery', `Query parameter '${name}' not found`);
    const type = p.parameterType?.type?.toUpperCase();
    const value = p.parameterValue?.value;
    if (!type) throw new QueryRejected('invalidQuery', `Query parameter '${name}' has no type`);
    binds.push(value === null || value === undefined ? null : toStored(name, type, transform ? transform(value) : value));
    return `?${binds.length}`;
  };

  /**
   * A JSON-array STRING parameter read as the values of an in-list: each element is checked
   * and converted as a parameter of the cast's type would be.
   */
  const bindList = (name: string, type: string): string => {
    const p = declared.get(name);
    if (!p) throw new QueryRejected('invalidQuery', `Query parameter '${name}' not found`);
    if (p.parameterType?.type?.toUpperCase() !== 'STRING') {
      throw new QueryRejected('invalidQuery', 'No matching signature for function JSON_VALUE_ARRAY: the argument must be a STRING');
    }
    let items: unknown;
    try {
      items = JSON.parse(p.parameterValue?.value ?? 'null');
    } catch {
      throw new QueryRejected('invalidQuery', `JSON_VALUE_ARRAY: invalid JSON in query parameter '${name}'`);
    }
    if (!Array.isArray(items) || !items.every((v): v is string => typeof v === 'string')) {
      throw new QueryRejected('invalidQuery', `stand-in expects query parameter '${name}' to be a JSON array of strings`);
    }
    binds.push(JSON.stringify(items.map((v) => toStored(name, type, v))));
    return `?${binds.length}`;
  };

  /** Translates an expression; NUMERIC columns become numbers unless `bare` keeps their exact text. */
  const expression = (list: Token[], bare: boolean): string => {
    const out: string[] = [];
    for (let i = 0; i < list.length;) {
      const t = list[i]!;
      const col = columnAt(list, i);
      if (col) {
        const ref = columnSql(rowAlias.text, col.column);
        out.push(col.column.type === 'NUMERIC' && !bare ? `CAST(${ref} AS REAL)` : ref);
        i += col.used;
        continue;
      }
      const inList = inListAt(list, i);
      if (inList) {
        out.push(`IN (SELECT CAST(value AS ${SQLITE_CAST[inList.type] ?? 'TEXT'}) FROM json_each(${bindList(inList.param, inList.type)}))`);
        i += inList.used;
        continue;
      }
      if (t.kind === 'param') {
        out.push(bindParam(t.text));
        i++;
        continue;
      }
      if (t.kind === 'word' && t.text.toUpperCase() === 'LIKE') {
        // Case-sensitive LIKE is GLOB in SQLite; LOWER(x) LIKE LOWER(@p) stays LIKE with the escape BigQuery assumes.
        const next = list[i + 1];
        if (next?.kind === 'param') {
          out.push(`GLOB ${bindParam(next.text, likeToGlob)}`);
          i += 2;
          continue;
        }
        if (
          next?.kind === 'word' &&
          next.text.toUpperCase() === 'LOWER' &&
          list[i + 2]?.text === '(' &&
          list[i + 3]?.kind === 'param' &&
          list[i + 4]?.text === ')'
        ) {
          out.push(`LIKE LOWER(${bindParam(list[i + 3]!.text)}) ESCAPE '\\'`);
          i += 5;
          continue;
        }
        throw new QueryRejected('invalidQuery', 'stand-in supports LIKE @param and LIKE LOWER(@param) only');
      }
      if (t.kind === 'word') {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') out.push(upper === 'TRUE' ? '1' : '0');
        else if (upper === 'CAST') {
          out.push('CAST');
        } else if (KEYWORDS.has(upper) || FUNCTIONS.has(upper)) {
          // `AS <type>` inside CAST(...)
          const prev = list[i - 1];
          out.push(upper);
          if (upper === 'AS' && prev) {
            const type = list[i + 1];
            if (type?.kind === 'word' && SQLITE_CAST[type.text.toUpperCase()]) {
              out.push(SQLITE_CAST[type.text.toUpperCase()]!);
              i += 2;
              continue;
            }
          }
        } else throw new QueryRejected('invalidQuery', `Unrecognized name: ${t.text}`);
        i++;
        continue;
      }
      if (t.kind === 'quoted') throw new QueryRejected('invalidQuery', `Unrecognized name: ${t.text}`);
      if (t.kind === 'string') out.push(`'${t.text.replaceAll("'", "''")}'`);
      else out.push(t.text === '!=' ? '<>' : t.text);
      i++;
    }
    return out.join(' ').replaceAll('( ', '(').replaceAll(' )', ')').replaceAll(' ,', ',');
  };

  // SELECT items: `expr AS alias`, split on top-level commas.
  const items: Token[][] = [];
  let current: Token[] = [];
  depth = 0;
  for (const t of selectTokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (t.kind === 'punct' && t.text === ',' && depth === 0) {
      items.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) items.push(current);
  const outputs: OutputColumn[] = [];
  /** `t.`rec`` as a whole select item: the REPEATED record it names, or null. */
  const wholeRecord = (expr: Token[]) => {
    const [a, dot, b] = expr;
    if (expr.length !== 3 || a?.kind !== 'word' || a.text !== rowAlias.text || dot?.text !== '.' || b?.kind !== 'quoted') return null;
    const def = view.columns.find((c) => c.name === b.text);
    return def?.type === 'RECORD' && def.mode === 'REPEATED' && !unnested.has(def.name) ? def : null;
  };
  const selectSql = items.map((item) => {
    const asAt = item.length - 2;
    if (!isWord(item[asAt], 'AS') || !item[asAt + 1] || (item[asAt + 1]!.kind !== 'word' && item[asAt + 1]!.kind !== 'quoted')) {
      throw new QueryRejected('invalidQuery', 'stand-in expects every select item to be `expr AS alias`');
    }
    const alias = item[asAt + 1]!.text;
    const expr = item.slice(0, asAt);
    const record = wholeRecord(expr);
    if (record?.type === 'RECORD') {
      // An ARRAY<STRUCT> cell, which BigQuery writes as REPEATED RECORD: the stored array
      // re-read element by element, so INT64 fields leave SQLite as exact text.
      for (const field of record.fields) referenced.add(`${record.name}.${field.name}`);
      outputs.push({ name: alias, type: 'STRING', record: { fields: record.fields.map((f) => ({ name: f.name, type: f.type })) } });
      return `${wholeArray(rowAlias.text, record.name, record.fields)} AS ${q(alias)}`;
    }
    const single = columnAt(expr, 0);
    const bare = single !== null && single.used === expr.length;
    const type = typeOf(expr, columnAt);
    outputs.push({ name: alias, type });
    const sqlExpr = expression(expr, bare);
    // INT64 leaves SQLite as text so values beyond 2^53 survive, as BigQuery writes them.
    return `${type === 'INT64' ? `CAST(${sqlExpr} AS TEXT)` : sqlExpr} AS ${q(alias)}`;
  });

  const rest = expression(restTokens, false);
  const from = [`${q(standInTable(dataset, view))} AS ${rowAlias.text}`, ...joins].join(' ');
  const sqlite = `SELECT ${selectSql.join(', ')} FROM ${from}${rest ? ` ${rest}` : ''}`;
  for (const name of declared.keys()) {
    if (!sql.includes(`@${name}`)) throw new QueryRejected('invalidQuery', `Query parameter '${name}' is declared but not used`);
  }
  return { sqlite, binds, outputs, project: tableProject, dataset, view, referenced, from };
}

/**
 * A leaf column in SQLite. A field of a REPEATED record is read from the element its
 * json_each join stands on, cast to the type the demo stores it as, so it compares and
 * sorts with the same affinity as a flat column would (json_extract alone has none).
 */
function columnSql(rowAlias: string, column: LeafColumn): string {
  if (column.record?.mode !== 'REPEATED') return `${rowAlias}.${q(column.name)}`;
  const field = column.name.slice(column.record.name.length + 1);
  return `CAST(json_extract(${q(column.record.name)}.value, '$.${field}') AS ${sqliteTypeOf(column.type)})`;
}

/**
 * A whole stored array as a JSON array of field-value arrays in definition order, for
 * encodeOutput. BigQuery writes a NULL array as an empty one in a result
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#array_nulls),
 * which json_group_array over no elements gives too.
 */
function wholeArray(rowAlias: string, record: string, fields: readonly { readonly name: string; readonly type: ScalarType }[]): string {
  const values = fields.map((f) => {
    const value = `json_extract(e.value, '$.${f.name}')`;
    return f.type === 'INT64' ? `CAST(${value} AS TEXT)` : value;
  });
  return `(SELECT json_group_array(json_array(${values.join(', ')})) FROM json_each(${rowAlias}.${q(record)}) AS e)`;
}

/**
 * The two in-list shapes the dialect writes, at token `i`:
 * `IN UNNEST(JSON_VALUE_ARRAY(@p))` for STRING, and
 * `IN (SELECT CAST(v AS T) FROM UNNEST(JSON_VALUE_ARRAY(@p)) AS v)` otherwise.
 */
function inListAt(list: readonly Token[], i: number): { used: number; param: string; type: string } | null {
  const shape = (n: number) =>
    list
      .slice(i, i + n)
      .map((t) => (t.kind === 'param' ? '@' : t.text.toUpperCase()))
      .join(' ');
  if (shape(8) === 'IN UNNEST ( JSON_VALUE_ARRAY ( @ ) )') return { used: 8, param: list[i + 5]!.text, type: 'STRING' };
  const cast = list[i + 7]?.text.toUpperCase() ?? '';
  const casted = shape(20).replace(` AS ${cast} )`, ' AS T )');
  if (casted === 'IN ( SELECT CAST ( V AS T ) FROM UNNEST ( JSON_VALUE_ARRAY ( @ ) ) AS V )') {
    return { used: 20, param: list[i + 14]!.text, type: cast };
  }
  return null;
}

/** The BigQuery type of a select expression, for the result schema. */
function typeOf(expr: Token[], columnAt: (list: Token[], i: number) => { column: LeafColumn; used: number } | null): ScalarType {
  const single = columnAt(expr, 0);
  if (single && single.used === expr.length) return single.column.type;
  const head = expr[0];
  const last = expr[expr.length - 1];
  if (head?.kind === 'word' && expr[1]?.text === '(' && last?.text === ')') {
    const fn = head.text.toUpperCase();
    const args = expr.slice(2, -1);
    if (fn === 'COUNT') return 'INT64';
    if (fn === 'LOWER' || fn === 'UPPER') return 'STRING';
    if (fn === 'CAST') {
      const target = args[args.length - 1];
      const as = args[args.length - 2];
      if (as?.kind === 'word' && as.text.toUpperCase() === 'AS' && target?.kind === 'word') {
        const t = target.text.toUpperCase();
        if (t === 'STRING' || t === 'INT64' || t === 'FLOAT64' || t === 'NUMERIC' || t === 'BOOL') return t;
      }
    }
    if (fn === 'SUM' || fn === 'AVG' || fn === 'MIN' || fn === 'MAX') {
      const t = typeOf(args, columnAt);
      if (fn === 'AVG') return t === 'NUMERIC' ? 'NUMERIC' : 'FLOAT64';
      if (fn === 'SUM' && t !== 'INT64' && t !== 'FLOAT64' && t !== 'NUMERIC') {
        throw new QueryRejected('invalidQuery', `No matching signature for aggregate function SUM for argument types: ${t}`);
      }
      return t;
    }
  }
  throw new QueryRejected('invalidQuery', 'stand-in cannot type this select expression');
}

/**
 * A LIKE pattern (`%`, `_`, backslash escapes) as a GLOB pattern, whose `*`, `?` and `[`
 * are escaped by bracketing; GLOB compares case-sensitively, as BigQuery's LIKE does.
 */
function likeToGlob(pattern: string): string {
  let glob = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      glob += next === '*' || next === '?' || next === '[' ? `[${next}]` : next;
    } else if (ch === '%') glob += '*';
    else if (ch === '_') glob += '?';
    else if (ch === '*' || ch === '?' || ch === '[') glob += `[${ch}]`;
    else glob += ch;
  }
  return glob;
}

/** A parameter's text converted to the demo storage form of its declared type. */
function toStored(name: string, type: string, value: string): unknown {
  const bad = () => new QueryRejected('invalidQuery', `Invalid ${type} value for query parameter '${name}'`);
  switch (type) {
    case 'INT64': {
      if (!/^[+-]?\d+$/.test(value)) throw bad();
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : BigInt(value).toString();
    }
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC': {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n)) throw bad();
      return n;
    }
    case 'BOOL':
      if (/^true$/i.test(value)) return 1;
      if (/^false$/i.test(value)) return 0;
      throw bad();
    case 'DATE':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw bad();
      return value;
    case 'DATETIME': {
      const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(\.\d+)?)?$/.exec(value);
      if (!m) throw bad();
      return `${m[1]}T${m[2] ?? '00:00:00'}${fraction(m[3])}`;
    }
    case 'TIME': {
      const m = /^(\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(value);
      if (!m) throw bad();
      return `${m[1]}${fraction(m[2])}`;
    }
    case 'TIMESTAMP': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(value);
      if (!m) throw bad();
      let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
      const zone = m[8]?.toUpperCase();
      if (zone && zone !== 'Z' && zone !== 'UTC') {
        const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
        const offset = (+z[2]! * 60 + +(z[3] ?? 0)) * 60_000;
        ms += z[1] === '+' ? -offset : offset;
      }
      return `${new Date(ms).toISOString().slice(0, 19)}${fraction(m[7])}Z`;
    }
    case 'STRING':
      return value;
    default:
      throw new QueryRejected('invalidQuery', `stand-in does not support parameters of type ${type}`);
  }
}

function fraction(text: string | undefined): string {
  const digits = (text ?? '').replace(/^\./, '').replace(/0+$/, '');
  return digits ? `.${digits}` : '';
}

function describe(t: Token | undefined): string {
  return t ? `"${t.text}"` : 'end of input';
}
