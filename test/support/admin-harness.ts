/**
 * `npm run admin` in-process, over an in-memory SQLite database with the D1 migrations
 * applied. Statements run as the same inlined SQL text that `wrangler d1 execute` would get,
 * without spawning wrangler (seconds per command) for every case.
 *
 * @example
 * const admin = adminHarness();
 * await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
 * admin.query('SELECT plan FROM tenants'); // [{ plan: 'essentials' }]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { admin, type AdminIO, type Target } from '../../scripts/admin.ts';
import type { Row } from '../../scripts/lib/admin-commands.ts';
import { ROOT } from '../../scripts/lib/wrangler.ts';
import { inline } from '../../worker/tenants/admin.ts';

export interface AdminHarness {
  /** Runs one command line, as `npm run admin -- ...argv`. */
  run(...argv: string[]): Promise<void>;
  /** Reads the database directly, to check what a command wrote. */
  query(sql: string): Row[];
  /** What the command printed, one entry per line it logged. */
  readonly printed: string[];
  readonly tables: Row[][];
  /** The database each statement batch was sent to; empty when the command touched none. */
  readonly targets: Target[];
}

export function adminHarness(): AdminHarness {
  const db = new DatabaseSync(':memory:');
  const migrations = join(ROOT, 'migrations');
  for (const file of readdirSync(migrations).sort()) db.exec(readFileSync(join(migrations, file), 'utf8'));
  const printed: string[] = [];
  const tables: Row[][] = [];
  const targets: Target[] = [];
  const io: AdminIO = {
    execute: async (target, ...statements) => {
      targets.push(target);
      return statements.map((statement) => db.prepare(inline(statement)).all());
    },
    log: (text) => printed.push(text),
    table: (rows) => tables.push([...rows]),
  };
  return {
    run: (...argv) => admin(argv, io),
    query: (sql) =>
      db
        .prepare(sql)
        .all()
        .map((row) => ({ ...row })),
    printed,
    tables,
    targets,
  };
}
