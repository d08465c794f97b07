/**
 * Baselines: the same SQL the API runs, compiled by the product's own compiler for the demo
 * layout, run by the sqlite3 shell straight on the local D1 file. What the API adds on top
 * (HTTP, auth, keyset chunking, encoding, caching) is then the ratio between the two.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Plan } from '../../shared/plans.ts';
import { getView } from '../../shared/views/index.ts';
import { tableName } from '../../worker/warehouse/d1/tables.ts';
import { compileSelect, type BoundParam } from '../../worker/query/sql.ts';
import { parseQuery } from '../../worker/query/parse.ts';
import type { Format } from '../../worker/query/model.ts';
import { sqliteDialect } from '../../worker/warehouse/d1/dialect.ts';

export const SQLITE3 = '/usr/bin/sqlite3';
/** workerd holds the file open and writes to it (key last-used times, hooks): wait for its locks. */
const BUSY = ['-cmd', '.timeout 10000'];

export function hasSqlite3(): boolean {
  return existsSync(SQLITE3) && spawnSync(SQLITE3, ['-version']).status === 0;
}

function literal(p: BoundParam): string {
  const v = p.value;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  if (p.type === 'INT64' && /^-?\d+$/.test(v)) return v;
  return `'${v.replaceAll("'", "''")}'`;
}

/**
 * The SELECT the D1 warehouse would send for these request parameters, with its parameters
 * written in (they are ours, not a request's), and without a LIMIT when `limit` is null.
 */
export function compiledSql(
  tenant: string,
  plan: Plan,
  viewName: string,
  params: Record<string, string>,
  limit: number | null,
  format: Format = 'json',
): string {
  const view = getView(viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const { query } = parseQuery(Object.entries(params), { view, plan, impliedFormat: format });
  const compiled = compileSelect(query, sqliteDialect, tableName(tenant, view.name), limit ?? 1);
  let sql = compiled.sql.replace(/\?(\d+)/g, (_m, n: string) => literal(compiled.params[Number(n) - 1]!));
  if (limit === null) sql = sql.replace(/ LIMIT \d+$/, '');
  return sql;
}

/** Wall time of `sqlite3 -csv <file> <sql>` with its output thrown away, and the bytes it wrote. */
export function timeSqliteCsv(file: string, sql: string): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(SQLITE3, [...BUSY, '-readonly', '-csv', '-header', file, sql], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let err = '';
    child.stdout.on('data', (c: Buffer) => (bytes += c.length));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`sqlite3 failed (${code}): ${err.slice(0, 500)}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes });
    });
  });
}

/**
 * The engine time of one statement, run `times` times in one sqlite3 process with `.timer on`
 * (so process start is not counted): every run's "real" seconds.
 */
export function sqliteRunTimes(file: string, sql: string, times: number): number[] {
  const script = ['.timer on', '.output /dev/null', ...Array.from({ length: times }, () => `${sql};`)].join('\n');
  const result = spawnSync(SQLITE3, [...BUSY, '-readonly', file], { input: script, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr.slice(0, 500)}`);
  // .timer writes to stdout even with .output redirected on some builds, to stderr on others.
  const text = `${result.stdout}\n${result.stderr}`;
  return [...text.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]));
}

/** A scalar from the database (a count, say). */
export function sqliteScalar(file: string, sql: string): string {
  const result = spawnSync(SQLITE3, [...BUSY, '-readonly', file, sql], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr.slice(0, 500)}`);
  return result.stdout.trim();
}

/** Runs a writing statement (used only on the bench's own copy, with the worker stopped). */
export function sqliteExec(file: string, sql: string): void {
  const result = spawnSync(SQLITE3, [...BUSY, file, sql], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr.slice(0, 500)}`);
}
