// Keyset paging over an aggregate the demo warehouse computes in floating point.
import { beforeAll, describe, expect, it } from 'vitest';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import { getRows, qs, rowsPath, walkPages, type Keys } from './support/contract.ts';

let keys: Keys;
let user = 0;
beforeAll(async () => {
  keys = await seedTinyDemo();
  // One user whose NUMERIC goals sum to 0.1 + 0.2: 0.30000000000000004 as SQLite adds them.
  const rows = await direct<{ rowid: number; user_id: number }>(
    'SELECT rowid, user_id FROM acme__daily_user_summary WHERE user_id = (SELECT MIN(user_id) FROM acme__daily_user_summary) ORDER BY rowid',
  );
  user = rows[0]!.user_id;
  await testEnv.DB.batch([
    testEnv.DB.prepare(`UPDATE acme__daily_user_summary SET user_productivity_goal = '0' WHERE user_id = ?`).bind(user),
    testEnv.DB.prepare(`UPDATE acme__daily_user_summary SET user_productivity_goal = '0.1' WHERE rowid = ?`).bind(rows[0]!.rowid),
    testEnv.DB.prepare(`UPDATE acme__daily_user_summary SET user_productivity_goal = '0.2' WHERE rowid = ?`).bind(rows[1]!.rowid),
  ]);
});

describe('paging ordered by a NUMERIC sum', () => {
  it.each(['asc', 'desc'])('returns every group once and ends (%s)', async (direction) => {
    const query = {
      group_by: 'user_id',
      select: 'user_id,sum(user_productivity_goal)',
      order: `sum_user_productivity_goal.${direction}`,
    };
    const whole = await getRows(rowsPath('daily_user_summary', qs({ ...query, limit: 100 })), keys.acme);
    expect(whole.rows.map((r) => r.user_id)).toContain(user);
    const { rows } = await walkPages(rowsPath('daily_user_summary', qs({ ...query, limit: 1 })), keys.acme);
    expect(rows).toEqual(whole.rows);
  });
});

describe('NUMERIC aggregates in the demo warehouse', () => {
  // Not fixed: SQLite has no decimal type, so MIN/MAX over CAST(... AS NUMERIC) return a
  // double and the stored text '12345678901234567890.123456789' comes back as
  // 12345678901234567000. A fix compares numerically but returns the stored text, e.g.
  // `(SELECT col FROM t WHERE ... ORDER BY CAST(col AS NUMERIC) DESC LIMIT 1)` per group, or
  // stores NUMERIC as a scaled INTEGER pair in the demo schema.
  it.fails('min() and max() of a NUMERIC column return the stored value digit for digit, as README promises', async () => {
    const big = '12345678901234567890.123456789';
    const { user_id } = (
      await direct<{ user_id: number }>(`SELECT user_id FROM acme__daily_user_summary WHERE user_id <> ? LIMIT 1`, user)
    )[0]!;
    await testEnv.DB.prepare(`UPDATE acme__daily_user_summary SET user_focus_goal = ? WHERE user_id = ?`).bind(big, user_id).run();
    const body = await getRows(
      rowsPath('daily_user_summary', qs({ user_id: `eq.${user_id}`, select: 'max(user_focus_goal),min(user_focus_goal)' })),
      keys.acme,
    );
    const text = JSON.stringify(body.rows);
    expect(text).toContain(big);
  });
});
