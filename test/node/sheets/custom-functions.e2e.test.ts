import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../../apps-script/build.ts';
import { apiValues, dayIn, Worlds } from '../../support/apps-script/harness.ts';
import { builtProject } from '../../support/apps-script/project.ts';
import { formatDate } from '../../support/apps-script/utilities.ts';
import { DEMO_END_DATE, startTestApi, type TestApi } from '../../support/apps-script/worker-server.ts';

// Formula → custom function in the built bundle → UrlFetchApp stand-in → real HTTP →
// the Worker under wrangler dev → D1 with the seeded demo data, and back into a cell.

let project: BuildResult;
let api: TestApi;
const worlds = new Worlds(() => project.outDir);
const NY = 'America/New_York';

beforeAll(async () => {
  [project, api] = await Promise.all([builtProject(), startTestApi()]);
}, 240_000);
afterEach(() => worlds.closeAll());
afterAll(() => api?.stop());

const isDate = (value: unknown) => Object.prototype.toString.call(value) === '[object Date]';

function queries(world: ReturnType<Worlds['create']>) {
  return world.fetches.filter((f) => f.url.includes('/query'));
}

describe('=ACTIVTRAK end to end', () => {
  it('returns the rows under a header, dates as dates in the sheet zone and numbers as numbers', async () => {
    const world = worlds.connected(api);
    const from = new Date('2026-10-01T04:00:00Z'); // a date cell holding 2026-10-01 in New York
    const cell = world.formula(
      'ACTIVTRAK',
      'daily_user_summary',
      [['user_name'], ['local_date'], ['productive_active_duration_seconds']],
      from,
      DEMO_END_DATE,
      undefined,
      'order=local_date.desc,user_name',
    );
    if (!('values' in cell)) throw new Error(cell.error);
    const expected = await apiValues(api, 'acme', 'daily_user_summary', {
      select: ['user_name', 'local_date', 'productive_active_duration_seconds'],
      from: '2026-10-01',
      to: DEMO_END_DATE,
      order: 'local_date.desc,user_name',
    });
    expect(cell.values[0]).toEqual(['user_name', 'local_date', 'productive_active_duration_seconds']);
    expect(cell.values.length).toBe(expected.values.length);
    expect(cell.values.length).toBeGreaterThan(1);
    cell.values.slice(1).forEach((row, i) => {
      const want = expected.values[i + 1]!;
      expect(row[0]).toBe(want[0]);
      expect(dayIn(row[1], NY)).toBe(want[1]);
      expect(typeof row[2]).toBe('number');
      expect(row[2]).toBe(want[2]);
    });
    const [request] = queries(world);
    expect(request).toMatchObject({ method: 'POST', url: `${api.url}/v1/views/daily_user_summary/query` });
    expect(request!.headers['Authorization']).toBe(`Bearer ${api.keys.acme}`);
    expect(JSON.parse(request!.body!)).toMatchObject({ from: '2026-10-01', to: DEMO_END_DATE, format: 'values', dates: 'serial' });
  });

  it('returns DATE, DATETIME and TIMESTAMP cells as Date objects, which Sheets shows as dates: wall clock in the sheet zone, UTC instants as instants', async () => {
    const world = worlds.connected(api);
    const cell = world.formula('ACTIVTRAK', 'events', 'local_date,account_datetime,utc_timestamp', '', '', undefined, 'limit=20');
    if (!('values' in cell)) throw new Error(cell.error);
    const expected = await apiValues(api, 'acme', 'events', { select: ['local_date', 'account_datetime', 'utc_timestamp'], limit: 20 });
    expect(cell.values).toHaveLength(21);
    cell.values.slice(1).forEach((row, i) => {
      const [day, wallClock, instant] = expected.values[i + 1] as string[];
      // A null is an empty cell, as before.
      // Dates from the script's own realm: instanceof Date would not hold across it.
      row.forEach((c, k) => expect(isDate(c) || (c === '' && expected.values[i + 1]![k] === '')).toBe(true));
      if (day) expect(dayIn(row[0], NY)).toBe(day);
      if (wallClock) expect(formatDate(row[1] as Date, NY, "yyyy-MM-dd'T'HH:mm:ss")).toBe(wallClock);
      if (instant) expect((row[2] as Date).toISOString().replace('.000Z', 'Z')).toBe(instant);
    });
    expect(JSON.parse(queries(world)[0]!.body!)).toMatchObject({ dates: 'serial' });
  });

  it('takes filters and options the way a sheet user writes them', async () => {
    const world = worlds.connected(api);
    const cell = world.formula(
      'ACTIVTRAK',
      'events',
      'user_name,productivity,duration_sec',
      '',
      '',
      [['productivity', 'Productive'], ['duration_sec>=60']],
      'limit=5, order=duration_sec.desc',
    );
    if (!('values' in cell)) throw new Error(cell.error);
    expect(cell.values).toHaveLength(6);
    const durations = cell.values.slice(1).map((r) => r[2] as number);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    for (const row of cell.values.slice(1)) {
      expect(row[1]).toBe('Productive');
      expect(row[2]).toBeGreaterThanOrEqual(60);
    }
    expect(JSON.parse(queries(world)[0]!.body!).filters).toEqual({ productivity: ['eq.Productive'], duration_sec: ['gte.60'] });
  });

  it('serves the same formula from CacheService the second time, without calling the API', () => {
    const world = worlds.connected(api);
    const first = world.formula('ACTIVTRAK', 'daily_user_summary', 'user_id,local_date');
    expect(queries(world)).toHaveLength(1);
    const second = world.formula('ACTIVTRAK', 'daily_user_summary', 'user_id,local_date');
    expect(queries(world)).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it('pages through results larger than a page and caches them in chunks under 100 KB each', () => {
    const world = worlds.connected(api);
    world.properties.script.data.set('activtrak.page_size', '100');
    const direct = world.formula('ACTIVTRAK', 'events');
    if (!('values' in direct)) throw new Error(direct.error);
    const rows = direct.values.length - 1;
    expect(rows).toBeGreaterThan(300);
    expect(queries(world)).toHaveLength(Math.ceil((rows + 1) / 100));
    const chunks = [...world.caches.document.entries].filter(([key]) => /\.\d+$/.test(key));
    expect(chunks.length).toBeGreaterThan(1);
    for (const [, entry] of chunks) expect(Buffer.byteLength(entry.value)).toBeLessThanOrEqual(100 * 1024);

    world.fetches.length = 0;
    expect(world.formula('ACTIVTRAK', 'events')).toEqual(direct);
    expect(queries(world)).toHaveLength(0);

    // The cache may drop any chunk at any time: a missing one is a miss, never a short answer.
    world.caches.document.evict((key) => key.endsWith('.1'));
    expect(world.formula('ACTIVTRAK', 'events')).toEqual(direct);
    expect(queries(world).length).toBeGreaterThan(0);
  });

  it('returns text that starts with = as text, without the apostrophe the API adds for sheets', async () => {
    // The demo data has window titles like =HYPERLINK(...): text a monitored user typed.
    const world = worlds.connected(api);
    const cell = world.formula('ACTIVTRAK', 'events', 'titlebar', '', '', 'titlebar=like.=HYPERLINK*');
    if (!('values' in cell)) throw new Error(cell.error);
    const raw = await apiValues(api, 'acme', 'events', { select: ['titlebar'], filters: { titlebar: 'like.=HYPERLINK*' } });
    expect(raw.values.length).toBeGreaterThan(1);
    expect(raw.values.slice(1).every((r) => String(r[0]).startsWith("'=HYPERLINK("))).toBe(true);
    expect(cell.values).toEqual([['titlebar'], ...raw.values.slice(1).map((r) => [String(r[0]).slice(1)])]);
  });

  it('stops before the 30-second limit and says how to narrow the query', () => {
    const world = worlds.connected(api, 'acme', { costs: { fetch: () => 8_000 } });
    world.properties.script.data.set('activtrak.page_size', '100');
    const result = world.run('custom-function', 'ACTIVTRAK', ['events']);
    expect(result.killed).toBe(false);
    expect(result.elapsedMs).toBeLessThan(30_000);
    expect(result.error).toMatch(
      /^This result is too large to load within Sheets' 30-second limit for formulas \(300 rows so far\)\. Narrow it with dates, filters or limit=/,
    );
  });
});

describe('=ACTIVTRAK_VIEWS and =ACTIVTRAK_COLUMNS end to end', () => {
  it('lists the views the key can read, fewer on a lower plan', async () => {
    const acme = worlds.connected(api, 'acme');
    const initech = worlds.connected(api, 'initech');
    const all = acme.formula('ACTIVTRAK_VIEWS');
    const fewer = initech.formula('ACTIVTRAK_VIEWS');
    if (!('values' in all) || !('values' in fewer)) throw new Error('no values');
    expect(all.values[0]).toEqual([
      'view',
      'description',
      'date column',
      'change column',
      'row key',
      'columns on your plan',
      'lowest plan',
    ]);
    const catalog = (await (await fetch(`${api.url}/v1/views`, { headers: { authorization: `Bearer ${api.keys.acme}` } })).json()) as {
      views: { name: string }[];
    };
    expect(all.values.slice(1).map((r) => r[0])).toEqual(catalog.views.map((v) => v.name));
    expect(fewer.values.length).toBeLessThan(all.values.length);
    expect(all.values.find((r) => r[0] === 'daily_user_summary')).toEqual(expect.arrayContaining(['local_date', 'user_id, local_date']));
  });

  it('marks the columns above the key plan as not readable', () => {
    const world = worlds.connected(api, 'globex');
    const cell = world.formula('ACTIVTRAK_COLUMNS', 'daily_user_summary');
    if (!('values' in cell)) throw new Error(cell.error);
    expect(cell.values[0]).toEqual(['column', 'type', 'description', 'plan', 'readable']);
    const byName = new Map(cell.values.slice(1).map((r) => [r[0], r]));
    expect(byName.get('user_name')).toEqual(['user_name', 'STRING', expect.any(String), 'essentials', true]);
    expect(byName.get('break_count')?.[4]).toBe(false);
  });
});

describe('readable errors in the cell', () => {
  const cases: [string, unknown[], RegExp][] = [
    [
      'an unknown view, with a suggestion',
      ['ACTIVTRAK', 'daily_user_sumary'],
      /^Unknown view 'daily_user_sumary'\. Did you mean 'daily_user_summary'\?$/,
    ],
    [
      'an unknown column, with a suggestion',
      ['ACTIVTRAK', 'daily_user_summary', 'usr_name'],
      /^Unknown column 'usr_name' in daily_user_summary\. Did you mean 'user_name'\?$/,
    ],
    ['a bad date', ['ACTIVTRAK', 'daily_user_summary', '', '2026-13-45'], /^from='2026-13-45' is not a date; write YYYY-MM-DD\.$/],
    [
      'a view above the plan',
      ['ACTIVTRAK', 'daily_group_benchmarks'],
      /needs the Professional \(formerly Premium\) plan; your key is on Essentials/,
    ],
    [
      'a filter without an operator',
      ['ACTIVTRAK', 'events', '', '', '', 'productivity'],
      /^Filter 'productivity' needs the form column=op\.value/,
    ],
    [
      'an unknown option',
      ['ACTIVTRAK', 'events', '', '', '', '', 'limt=5'],
      /^Unknown option 'limt=5'\. Options: limit=…, order=…, group_by=…, header=…/,
    ],
    ['an unknown view for the column list', ['ACTIVTRAK_COLUMNS', 'user'], /^Unknown view 'user'\. Did you mean 'users'\?$/],
  ];
  it.each(cases)('%s', (_, [name, ...args], message) => {
    const world = worlds.connected(api, 'initech');
    const cell = world.formula(name as string, ...args);
    expect(cell).toEqual({ error: expect.stringMatching(message) });
    const error = (cell as { error: string }).error;
    expect(error).not.toMatch(/\n\s+at |Error:|Exception:/);
  });

  it('says so when the saved key is wrong or revoked', () => {
    const world = worlds.connected(api);
    world.properties.user(world.owner).data.set('activtrak.api_key', 'acb_demo_acme_000000000000000000000000');
    expect(world.formula('ACTIVTRAK', 'events')).toEqual({ error: 'The API key you supplied is incorrect.' });
  });

  it('says so when the API cannot be reached', () => {
    const world = worlds.connected(api);
    world.properties.user(world.owner).data.set('activtrak.api_url', 'http://127.0.0.1:9');
    expect(world.formula('ACTIVTRAK', 'events')).toEqual({
      error: 'Could not reach the ActivTrak API at http://127.0.0.1:9: Address unavailable: http://127.0.0.1:9/v1/views/events/query',
    });
  });
});
