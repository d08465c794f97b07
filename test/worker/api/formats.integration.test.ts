// Integration: json, csv, ndjson and values carry the same rows and the same types, digit for digit;
// csv and values neutralise spreadsheet formulas (CWE-1236), json and ndjson do not.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScalarType } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import {
  api,
  ALL_VIEWS,
  PROFESSIONAL,
  expectedRows,
  getRows,
  leafColumns,
  q,
  qs,
  rowsPath,
  tableOf,
  type Keys,
  type Row,
  type RowsBody,
} from './support/contract.ts';
import { parseCsv } from './support/csv.ts';

let keys: Keys;
const BIG = '9007199254740993'; // 2^53 + 1: a JavaScript number would print ...992
const EXACT = '12345678901234567.25'; // more digits than a double holds
const TENTH = '0.1';

/** Text a monitored user could type into a titlebar or search box, each starting with a formula trigger. */
const HOSTILE = ['=HYPERLINK("http://evil.example","x")', '+1 212 555 0100', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', '-3'];
/** Text that only contains a trigger later, or starts with a space: left alone. */
const HARMLESS = ['a=b', ' =1', 'O\'Brien, "quoted"', 'Budget Q4; -5 (space before the sign)'];
/** Text with a trigger right after a separator that a semicolon or tab locale splits on. */
const SPLIT = ['Budget Q4;=2+5', 'a,=HYPERLINK("x")', 'x\t@SUM(A1)', 'tab\tonly', 'semi;colon'];
const FIRST_GROUP = 990_001;
const SPLIT_GROUP = 990_101;

beforeAll(async () => {
  keys = await seedTinyDemo();
  // One daily_user_summary row whose user_id and goals only survive if nothing passes through a double.
  const table = tableOf('acme', 'daily_user_summary');
  const names = leafColumns(VIEWS.daily_user_summary).map((c) => c.name);
  const overrides: Record<string, string> = { user_id: BIG, user_focus_goal: `'${EXACT}'`, user_productivity_goal: `'${TENTH}'` };
  await testEnv.DB.prepare(
    `INSERT INTO ${table} (${names.map(q).join(', ')}) SELECT ${names.map((n) => overrides[n] ?? q(n)).join(', ')} FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`,
  ).run();
  // Text cells that a spreadsheet would run as formulas, in one acme premium_user_groups row each.
  await testEnv.DB.batch(
    [...HOSTILE, ...HARMLESS].map((text, i) =>
      testEnv.DB.prepare(
        `INSERT INTO ${tableOf('acme', 'premium_user_groups')} (account_id, group_id, group_name, is_primary_group, system_user_name, type, user_alias, user_id, user_name)
         VALUES (310001, ?, ?, 0, 'sys', ?, ?, 1, 'n')`,
      ).bind(FIRST_GROUP + i, text, -(i + 1), text),
    ),
  );
  await testEnv.DB.batch(
    SPLIT.map((text, i) =>
      testEnv.DB.prepare(
        `INSERT INTO ${tableOf('acme', 'premium_user_groups')} (account_id, group_id, group_name, is_primary_group, system_user_name, type, user_alias, user_id, user_name)
         VALUES (310001, ?, ?, 0, 'sys', 1, ?, 1, 'n')`,
      ).bind(SPLIT_GROUP + i, text, text),
    ),
  );
});

const tenant = PROFESSIONAL;
const neutralised = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
/** In CSV a trigger after a separator a spreadsheet may split on is neutralised too. */
const csvNeutralised = (s: string) => neutralised(s).replace(/([,;\t|\r\n])([=+\-@\t\r])/g, "$1'$2");

/** A CSV cell read back as the JSON value it stands for (text as written, after formula neutralising). */
function fromCsv(cell: string, type: ScalarType): unknown {
  if (cell === '') return null;
  if (type === 'INT64' || type === 'NUMERIC' || type === 'FLOAT64') return Number(cell);
  if (type === 'BOOL') {
    if (cell !== 'true' && cell !== 'false') throw new Error(`BOOL cell '${cell}'`);
    return cell === 'true';
  }
  return cell;
}
/** What a JSON value becomes in a spreadsheet format: text neutralised, empty text and NULL alike. */
function forSheet(value: unknown, type: ScalarType, neutralise = neutralised): unknown {
  if (value === null || value === '') return null;
  return type === 'STRING' ? neutralise(value as string) : value;
}

async function text(path: string, key: string, init?: RequestInit): Promise<{ res: Response; body: string }> {
  const res = await api(path, key, init);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${body}`);
  return { res, body };
}

describe.each(ALL_VIEWS.map((v) => [v.name, v] as const))('%s in every format', (_name, view) => {
  it('csv (streamed, RFC 4180), ndjson (streamed) and values carry exactly the json rows', async () => {
    const json = await getRows(rowsPath(view), keys[tenant.id]);
    const types = json.columns.map((c) => c.type);
    const names = json.columns.map((c) => c.name);
    expect(json.rows).toEqual(await expectedRows(tenant, view, leafColumns(view)));

    const csv = await text(rowsPath(view, 'format=csv'), keys[tenant.id]);
    expect(csv.res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...records] = parseCsv(csv.body);
    expect(header).toEqual(names);
    expect(csv.body.endsWith('\r\n')).toBe(true);
    expect(records.map((r) => r.map((cell, i) => fromCsv(cell, types[i]!)))).toEqual(
      json.rows.map((row) => names.map((n, i) => forSheet(row[n], types[i]!, csvNeutralised))),
    );

    const nd = await text(rowsPath(view, 'format=ndjson'), keys[tenant.id]);
    expect(nd.res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(nd.body.endsWith('\n')).toBe(true);
    expect(
      nd.body
        .slice(0, -1)
        .split('\n')
        .map((line) => JSON.parse(line) as Row),
    ).toEqual(json.rows);

    const values = (await getRows(rowsPath(view, 'format=values'), keys[tenant.id])) as unknown as {
      values: unknown[][];
      columns: unknown;
    };
    expect(values.columns).toEqual(json.columns);
    expect(values.values[0]).toEqual(names);
    expect(values.values.slice(1)).toEqual(json.rows.map((row) => names.map((n, i) => forSheet(row[n], types[i]!) ?? '')));
  });
});

describe('json', () => {
  it('has view, column metadata, object rows, row_count and an absolute next link that is also in Link and x-next-cursor', async () => {
    const res = await api(rowsPath('events', qs({ select: 'user_id,utc_timestamp', limit: 5 })), keys.acme);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as RowsBody;
    expect(body).toMatchObject({
      view: 'events',
      row_count: 5,
      columns: [
        { name: 'user_id', type: 'INT64' },
        { name: 'utc_timestamp', type: 'TIMESTAMP' },
      ],
    });
    expect(body.rows).toHaveLength(5);
    const next = new URL(body.next!);
    expect(next.origin).toBe('http://bridge.test');
    expect(next.pathname).toBe('/v1/views/events/rows');
    expect(next.searchParams.get('cursor')).toBe(body.next_cursor);
    expect(res.headers.get('link')).toBe(`<${body.next}>; rel="next"`);
    expect(res.headers.get('x-next-cursor')).toBe(body.next_cursor);
    expect(res.headers.get('x-row-count')).toBe('5');
  });

  it('the last page has next null and no Link header', async () => {
    const res = await api(rowsPath('consumers', qs({ limit: 100 })), keys.acme);
    const body = (await res.json()) as RowsBody;
    expect(body.next).toBeNull();
    expect(body.next_cursor).toBeNull();
    expect(res.headers.get('link')).toBeNull();
  });
});

describe('choosing a format', () => {
  const path = (suffix = '', query = 'select=uid,display_name') => `/v1/views/users/rows${suffix}?${query}`;
  const typeOf = async (p: string, init?: RequestInit) => {
    const res = await api(p, keys.acme, init);
    expect(res.status, p).toBe(200);
    const body = await res.text();
    return { type: res.headers.get('content-type') ?? '', body };
  };

  it('a .csv, .ndjson, .values or .json suffix picks the format', async () => {
    expect((await typeOf(path('.csv'))).type).toMatch(/^text\/csv/);
    expect((await typeOf(path('.ndjson'))).type).toMatch(/^application\/x-ndjson/);
    expect(JSON.parse((await typeOf(path('.values'))).body)).toHaveProperty('values');
    expect(JSON.parse((await typeOf(path('.json'))).body)).toHaveProperty('rows');
  });

  it('an unknown suffix is 404 problem+json', async () => {
    const res = await api(path('.xml'), keys.acme);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('Accept: text/csv or application/x-ndjson picks the format when there is no suffix', async () => {
    expect((await typeOf(path(), { headers: { accept: 'text/csv' } })).type).toMatch(/^text\/csv/);
    expect((await typeOf(path(), { headers: { accept: 'application/x-ndjson' } })).type).toMatch(/^application\/x-ndjson/);
    expect((await typeOf(path(), { headers: { accept: 'text/html, */*' } })).type).toMatch(/^application\/json/);
  });

  it.each([
    ['text/csv;q=0.9, application/json', /^application\/json/],
    ['application/json;q=0.5, text/csv', /^text\/csv/],
    ['text/*', /^text\/csv/],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', /^application\/json/],
    ['*/*, text/csv', /^text\/csv/],
    ['application/x-ndjson, */*;q=0.1', /^application\/x-ndjson/],
    ['text/csv, application/json', /^text\/csv/],
    ['application/x-ndjson, application/json', /^application\/x-ndjson/],
    ['application/json;q=', /^application\/json/],
    ['text/csv;q=-1', /^text\/csv/],
  ])('Accept: %s is weighed by q and by how exactly it names a type', async (accept, type) => {
    expect((await typeOf(path(), { headers: { accept } })).type).toMatch(type);
  });

  it('an Accept that allows none of the formats is 406 naming the ones served, unless format= or a suffix names one', async () => {
    for (const accept of ['application/xml', 'text/html, application/json;q=0']) {
      const res = await api(path(), keys.acme, { headers: { accept } });
      expect(res.status, accept).toBe(406);
      const body = (await res.json()) as { type: string; detail: string };
      expect(body.type).toMatch(/not-acceptable$/);
      expect(body.detail).toContain('application/json, text/csv or application/x-ndjson');
    }
    expect((await typeOf(path('', 'select=uid&format=csv'), { headers: { accept: 'application/xml' } })).type).toMatch(/^text\/csv/);
    expect((await typeOf(path('.ndjson'), { headers: { accept: 'application/xml' } })).type).toMatch(/^application\/x-ndjson/);
  });

  it('format= wins over the suffix and over Accept', async () => {
    expect((await typeOf(path('.csv', 'select=uid&format=json'))).type).toMatch(/^application\/json/);
    expect((await typeOf(path('', 'select=uid&format=ndjson'), { headers: { accept: 'text/csv' } })).type).toMatch(
      /^application\/x-ndjson/,
    );
    expect(JSON.parse((await typeOf(path('.csv', 'select=uid&format=values'))).body)).toHaveProperty('values');
  });

  it('an unknown format= is 400 listing the formats', async () => {
    const res = await api(path('', 'format=xlsx'), keys.acme);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('json, csv, ndjson, values');
  });
});

describe('exports', () => {
  it('csv and ndjson without a limit stream every row, uncached; with a limit they are pages with a next link', async () => {
    const all = await expectedRows(tenant, VIEWS.events, leafColumns(VIEWS.events));
    expect(all.length).toBeGreaterThan(500);
    const csv = await text(rowsPath('events', 'format=csv'), keys.acme);
    expect(csv.res.body).toBeInstanceOf(ReadableStream);
    expect(csv.res.headers.get('x-cache')).toBe('BYPASS');
    expect(csv.res.headers.get('content-disposition')).toContain('events.csv');
    expect(parseCsv(csv.body)).toHaveLength(all.length + 1);
    const nd = await text(rowsPath('events', 'format=ndjson'), keys.acme);
    expect(nd.body.trimEnd().split('\n')).toHaveLength(all.length);

    const paged = await text(rowsPath('events', 'format=csv&limit=100'), keys.acme);
    expect(parseCsv(paged.body)).toHaveLength(101);
    expect(paged.res.headers.get('link')).toMatch(/rel="next"/);
  });
});

describe('types survive every format', () => {
  const select = 'user_id,local_date,first_activity_datetime,time_off_day,user_focus_goal,user_productivity_goal';

  it('dates, datetimes, timestamps and times are ISO strings; booleans are booleans', async () => {
    const body = await getRows(
      rowsPath('events', qs({ select: 'local_date,local_datetime,utc_timestamp,local_time,potential_file_transfer', limit: 20 })),
      keys.acme,
    );
    for (const r of body.rows) {
      expect(r.local_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.local_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(r.utc_timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(r.local_time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      expect(typeof r.potential_file_transfer).toBe('boolean');
    }
  });

  it(`INT64 ${BIG} (beyond 2^53) is written digit for digit in json, ndjson, values and csv`, async () => {
    const query = qs({ select, user_id: `eq.${BIG}` });
    for (const format of ['json', 'ndjson', 'values']) {
      const { body } = await text(rowsPath('daily_user_summary', `${query}&format=${format}`), keys.acme);
      expect(body, format).toMatch(new RegExp(`(?:"user_id":|\\[)${BIG}[,}\\]]`));
      expect(body, format).not.toContain('9007199254740992');
    }
    const csv = parseCsv((await text(rowsPath('daily_user_summary', `${query}&format=csv`), keys.acme)).body);
    expect(csv).toHaveLength(2);
    expect(csv[1]![0]).toBe(BIG);
  });

  it('an INT64 filter is exact too: 2^53 does not match 2^53 + 1', async () => {
    const off = await getRows(rowsPath('daily_user_summary', qs({ select: 'user_id', user_id: 'eq.9007199254740992' })), keys.acme);
    expect(off.rows).toEqual([]);
    const on = await text(rowsPath('daily_user_summary', qs({ select: 'user_id', user_id: `in.(${BIG})` })), keys.acme);
    expect(on.body).toContain(`"user_id":${BIG}}`);
  });

  it(`NUMERIC is exact: ${EXACT} and ${TENTH} are written as stored in json, values and csv`, async () => {
    const query = qs({ select, user_id: `eq.${BIG}` });
    for (const format of ['json', 'ndjson']) {
      const { body } = await text(rowsPath('daily_user_summary', `${query}&format=${format}`), keys.acme);
      expect(body, format).toContain(`"user_focus_goal":${EXACT},"user_productivity_goal":${TENTH}}`);
    }
    const values = (await text(rowsPath('daily_user_summary', `${query}&format=values`), keys.acme)).body;
    expect(values).toContain(`,${EXACT},${TENTH}]`);
    const csv = parseCsv((await text(rowsPath('daily_user_summary', `${query}&format=csv`), keys.acme)).body);
    expect(csv[1]!.slice(-2)).toEqual([EXACT, TENTH]);
  });
});

const hostileQuery = qs([
  ['select', 'group_id,group_name,type,user_alias'],
  ['group_id', `gte.${FIRST_GROUP}`],
  ['group_id', `lt.${SPLIT_GROUP}`],
  ['order', 'group_id'],
]);
const hostileTexts = [...HOSTILE, ...HARMLESS];

describe('spreadsheet formula injection (CWE-1236)', () => {
  it("csv prefixes text cells starting with = + - @ tab or CR with ' and leaves numbers, even negative ones, alone", async () => {
    const res = await api(rowsPath('premium_user_groups', `${hostileQuery}&format=csv`), keys.acme);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual(['group_id', 'group_name', 'type', 'user_alias']);
    expect(rows.map((r) => r[1])).toEqual([...HOSTILE.map((t) => `'${t}`), ...HARMLESS]);
    expect(rows.map((r) => r[3])).toEqual([...HOSTILE.map((t) => `'${t}`), ...HARMLESS]);
    expect(rows.map((r) => r[2])).toEqual(hostileTexts.map((_, i) => String(-(i + 1))));
  });

  it('values prefixes the same text cells and keeps numbers as numbers', async () => {
    const body = (await getRows(rowsPath('premium_user_groups', `${hostileQuery}&format=values`), keys.acme)) as unknown as {
      values: unknown[][];
    };
    const rows = body.values.slice(1);
    expect(rows.map((r) => r[1])).toEqual([...HOSTILE.map((t) => `'${t}`), ...HARMLESS]);
    expect(rows.map((r) => r[2])).toEqual(hostileTexts.map((_, i) => -(i + 1)));
  });

  it('json and ndjson return the text untouched: they are data, not a spreadsheet', async () => {
    const json = await getRows(rowsPath('premium_user_groups', hostileQuery), keys.acme);
    expect(json.rows.map((r) => r.group_name)).toEqual(hostileTexts);
    expect(json.rows.map((r) => r.type)).toEqual(hostileTexts.map((_, i) => -(i + 1)));
    const nd = await (await api(rowsPath('premium_user_groups', `${hostileQuery}&format=ndjson`), keys.acme)).text();
    expect(
      nd
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { user_alias: string }).user_alias),
    ).toEqual(hostileTexts);
  });

  // A semicolon-list locale (and LibreOffice's import dialog) splits on `;`: unquoted,
  // `Budget Q4;=2+5` became the formula cell `=2+5`.
  it('csv quotes a field holding ; or tab, and neutralises a formula after any separator', async () => {
    const query = qs({ select: 'group_id,group_name', group_id: `gte.${SPLIT_GROUP}`, order: 'group_id' });
    const body = await (await api(rowsPath('premium_user_groups', `${query}&format=csv`), keys.acme)).text();
    expect(body.split('\r\n').slice(1, -1)).toEqual([
      `${SPLIT_GROUP},"Budget Q4;'=2+5"`,
      `${SPLIT_GROUP + 1},"a,'=HYPERLINK(""x"")"`,
      `${SPLIT_GROUP + 2},"x\t'@SUM(A1)"`,
      `${SPLIT_GROUP + 3},"tab\tonly"`,
      `${SPLIT_GROUP + 4},"semi;colon"`,
    ]);
    // json is data, not a spreadsheet: untouched.
    const json = await getRows(rowsPath('premium_user_groups', query), keys.acme);
    expect(json.rows.map((r) => r.group_name)).toEqual(SPLIT);
  });

  it('filters match the stored text, not the neutralised one', async () => {
    const json = await getRows(
      rowsPath('premium_user_groups', qs({ select: 'group_id', group_name: 'eq.=HYPERLINK("http://evil.example","x")' })),
      keys.acme,
    );
    expect(json.rows).toEqual([{ group_id: FIRST_GROUP }]);
  });
});

describe('HEAD on a whole-view export', () => {
  it('answers the export headers without running the export', async () => {
    let queries = 0;
    const db = testEnv.DB;
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      if (sql.includes('"acme__events"')) queries++;
      return prepare(sql);
    };
    try {
      const res = await api('/v1/views/events/rows.csv', keys.acme, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(await res.text()).toBe('');
      expect(queries).toBe(0);
    } finally {
      db.prepare = prepare;
    }
  });
});
