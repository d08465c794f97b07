// Integration (real D1): INT64 crosses the D1 binding as a number only where a JavaScript
// number holds it exactly, and as its text everywhere else, so every value reads back as
// SQLite's own text for it, in the outputs and in the keyset positions paging resumes from.
import { beforeAll, describe, expect, it } from 'vitest';
import { readRows } from '../../../worker/query/execute.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import type { Cell } from '../../../worker/warehouse/types.ts';
import { queryFor, seedRows } from '../../support/bigquery/harness.ts';
import { direct, testEnv } from '../support/demo.ts';

const DATASET = 'ints';

/** Stored in `user_id` (a STRICT INTEGER column): the edges of 2^53 and of 64 bits, NULL. */
const STORED: readonly (string | null)[] = [
  '0',
  '-1',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775807',
  '-9223372036854775808',
  null,
];

let expected: (string | null)[];
beforeAll(async () => {
  await seedRows(
    DATASET,
    'daily_user_summary',
    STORED.map((user_id, i) => ({ user_id, local_date: `2026-01-${String(i + 1).padStart(2, '0')}` })),
  );
  // What SQLite itself writes for each stored value, in the order paging returns them.
  const rows = await direct<{ t: string | null }>(
    `SELECT CAST(user_id AS TEXT) AS t FROM ${DATASET}__daily_user_summary ORDER BY user_id ASC NULLS FIRST, local_date ASC NULLS FIRST`,
  );
  expected = rows.map((r) => r.t);
});

describe('INT64 from the demo warehouse', () => {
  it('reads every stored value as SQLite writes it, beyond 2^53 and at the 64-bit edges too', async () => {
    const query = { ...queryFor('daily_user_summary', { select: 'user_id,local_date' }), limit: 100 };
    const page = await new D1Warehouse(testEnv.DB, DATASET).page(query, 100);
    expect(page.rows.map((r) => r[0])).toEqual(expected);
    expect(expected).toContain('9007199254740993');
    expect(expected).toContain('-9223372036854775808');
  });

  it('resumes from each position exactly: chunks of one return every row once, in order', async () => {
    const query = { ...queryFor('daily_user_summary', { select: 'user_id,local_date' }), limit: 100 };
    const out: Cell[][] = [];
    for await (const row of readRows(new D1Warehouse(testEnv.DB, DATASET), query, 1).rows) out.push(row);
    expect(out.map((r) => r[0])).toEqual(expected);
  });
});
