/**
 * Loads generated demo data into D1: drops and recreates each view's table (schema.ts),
 * then inserts the rows.
 *
 * Two ways in, both measured against the local D1 on a busy 2-vCPU machine (events,
 * 50 columns, small size = 125k rows):
 * - 'exec' (default): multi-row INSERTs of up to ~90 KB (D1's statement limit is 100 KB)
 *   with values written as SQL literals, sent through `db.exec()` about 2 MB at a time.
 *   From Node through wrangler's platform proxy (the `npm run seed` path): 6k–16k rows/s;
 *   a full `npm run seed` (3 tenants × small, 560k rows) took 88 s. sqlite3 itself ran the
 *   same SQL at ~31k rows/s, so the local D1 plumbing, not the SQL, is the bottleneck.
 *   Inside workerd: 14k–17k rows/s through the loader; exec of pre-built SQL alone reached
 *   ~45k rows/s while the machine was quieter.
 * - 'batch': multi-row INSERTs with bound parameters through `db.batch()`. D1 allows 100
 *   parameters per statement, which is 2 event rows, so a million events is half a million
 *   statements: ~640 rows/s through the platform proxy, 6k–9k rows/s inside workerd.
 * Literals are safe here because every value is produced by our generator, never by a
 * request, and `sqlLiteral` escapes whatever it is given (quotes, NUL, line breaks, any
 * Unicode); load.integration.test.ts checks each reads back exactly as a bound parameter does.
 */
import type { ViewDef } from '../../shared/types.ts';
import type { DemoTable } from './generators/table.ts';
import { createTableStatements, dropTableStatements, quoteIdent, type StoredValue } from './schema.ts';
import { tableName } from '../warehouse/d1/tables.ts';

type LoadMethod = 'exec' | 'batch';

export interface LoadOptions {
  /** Called after each chunk is written, with the rows written so far for that view. */
  onProgress?: (view: string, rows: number) => void;
  method?: LoadMethod;
  /** Only these views (default: all the data has). */
  views?: readonly string[];
  /** SQL text per exec() call (method 'exec'); for benchmarks. */
  execChunkBytes?: number;
}

export interface LoadResult {
  readonly rows: Readonly<Record<string, number>>;
  readonly totalRows: number;
  readonly milliseconds: number;
}

/** D1's documented limits: bound parameters per statement, and SQL statement length. */
const D1_MAX_BOUND_PARAMETERS = 100;
const D1_MAX_STATEMENT_BYTES = 100_000;
/**
 * SQL text per exec() call. Each call is a round trip and a transaction: 0.5 MB was clearly
 * slower than 2–5 MB inside workerd; 0.25–8 MB were within noise through the proxy.
 */
const EXEC_CHUNK_BYTES = 2 * 1024 * 1024;
/** Statements per db.batch() call. */
const BATCH_STATEMENTS = 500;

/**
 * Replaces the demo tables of `dataset` with `data`. Each view's table is dropped and
 * created first, so loading twice leaves one copy, not two.
 * @example
 * await loadDemoData(env.DB, 'acme', generateDemo({ seed: 1, accountId: 417_001, endDate, ...DEMO_SIZES.small }));
 */
export async function loadDemoData(
  db: D1Database,
  dataset: string,
  data: { readonly tables: Readonly<Record<string, DemoTable>> },
  options: LoadOptions = {},
): Promise<LoadResult> {
  const started = Date.now();
  const method = options.method ?? 'exec';
  const rows: Record<string, number> = {};
  let totalRows = 0;
  for (const [name, table] of Object.entries(data.tables)) {
    if (options.views && !options.views.includes(name)) continue;
    await recreateTable(db, dataset, table.view);
    const count =
      method === 'exec'
        ? await insertWithExec(db, dataset, table, options.onProgress, options.execChunkBytes ?? EXEC_CHUNK_BYTES)
        : await insertWithBatch(db, dataset, table, options.onProgress);
    rows[name] = count;
    totalRows += count;
  }
  return { rows, totalRows, milliseconds: Date.now() - started };
}

async function recreateTable(db: D1Database, dataset: string, view: ViewDef): Promise<void> {
  const statements = [...dropTableStatements(dataset, view), ...createTableStatements(dataset, view)];
  await db.batch(statements.map((sql) => db.prepare(sql)));
}

function insertPrefix(dataset: string, table: DemoTable): string {
  return `INSERT INTO ${quoteIdent(tableName(dataset, table.view.name))} (${table.columns.map(quoteIdent).join(', ')}) VALUES `;
}

async function insertWithExec(
  db: D1Database,
  dataset: string,
  table: DemoTable,
  onProgress: LoadOptions['onProgress'],
  chunkLimit: number,
): Promise<number> {
  const prefix = insertPrefix(dataset, table);
  const name = table.view.name;
  // exec() runs one statement per line (it splits on '\n'); sqlLiteral never emits one.
  let chunk: string[] = [];
  let chunkBytes = 0;
  let statement = '';
  let rows = 0;
  // One exec() in flight while the next chunk is generated: the generator's CPU time then
  // overlaps D1's write time instead of adding to it.
  let inFlight: Promise<unknown> = Promise.resolve();
  const endStatement = () => {
    if (statement === '') return;
    chunk.push(statement);
    chunkBytes += statement.length + 1;
    statement = '';
  };
  const flush = async () => {
    endStatement();
    if (chunk.length === 0) return;
    const sql = chunk.join('\n');
    const written = rows;
    chunk = [];
    chunkBytes = 0;
    await inFlight;
    inFlight = db.exec(sql).then(() => onProgress?.(name, written));
  };
  for (const row of table.rows) {
    const tuple = tupleLiteral(row);
    // Length in UTF-16 units; multi-byte characters are rare, so keep a 10% margin for them.
    if (statement !== '' && statement.length + tuple.length + 1 > D1_MAX_STATEMENT_BYTES * 0.9) endStatement();
    statement = statement === '' ? prefix + tuple : `${statement},${tuple}`;
    rows++;
    if (chunkBytes + statement.length > chunkLimit) await flush();
  }
  await flush();
  await inFlight;
  return rows;
}

async function insertWithBatch(db: D1Database, dataset: string, table: DemoTable, onProgress: LoadOptions['onProgress']): Promise<number> {
  const width = table.columns.length;
  if (width > D1_MAX_BOUND_PARAMETERS) {
    throw new Error(`demo load of ${table.view.name}: ${width} columns exceed D1's ${D1_MAX_BOUND_PARAMETERS} parameters`);
  }
  const perStatement = Math.floor(D1_MAX_BOUND_PARAMETERS / width);
  const prefix = insertPrefix(dataset, table);
  const placeholders = `(${new Array(width).fill('?').join(', ')})`;
  const shapes = new Map<number, D1PreparedStatement>();
  const statementFor = (n: number) => {
    let s = shapes.get(n);
    if (!s) {
      s = db.prepare(prefix + new Array(n).fill(placeholders).join(', '));
      shapes.set(n, s);
    }
    return s;
  };
  let pending: D1PreparedStatement[] = [];
  let params: StoredValue[] = [];
  let inStatement = 0;
  let rows = 0;
  const endStatement = () => {
    if (inStatement === 0) return;
    pending.push(statementFor(inStatement).bind(...params));
    params = [];
    inStatement = 0;
  };
  const flush = async () => {
    endStatement();
    if (pending.length === 0) return;
    await db.batch(pending);
    pending = [];
    onProgress?.(table.view.name, rows);
  };
  for (const row of table.rows) {
    for (const v of row) params.push(v);
    inStatement++;
    rows++;
    if (inStatement === perStatement) endStatement();
    if (pending.length >= BATCH_STATEMENTS) await flush();
  }
  await flush();
  return rows;
}

function tupleLiteral(row: readonly StoredValue[]): string {
  let out = '(';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) out += ',';
    out += sqlLiteral(row[i]!);
  }
  return out + ')';
}

// Fast path: text with none of these can go between quotes as it is.
// eslint-disable-next-line no-control-regex -- control characters are what these look for
const NEEDS_CARE = /[\u0000-\u001f\u007f\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A stored value as an SQLite literal that reads back exactly as the same value bound as
 * a parameter would: NULL, integers and reals as numbers, text in single quotes with
 * quotes doubled, and text with control characters (NUL, CR, LF, ...) or unpaired UTF-16
 * surrogates as a UTF-8 blob cast to TEXT, because a NUL would end the SQL text and a line
 * break would split the statement in D1's exec(). Surrogate pairs (emoji) stay plain text.
 * @example sqlLiteral("O'Brien") // "'O''Brien'"
 * @example sqlLiteral('a\nb')    // "CAST(X'610A62' AS TEXT)"
 */
export function sqlLiteral(value: StoredValue | boolean): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot store ${value} in SQLite`);
    // String() gives the shortest text that round-trips to the same double.
    return String(value);
  }
  if (!NEEDS_CARE.test(value) || (!CONTROL.test(value) && isWellFormedUtf16(value))) {
    return `'${value.replaceAll("'", "''")}'`;
  }
  let hex = '';
  for (const b of wtf8(value)) hex += (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  return `CAST(X'${hex}' AS TEXT)`;
}

/**
 * UTF-8, except that an unpaired surrogate is encoded as its own 3-byte sequence (WTF-8)
 * rather than replaced: that is what D1 stores for such a string bound as a parameter.
 */
function wtf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
