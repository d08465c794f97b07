// Each chunk of an export resumes at a keyset position. SQLite must seek the row-key index to
// it: a scan from the start of the index for every chunk makes a whole-view export quadratic.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { getView } from '../../../shared/views/index.ts';
import { createTableStatements } from '../../../worker/demo/schema.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { compileSelect, type BoundParam } from '../../../worker/query/sql.ts';
import { sqliteDialect } from '../../../worker/warehouse/d1/dialect.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';

const param = (p: BoundParam) => (typeof p.value === 'boolean' ? Number(p.value) : p.value);

/** The query plan SQLite picks for a chunk of `view` resuming after `after`. */
function chunkPlan(viewName: string, after: readonly string[]): string[] {
  const view = getView(viewName)!;
  const db = new DatabaseSync(':memory:');
  for (const sql of createTableStatements('acme', view)) db.exec(sql);
  const { query } = parseQuery([['format', 'csv']], { view, plan: 'professional' });
  const compiled = compileSelect({ ...query, after, afterTies: 0 }, sqliteDialect, tableName('acme', view.name), 5001);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.params.map(param)) as { detail: string }[];
  db.close();
  return rows.map((r) => r.detail);
}

describe('the keyset of an export chunk', () => {
  it('seeks the events row-key index to the position instead of scanning it from the start', () => {
    const plan = chunkPlan('events', ['210001', '88001', '2026-01-01T15:46:09Z']);
    expect(plan.some((d) => /^SEARCH .* USING INDEX "?acme__events__key"? \(user_id>\?\)/.test(d))).toBe(true);
    expect(plan.some((d) => /^SCAN /.test(d))).toBe(false);
    expect(plan.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
  });
});
