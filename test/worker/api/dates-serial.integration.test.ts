// Integration: format=values with dates=serial writes DATE, DATETIME and TIMESTAMP cells as
// numbers (Sheets serial days, epoch seconds) that give the ISO text back exactly; without
// the option a values page is what it always was. A bad value is a 400 naming the allowed
// ones, dates=serial on another format is refused, and the two shapes never share a cache entry.
import { beforeAll, describe, expect, it } from 'vitest';
import { temporalText } from '../../../shared/temporal-numbers.ts';
import type { ScalarType } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import { ALL_VIEWS, api, leafColumns, pathOf, PROFESSIONAL, q, qs, rowsPath, tableOf, type Keys } from './support/contract.ts';

let keys: Keys;

interface ValuesBody {
  columns: { name: string; type: ScalarType }[];
  values: unknown[][];
  next: string | null;
}

/** Edge dates in acme's events, one row each, told apart by computer_id. */
const EDGES = [
  { computer_id: 990_001, local_date: '1899-12-30', account_datetime: '1899-12-30T00:00:00', utc_timestamp: '1899-12-30T00:00:00Z' },
  { computer_id: 990_002, local_date: '1900-03-01', account_datetime: '1900-03-01T06:00:00', utc_timestamp: '1900-03-01T06:00:00Z' },
  { computer_id: 990_003, local_date: '2024-02-29', account_datetime: '2024-02-29T23:59:59', utc_timestamp: '2024-02-29T23:59:59Z' },
  { computer_id: 990_004, local_date: '9999-12-31', account_datetime: '9999-12-31T23:59:59', utc_timestamp: '9999-12-31T23:59:59Z' },
  { computer_id: 990_005, local_date: '2026-01-01', account_datetime: '2026-01-01T08:15:01', utc_timestamp: '2026-01-01T15:46:09.123456Z' },
] as const;
const EDGE_SELECT = 'computer_id,local_date,account_datetime,utc_timestamp';
const edgeQuery = (extra: Record<string, string> = {}) =>
  qs({ select: EDGE_SELECT, computer_id: 'gte.990001', order: 'computer_id', format: 'values', ...extra });

async function values(path: string, key = keys.acme): Promise<{ text: string; body: ValuesBody; res: Response }> {
  const res = await api(path, key);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${text}`);
  return { text, body: JSON.parse(text) as ValuesBody, res };
}

async function problem(path: string, init?: RequestInit) {
  const res = await api(path, keys.acme, init);
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { type: string; detail: string; parameter?: string; allowed?: string[] };
}

beforeAll(async () => {
  keys = await seedTinyDemo();
  const table = tableOf('acme', 'events');
  const names = leafColumns(VIEWS.events).map((c) => c.name);
  await testEnv.DB.batch(
    EDGES.map((edge) => {
      const overrides: Record<string, string> = Object.fromEntries(Object.entries(edge).map(([k, v]) => [k, `'${v}'`]));
      return testEnv.DB.prepare(
        `INSERT INTO ${table} (${names.map(q).join(', ')}) SELECT ${names.map((n) => overrides[n] ?? q(n)).join(', ')} FROM ${table} WHERE rowid = (SELECT min(rowid) FROM ${table})`,
      );
    }),
  );
});

describe('format=values&dates=serial', () => {
  it('writes edge dates as Sheets serial days and exact epoch seconds, and they read back to the ISO text exactly', async () => {
    const serial = await values(rowsPath('events', edgeQuery({ dates: 'serial' })));
    const iso = await values(rowsPath('events', edgeQuery()));
    expect(serial.text).toContain(
      '["computer_id","local_date","account_datetime","utc_timestamp"]' +
        ',[990001,0,0,-2209161600]' +
        ',[990002,61,61.25,-2203869600]' +
        ',[990003,45351,45351.999988425926,1709251199]' +
        ',[990004,2958465,2958465.999988425926,253402300799]' +
        ',[990005,46023,46023.343761574074,1767282369.123456]]',
    );
    expect(iso.body.values.slice(1)).toEqual(EDGES.map((e) => [e.computer_id, e.local_date, e.account_datetime, e.utc_timestamp]));
    // As JSON.parse reads them (Apps Script does the same): every value back, to the microsecond.
    const back = serial.body.values
      .slice(1)
      .map((row) => row.map((cell, i) => temporalText(serial.body.columns[i]!.type, cell as number) ?? cell));
    expect(back).toEqual(iso.body.values.slice(1));
  });

  it('numbers every DATE, DATETIME and TIMESTAMP cell of every view and leaves every other cell as it was', async () => {
    for (const view of ALL_VIEWS) {
      const query = qs({ format: 'values', limit: 50 });
      const iso = await values(rowsPath(view, query), keys[PROFESSIONAL.id]);
      const serial = await values(rowsPath(view, `${query}&dates=serial`), keys[PROFESSIONAL.id]);
      expect(serial.body.columns, view.name).toEqual(iso.body.columns);
      expect(serial.body.values.length, view.name).toBe(iso.body.values.length);
      iso.body.values.forEach((row, r) =>
        row.forEach((cell, i) => {
          const type = iso.body.columns[i]!.type;
          const got = serial.body.values[r]![i];
          const where = `${view.name} row ${r} ${iso.body.columns[i]!.name}`;
          if (r === 0 || cell === '' || !['DATE', 'DATETIME', 'TIMESTAMP'].includes(type)) expect(got, where).toEqual(cell);
          else {
            expect(typeof got, where).toBe('number');
            expect(temporalText(type, got as number), where).toBe(cell);
          }
        }),
      );
      expect(serial.text.length, view.name).toBeLessThanOrEqual(iso.text.length);
    }
  });

  it('without dates a values page is unchanged: dates as ISO text, links without the option, the same bytes as dates=iso', async () => {
    const plain = await values(rowsPath('events', `${edgeQuery({ limit: '2' })}`));
    expect(plain.body.values[1]).toEqual([990001, '1899-12-30', '1899-12-30T00:00:00', '1899-12-30T00:00:00Z']);
    expect(plain.body.next).not.toContain('dates');
    for (const spelling of ['iso', 'ISO', '']) {
      const same = await values(rowsPath('events', `${edgeQuery({ limit: '2', dates: spelling })}`));
      expect(same.text, spelling).toBe(plain.text);
    }
  });

  it('keeps dates=serial through next links and POST /query bodies', async () => {
    const first = await values(rowsPath('events', edgeQuery({ limit: '2', dates: 'serial' })));
    expect(first.body.next).toContain('dates=serial');
    const second = await api(pathOf(first.body.next!), keys.acme);
    expect(await second.text()).toContain(
      ',[990003,45351,45351.999988425926,1709251199],[990004,2958465,2958465.999988425926,253402300799]]',
    );
    const res = await api('/v1/views/events/query', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        select: EDGE_SELECT.split(','),
        filters: { computer_id: 'gte.990001' },
        order: 'computer_id',
        limit: 2,
        format: 'values',
        dates: 'serial',
      }),
    });
    const posted = (await res.json()) as ValuesBody;
    expect(posted.values[1]).toEqual([990001, 0, 0, -2209161600]);
    expect(posted.next).toContain('dates=serial');
  });

  it('keeps the two shapes apart in the cache: neither answers for the other, nor does one ETag', async () => {
    const path = rowsPath('events', edgeQuery({ limit: '3' }));
    const iso = await values(path);
    const serial = await values(`${path}&dates=serial`);
    expect(serial.res.headers.get('x-cache')).toBe('MISS');
    expect(serial.text).not.toBe(iso.text);
    expect(serial.res.headers.get('etag')).not.toBe(iso.res.headers.get('etag'));
    const again = await values(`${path}&dates=serial`);
    expect(again.res.headers.get('x-cache')).toBe('HIT');
    expect(again.text).toBe(serial.text);
    const isoAgain = await values(path);
    expect(isoAgain.text).toBe(iso.text);
    const revalidate = await api(`${path}&dates=serial`, keys.acme, { headers: { 'if-none-match': iso.res.headers.get('etag')! } });
    expect(revalidate.status).toBe(200);
  });
});

describe('dates refused', () => {
  it('answers an unknown value with 400 naming the allowed values, as a parameter or a body field', async () => {
    for (const bad of ['excel', 'serial,iso', 'epoch']) {
      const body = await problem(rowsPath('events', qs({ format: 'values', dates: bad })));
      expect(body.type).toMatch(/invalid-parameter$/);
      expect(body.detail).toContain('dates takes iso or serial');
      expect(body).toMatchObject({ parameter: 'dates', allowed: ['iso', 'serial'] });
    }
    const posted = await problem('/v1/views/events/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'values', dates: 'numbers' }),
    });
    expect(posted.detail).toContain("Unknown dates 'numbers'");
    const twice = await problem(rowsPath('events', 'format=values&dates=serial&dates=serial'));
    expect(twice.detail).toContain("'dates' was given 2 times");
  });

  it('refuses dates=serial on json, csv and ndjson, whichever way the format is asked for, and accepts dates=iso there', async () => {
    for (const path of [
      rowsPath('events', 'dates=serial'),
      rowsPath('events', 'format=csv&dates=serial'),
      '/v1/views/events/rows.ndjson?limit=5&dates=serial',
      '/v1/views/events/rows.csv?dates=serial',
    ]) {
      const body = await problem(path);
      expect(body.detail, path).toMatch(
        /^dates=serial applies to format=values only; format=(json|csv|ndjson) writes dates as ISO 8601 text/,
      );
    }
    const csv = await api(rowsPath('events', 'format=csv&limit=3&dates=iso'), keys.acme);
    expect(csv.status).toBe(200);
    await csv.text();
  });

  it('is not a filter on /changes, whose rows are JSON objects', async () => {
    const res = await api('/v1/views/events/changes?dates=serial', keys.acme);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('dates');
  });
});
