// Integration: order= and keyset paging over every view; cursors are opaque, signed and bound to
// query and tenant; pages stay stable while rows are appended between page fetches.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { direct, seedTinyDemo, testEnv } from '../support/demo.ts';
import {
  api,
  ALL_VIEWS,
  PROFESSIONAL,
  apiValue,
  byValue,
  expectProblem,
  expectedRows,
  getRows,
  leaf,
  leafColumns,
  pathOf,
  q,
  qs,
  rowsPath,
  tableOf,
  walkPages,
  type Keys,
} from './support/contract.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import type { ViewDef } from '../../../shared/types.ts';
import type { LeafColumn } from '../../../shared/columns.ts';
import { fromBase64url, toBase64url } from '../../../worker/encoding/base64.ts';

/** Orders on nullable, descending and several columns; the direct SQL spells out the NULL placement. */
const ORDERED: { view: ViewDef; order: string; sql: string; nullable?: string }[] = [
  {
    view: VIEWS.events,
    order: 'search_term.desc,duration_sec',
    sql: '"search_term" DESC NULLS LAST, "duration_sec" ASC NULLS FIRST',
    nullable: 'search_term',
  },
  { view: VIEWS.events, order: 'user_id,search_term.desc', sql: '"user_id" ASC, "search_term" DESC NULLS LAST', nullable: 'search_term' },
  {
    view: VIEWS.daily_application_summary,
    order: 'application,computer_id.desc',
    sql: '"application" ASC NULLS FIRST, "computer_id" DESC NULLS LAST',
    nullable: 'application',
  },
  {
    view: VIEWS.user_work_schedules,
    order: 'work_schedule.start_time.desc,uid.desc',
    sql: '"work_schedule.start_time" DESC NULLS LAST, "uid" DESC',
    nullable: 'work_schedule.start_time',
  },
  { view: VIEWS.users, order: 'tracked.desc,display_name.asc', sql: '"tracked" DESC, "display_name" ASC' },
  { view: VIEWS.group_goals, order: 'core_activity_hrs_day.desc', sql: 'CAST("core_activity_hrs_day" AS REAL) DESC' },
  {
    view: VIEWS.daily_user_summary,
    order: 'user_focus_goal.desc,local_date.desc',
    sql: 'CAST("user_focus_goal" AS REAL) DESC, "local_date" DESC',
  },
];

const tenant = PROFESSIONAL;
let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
  // Every nullable column the order tests sort on holds NULLs in some rows and values in others,
  // whatever the generator happens to produce, and
  // NUMERIC order columns hold a two-digit value, which sorts first as text but last as a number.
  await testEnv.DB.batch([
    ...ORDERED.filter((o) => o.nullable).map((o) =>
      testEnv.DB.prepare(`UPDATE ${tableOf(tenant, o.view)} SET ${q(o.nullable!)} = NULL WHERE rowid % 4 = 1`),
    ),
    testEnv.DB.prepare(`INSERT INTO ${tableOf(tenant, 'group_goals')} (core_activity_hrs_day) VALUES ('10.5'), ('9.75')`),
    testEnv.DB.prepare(`UPDATE ${tableOf(tenant, 'daily_user_summary')} SET user_focus_goal = '12.5' WHERE rowid % 5 = 2`),
  ]);
});

const ids = (rows: readonly Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r));

describe.each(ALL_VIEWS.map((v) => [v.name, v] as const))('paging through %s', (_name, view) => {
  it('following next with a small limit returns every row once, in the order of one big page', async () => {
    const whole = await getRows(rowsPath(view, qs({ limit: LIMITS.maxPageSize })), keys[tenant.id]);
    expect(whole.next).toBeNull();
    expect(whole.rows).toEqual(await expectedRows(tenant, view, leafColumns(view)));
    const limit = Math.max(1, Math.ceil(whole.rows.length / 4));
    const walked = await walkPages(rowsPath(view, qs({ limit })), keys[tenant.id]);
    expect(walked.pages).toBeGreaterThanOrEqual(Math.ceil(whole.rows.length / limit));
    expect(new Set(ids(walked.rows)).size).toBe(walked.rows.length);
    expect(walked.rows).toEqual(whole.rows);
  });
});

describe('order=', () => {
  it.each(ORDERED.map((o) => [`${o.view.name}?order=${o.order}`, o] as const))(
    '%s: NULLs first ascending and last descending, ties broken by the row key, and pages follow that order',
    async (_label, { view, order, sql, nullable }) => {
      // The order columns and the row key: what keyset paging reads; other columns only ride along.
      const names = [...new Set([...order.split(',').map((t) => t.replace(/\.(asc|desc)$/i, '')), ...view.rowKey])];
      const columns = names.map((n) => leaf(view, n));
      const select = names.join(',');
      const whole = await getRows(rowsPath(view, qs({ select, order, limit: LIMITS.maxPageSize })), keys[tenant.id]);
      expect(whole.rows).toEqual(await expectedRows(tenant, view, columns, { orderBy: sql }));
      if (nullable) {
        const nulls = whole.rows.map((r) => r[nullable] === null);
        expect(nulls, `${nullable} has NULLs and values to sort`).toContain(true);
        expect(nulls).toContain(false);
      }
      const walked = await walkPages(
        rowsPath(view, qs({ select, order, limit: Math.max(1, Math.ceil(whole.rows.length / 5)) })),
        keys[tenant.id],
      );
      expect(walked.rows).toEqual(whole.rows);
    },
  );

  it('order=col means ascending, like order=col.asc', async () => {
    const a = await getRows(rowsPath('events', qs({ order: 'titlebar', select: 'titlebar,user_id' })), keys.acme);
    const b = await getRows(rowsPath('events', qs({ order: 'titlebar.asc', select: 'titlebar,user_id' })), keys.acme);
    expect(a.rows).toEqual(b.rows);
    const titles = a.rows.map((r) => r.titlebar as string);
    expect(titles).toEqual([...titles].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });

  it('rejects an unknown order column with 400 and a suggestion', async () => {
    const body = await expectProblem(await api(rowsPath('events', qs({ order: 'titlbar.desc' })), keys.acme), 400, 'unknown-column');
    expect(body.detail).toContain("'titlebar'");
  });

  it('rejects the same column twice in order with 400', async () => {
    await expectProblem(await api(rowsPath('events', qs({ order: 'user_id,user_id.desc' })), keys.acme), 400, 'invalid-parameter');
  });
});

describe('keyset paging, property-based', () => {
  /** Any view, one to three order columns of any type in any direction, and a page size. */
  const ordering = fc.constantFrom(...ALL_VIEWS).chain((view) =>
    fc.record({
      view: fc.constant(view),
      terms: fc
        .shuffledSubarray(leafColumns(view) as LeafColumn[], { minLength: 1, maxLength: Math.min(3, leafColumns(view).length) })
        .chain((cols) => fc.tuple(...cols.map((c) => fc.tuple(fc.constant(c), fc.constantFrom('asc' as const, 'desc' as const))))),
      pages: fc.integer({ min: 2, max: 6 }),
    }),
  );

  it('for any order, the pages joined are the rows the same ORDER BY returns directly, each once', async () => {
    await fc.assert(
      fc.asyncProperty(ordering, async ({ view, terms, pages }) => {
        const order = terms.map(([c, d]) => `${c.name}.${d}`).join(',');
        const names = [...new Set([...terms.map(([c]) => c.name), ...view.rowKey])];
        const columns = names.map((n) => leaf(view, n));
        const sql = terms.map(([c, d]) => `${byValue(c)} ${d === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`).join(', ');
        const expected = await expectedRows(tenant, view, columns, { orderBy: sql });
        const limit = Math.max(1, Math.ceil(expected.length / pages));
        const walked = await walkPages(rowsPath(view, qs({ select: names.join(','), order, limit })), keys[tenant.id]);
        expect(walked.rows, `${view.name}?order=${order}&limit=${limit}`).toEqual(expected);
      }),
      { numRuns: 12 },
    );
  });

  it('for any grouping and order, pages of groups joined are the groups the same SQL returns', async () => {
    const grouping = fc.constantFrom(...ALL_VIEWS.filter((v) => leafColumns(v).length > 1)).chain((view) =>
      fc.record({
        view: fc.constant(view),
        groups: fc.shuffledSubarray(leafColumns(view) as LeafColumn[], { minLength: 1, maxLength: 2 }),
        countFirst: fc.constantFrom<'asc' | 'desc' | null>('asc', 'desc', null),
        direction: fc.constantFrom('asc' as const, 'desc' as const),
      }),
    );
    await fc.assert(
      fc.asyncProperty(grouping, async ({ view, groups, countFirst, direction }) => {
        const names = groups.map((c) => c.name);
        const order = [...(countFirst ? [`count.${countFirst}`] : []), ...names.map((n) => `${n}.${direction}`)].join(',');
        const nulls = direction === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST';
        const sqlOrder = [
          ...(countFirst ? [`COUNT(*) ${countFirst.toUpperCase()}`] : []),
          ...groups.map((c) => `${byValue(c)} ${nulls}`),
        ].join(', ');
        const rows = await direct<Record<string, unknown>>(
          `SELECT ${names.map(q).join(', ')}, COUNT(*) AS count FROM ${tableOf(tenant, view)} GROUP BY ${names.map(q).join(', ')} ORDER BY ${sqlOrder}`,
        );
        const expected = rows.map((r) => ({
          ...Object.fromEntries(groups.map((c) => [c.name, apiValue(r[c.name], c.type)])),
          count: r.count,
        }));
        const walked = await walkPages(
          rowsPath(view, qs({ group_by: names.join(','), order, limit: Math.max(1, Math.ceil(expected.length / 3)) })),
          keys[tenant.id],
        );
        expect(walked.rows, `${view.name}?group_by=${names.join(',')}&order=${order}`).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  });
});

describe('cursors', () => {
  const query = qs({ select: 'user_id,computer_id,utc_timestamp,titlebar', limit: 25 });
  const firstPage = async (key = keys.acme, q_ = query) => getRows(rowsPath('events', q_), key);
  const withCursor = (cursor: string, q_ = query) => rowsPath('events', `${q_}&cursor=${encodeURIComponent(cursor)}`);
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

  it('the next link and next_cursor continue the same query', async () => {
    const page = await firstPage();
    expect(page.next_cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(new URL(page.next!).searchParams.get('cursor')).toBe(page.next_cursor);
    const viaCursor = await getRows(withCursor(page.next_cursor!), keys.acme);
    const viaLink = await getRows(pathOf(page.next!), keys.acme);
    expect(viaCursor.rows).toEqual(viaLink.rows);
    expect(viaCursor.rows[0]).not.toEqual(page.rows[0]);
  });

  it('rejects a cursor whose payload was edited with 400 invalid-cursor', async () => {
    const cursor = (await firstPage()).next_cursor!;
    const [payload, sig] = cursor.split('.') as [string, string];
    await expectProblem(await api(withCursor(`${flip(payload, 3)}.${sig}`), keys.acme), 400, 'invalid-cursor');
    // A well-formed payload that jumps ahead, not signed by the server.
    const decoded = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as { q: string; k: unknown[] };
    decoded.k[0] = '999999';
    const forged = toBase64url(JSON.stringify(decoded));
    await expectProblem(await api(withCursor(`${forged}.${sig}`), keys.acme), 400, 'invalid-cursor');
  });

  it('rejects a cursor whose signature was edited with 400 invalid-cursor', async () => {
    const cursor = (await firstPage()).next_cursor!;
    const [payload, sig] = cursor.split('.') as [string, string];
    await expectProblem(await api(withCursor(`${payload}.${flip(sig, 4)}`), keys.acme), 400, 'invalid-cursor');
    await expectProblem(await api(withCursor(payload), keys.acme), 400, 'invalid-cursor');
    await expectProblem(await api(withCursor('not a cursor'), keys.acme), 400, 'invalid-cursor');
  });

  it('rejects a cursor from another query with 400 invalid-cursor', async () => {
    const cursor = (await firstPage()).next_cursor!;
    const other = qs({ select: 'user_id,computer_id,utc_timestamp,titlebar', limit: 25, order: 'titlebar' });
    const body = await expectProblem(await api(withCursor(cursor, other), keys.acme), 400, 'invalid-cursor');
    expect(body.detail).toContain('different query');
    const filtered = `${query}&${qs({ user_id: 'gt.0' })}`;
    await expectProblem(await api(withCursor(cursor, filtered), keys.acme), 400, 'invalid-cursor');
  });

  it("rejects another tenant's cursor for the same query with 400 invalid-cursor", async () => {
    const acme = (await firstPage(keys.acme)).next_cursor!;
    const globex = await firstPage(keys.globex);
    expect(globex.next_cursor).not.toBeNull();
    await expectProblem(await api(withCursor(acme), keys.globex), 400, 'invalid-cursor');
    // The tenant's own cursor works with the same query.
    expect((await getRows(withCursor(globex.next_cursor!), keys.globex)).rows.length).toBeGreaterThan(0);
  });

  it('a cursor keeps working when only the page size changes', async () => {
    const page = await firstPage();
    const bigger = await getRows(
      withCursor(page.next_cursor!, qs({ select: 'user_id,computer_id,utc_timestamp,titlebar', limit: 50 })),
      keys.acme,
    );
    const all = await getRows(rowsPath('events', qs({ select: 'user_id,computer_id,utc_timestamp,titlebar', limit: 75 })), keys.acme);
    expect([...page.rows, ...bigger.rows]).toEqual(all.rows);
  });
});

// These tests write to globex's events, which the other tests in this file only page through
// with their own queries; each snapshots the rows it pages over before it starts, and removes
// the rows it appended when it ends, so no other test (in whatever order) sees them.
const appendView = VIEWS.events;
const table = tableOf('globex', appendView);
const appendColumns = ['user_id', 'computer_id', 'utc_timestamp', 'titlebar'].map((n) => leaf(appendView, n));
const appendSelect = appendColumns.map((c) => c.name).join(',');
const MARK = 'appended while paging';
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Copies existing rows as new ones with a changed key: some sort before every row
 * (user_id 1), some between existing rows (half a second after one) and some at the newest end.
 */
async function appendRows(round: number): Promise<void> {
  const names = leafColumns(appendView).map((c) => c.name);
  const copy = (overrides: Record<string, string>, where: string) =>
    testEnv.DB.prepare(
      `INSERT INTO ${table} (${names.map(q).join(', ')}) SELECT ${names.map((n) => overrides[n] ?? q(n)).join(', ')} FROM ${table} WHERE ${where}`,
    );
  const original = `"titlebar" IS NOT '${MARK}'`;
  await testEnv.DB.batch([
    copy({ user_id: `${round + 1}`, titlebar: `'${MARK}'` }, `rowid = (SELECT min(rowid) FROM ${table})`),
    copy(
      { utc_timestamp: `replace("utc_timestamp", 'Z', '.${round}5Z')`, titlebar: `'${MARK}'` },
      `${original} AND rowid % 37 = ${round % 37}`,
    ),
    copy(
      { utc_timestamp: `'2099-01-01T00:${pad(Math.floor(round / 60))}:${pad(round % 60)}Z'`, titlebar: `'${MARK}'` },
      `rowid = (SELECT max(rowid) FROM ${table} WHERE ${original})`,
    ),
  ]);
}

describe('keyset paging while rows are appended', () => {
  afterEach(async () => {
    await testEnv.DB.prepare(`DELETE FROM ${table} WHERE titlebar = ?`).bind(MARK).run();
  });

  it('in row-key order, neither skips nor repeats any row that existed when paging began', async () => {
    const before = await expectedRows('globex', appendView, appendColumns);
    const walked = await walkPages(rowsPath(appendView, qs({ select: appendSelect, limit: 40 })), keys.globex, (page) => appendRows(page));
    const appended = (await direct<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE titlebar = ?`, MARK))[0]!.n;
    expect(appended).toBeGreaterThan(walked.pages);
    expect(walked.rows.filter((r) => r.titlebar !== MARK)).toEqual(before);
    expect(new Set(walked.rows.map((r) => JSON.stringify(r))).size).toBe(walked.rows.length);
    // Some appended rows sorted after the cursor and were picked up; those behind it were not.
    const seen = walked.rows.filter((r) => r.titlebar === MARK).length;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(appended);
  });

  it('newest first, rows that arrive during paging do not shift later pages', async () => {
    const order = 'utc_timestamp.desc';
    const before = await expectedRows('globex', appendView, appendColumns, { orderBy: '"utc_timestamp" DESC' });
    const walked = await walkPages(rowsPath(appendView, qs({ select: appendSelect, order, limit: 60 })), keys.globex, (page) =>
      appendRows(100 + page),
    );
    expect(walked.rows.filter((r) => r.titlebar !== MARK)).toEqual(before.filter((r) => r.titlebar !== MARK));
    expect(new Set(walked.rows.map((r) => JSON.stringify(r))).size).toBe(walked.rows.length);
  });
});

describe('a page of wide rows', () => {
  it('ends at the byte budget and links on, and the walk still returns every row once', async () => {
    const budget = LIMITS.maxPageBytes;
    // Shrink the budget for this test so the tiny demo's events span several pages of it.
    (LIMITS as { maxPageBytes: number }).maxPageBytes = 20_000;
    try {
      // A select no other test uses, so no page cached under the normal budget answers it.
      const path0 = '/v1/views/events/rows?limit=10000&select=user_id,computer_id,utc_timestamp,titlebar,application';
      const first = (await (await api(path0, keys.acme)).json()) as {
        rows: unknown[];
        next: string | null;
        row_count: number;
      };
      expect(first.next).not.toBeNull();
      expect(first.rows.length).toBeLessThan(10_000);
      expect(first.row_count).toBe(first.rows.length);
      const ids = new Set<string>();
      let total = 0;
      let path: string | null = path0;
      while (path) {
        const body = (await (await api(path, keys.acme)).json()) as { rows: Record<string, unknown>[]; next: string | null };
        for (const r of body.rows) ids.add(`${String(r.user_id)}|${String(r.computer_id)}|${String(r.utc_timestamp)}`);
        total += body.rows.length;
        path = body.next ? new URL(body.next).pathname + new URL(body.next).search : null;
      }
      const [{ n }] = (await direct<{ n: number }>('SELECT count(*) AS n FROM "acme__events"')) as [{ n: number }];
      expect(total).toBe(n);
      expect(ids.size).toBe(n);
    } finally {
      (LIMITS as { maxPageBytes: number }).maxPageBytes = budget;
    }
  });
});
