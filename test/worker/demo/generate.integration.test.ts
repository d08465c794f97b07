// Integration: the demo generator and loader inside workerd, against a real (local) D1.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import type { ScalarType } from '../../../shared/types.ts';
import { VIEW_NAMES, VIEWS, type ViewName } from '../../../shared/views/index.ts';
import { DEMO_SIZES, generateDemo, type DemoData, type DemoOptions } from '../../../worker/demo/generate.ts';
import { loadDemoData } from '../../../worker/demo/load.ts';
import { sqliteTypeOf, type StoredValue } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { sha256Hex } from '../../../worker/encoding/sha256.ts';

// The range crosses the start of US daylight time (2025-03-09) and a weekend.
const OPTIONS: DemoOptions = { seed: 7, accountId: 417_001, endDate: '2025-03-12', ...DEMO_SIZES.tiny };
const DATASET = 'demo_test';

async function hashOf(data: DemoData): Promise<string> {
  const parts: string[] = [];
  for (const name of VIEW_NAMES) {
    const table = data.tables[name];
    parts.push(name, JSON.stringify(table.columns));
    for (const row of table.rows) parts.push(JSON.stringify(row));
  }
  return sha256Hex(parts.join('\n'));
}

function rowsOf(data: DemoData, name: ViewName): Record<string, StoredValue>[] {
  const table = data.tables[name];
  return [...table.rows].map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]!])));
}

const ENCODINGS: Record<ScalarType, (v: StoredValue) => boolean> = {
  // Ids stay below 2^31 so no client ever meets an id a JavaScript number or a 32-bit int cannot hold.
  INT64: (v) => Number.isSafeInteger(v) && Math.abs(v as number) < 2 ** 31,
  BOOL: (v) => v === 0 || v === 1,
  FLOAT64: (v) => typeof v === 'number' && Number.isFinite(v),
  NUMERIC: (v) => typeof v === 'string' && /^-?\d+\.\d+$/.test(v),
  STRING: (v) => typeof v === 'string',
  DATE: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  DATETIME: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v),
  TIMESTAMP: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v),
  TIME: (v) => typeof v === 'string' && /^\d{2}:\d{2}:\d{2}$/.test(v),
};

describe('generateDemo', () => {
  const data = generateDemo(OPTIONS);

  it('gives identical rows for the same seed', async () => {
    expect(await hashOf(generateDemo(OPTIONS))).toBe(await hashOf(data));
  });

  it('gives different rows for a different seed', async () => {
    expect(await hashOf(generateDemo({ ...OPTIONS, seed: 8 }))).not.toBe(await hashOf(data));
  });

  it('has rows for every view, one value per definition column, in definition order', () => {
    for (const name of VIEW_NAMES) {
      const table = data.tables[name];
      expect(table.columns, name).toEqual(leafColumns(VIEWS[name]).map((c) => c.name));
      const rows = [...table.rows];
      expect(rows.length, name).toBeGreaterThan(0);
      for (const row of rows) expect(row.length, name).toBe(table.columns.length);
    }
  });

  it('encodes every value as the storage contract says (or NULL)', () => {
    for (const name of VIEW_NAMES) {
      const leaves = leafColumns(VIEWS[name]);
      for (const row of data.tables[name].rows) {
        leaves.forEach((leaf, i) => {
          const v = row[i]!;
          if (v !== null && !ENCODINGS[leaf.type](v)) expect.fail(`${name}.${leaf.name} (${leaf.type}) holds ${JSON.stringify(v)}`);
        });
      }
    }
  });

  it('never repeats a row key in any view', () => {
    for (const name of VIEW_NAMES) {
      const table = data.tables[name];
      const at = VIEWS[name].rowKey.map((k) => table.columns.indexOf(k));
      const seen = new Set<string>();
      for (const row of table.rows) {
        const key = JSON.stringify(at.map((i) => row[i]));
        if (seen.has(key)) expect.fail(`${name}: duplicate row key ${key}`);
        seen.add(key);
      }
    }
  });

  it('names each user the same way in every view: the alias, else the first login', () => {
    const names = new Map<StoredValue, StoredValue>();
    for (const u of rowsOf(data, 'users')) if (!names.has(u.uid!)) names.set(u.uid!, u.display_name ?? u['agents.user_name']!);
    for (const name of [
      'daily_user_summary',
      'daily_application_summary',
      'premium_user_groups',
      'hourly_offline_meeting_summary',
    ] as const) {
      for (const r of rowsOf(data, name)) expect(r.user_name, name).toBe(names.get(r.user_id!));
    }
    for (const r of rowsOf(data, 'user_work_schedules')) expect(r.user_name).toBe(names.get(r.uid!));
    const aliases = new Map(rowsOf(data, 'users').map((u) => [u.uid, u.display_name]));
    for (const r of rowsOf(data, 'events')) expect(r.user_alias).toBe(aliases.get(r.user_id!));
  });

  it('includes titlebars and search terms a spreadsheet would run as formulas', () => {
    const small = generateDemo({ ...OPTIONS, days: 30, users: 12 });
    const starts = new Set<string>();
    for (const e of rowsOf(small, 'events')) {
      for (const text of [e.titlebar, e.search_term]) if (typeof text === 'string' && /^[=+\-@]/.test(text)) starts.add(text[0]!);
    }
    expect([...starts].sort()).toEqual(['+', '-', '=', '@']);
  });

  it('rejects options it cannot honour with a message naming the option', () => {
    expect(() => generateDemo({ ...OPTIONS, endDate: '2025-02-30' })).toThrow(/2025-02-30/);
    expect(() => generateDemo({ ...OPTIONS, users: 0 })).toThrow(/users/);
    expect(() => generateDemo({ ...OPTIONS, timeZone: 'Europe/Paris' })).toThrow(/timeZone/);
  });
});

describe('loadDemoData into D1', () => {
  const data = generateDemo(OPTIONS);
  const progress: [string, number][] = [];
  const q = (sql: string) => env.DB.prepare(sql);
  const t = (name: ViewName) => `"${tableName(DATASET, name)}"`;

  beforeAll(async () => {
    await loadDemoData(env.DB, DATASET, data, { onProgress: (view, rows) => progress.push([view, rows]) });
  });

  it('creates every definition column with the affinity its type is stored as', async () => {
    for (const name of VIEW_NAMES) {
      const { results } = await q(`PRAGMA table_info(${t(name)})`).all<{ name: string; type: string }>();
      expect(
        results.map((c) => [c.name, c.type]),
        name,
      ).toEqual(leafColumns(VIEWS[name]).map((c) => [c.name, sqliteTypeOf(c.type)]));
    }
  });

  it('indexes the row key (unique where the view promises it) and the date and change columns', async () => {
    for (const name of VIEW_NAMES) {
      const view = VIEWS[name];
      const { results: indexes } = await q(`PRAGMA index_list(${t(name)})`).all<{ name: string; unique: number }>();
      const columnsOf = async (index: string) =>
        (await q(`PRAGMA index_info("${index}")`).all<{ name: string }>()).results.map((c) => c.name);
      const unique = indexes.filter((i) => i.unique === 1);
      expect(unique, name).toHaveLength(view.rowKeyUnique ? 1 : 0);
      const key = await Promise.all(indexes.filter((i) => i.name.endsWith('__key')).map((i) => columnsOf(i.name)));
      expect(key, name).toEqual([[...view.rowKey]]);
      const indexed = await Promise.all(indexes.map((i) => columnsOf(i.name)));
      for (const column of [view.dateColumn, view.changeColumn]) {
        if (column !== null) expect(indexed, `${name}.${column}`).toContainEqual([column]);
      }
    }
  });

  it('stores exactly the rows the generator yields, reporting progress per view', async () => {
    for (const name of VIEW_NAMES) {
      const expected = [...data.tables[name].rows].length;
      const row = await q(`SELECT count(*) AS n FROM ${t(name)}`).first<{ n: number }>();
      expect(row?.n, name).toBe(expected);
      expect(progress.filter(([v]) => v === name).at(-1)?.[1], name).toBe(expected);
    }
  });

  it('reads back every value exactly as generated', async () => {
    for (const name of ['events', 'users', 'daily_user_summary'] as const) {
      const table = data.tables[name];
      const cols = table.columns.map((c) => `"${c}"`).join(', ');
      const stored = await q(`SELECT ${cols} FROM ${t(name)} ORDER BY rowid`).raw();
      expect(stored, name).toEqual([...table.rows]);
    }
  });

  it("computes daily_user_summary from exactly that user-day's events", async () => {
    const { results } = await q(`
      WITH e AS (
        SELECT user_id, local_date,
          sum(duration_sec) AS total, count(*) AS n,
          sum(CASE WHEN active_state = 'Active' THEN duration_sec ELSE 0 END) AS active,
          sum(CASE WHEN productivity_state = 'Productive Active' THEN duration_sec ELSE 0 END) AS pa,
          sum(CASE WHEN productivity_state = 'Productive Passive' THEN duration_sec ELSE 0 END) AS pp,
          sum(CASE WHEN productivity_state = 'Unproductive Active' THEN duration_sec ELSE 0 END) AS ua,
          sum(CASE WHEN productivity_state = 'Unproductive Passive' THEN duration_sec ELSE 0 END) AS up,
          sum(CASE WHEN productivity_state = 'Undefined Active' THEN duration_sec ELSE 0 END) AS da,
          sum(CASE WHEN productivity_state = 'Undefined Passive' THEN duration_sec ELSE 0 END) AS dp,
          sum(productivity = 'Productive') AS pn, sum(productivity = 'Unproductive') AS un, sum(productivity = 'Undefined') AS dn,
          min(local_datetime) AS first
        FROM ${t('events')} GROUP BY user_id, local_date)
      SELECT s.user_id, s.local_date,
        s.total_duration_seconds - e.total AS total, s.total_activity_count - e.n AS n,
        s.active_duration_seconds - e.active AS active,
        s.productive_active_duration_seconds - e.pa AS pa, s.productive_passive_duration_seconds - e.pp AS pp,
        s.unproductive_active_duration_seconds - e.ua AS ua, s.unproductive_passive_duration_seconds - e.up AS up,
        s.undefined_active_duration_seconds - e.da AS da, s.undefined_passive_duration_seconds - e.dp AS dp,
        s.productive_activity_count - e.pn AS pn, s.unproductive_activity_count - e.un AS un,
        s.undefined_activity_count - e.dn AS dn,
        s.non_business_activity_count - (e.un + e.dn) AS nb,
        s.first_activity_datetime = e.first AS first_ok
      FROM ${t('daily_user_summary')} s JOIN e USING (user_id, local_date)`).all<Record<string, number>>();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r, `${r.user_id} ${r.local_date}`).toMatchObject({
        total: 0,
        n: 0,
        active: 0,
        pa: 0,
        pp: 0,
        ua: 0,
        up: 0,
        da: 0,
        dp: 0,
        pn: 0,
        un: 0,
        dn: 0,
        nb: 0,
        first_ok: 1,
      });
    }
    // And no user-day has events without a summary row.
    const orphan = await q(`SELECT count(*) AS n FROM (SELECT DISTINCT user_id, local_date FROM ${t('events')})
      LEFT JOIN ${t('daily_user_summary')} s USING (user_id, local_date) WHERE s.user_id IS NULL`).first<{
      n: number;
    }>();
    expect(orphan?.n).toBe(0);
  });

  it('builds daily_application_summary from the events grouped by its row key', async () => {
    const { results } = await q(`
      WITH e AS (
        SELECT user_id, local_date, computer_id,
          CASE WHEN active_state = 'Passive' THEN 'Passive' ELSE activity_type END AS activity_type,
          application_or_site, sum(duration_sec) AS d, count(*) AS n
        FROM ${t('events')} GROUP BY 1, 2, 3, 4, 5)
      SELECT
        (SELECT count(*) FROM e) AS groups,
        (SELECT count(*) FROM ${t('daily_application_summary')} WHERE activity_type <> 'Offline Meeting') AS rows,
        (SELECT count(*) FROM e JOIN ${t('daily_application_summary')} a
           USING (user_id, local_date, computer_id, activity_type, application_or_site)
         WHERE a.duration_seconds = e.d AND a.activity_count = e.n) AS matching`).all<Record<string, number>>();
    const { groups, rows, matching } = results[0]!;
    expect(groups).toBeGreaterThan(0);
    expect(rows).toBe(groups);
    expect(matching).toBe(groups);
  });

  it('agrees on offline meeting time across daily_user_summary, the hourly view and the application summary', async () => {
    const { results } = await q(`
      SELECT s.user_id, s.local_date, s.offline_meeting_duration_seconds AS summary,
        coalesce((SELECT sum(duration_seconds_in_hour) FROM ${t('hourly_offline_meeting_summary')} h
                  WHERE h.user_id = s.user_id AND substr(h.start_time, 1, 10) = s.local_date), 0) AS hourly,
        coalesce((SELECT sum(duration_seconds) FROM ${t('daily_application_summary')} a
                  WHERE a.user_id = s.user_id AND a.local_date = s.local_date AND a.activity_type = 'Offline Meeting'), 0) AS apps
      FROM ${t('daily_user_summary')} s`).all<{ summary: number; hourly: number; apps: number }>();
    expect(results.some((r) => r.summary > 0)).toBe(true);
    for (const r of results) expect([r.hourly, r.apps]).toEqual([r.summary, r.summary]);
  });

  it('derives daily_group_benchmarks from daily_user_summary', async () => {
    const { results } = await q(`
      SELECT b.activity_date,
        b.productive_seconds_all AS b_productive,
        coalesce(sum(s.productive_active_duration_seconds + s.productive_passive_duration_seconds), 0) AS s_productive,
        b.focused_seconds_all AS b_focused, coalesce(sum(s.focused_duration_seconds), 0) AS s_focused,
        b.active_day_count AS b_active, coalesce(sum(s.active_day_count), 0) AS s_active,
        b.time_off_day_count AS b_off, coalesce(sum(s.time_off_day), 0) AS s_off
      FROM ${t('daily_group_benchmarks')} b LEFT JOIN ${t('daily_user_summary')} s ON s.local_date = b.activity_date
      GROUP BY b.activity_date`).all<Record<string, number>>();
    expect(results).toHaveLength(OPTIONS.days);
    for (const r of results) {
      expect([r.b_productive, r.b_focused, r.b_active, r.b_off]).toEqual([r.s_productive, r.s_focused, r.s_active, r.s_off]);
    }
  });

  it('replaces the data when loaded again instead of adding to it', async () => {
    const before = await q(`SELECT count(*) AS n FROM ${t('events')}`).first<{ n: number }>();
    await loadDemoData(env.DB, DATASET, data, { views: ['events'] });
    const after = await q(`SELECT count(*) AS n FROM ${t('events')}`).first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it('stores the same table through bound parameters as through literals', async () => {
    await loadDemoData(env.DB, 'demo_batch', data, { method: 'batch', views: ['events', 'users'] });
    for (const name of ['events', 'users'] as const) {
      const diff = await q(
        `SELECT count(*) AS n FROM (SELECT * FROM ${t(name)} EXCEPT SELECT * FROM "${tableName('demo_batch', name)}")`,
      ).first<{ n: number }>();
      expect(diff?.n, name).toBe(0);
    }
  });
});
