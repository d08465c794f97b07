/**
 * Serves the BigQuery stand-in over real HTTP from Node, for clients that cannot take an
 * injected fetch (the Apps Script or Zapier test harnesses, `wrangler dev` pointed at it):
 * the same handler as in workerd, over a node:sqlite database with the demo layout.
 *
 * @example
 * const server = await serveStandIn(new BigQueryStandIn({ db: demoExecutor('demo', demoOptions), ... }));
 * // token_uri: `${server.url}/token`, API base: `${server.url}/bigquery/v2`
 * await server.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { VIEWS } from '../../../shared/views/index.ts';
import { generateDemo, type DemoOptions } from '../../../worker/demo/generate.ts';
import { createTableStatements, quoteIdent } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { isNested, nestedInsert, nestedTableStatements, nestRows } from './nested.ts';
import { ConnectionDropped, type BigQueryStandIn, type SqlExecutor } from './standin.ts';

function executorOver(db: DatabaseSync): SqlExecutor & { close(): void } {
  return {
    all: async (sql, params) => {
      // Arrays in select order, as D1's raw() gives them: building an object per row and then
      // taking its values again cost four times as much as the query itself on a 40,000-row result.
      const statement = db.prepare(sql);
      statement.setReturnArrays(true);
      return statement.all(...(params as (string | number | null)[])) as unknown as unknown[][];
    },
    close: () => db.close(),
  };
}

/**
 * A node:sqlite database in memory holding every view of a generated demo account as
 * `dataset`, in the layout the stand-in reads: the same flat tables `npm run seed` fills in
 * D1, and for each view with a REPEATED record its nested table, folded from the same rows.
 */
export function demoExecutor(dataset: string, options: DemoOptions): SqlExecutor & { close(): void } {
  const db = new DatabaseSync(':memory:');
  const data = generateDemo(options);
  for (const view of Object.values(VIEWS)) {
    for (const sql of createTableStatements(dataset, view)) db.exec(sql);
    const table = data.tables[view.name];
    const insert = db.prepare(
      `INSERT INTO ${quoteIdent(tableName(dataset, view.name))} (${table.columns.map(quoteIdent).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`,
    );
    db.exec('BEGIN');
    for (const row of table.rows) insert.run(...row);
    db.exec('COMMIT');
    if (!isNested(view)) continue;
    for (const sql of nestedTableStatements(dataset, view)) db.exec(sql);
    const nested = db.prepare(nestedInsert(dataset, view));
    db.exec('BEGIN');
    for (const row of nestRows(view, table.columns, table.rows)) nested.run(...row);
    db.exec('COMMIT');
  }
  return executorOver(db);
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function respond(standIn: BigQueryStandIn, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const method = req.method ?? 'GET';
    const payload = method === 'GET' || method === 'HEAD' ? undefined : await body(req);
    const answer = await standIn.handle(
      new Request(`http://127.0.0.1${req.url ?? '/'}`, { method, headers, ...(payload ? { body: payload } : {}) }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch (err) {
    if (err instanceof ConnectionDropped) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 500, message: String(err), errors: [{ reason: 'internalError' }], status: 'INTERNAL' } }));
  }
}

/** Listens on 127.0.0.1 (a free port unless given) and answers every request with the stand-in. */
export async function serveStandIn(standIn: BigQueryStandIn, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  // Node ignores what a request listener returns, so the answer's promise is let go explicitly.
  const server = createServer((req, res) => void respond(standIn, req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
