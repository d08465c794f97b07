import type { ScalarType } from '../../../shared/types.ts';
import type { Cell } from '../types.ts';

/** TableFieldSchema as the REST API returns it (legacy type names such as INTEGER included). */
export interface TableFieldSchema {
  readonly name: string;
  readonly type: string;
  readonly mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  readonly fields?: readonly TableFieldSchema[];
}

/** A result's schema: one field per selected column, in select order. */
export interface TableSchema {
  readonly fields: readonly TableFieldSchema[];
}

/** One cell on the wire: a string or null for scalars, a list for REPEATED, a row for RECORD. */
interface TableCell {
  readonly v: unknown;
}

/** One result row: a cell per schema field. */
export interface TableRow {
  readonly f: readonly TableCell[];
}

/**
 * How TIMESTAMP cells are written: float seconds since the epoch (the API's default, e.g.
 * "1.7887113E9", which loses microseconds past ~2^53) or int64 microseconds, which the client
 * asks for with formatOptions.useInt64Timestamp because it is exact.
 */
export type TimestampFormat = 'float-seconds' | 'int64-micros';

/** A decoded value: a Cell for scalars, an array for REPEATED, an object for RECORD. */
export type BigQueryValue = Cell | readonly BigQueryValue[] | { readonly [field: string]: BigQueryValue };

/** Raised when a cell does not have the shape its schema promises; a bug or an API change. */
export class RowFormatError extends Error {
  override readonly name = 'RowFormatError';
}

const fail = (what: string, raw: unknown): never => {
  throw new RowFormatError(`unexpected ${what} cell: ${JSON.stringify(raw)?.slice(0, 60)}`);
};

/** BigQuery's REST names for a type, standard and legacy, mapped to the standard one. */
const TYPE_ALIASES: Record<string, string> = {
  INTEGER: 'INT64',
  INT64: 'INT64',
  FLOAT: 'FLOAT64',
  FLOAT64: 'FLOAT64',
  BOOLEAN: 'BOOL',
  BOOL: 'BOOL',
  NUMERIC: 'NUMERIC',
  BIGNUMERIC: 'BIGNUMERIC',
  DECIMAL: 'NUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  RECORD: 'RECORD',
  STRUCT: 'RECORD',
};

/** The standard type name for a REST schema type (`INTEGER` → `INT64`). */
function standardType(type: string): string {
  const upper = type.toUpperCase();
  return TYPE_ALIASES[upper] ?? upper;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** '.123000' → '.123', '.000000' → '': the canonical forms carry no trailing zeros. */
function trimFraction(fraction: string | undefined): string {
  const digits = (fraction ?? '').replace(/^\./, '').replace(/0+$/, '');
  return digits ? `.${digits}` : '';
}

/** Exact decimal text without exponent or trailing fractional zeros: '6.50' → '6.5', '-0' → '0'. */
export function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail('decimal', text);
  let digits = `${m[2]}${m[3] ?? ''}`;
  let point = m[2]!.length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const sign = m[1] === '-' && (int !== '0' || frac !== '') ? '-' : '';
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/**
 * Float seconds ("1.614265330123456E9") to whole microseconds, rounded at the seventh
 * decimal, computed on the digits so no binary float rounding creeps in.
 */
function floatSecondsToMicros(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail('TIMESTAMP', text);
  const digits = `${m[2]}${m[3] ?? ''}`;
  const point = m[2]!.length + Number(m[4] ?? 0) + 6;
  let whole: bigint;
  let next = 0;
  if (point >= digits.length) whole = BigInt(digits + '0'.repeat(point - digits.length));
  else if (point <= 0) {
    whole = 0n;
    next = point === 0 ? Number(digits[0]) : 0;
  } else {
    whole = BigInt(digits.slice(0, point));
    next = Number(digits[point]);
  }
  if (next >= 5) whole += 1n;
  return m[1] === '-' ? -whole : whole;
}

/** Microseconds since the epoch as 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z' (fraction only when non-zero). */
export function microsToTimestamp(micros: bigint): string {
  let seconds = micros / 1_000_000n;
  let rest = micros % 1_000_000n;
  if (rest < 0n) {
    rest += 1_000_000n;
    seconds -= 1n;
  }
  const d = new Date(Number(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return fail('TIMESTAMP', micros.toString());
  const fraction = rest === 0n ? '' : trimFraction(`.${rest.toString().padStart(6, '0')}`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}Z`;
}

function decodeTimestamp(raw: string, format: TimestampFormat): string {
  // Some responses (timestampOutputFormat ISO8601_STRING) already carry ISO text.
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(?:Z|\+00(?::?00)?| UTC)$/.exec(raw);
  if (iso) return `${iso[1]}T${iso[2]}${trimFraction(iso[3]?.slice(0, 7))}Z`;
  if (format === 'int64-micros' && /^-?\d+$/.test(raw)) return microsToTimestamp(BigInt(raw));
  return microsToTimestamp(floatSecondsToMicros(raw));
}

/**
 * One scalar cell to a Cell, by its REST schema type: INT64 and NUMERIC stay exact decimal
 * strings, FLOAT64 becomes a number, BOOL a boolean, DATETIME/TIMESTAMP/TIME ISO text with a
 * fraction only when it is not zero. Types ActivConnect does not use (BYTES, GEOGRAPHY,
 * JSON, INTERVAL) pass through as the API's text.
 */
export function decodeScalar(raw: unknown, type: string, timestamps: TimestampFormat = 'float-seconds'): Cell {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') return fail(type, raw);
  switch (standardType(type)) {
    case 'INT64':
      if (!/^[+-]?\d+$/.test(raw)) return fail('INT64', raw);
      return BigInt(raw).toString();
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return canonicalDecimal(raw);
    case 'FLOAT64': {
      const n = Number(raw);
      if (raw.trim() === '' || (Number.isNaN(n) && raw !== 'NaN')) return fail('FLOAT64', raw);
      return n;
    }
    case 'BOOL':
      if (/^true$/i.test(raw)) return true;
      if (/^false$/i.test(raw)) return false;
      return fail('BOOL', raw);
    case 'DATETIME': {
      const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(raw);
      return m ? `${m[1]}T${m[2]}${trimFraction(m[3])}` : fail('DATETIME', raw);
    }
    case 'TIME': {
      const m = /^(\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(raw);
      return m ? `${m[1]}${trimFraction(m[2])}` : fail('TIME', raw);
    }
    case 'TIMESTAMP':
      return decodeTimestamp(raw, timestamps);
    default:
      return raw;
  }
}

/** One cell by its field: a list for REPEATED (`{v: [{v}, ...]}`), an object for RECORD (`{v: {f: [...]}}`). */
export function decodeValue(raw: unknown, field: TableFieldSchema, timestamps: TimestampFormat = 'float-seconds'): BigQueryValue {
  if (field.mode === 'REPEATED') {
    if (raw === null || raw === undefined) return [];
    if (!Array.isArray(raw)) return fail('REPEATED', raw);
    const element: TableFieldSchema = { ...field, mode: 'NULLABLE' };
    return raw.map((item: unknown) => decodeValue(isCell(item) ? item.v : fail('REPEATED element', item), element, timestamps));
  }
  if (standardType(field.type) === 'RECORD') {
    if (raw === null || raw === undefined) return null;
    if (!isRow(raw)) return fail('RECORD', raw);
    return decodeRecord(raw, field.fields ?? [], timestamps);
  }
  return decodeScalar(raw, field.type, timestamps);
}

function decodeRecord(row: TableRow, fields: readonly TableFieldSchema[], timestamps: TimestampFormat): { [field: string]: BigQueryValue } {
  const out: { [field: string]: BigQueryValue } = {};
  fields.forEach((field, i) => {
    out[field.name] = decodeValue(row.f[i]?.v ?? null, field, timestamps);
  });
  return out;
}

/** A whole result row, one value per schema field, in schema order. */
export function decodeRow(row: TableRow, schema: TableSchema, timestamps: TimestampFormat = 'float-seconds'): BigQueryValue[] {
  if (!isRow(row)) return fail('row', row);
  return schema.fields.map((field, i) => decodeValue(row.f[i]?.v ?? null, field, timestamps));
}

/**
 * Coerces a decoded scalar to the type the query declared for its output, which may differ
 * from the result's own type (AVG over NUMERIC is NUMERIC in BigQuery, FLOAT64 in our model).
 */
export function cellFor(value: BigQueryValue, type: ScalarType): Cell {
  if (value === null) return null;
  if (typeof value === 'object') throw new RowFormatError(`expected a ${type} value, got a nested one`);
  switch (type) {
    case 'FLOAT64':
      return typeof value === 'number' ? value : Number(value);
    case 'INT64':
      return typeof value === 'number' ? (Number.isInteger(value) ? BigInt(value).toString() : String(Math.trunc(value))) : String(value);
    case 'NUMERIC':
      return typeof value === 'number' ? canonicalDecimal(String(value)) : String(value);
    case 'BOOL':
      return typeof value === 'boolean' ? value : value === 'true' || value === 1;
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** One column's wire value (a TableCell's `v`) to the Cell of the type the query declared for it. */
export type ColumnDecoder = (raw: unknown) => Cell;

/** An INT64 already in the form `BigInt(text).toString()` writes: no sign but '-', no leading zero, no '-0'. */
const CANONICAL_INT64 = /^(?:0|-?[1-9]\d*)$/;
/** Types decodeScalar hands back as the API's text. */
const DECODED_TYPES = new Set(['INT64', 'NUMERIC', 'BIGNUMERIC', 'FLOAT64', 'BOOL', 'DATETIME', 'TIME', 'TIMESTAMP']);

/**
 * A decoder per result column, chosen once for a result's schema: for every wire value the
 * same Cell as `cellFor(decodeValue(raw, field, timestamps), type)`, or the same
 * RowFormatError, without resolving the field's type again for each of a page's cells. Text
 * that decoding leaves as it is (STRING, DATE, canonical INT64) is returned without a copy.
 * @example const decode = columnDecoders(schema, ['INT64', 'STRING'], 'int64-micros'); decode[0]!(row.f[0]!.v);
 */
export function columnDecoders(schema: TableSchema, types: readonly ScalarType[], timestamps: TimestampFormat): ColumnDecoder[] {
  return schema.fields.map((field, i) => {
    const type = types[i]!;
    const std = standardType(field.type);
    if (field.mode === 'REPEATED' || std === 'RECORD') return (raw) => cellFor(decodeValue(raw, field, timestamps), type);
    const general: ColumnDecoder = (raw) => {
      const value = decodeScalar(raw, std, timestamps);
      return value === null ? null : cellFor(value, type);
    };
    // cellFor returns a text value unchanged for every declared type but these two.
    const textStays = type !== 'FLOAT64' && type !== 'BOOL';
    if (std === 'INT64') return textStays ? (raw) => (typeof raw === 'string' && CANONICAL_INT64.test(raw) ? raw : general(raw)) : general;
    if (!DECODED_TYPES.has(std)) return textStays ? (raw) => (typeof raw === 'string' ? raw : general(raw)) : general;
    return general;
  });
}

/** A row's cells, checked to be a row; read each one's `v`, or null past the end, as decodeRow does. */
export function rowCells(row: TableRow): readonly TableCell[] {
  return isRow(row) ? row.f : fail('row', row);
}

function isCell(value: unknown): value is TableCell {
  return typeof value === 'object' && value !== null && 'v' in value;
}

function isRow(value: unknown): value is TableRow {
  return typeof value === 'object' && value !== null && Array.isArray((value as { f?: unknown }).f);
}
