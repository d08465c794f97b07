/**
 * What a user gets with curl against the local server (`npm start`: wrangler dev, real
 * HTTP) equals what `sqlite3` reads from the same D1 database file directly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBridge, type LocalBridge } from '../../support/local-bridge.ts';

const SQLITE3 = '/usr/bin/sqlite3';
const hasSqlite = existsSync(SQLITE3);
let bridge: LocalBridge | undefined;

/** sqlite3's own reading of the database file, as JSON objects. */
function sqlite(sql: string): Record<string, unknown>[] {
  const out = spawnSync(SQLITE3, ['-readonly', '-json', bridge!.d1File(), sql], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>[]) : [];
}

async function curl(path: string): Promise<{ columns: { name: string }[]; rows: Record<string, unknown>[] }> {
  const res = await fetch(`${bridge!.url}${path}`, { headers: { authorization: `Bearer ${bridge!.keys.acme}` } });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as { columns: { name: string }[]; rows: Record<string, unknown>[] };
}

beforeAll(async () => {
  if (hasSqlite) bridge = await startLocalBridge({ endDate: '2026-11-20' });
}, 180_000);

afterAll(async () => {
  await bridge?.stop();
});

const CASES: { name: string; path: string; sql: string }[] = [
  {
    name: 'a date range on daily_user_summary, newest first',
    path: '/v1/views/daily_user_summary/rows?select=user_id,local_date,productive_active_duration_seconds,user_name&from=2026-11-17&to=2026-11-20&order=local_date.desc,user_id',
    sql: `SELECT user_id, local_date, productive_active_duration_seconds, user_name FROM "acme__daily_user_summary"
          WHERE local_date BETWEEN '2026-11-17' AND '2026-11-20' ORDER BY local_date DESC, user_id`,
  },
  {
    name: 'a filtered events query',
    path: '/v1/views/events/rows?select=user_id,utc_timestamp,application,duration_sec&productivity=eq.Unproductive&duration_sec=gte.60&order=utc_timestamp',
    sql: `SELECT user_id, utc_timestamp, application, duration_sec FROM "acme__events"
          WHERE productivity = 'Unproductive' AND duration_sec >= 60 ORDER BY utc_timestamp, user_id, computer_id`,
  },
  {
    name: 'a grouped sum and count per user and week',
    path: '/v1/views/daily_user_summary/rows?group_by=user_id,activity_week&select=user_id,activity_week,sum(total_duration_seconds),count()',
    sql: `SELECT user_id, activity_week, SUM(total_duration_seconds) AS sum_total_duration_seconds, COUNT(*) AS count
          FROM "acme__daily_user_summary" GROUP BY user_id, activity_week ORDER BY user_id, activity_week`,
  },
  {
    name: 'nested agent fields of users',
    path: '/v1/views/users/rows?select=uid,agents.agent_id,agents.user_name,display_name',
    sql: `SELECT uid, "agents.agent_id", "agents.user_name", display_name FROM "acme__users" ORDER BY uid, "agents.agent_id" NULLS FIRST`,
  },
  {
    name: 'an in-list and a text pattern',
    path: '/v1/views/daily_application_summary/rows?select=user_id,local_date,application_or_site,duration_seconds&productivity=in.(Productive,Undefined)&application_or_site=ilike.*o*&limit=10000',
    sql: `SELECT user_id, local_date, application_or_site, duration_seconds FROM "acme__daily_application_summary"
          WHERE productivity IN ('Productive', 'Undefined') AND application_or_site LIKE '%o%'
          ORDER BY user_id, local_date, computer_id, activity_type, application_or_site`,
  },
];

describe.skipIf(!hasSqlite)(
  hasSqlite ? 'curl against the local server agrees with sqlite3' : `sqlite parity skipped: no ${SQLITE3} (apt-get install sqlite3)`,
  () => {
    for (const c of CASES) {
      it(`returns the same rows as sqlite3 for ${c.name}`, async () => {
        const api = await curl(c.path);
        const direct = sqlite(c.sql);
        expect(direct.length).toBeGreaterThan(0);
        expect(api.rows).toEqual(direct.map((row) => Object.fromEntries(api.columns.map((col) => [col.name, row[col.name] ?? null]))));
      });
    }
  },
);
