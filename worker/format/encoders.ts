import type { DateForm } from '../../shared/query-vocabulary.ts';
import type { Format, OutputColumn } from '../query/model.ts';
import type { Cell } from '../warehouse/types.ts';
import { csvField, csvWriter, jsonWriter, spreadsheetWriter, type CellWriter } from './cells.ts';

interface PageMeta {
  readonly view: string;
  readonly next: string | null;
  readonly nextCursor: string | null;
  readonly rowCount: number;
}

/**
 * Writes one row of one query's columns as text, with each column's cell writer and JSON
 * name prefix chosen once per query rather than per cell (the per-cell type switch and
 * JSON.stringify of names were most of an export's encoding time).
 */
type RowWriter = (cells: readonly Cell[], index: number) => string;

/**
 * One output format: text before the rows, each row, and text after them. Rows are
 * written one at a time so csv and ndjson exports stream without holding the result.
 */
export interface Encoder {
  readonly contentType: string;
  head(columns: readonly OutputColumn[], view: string): string;
  /**
   * The row writer for these columns, made once per page or export. `dates` is the query's
   * `dates` form; only values has a form other than ISO text.
   */
  compile(columns: readonly OutputColumn[], dates?: DateForm): RowWriter;
  /** One row; the same text as `compile(columns)(cells, index)`. */
  row(cells: readonly Cell[], columns: readonly OutputColumn[], index: number): string;
  tail(meta: PageMeta): string;
}

const columnsJson = (columns: readonly OutputColumn[]) => JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type })));

/** `{"a":1,"b":"x"}`, each `"name":` written once per query. */
const objectRow = (columns: readonly OutputColumn[]): RowWriter => {
  const prefixes = columns.map((c, i) => (i ? ',' : '{') + JSON.stringify(c.name) + ':');
  const writers = columns.map((c) => jsonWriter(c.type));
  const n = columns.length;
  if (n === 0) return () => '{}';
  return (cells) => {
    let out = '';
    for (let i = 0; i < n; i++) out += prefixes[i]! + writers[i]!(cells[i] ?? null);
    return out + '}';
  };
};

/** Cells in column order, separated by `between`. */
const listRow = (writers: readonly CellWriter[], between: string): RowWriter => {
  const n = writers.length;
  return (cells) => {
    let out = n ? writers[0]!(cells[0] ?? null) : '';
    for (let i = 1; i < n; i++) out += between + writers[i]!(cells[i] ?? null);
    return out;
  };
};

const rowOf =
  (compile: (columns: readonly OutputColumn[]) => RowWriter) =>
  (cells: readonly Cell[], columns: readonly OutputColumn[], index: number): string =>
    compile(columns)(cells, index);

const jsonCompile = (columns: readonly OutputColumn[]): RowWriter => {
  const row = objectRow(columns);
  return (cells, index) => (index ? ',' : '') + row(cells, index);
};
const valuesCompile = (columns: readonly OutputColumn[], dates: DateForm = 'iso'): RowWriter => {
  const row = listRow(
    columns.map((c) => spreadsheetWriter(c.type, dates)),
    ',',
  );
  return (cells, index) => ',[' + row(cells, index) + ']';
};
const csvCompile = (columns: readonly OutputColumn[]): RowWriter => {
  const row = listRow(
    columns.map((c) => csvWriter(c.type)),
    ',',
  );
  return (cells, index) => row(cells, index) + '\r\n';
};
const ndjsonCompile = (columns: readonly OutputColumn[]): RowWriter => {
  const row = objectRow(columns);
  return (cells, index) => row(cells, index) + '\n';
};

export const ENCODERS: Record<Format, Encoder> = {
  json: {
    contentType: 'application/json; charset=utf-8',
    head: (columns, view) => `{"view":${JSON.stringify(view)},"columns":${columnsJson(columns)},"rows":[`,
    compile: jsonCompile,
    row: rowOf(jsonCompile),
    tail: (meta) => `],"row_count":${meta.rowCount},"next":${JSON.stringify(meta.next)},"next_cursor":${JSON.stringify(meta.nextCursor)}}`,
  },
  values: {
    contentType: 'application/json; charset=utf-8',
    head: (columns, view) =>
      `{"view":${JSON.stringify(view)},"columns":${columnsJson(columns)},"values":[${JSON.stringify(columns.map((c) => c.name))}`,
    compile: valuesCompile,
    row: rowOf(valuesCompile),
    tail: (meta) => `],"row_count":${meta.rowCount},"next":${JSON.stringify(meta.next)},"next_cursor":${JSON.stringify(meta.nextCursor)}}`,
  },
  csv: {
    contentType: 'text/csv; charset=utf-8; header=present',
    head: (columns) => columns.map((c) => csvField(c.name, 'STRING')).join(',') + '\r\n',
    compile: csvCompile,
    row: rowOf(csvCompile),
    tail: () => '',
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    head: () => '',
    compile: ndjsonCompile,
    row: rowOf(ndjsonCompile),
    tail: () => '',
  },
};

/** The media types each negotiable format answers to; `values` is asked for by name only. */
const ACCEPTED_TYPES: readonly (readonly [Format, readonly string[]])[] = [
  ['json', ['application/json']],
  ['csv', ['text/csv']],
  ['ndjson', ['application/x-ndjson', 'application/ndjson', 'application/jsonl']],
];

/**
 * The format an Accept header asks for (RFC 9110, section 12.5.1): the served type with the
 * highest q, where a type's q comes from the most specific range that matches it. At equal q
 * an exact match beats a wildcard, then the range listed first wins, then JSON. `undefined`
 * without a header; null when the header rules out every format served here.
 * @example formatFromAccept('text/html, text/csv;q=0.9, application/json;q=0.5') // 'csv'
 */
export function formatFromAccept(accept: string | undefined): Format | null | undefined {
  if (accept === undefined || accept.trim() === '') return undefined;
  const ranges = accept.split(',').flatMap((part, order) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (!/^[\w.+*-]+\/[\w.+*-]+$/.test(range)) return [];
    // A q that is not a valid qvalue (`q=`, `q=-1`, `q=2`) is ignored rather than read as 0.
    const qParam = params.find((p) => /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(p));
    return [{ range, q: qParam === undefined ? 1 : Number(qParam.slice(2)), order }];
  });
  if (ranges.length === 0) return undefined; // nothing readable: treat as no preference
  let best: { format: Format; q: number; exact: boolean; order: number } | null = null;
  for (const [format, types] of ACCEPTED_TYPES) {
    for (const type of types) {
      const major = type.split('/')[0]!;
      const match =
        ranges.find((r) => r.range === type) ?? ranges.find((r) => r.range === `${major}/*`) ?? ranges.find((r) => r.range === '*/*');
      if (!match || match.q <= 0) continue;
      const candidate = { format, q: match.q, exact: match.range === type, order: match.order };
      // Higher q, then an exact type over a wildcard, then the range the client listed first;
      // among formats one wildcard matches alike, the order of ACCEPTED_TYPES (JSON first).
      if (
        !best ||
        candidate.q > best.q ||
        (candidate.q === best.q && candidate.exact && !best.exact) ||
        (candidate.q === best.q && candidate.exact === best.exact && candidate.order < best.order)
      )
        best = candidate;
    }
  }
  return best?.format ?? null;
}
