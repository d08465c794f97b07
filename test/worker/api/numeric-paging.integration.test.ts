// Keyset paging over an aggregate the demo warehouse computes in floating point.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, direct, seedTinyDemo, testEnv } from '../support/demo.ts';
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

describe('NUMERIC in the demo warehouse', () => {
  // SQLite has no decimal type: a NUMERIC value is stored as its exact text and returned so, but
  // MIN/MAX/SUM/AVG over CAST(... AS NUMERIC) are doubles. The README says so; this holds it to that.
  const big = '12345678901234567890.123456789';
  let other = 0;
  beforeAll(async () => {
    other = (await direct<{ user_id: number }>(`SELECT user_id FROM acme__daily_user_summary WHERE user_id <> ? LIMIT 1`, user))[0]!
      .user_id;
    await testEnv.DB.prepare(`UPDATE acme__daily_user_summary SET user_focus_goal = ? WHERE user_id = ?`).bind(big, other).run();
  });

  // The body's text, not res.json(): JSON.parse would itself round the number to a double.
  const text = async (query: Record<string, string | number>) => {
    const res = await api(rowsPath('daily_user_summary', qs({ user_id: `eq.${other}`, ...query })), keys.acme);
    expect(res.status).toBe(200);
    return res.text();
  };

  it('returns a stored NUMERIC value digit for digit', async () => {
    expect(await text({ select: 'user_focus_goal', limit: 1 })).toContain(`"user_focus_goal":${big}`);
  });

  it('computes min() and max() of a NUMERIC column in double precision, as the README says', async () => {
    const body = await text({ select: 'max(user_focus_goal),min(user_focus_goal)' });
    expect(body).not.toContain(big);
    const row = (JSON.parse(body) as { rows: Record<string, number>[] }).rows[0]!;
    expect(Object.values(row)).toEqual([Number(big), Number(big)]);
  });
});
