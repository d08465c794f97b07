// Integration: every filter operator on a column of every type in every view, against the equivalent SQL run directly.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeafColumn } from '../../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { ApiError } from '../../../worker/http/errors.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import {
  api,
  ALL_VIEWS,
  PROFESSIONAL,
  expectProblem,
  expectedRows,
  expectedRowsBatch,
  getRows,
  leaf,
  leafColumns,
  q,
  qs,
  rowKeyOrder,
  rowsPath,
  tableOf,
  type Keys,
} from './support/contract.ts';

let keys: Keys;
/** A login list with everything an in.() item must quote: commas, spaces, a backslash, quotes and parentheses. */
const AWKWARD = 'ACME\\qa, ACME\\qa2 "two" (x)';
beforeAll(async () => {
  keys = await seedTinyDemo();
  await testEnv.DB.prepare(
    `INSERT INTO ${tableOf('acme', 'users')} ("agents.agent_id", "agents.logon_name", "agents.user_name", device_logins, display_name, emails, employee_ids, tracked, uid, user_principal_names)
     VALUES (990001, 'ACME', 'qa', ?, 'Q. A. Tester', 'qa@acme.example', NULL, 1, 990001, NULL)`,
  )
    .bind(AWKWARD)
    .run();
});

const tenant = PROFESSIONAL;

/** One column of each type a view has (the first in definition order), as the contract's test cases. */
function columnPerType(view: ViewDef): LeafColumn[] {
  const byType = new Map<ScalarType, LeafColumn>();
  for (const c of leafColumns(view)) if (!byType.has(c.type)) byType.set(c.type, c);
  return [...byType.values()];
}

/** How a stored value is written in a filter: what the client saw in the JSON. */
function written(stored: unknown, type: ScalarType): string {
  if (type === 'BOOL') return stored === 1 ? 'true' : 'false';
  return String(stored);
}

/** The column as SQL compares it: NUMERIC is stored as exact text but compares as a number. */
function comparable(column: LeafColumn): string {
  return column.type === 'NUMERIC' ? `CAST(${q(column.name)} AS REAL)` : q(column.name);
}
function param(stored: unknown, type: ScalarType): unknown {
  return type === 'NUMERIC' ? Number(stored) : stored;
}

/** A PostgREST list with every item quoted, so commas, spaces and backslashes in values survive. */
const inList = (items: readonly string[]) => `(${items.map((v) => `"${v.replace(/[\\"]/g, (m) => `\\${m}`)}"`).join(',')})`;

interface Case {
  readonly op: string;
  readonly where: string;
  readonly params: readonly unknown[];
  /** The first row's own value must match. */
  readonly matchesFirst?: boolean;
}

/** The operator cases for one column and two of its values (v from the first row, w another). */
function cases(column: LeafColumn, v: unknown, w: unknown): Case[] {
  const x = comparable(column);
  const a = written(v, column.type);
  const b = written(w, column.type);
  const p = param(v, column.type);
  const list: Case[] = [
    { op: `eq.${a}`, where: `${x} = ?`, params: [p], matchesFirst: true },
    { op: `neq.${a}`, where: `${x} <> ?`, params: [p] },
    { op: `gt.${a}`, where: `${x} > ?`, params: [p] },
    { op: `gte.${a}`, where: `${x} >= ?`, params: [p], matchesFirst: true },
    { op: `lt.${a}`, where: `${x} < ?`, params: [p] },
    { op: `lte.${a}`, where: `${x} <= ?`, params: [p], matchesFirst: true },
    { op: `not.eq.${a}`, where: `NOT (${x} = ?)`, params: [p] },
    { op: `not.gt.${a}`, where: `NOT (${x} > ?)`, params: [p], matchesFirst: true },
    { op: `in.${inList([a, b])}`, where: `${x} IN (?, ?)`, params: [p, param(w, column.type)], matchesFirst: true },
    { op: `not.in.${inList([a, b])}`, where: `${x} NOT IN (?, ?)`, params: [p, param(w, column.type)] },
    { op: 'is.null', where: `${q(column.name)} IS NULL`, params: [] },
    { op: 'not.is.null', where: `${q(column.name)} IS NOT NULL`, params: [], matchesFirst: true },
  ];
  if (column.type === 'NUMERIC') {
    // The same number in other spellings: a decimal compares by value, not by its text.
    const n = Number(v);
    list.push({ op: `eq.${a.includes('.') ? `${a}00` : `${a}.00`}`, where: `${x} = ?`, params: [p], matchesFirst: true });
    list.push({ op: `eq.${n}`, where: `${x} = ?`, params: [p], matchesFirst: true });
    list.push({ op: `gte.${n * 10}`, where: `${x} >= ?`, params: [n * 10] });
  }
  if (column.type === 'BOOL') {
    list.push({ op: `is.${a}`, where: `${x} = ?`, params: [p], matchesFirst: true });
    list.push({ op: `not.is.${a}`, where: `NOT (${x} IS NOT NULL AND ${x} = ?)`, params: [p] });
  }
  if (column.type === 'STRING') {
    const text = String(v);
    const prefix = [...text].slice(0, 3).join('');
    const middle = [...text].slice(1, 4).join('');
    if (!/[*%_?[\\]/.test(prefix + middle)) {
      list.push({ op: `like.${prefix}*`, where: `substr(${x}, 1, length(?)) = ?`, params: [prefix, prefix], matchesFirst: true });
      list.push({ op: `like.*${middle}*`, where: `instr(${x}, ?) > 0`, params: [middle], matchesFirst: true });
      list.push({ op: `not.like.${prefix}*`, where: `NOT (substr(${x}, 1, length(?)) = ?)`, params: [prefix, prefix] });
      list.push({
        op: `ilike.${prefix.toUpperCase()}*`,
        where: `lower(substr(${x}, 1, length(?))) = lower(?)`,
        params: [prefix, prefix],
        matchesFirst: true,
      });
      list.push({ op: `ilike.*${middle.toLowerCase()}*`, where: `instr(lower(${x}), lower(?)) > 0`, params: [middle], matchesFirst: true });
    }
  }
  return list;
}

describe.each(ALL_VIEWS.map((v) => [v.name, v] as const))('filters on %s', (_name, view) => {
  for (const column of columnPerType(view)) {
    it(`${column.name} (${column.type}): every operator returns what the equivalent SQL returns`, async () => {
      const [first] = await direct<{ v: unknown }>(
        `SELECT ${q(column.name)} AS v FROM ${tableOf(tenant, view)} WHERE ${q(column.name)} IS NOT NULL ORDER BY ${rowKeyOrder(view)} LIMIT 1`,
      );
      expect(first, `${view.name}.${column.name} has a non-null value to filter on`).toBeDefined();
      const v = first!.v;
      const [other] = await direct<{ w: unknown }>(
        `SELECT ${q(column.name)} AS w FROM ${tableOf(tenant, view)} WHERE ${q(column.name)} IS NOT NULL AND ${q(column.name)} <> ? ORDER BY ${view.rowKey.map((k) => `${q(k)} DESC`).join(', ')} LIMIT 1`,
        v,
      );
      const w = other?.w ?? v;
      const output = [...new Set([...view.rowKey, column.name])].map((n) => leaf(view, n));
      const select = output.map((c) => c.name).join(',');
      const list = cases(column, v, w);
      const [answers, expected] = await Promise.all([
        Promise.all(
          list.map(async (c) => {
            const res = await api(
              rowsPath(
                view,
                qs([
                  ['select', select],
                  [column.name, c.op],
                ]),
              ),
              keys[tenant.id],
            );
            return { status: res.status, text: await res.text() };
          }),
        ),
        expectedRowsBatch(
          tenant,
          view,
          output,
          list.map((c) => ({ where: c.where, params: c.params })),
        ),
      ]);
      list.forEach((c, i) => {
        const label = `${view.name}?${column.name}=${c.op}`;
        expect(answers[i]!.status, `${label}: ${answers[i]!.text.slice(0, 300)}`).toBe(200);
        expect((JSON.parse(answers[i]!.text) as { rows: unknown[] }).rows, label).toEqual(expected[i]);
        if (c.matchesFirst) expect(expected[i]!.length, `${label} matches the row the value came from`).toBeGreaterThan(0);
      });
    });
  }
});

describe('filter values are typed by their column', () => {
  const bad: [view: keyof typeof VIEWS, column: string, value: string][] = [
    ['daily_user_summary', 'user_id', 'abc'],
    ['daily_user_summary', 'user_id', '1.5'],
    ['daily_user_summary', 'user_id', '99999999999999999999'],
    ['daily_user_summary', 'local_date', '2026-02-30'],
    ['daily_user_summary', 'local_date', '20261120'],
    ['daily_user_summary', 'time_off_day', 'maybe'],
    ['daily_user_summary', 'user_focus_goal', '1.2.3'],
    ['daily_user_summary', 'first_activity_datetime', '2026-13-01T00:00:00'],
    ['events', 'utc_timestamp', 'noon'],
    ['events', 'local_time', '25:00:00'],
  ];
  it.each(bad)('rejects %s.%s=eq.%s with 400 naming the column and the value', async (view, column, value) => {
    const body = await expectProblem(await api(rowsPath(view, qs({ [column]: `eq.${value}` })), keys.acme), 400, 'invalid-parameter');
    expect(body.detail).toContain(column);
    expect(body.detail).toContain(`'${value}'`);
    expect(body).toMatchObject({ column, value });
  });

  it('rejects a bad value inside an in.() list, naming it', async () => {
    const body = await expectProblem(await api(rowsPath('events', qs({ user_id: 'in.(1,two,3)' })), keys.acme), 400, 'invalid-parameter');
    expect(body).toMatchObject({ column: 'user_id', value: 'two' });
  });

  it('rejects like on a non-text column and an operator it does not know', async () => {
    const like = await expectProblem(await api(rowsPath('events', qs({ user_id: 'like.2*' })), keys.acme), 400, 'invalid-parameter');
    expect(like.detail).toContain('user_id');
    const unknown = await expectProblem(await api(rowsPath('events', qs({ user_id: 'equals.2' })), keys.acme), 400, 'invalid-parameter');
    expect(unknown.detail).toContain('eq');
    await expectProblem(await api(rowsPath('events', qs({ user_id: '2' })), keys.acme), 400, 'invalid-parameter');
  });
});

describe('like, ilike and in on text', () => {
  const view = VIEWS.users;
  const cols = ['uid', 'agents.agent_id', 'display_name', 'device_logins'].map((n) => leaf(view, n));
  const select = cols.map((c) => c.name).join(',');

  it('like is case-sensitive and ilike is not', async () => {
    const [{ name }] = (await direct<{ name: string }>(
      `SELECT display_name AS name FROM ${tableOf('acme', view)} WHERE display_name GLOB '[A-Z][a-z]*' LIMIT 1`,
    )) as [{ name: string }];
    const word = name.split(' ')[0]!;
    const exact = await getRows(rowsPath(view, qs({ select, display_name: `like.${word}*` })), keys.acme);
    const lower = await getRows(rowsPath(view, qs({ select, display_name: `like.${word.toLowerCase()}*` })), keys.acme);
    const ilike = await getRows(rowsPath(view, qs({ select, display_name: `ilike.${word.toLowerCase()}*` })), keys.acme);
    expect(exact.rows.length).toBeGreaterThan(0);
    expect(lower.rows).toEqual(
      await expectedRows('acme', view, cols, { where: 'display_name GLOB ?', params: [`${word.toLowerCase()}*`] }),
    );
    expect(lower.rows.length).toBeLessThan(exact.rows.length);
    expect(ilike.rows).toEqual(exact.rows);
  });

  it('* is the wildcard anywhere in the pattern, and a pattern without one matches whole values only', async () => {
    const both = await getRows(rowsPath(view, qs({ select, display_name: 'like.*e*' })), keys.acme);
    expect(both.rows).toEqual(await expectedRows('acme', view, cols, { where: `instr(display_name, 'e') > 0` }));
    expect(both.rows.length).toBeGreaterThan(0);
    const name = both.rows[0]!.display_name as string;
    const whole = await getRows(rowsPath(view, qs({ select, display_name: `like.${name.slice(0, -1)}` })), keys.acme);
    expect(whole.rows).toEqual([]);
  });

  it('in.() takes quoted values containing commas, spaces, quotes, parentheses and backslashes', async () => {
    const body = await getRows(rowsPath(view, qs({ select, device_logins: `in.${inList([AWKWARD, 'nobody'])}` })), keys.acme);
    expect(body.rows).toEqual(await expectedRows('acme', view, cols, { where: 'device_logins = ?', params: [AWKWARD] }));
    expect(body.rows).toHaveLength(1);
  });

  // On D1, like runs as GLOB and ilike as LIKE ... ESCAPE '\': both must read a backslash as
  // escaping the next character, as BigQuery's LIKE does.
  it('like and ilike read a backslash in a pattern the same way', async () => {
    for (const pattern of ['ACME\\msingh*', 'ACME\\\\msingh*']) {
      const like = await getRows(rowsPath(view, qs({ select, device_logins: `like.${pattern}` })), keys.acme);
      const ilike = await getRows(rowsPath(view, qs({ select, device_logins: `ilike.${pattern}` })), keys.acme);
      expect(ilike.rows, pattern).toEqual(like.rows);
    }
  });

  it('several filters on one column are all applied (AND)', async () => {
    const uids = (await direct<{ uid: number }>(`SELECT DISTINCT uid FROM ${tableOf('acme', view)} ORDER BY uid`)).map((r) => r.uid);
    expect(uids.length).toBeGreaterThanOrEqual(4);
    const [low, high] = [uids[1]!, uids[2]!];
    const body = await getRows(
      rowsPath(
        view,
        qs([
          ['select', select],
          ['uid', `gte.${low}`],
          ['uid', `lte.${high}`],
        ]),
      ),
      keys.acme,
    );
    expect(body.rows).toEqual(await expectedRows('acme', view, cols, { where: 'uid BETWEEN ? AND ?', params: [low, high] }));
    expect(new Set(body.rows.map((r) => r.uid))).toEqual(new Set([low, high]));
  });
});

describe('from/to on the view date column', () => {
  const dated = ALL_VIEWS.filter((v) => v.dateColumn !== null);

  it('covers a DATE and a DATETIME date column', () => {
    const kinds = new Set(dated.map((v) => leaf(v, v.dateColumn!).type));
    expect(kinds).toContain('DATE');
    expect(kinds).toContain('DATETIME');
  });

  describe.each(dated.map((v) => [v.name, v] as const))('%s', (_name, view) => {
    const date = leaf(view, view.dateColumn!);
    const day = `substr(${q(date.name)}, 1, 10)`;
    const days = async () =>
      (await direct<{ d: string }>(`SELECT DISTINCT ${day} AS d FROM ${tableOf(tenant, view)} ORDER BY d`)).map((r) => r.d);

    it(`from and to are inclusive whole days on ${date.name} (${date.type})`, async () => {
      const all = await days();
      expect(all.length).toBeGreaterThanOrEqual(3);
      const [from, to] = [all[1]!, all.at(-2)!];
      const cols = [...new Set([...view.rowKey, date.name])].map((n) => leaf(view, n));
      const select = cols.map((c) => c.name).join(',');
      const range = await getRows(rowsPath(view, qs({ select, from, to })), keys[tenant.id]);
      expect(range.rows).toEqual(await expectedRows(tenant, view, cols, { where: `${day} BETWEEN ? AND ?`, params: [from, to] }));
      const edges = new Set(range.rows.map((r) => String(r[date.name]).slice(0, 10)));
      expect(edges).toContain(from);
      expect(edges).toContain(to);

      const one = await getRows(rowsPath(view, qs({ select, from: to, to })), keys[tenant.id]);
      expect(one.rows).toEqual(await expectedRows(tenant, view, cols, { where: `${day} = ?`, params: [to] }));
      expect(one.rows.length).toBeGreaterThan(0);

      const onlyFrom = await getRows(rowsPath(view, qs({ select, from: to })), keys[tenant.id]);
      expect(onlyFrom.rows).toEqual(await expectedRows(tenant, view, cols, { where: `${day} >= ?`, params: [to] }));
      const onlyTo = await getRows(rowsPath(view, qs({ select, to: from })), keys[tenant.id]);
      expect(onlyTo.rows).toEqual(await expectedRows(tenant, view, cols, { where: `${day} <= ?`, params: [from] }));
    });

    it('rejects from after to, and a from that is not a date, with 400', async () => {
      const body = await expectProblem(
        await api(rowsPath(view, qs({ from: '2026-11-20', to: '2026-11-19' })), keys[tenant.id]),
        400,
        'invalid-parameter',
      );
      expect(body.detail).toContain('2026-11-20');
      const notDate = await expectProblem(await api(rowsPath(view, qs({ from: 'last week' })), keys[tenant.id]), 400, 'invalid-parameter');
      expect(notDate.detail).toContain('last week');
    });
  });

  it('rejects from/to on a view without a date column with 400', async () => {
    const body = await expectProblem(await api(rowsPath('users', qs({ from: '2026-11-01' })), keys.acme), 400, 'invalid-parameter');
    expect(body.detail).toContain('no date column');
  });
});

// D1 refuses a LIKE or GLOB pattern over 50 bytes (https://developers.cloudflare.com/d1/platform/limits/),
// which used to come back as a 502 "Try again". Every route that takes filters parses them
// through parseQuery, so each must answer 400 naming the limit before the warehouse is asked.
describe('like and ilike pattern length', () => {
  const at = (n: number, fill = 'x') => `*${fill.repeat(n - 2)}*`;
  const post = (path: string, body: unknown) =>
    api(path, keys.acme, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const routes: readonly (readonly [string, (filter: string) => Promise<Response>])[] = [
    ['GET /rows', (f) => api(rowsPath('daily_user_summary', qs({ day_of_week: f })), keys.acme)],
    ['POST /query', (f) => post('/v1/views/daily_user_summary/query', { filters: { day_of_week: f } })],
    ['GET /changes', (f) => api(`/v1/views/daily_user_summary/changes?${qs({ day_of_week: f })}`, keys.acme)],
    [
      'POST /v1/hooks',
      (f) =>
        post('/v1/hooks', {
          target_url: 'https://hooks.zapier.com/hooks/catch/1/a/',
          view: 'daily_user_summary',
          filters: { day_of_week: f },
        }),
    ],
  ];

  it.each(routes)('%s refuses a 51-byte pattern with 400 stating the 50-byte limit', async (_route, send) => {
    for (const op of ['like', 'ilike', 'not.like']) {
      const problem = await expectProblem(await send(`${op}.${at(51)}`), 400, 'limit-exceeded');
      expect(problem.detail).toContain('at most 50 bytes');
      expect(problem.detail).toContain("'day_of_week'");
      expect(problem).toMatchObject({ limit: 'maxLikePatternBytes', maximum: 50, bytes: 51 });
    }
  });

  it.each(routes.slice(0, 3))('%s runs a pattern of exactly 50 bytes', async (_route, send) => {
    for (const op of ['like', 'ilike']) {
      const res = await send(`${op}.${at(50)}`);
      expect(res.status, await res.clone().text()).toBe(200);
    }
  });

  it('counts bytes, not characters: 26 two-byte letters are over the limit, 25 are not', async () => {
    const path = (n: number) => rowsPath('daily_user_summary', qs({ day_of_week: `ilike.${'é'.repeat(n)}` }));
    expect((await api(path(25), keys.acme)).status).toBe(200);
    const problem = await expectProblem(await api(path(26), keys.acme), 400, 'limit-exceeded');
    expect(problem).toMatchObject({ bytes: 52, maximum: 50 });
  });

  it('measures the pattern as D1 runs it: like is GLOB there, where a literal ? takes three bytes', async () => {
    const pattern = `${'?'.repeat(20)}`; // 20 bytes as written, 60 as the GLOB `[?]`
    expect((await api(rowsPath('daily_user_summary', qs({ day_of_week: `ilike.${pattern}` })), keys.acme)).status).toBe(200);
    const problem = await expectProblem(
      await api(rowsPath('daily_user_summary', qs({ day_of_week: `like.${pattern}` })), keys.acme),
      400,
      'limit-exceeded',
    );
    expect(problem.detail).toContain('is 20 bytes (60 as the warehouse runs it)');
  });
});

describe('a pattern D1 refuses anyway', () => {
  it('is a 400 from the warehouse, not a 502, so stale-if-error never serves a cached copy for it', async () => {
    const view = VIEWS.daily_user_summary;
    const { query } = parseQuery([['day_of_week', 'like.*x*']], { view, plan: 'professional' });
    const long = { ...query, filters: query.filters.map((f) => (f.op === 'like' ? { ...f, pattern: `%${'x'.repeat(60)}%` } : f)) };
    const warehouse = new D1Warehouse(testEnv.DB, 'acme');
    const err = await warehouse.page(long, 10).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, type: 'limit-exceeded' });
  });
});
