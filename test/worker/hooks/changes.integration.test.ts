import { beforeAll, describe, expect, it } from 'vitest';
import { api, direct, seedTinyDemo } from '../support/demo.ts';
import { insertRows } from './helpers.ts';

type ChangesBody = {
  view: string;
  change_column: string;
  rows: { id: string; [column: string]: unknown }[];
  latest: string | null;
  has_more: boolean;
};

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

async function changes(path: string, key = keys.acme): Promise<ChangesBody> {
  const res = await api(path, key);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ChangesBody;
}

async function problem(path: string, key = keys.acme) {
  const res = await api(path, key);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return { status: res.status, body: (await res.json()) as { detail: string; type: string } };
}

describe('GET /v1/views/{view}/changes', () => {
  it('lists rows newest first by the change column, then the row key descending, with ids from the row key', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes');
    const expected = await direct<{ user_id: number; local_date: string }>(
      'SELECT user_id, local_date FROM acme__daily_user_summary ORDER BY local_date DESC, user_id DESC LIMIT 100',
    );
    expect(body.view).toBe('daily_user_summary');
    expect(body.change_column).toBe('local_date');
    expect(body.rows.map((r) => r.id)).toEqual(expected.map((r) => `${r.user_id}|${r.local_date}`));
    expect(body.latest).toBe(expected[0]!.local_date);
    expect(body.has_more).toBe(false);
  });

  it('gives every row a unique id, the first field of the row', async () => {
    const body = await changes('/v1/views/events/changes?limit=1000');
    const ids = body.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(body.rows[0]!)[0]).toBe('id');
    const first = body.rows[0]!;
    expect(first.id).toBe(`${String(first.user_id)}|${String(first.computer_id)}|${String(first.utc_timestamp)}`);
    const timestamps = body.rows.map((r) => r.utc_timestamp as string);
    expect(timestamps).toEqual([...timestamps].sort().reverse());
  });

  it('returns 100 rows by default and says when more are left', async () => {
    const body = await changes('/v1/views/events/changes');
    expect(body.rows).toHaveLength(100);
    expect(body.has_more).toBe(true);
  });

  it('refuses a limit above 1000 with 400 naming the maximum', async () => {
    const { status, body } = await problem('/v1/views/events/changes?limit=1001');
    expect(status).toBe(400);
    expect(body.detail).toMatch(/at most 1000/);
  });

  it('keeps only rows whose change value is greater than since, typed by the column', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes?since=2026-11-18');
    const expected = await direct<{ n: number }>(`SELECT count(*) AS n FROM acme__daily_user_summary WHERE local_date > '2026-11-18'`);
    expect(body.rows.length).toBe(expected[0]!.n);
    expect(body.rows.every((r) => (r.local_date as string) > '2026-11-18')).toBe(true);
  });

  it('reads since on a TIMESTAMP change column in any zone and compares it in UTC', async () => {
    const body = await changes(`/v1/views/events/changes?since=${encodeURIComponent('2026-11-20T18:40:00-05:00')}`);
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows.every((r) => (r.utc_timestamp as string) > '2026-11-20T23:40:00Z')).toBe(true);
  });

  it('refuses a since that is not a value of the change column with 400 naming since and the format', async () => {
    const { status, body } = await problem('/v1/views/daily_user_summary/changes?since=yesterday');
    expect(status).toBe(400);
    expect(body.detail).toMatch(/since='yesterday'.*local_date \(DATE\).*YYYY-MM-DD/);
  });

  it('treats an empty since as absent, the way a first poll sends it', async () => {
    const all = await changes('/v1/views/daily_user_summary/changes');
    const empty = await changes('/v1/views/daily_user_summary/changes?since=');
    expect(empty.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
  });

  it('echoes since as latest when nothing is newer, so the next poll asks the same', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes?since=2030-01-01');
    expect(body.rows).toEqual([]);
    expect(body.latest).toBe('2030-01-01');
  });

  it('filters and selects with the /rows syntax', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes?user_id=eq.210003&select=user_id,local_date');
    expect(body.rows.length).toBeGreaterThan(0);
    for (const row of body.rows) {
      expect(Object.keys(row)).toEqual(['id', 'user_id', 'local_date']);
      expect(row.user_id).toBe(210003);
    }
  });

  it('keeps ids whole when select leaves the key columns out', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes?select=active_duration_seconds&limit=3');
    expect(body.rows.map((r) => r.id)).toEqual(['210005|2026-11-20', '210004|2026-11-20', '210003|2026-11-20']);
  });

  it('answers a bare array with shape=array, the form a Zapier polling trigger returns', async () => {
    const res = await api('/v1/views/daily_user_summary/changes?shape=array&limit=2', keys.acme);
    const body = (await res.json()) as { id: string }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((r) => r.id)).toEqual(['210005|2026-11-20', '210004|2026-11-20']);
  });

  it('refuses a view with no change column with 400 explaining why, from the view definition', async () => {
    const { status, body } = await problem('/v1/views/users/changes');
    expect(status).toBe(400);
    expect(body.detail).toMatch(/users cannot be polled/);
    expect(body.detail).toContain('The view has no timestamp or version column');
  });

  it.each([
    ['order=local_date', /'order' does not apply to changes/],
    ['group_by=user_id', /'group_by' does not apply to changes/],
    ['select=count()', /Aggregates do not apply/],
    ['usr_id=eq.1', /Unknown column or parameter 'usr_id'.*user_id/],
    ['user_id=eq.abc', /'abc' is not a valid value for user_id/],
    ['shape=table', /shape must be/],
  ])('refuses %s with 400 and the same message /rows gives', async (query, pattern) => {
    const { status, body } = await problem(`/v1/views/daily_user_summary/changes?${query}`);
    expect(status).toBe(400);
    expect(body.detail).toMatch(pattern);
  });

  it('refuses a view above the caller’s plan with 403', async () => {
    const { status } = await problem('/v1/views/daily_group_benchmarks/changes', keys.initech);
    expect(status).toBe(403);
  });

  it('reads only the caller’s own account', async () => {
    const body = await changes('/v1/views/daily_user_summary/changes', keys.globex);
    const expected = await direct<{ user_id: number; local_date: string }>(
      'SELECT user_id, local_date FROM globex__daily_user_summary ORDER BY local_date DESC, user_id DESC LIMIT 100',
    );
    expect(body.rows.map((r) => r.id)).toEqual(expected.map((r) => `${r.user_id}|${r.local_date}`));
  });

  it('returns exactly the new rows when polled again with the previous latest', async () => {
    const first = await changes('/v1/views/consumers/changes');
    await insertRows('acme', 'consumers', [
      { row_id: 9001, etl_last_update_datetime: '2030-01-01T00:00:01Z' },
      { row_id: 9002, etl_last_update_datetime: '2030-01-01T00:00:02Z' },
    ]);
    const next = await changes(`/v1/views/consumers/changes?since=${encodeURIComponent(first.latest!)}`);
    expect(next.rows.map((r) => r.id)).toEqual(['9002', '9001']);
    expect(next.latest).toBe('2030-01-01T00:00:02Z');
  });
});

describe('GET /v1/views/{view}/changes with a named poller', () => {
  type Poll = ChangesBody & { ids: string[] };
  async function poll(query: string, key = keys.acme): Promise<Poll> {
    const body = await changes(`/v1/views/daily_application_summary/changes?${query}`, key);
    return { ...body, ids: body.rows.map((r) => r.id) };
  }
  // daily_application_summary, which no other test here adds rows to.
  /** A day of a large account: `count` users on one local_date, so the rows share one change value. */
  // The day after the newest one in the table, so the test passes whichever test ran before it.
  async function newDay(count: number, firstUser: number): Promise<string[]> {
    const [newest] = await direct<{ day: string }>('SELECT max(local_date) AS day FROM acme__daily_application_summary');
    const date = new Date(Date.parse(`${newest!.day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const rows = Array.from({ length: count }, (_, i) => ({
      user_id: firstUser + i,
      local_date: date,
      computer_id: 1,
      activity_type: 'Application',
      application_or_site: 'Editor',
    }));
    for (let i = 0; i < rows.length; i += 50) await insertRows('acme', 'daily_application_summary', rows.slice(i, i + 50));
    return rows.map((r) => `${r.user_id}|${date}|1|Application|Editor`);
  }

  it('starts at the newest row, handing out the newest rows as already there', async () => {
    const plain = await changes('/v1/views/daily_application_summary/changes?limit=20');
    const started = await poll('poller=start-test&start=newest&limit=20');
    expect(started.ids).toEqual(plain.rows.map((r) => r.id));
    // Nothing arrived since, so the next poll has nothing past the position.
    const next = await poll('poller=start-test&limit=20');
    expect(next.ids).toEqual([]);
    expect(next.has_more).toBe(false);
  });

  it('hands a backlog that shares one change value out limit rows at a time, oldest first, repeating the last page', async () => {
    await poll('poller=backlog&start=newest&limit=100');
    const day = await newDay(250, 800000);
    const first = await poll('poller=backlog&limit=100');
    expect(first.ids).toEqual(day.slice(0, 100).reverse());
    expect(first.has_more).toBe(true);
    const second = await poll('poller=backlog&limit=100');
    expect(second.ids).toEqual(day.slice(0, 200).reverse());
    const third = await poll('poller=backlog&limit=100');
    expect(third.ids).toEqual(day.slice(100, 250).reverse());
    expect(third.has_more).toBe(false);
    expect(third.latest).toBe(day[0]!.split('|')[1]);
    // Nothing new: the last page again, so an answer that never reached the client is not lost.
    const fourth = await poll('poller=backlog&limit=100');
    expect(fourth.ids).toEqual(day.slice(200, 250).reverse());
  });

  it('keeps one position per poller name, per query and per key', async () => {
    await poll('poller=a&start=newest');
    await poll('poller=b&start=newest');
    await poll('poller=a&start=newest&select=user_id,local_date');
    await poll('poller=a&start=newest', keys.globex);
    const day = await newDay(5, 810000);
    expect((await poll('poller=a')).ids).toEqual([...day].reverse());
    expect((await poll('poller=a')).ids).toEqual([...day].reverse());
    expect((await poll('poller=b')).ids).toEqual([...day].reverse());
    expect((await poll('poller=a&select=user_id,local_date')).ids).toEqual([...day].reverse());
    // globex's table has none of acme's rows.
    expect((await poll('poller=a', keys.globex)).ids).toEqual([]);
  });

  it('refuses start without a poller, since with one, and malformed names or starts, with 400 saying what to do', async () => {
    const cases: [string, RegExp][] = [
      ['start=newest', /start applies to a named poller only/],
      ['poller=x&since=2026-11-01', /keeps its own position, so since does not apply/],
      ['poller=has%20space', /poller must be 1 to 100 letters/],
      ['poller=x&start=oldest', /start must be 'newest'/],
      ['poller=x&poller=y', /'poller' was given twice/],
    ];
    for (const [query, detail] of cases) {
      const { status, body } = await problem(`/v1/views/daily_application_summary/changes?${query}`);
      expect({ query, status }).toEqual({ query, status: 400 });
      expect(body.detail).toMatch(detail);
    }
  });
});
