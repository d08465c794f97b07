// Review: keyset paging is only as good as the row key it tie-breaks on.
import { beforeAll, describe, expect, it } from 'vitest';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import { getRows, rowsPath, walkPages, type Keys } from '../api/support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
  // Two groups with the same target, which the view definition itself says can happen
  // ("rows with equal targets are indistinguishable to a client"). The demo schema puts a
  // UNIQUE index on every row key; BigQuery's group_goals has no such constraint, so drop it
  // to hold what production can hold.
  await testEnv.DB.prepare('DROP INDEX "acme__group_goals__key"').run();
  await testEnv.DB.prepare(
    `INSERT INTO acme__group_goals (core_activity_hrs_day) SELECT core_activity_hrs_day FROM acme__group_goals LIMIT 1`,
  ).run();
});

describe('group_goals, whose row key (the target) is not unique', () => {
  // Not fixed: keyset paging needs a unique order, and group_goals has no column that is
  // unique. Paged with limit=1, the second of two equal targets is skipped: `> 3.0` passes over
  // it. A fix needs a discriminator the view does not have: for a view declared with a
  // non-unique key, page by offset (the view is a handful of rows), or refuse a limit below the
  // row count and always answer the whole view in one page.
  it.fails('paged one row at a time, returns as many rows as one big page', async () => {
    const [{ n }] = (await direct<{ n: number }>('SELECT COUNT(*) AS n FROM acme__group_goals')) as [{ n: number }];
    const whole = await getRows(rowsPath('group_goals', 'limit=100'), keys.acme);
    expect(whole.rows).toHaveLength(n);
    const paged = await walkPages(rowsPath('group_goals', 'limit=1'), keys.acme);
    expect(paged.rows).toEqual(whole.rows);
  });
});
