import type { Format, OutputColumn } from '../query/model.ts';
import type { Cell } from '../warehouse/types.ts';
import { csvField, jsonCell, spreadsheetCell } from './cells.ts';

export interface PageMeta {
  readonly view: string;
  readonly next: string | null;
  readonly nextCursor: string | null;
  readonly rowCount: number;
}

/**
 * One output format: text before the rows, each row, and text after them. Rows are
 * written one at a time so csv and ndjson exports stream without holding the result.
 */
export interface Encoder {
  readonly contentType: string;
  head(columns: readonly OutputColumn[], view: string): string;
  row(cells: readonly Cell[], columns: readonly OutputColumn[], index: number): string;
  tail(meta: PageMeta): string;
}

const columnsJson = (columns: readonly OutputColumn[]) => JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type })));

const objectRow = (cells: readonly Cell[], columns: readonly OutputColumn[]) => {
  let out = '{';
  for (let i = 0; i < columns.length; i++) {
    if (i) out += ',';
    out += JSON.stringify(columns[i]!.name) + ':' + jsonCell(cells[i] ?? null, columns[i]!.type);
  }
  return out + '}';
};

export const ENCODERS: Record<Format, Encoder> = {
  json: {
    contentType: 'application/json; charset=utf-8',
    head: (columns, view) => `{"view":${JSON.stringify(view)},"columns":${columnsJson(columns)},"rows":[`,
    row: (cells, columns, index) => (index ? ',' : '') + objectRow(cells, columns),
    tail: (meta) => `],"row_count":${meta.rowCount},"next":${JSON.stringify(meta.next)},"next_cursor":${JSON.stringify(meta.nextCursor)}}`,
  },
  values: {
    contentType: 'application/json; charset=utf-8',
    head: (columns, view) =>
      `{"view":${JSON.stringify(view)},"columns":${columnsJson(columns)},"values":[${JSON.stringify(columns.map((c) => c.name))}`,
    row: (cells, columns) => {
      let out = ',[';
      for (let i = 0; i < columns.length; i++) out += (i ? ',' : '') + spreadsheetCell(cells[i] ?? null, columns[i]!.type);
      return out + ']';
    },
    tail: (meta) => `],"row_count":${meta.rowCount},"next":${JSON.stringify(meta.next)},"next_cursor":${JSON.stringify(meta.nextCursor)}}`,
  },
  csv: {
    contentType: 'text/csv; charset=utf-8; header=present',
    head: (columns) => columns.map((c) => csvField(c.name, 'STRING')).join(',') + '\r\n',
    row: (cells, columns) => {
      let out = '';
      for (let i = 0; i < columns.length; i++) out += (i ? ',' : '') + csvField(cells[i] ?? null, columns[i]!.type);
      return out + '\r\n';
    },
    tail: () => '',
  },
  ndjson: {
    contentType: 'application/x-ndjson; charset=utf-8',
    head: () => '',
    row: (cells, columns) => objectRow(cells, columns) + '\n',
    tail: () => '',
  },
};

/** Picks a format from an Accept header, or null when it names none we serve. */
export function formatFromAccept(accept: string | undefined): Format | null {
  if (!accept) return null;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  for (const type of types) {
    if (type === 'text/csv') return 'csv';
    if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') return 'ndjson';
    if (type === 'application/json') return 'json';
  }
  return null;
}
