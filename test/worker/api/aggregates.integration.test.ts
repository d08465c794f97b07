// Integration: group_by with sum/avg/min/max/count against the same aggregation run directly.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeafColumn } from '../../../shared/columns.ts';
import type { ViewDef } from '../../../shared/types.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { direct, seedTinyDemo } from '../support/demo.ts';
import {
  api,
  ALL_VIEWS,
  PROFESSIONAL,
  expectProblem,
  getRows,
  leaf,
  leafColumns,
  q,
  qs,
  rowsPath,
  tableOf,
  walkPages,
  type Keys,
  type Row,
} from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const tenant = PROFESSIONAL;
const isNumber = (c: LeafColumn) => c.type === 'INT64' || c.type === 'NUMERIC' || c.type === 'FLOAT64';
/** A column as SQL does arithmetic and comparison on it (NUMERIC is stored as exact text). */
const num = (c: LeafColumn) => (c.type === 'NUMERIC' ? `CAST(${q(c.name)} AS REAL)` : q(c.name));

/** The aggregation a view is tested with: its last number column, grouped by its first text column (if any). */
function plan(view: ViewDef): { group: LeafColumn | null; measure: LeafColumn } {
  const columns = leafColumns(view);
  const measure = columns.filter(isNumber).at(-1)!;
  const group = columns.find((c) => c.type === 'STRING') ?? null;
  return { group, measure };
}

/** Direct SQL for group → sum, avg, min, max, count, as the API names them. */
async function directAggregates(view: ViewDef, group: LeafColumn | null, measure: LeafColumn, orderBy?: string): Promise<Row[]> {
  const m = num(measure);
  const g = group ? q(group.name) : null;
  const rows = await direct<Record<string, unknown>>(
    `SELECT ${g ? `${g} AS g, ` : ''}SUM(${m}) AS s, AVG(${m}) AS a, MIN(${m}) AS mn, MAX(${m}) AS mx, COUNT(*) AS n
     FROM ${tableOf(tenant, view)}${g ? ` GROUP BY ${g}` : ''} ORDER BY ${orderBy ?? (g ? `${g} ASC NULLS FIRST` : '1')}`,
  );
  return rows.map((r) => ({
    ...(group ? { [group.name]: r.g } : {}),
    [`sum_${measure.name}`]: r.s,
    [`avg_${measure.name}`]: r.a,
    [`min_${measure.name}`]: r.mn,
    [`max_${measure.name}`]: r.mx,
    count: r.n,
  }));
}

/** Averages compare to 9 significant digits; everything else exactly. */
function expectAggregates(actual: Row[], expected: Row[]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i]!;
    expect(Object.keys(row)).toEqual(Object.keys(want));
    for (const [k, v] of Object.entries(want)) {
      if (k.startsWith('avg_') && typeof v === 'number') expect(row[k], `${k} of row ${i}`).toBeCloseTo(v, 6);
      else expect(row[k], `${k} of row ${i}`).toEqual(v);
    }
  });
}

describe.each(ALL_VIEWS.map((v) => [v.name, v] as const))('aggregates over %s', (_name, view) => {
  const { group, measure } = plan(view);
  const fns = ['sum', 'avg', 'min', 'max'].map((f) => `${f}(${measure.name})`);
  it(`${group ? `group_by=${group.name} with ` : ''}sum/avg/min/max(${measure.name} ${measure.type}) and count() equal the SQL`, async () => {
    const select = [...(group ? [group.name] : []), ...fns, 'count()'].join(',');
    const body = await getRows(rowsPath(view, qs({ select, ...(group ? { group_by: group.name } : {}) })), keys[tenant.id]);
    expect(body.columns.map((c) => c.name)).toEqual([
      ...(group ? [group.name] : []),
      ...['sum', 'avg', 'min', 'max'].map((f) => `${f}_${measure.name}`),
      'count',
    ]);
    expect(body.columns.find((c) => c.name === `avg_${measure.name}`)!.type).toBe('FLOAT64');
    expect(body.columns.find((c) => c.name === 'count')!.type).toBe('INT64');
    const expected = await directAggregates(view, group, measure);
    expect(expected.length).toBeGreaterThan(0);
    expectAggregates(body.rows, expected);
  });
});

describe('group_by', () => {
  const view = VIEWS.daily_user_summary;

  it('without select returns the group columns and count', async () => {
    const body = await getRows(rowsPath(view, qs({ group_by: 'user_id,day_type' })), keys.acme);
    expect(body.columns.map((c) => c.name)).toEqual(['user_id', 'day_type', 'count']);
    const rows = await direct(`SELECT user_id, day_type, COUNT(*) AS count FROM ${tableOf('acme', view)} GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(body.rows).toEqual(rows);
  });

  it('filters rows before grouping, and count(*) is count()', async () => {
    const [{ dayType }] = (await direct<{ dayType: string }>(
      `SELECT day_type AS dayType FROM ${tableOf('acme', view)} GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1`,
    )) as [{ dayType: string }];
    const body = await getRows(
      rowsPath(view, qs({ group_by: 'user_id', select: 'user_id,count(*),sum(user_productivity_goal)', day_type: `eq.${dayType}` })),
      keys.acme,
    );
    const rows = await direct<Row>(
      `SELECT user_id, COUNT(*) AS count, SUM(CAST(user_productivity_goal AS REAL)) AS sum_user_productivity_goal FROM ${tableOf('acme', view)} WHERE day_type = ? GROUP BY 1 ORDER BY 1`,
      dayType,
    );
    const all = await direct(`SELECT COUNT(*) AS n FROM ${tableOf('acme', view)}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + (r.count as number), 0)).toBeLessThan((all[0] as { n: number }).n);
    expect(body.rows).toEqual(rows);
  });

  it('min and max work on text and dates as well as numbers', async () => {
    const body = await getRows(
      rowsPath(view, qs({ group_by: 'user_id', select: 'user_id,min(local_date),max(local_date),max(day_of_week)' })),
      keys.acme,
    );
    const rows = await direct(
      `SELECT user_id, MIN(local_date) AS min_local_date, MAX(local_date) AS max_local_date, MAX(day_of_week) AS max_day_of_week FROM ${tableOf('acme', view)} GROUP BY 1 ORDER BY 1`,
    );
    expect(body.rows).toEqual(rows);
  });

  it('orders by an aggregate, either spelling, and pages through that order', async () => {
    const select = 'user_id,sum(total_duration_seconds),max(user_focus_goal)';
    const expected = await direct<Row>(
      `SELECT user_id, SUM(total_duration_seconds) AS sum_total_duration_seconds, MAX(CAST(user_focus_goal AS REAL)) AS max_user_focus_goal
       FROM ${tableOf('acme', view)} GROUP BY 1 ORDER BY 2 DESC, 1 ASC`,
    );
    for (const order of ['sum(total_duration_seconds).desc', 'sum_total_duration_seconds.desc']) {
      const body = await getRows(rowsPath(view, qs({ group_by: 'user_id', select, order })), keys.acme);
      expect(body.rows, order).toEqual(expected);
    }
    const walked = await walkPages(
      rowsPath(view, qs({ group_by: 'user_id', select, order: 'sum_total_duration_seconds.desc', limit: 2 })),
      keys.acme,
    );
    expect(walked.pages).toBeGreaterThan(2);
    expect(walked.rows).toEqual(expected);

    const byMax = await direct<Row>(
      `SELECT user_id, SUM(total_duration_seconds) AS sum_total_duration_seconds, MAX(CAST(user_focus_goal AS REAL)) AS max_user_focus_goal
       FROM ${tableOf('acme', view)} GROUP BY 1 ORDER BY 3 DESC, 1 ASC`,
    );
    const walkedByMax = await walkPages(
      rowsPath(view, qs({ group_by: 'user_id', select, order: 'max(user_focus_goal).desc', limit: 2 })),
      keys.acme,
    );
    expect(walkedByMax.rows).toEqual(byMax);
  });

  it('pages over groups with a small limit: every group once, in group order', async () => {
    const expected = await direct<Row>(
      `SELECT local_date, day_type, COUNT(*) AS count FROM ${tableOf('acme', view)} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const walked = await walkPages(rowsPath(view, qs({ group_by: 'local_date,day_type', limit: 2 })), keys.acme);
    expect(walked.pages).toBe(Math.ceil(expected.length / 2));
    expect(walked.rows).toEqual(expected);
  });

  it('pages over groups of a nullable column, NULL group first ascending and last descending', async () => {
    const table = tableOf('acme', 'daily_application_summary');
    const [{ nulls }] = (await direct<{ nulls: number }>(`SELECT COUNT(*) AS nulls FROM ${table} WHERE application IS NULL`)) as [
      { nulls: number },
    ];
    expect(nulls, 'some rows have no application').toBeGreaterThan(0);
    for (const [order, sql] of [
      ['application', 'application ASC NULLS FIRST'],
      ['application.desc', 'application DESC NULLS LAST'],
      ['count.desc,application.desc', 'count DESC, application DESC NULLS LAST'],
    ] as const) {
      const expected = await direct<Row>(`SELECT application, COUNT(*) AS count FROM ${table} GROUP BY 1 ORDER BY ${sql}`);
      const walked = await walkPages(rowsPath('daily_application_summary', qs({ group_by: 'application', order, limit: 3 })), keys.acme);
      expect(walked.rows, order).toEqual(expected);
    }
  });

  it('groups by a dotted column of a nested record', async () => {
    const body = await getRows(
      rowsPath(
        'user_work_schedules',
        qs({ group_by: 'work_schedule.day_of_week', select: 'work_schedule.day_of_week,count(),max(break_time_minutes)' }),
      ),
      keys.acme,
    );
    const rows = await direct(
      `SELECT "work_schedule.day_of_week", COUNT(*) AS count, MAX(break_time_minutes) AS max_break_time_minutes FROM ${tableOf('acme', 'user_work_schedules')} GROUP BY 1 ORDER BY 1`,
    );
    expect(body.rows).toEqual(rows);
  });
});

describe('aggregate errors', () => {
  it.each(['sum(user_name)', 'avg(local_date)', 'sum(time_off_day)'])(
    'rejects %s on a column that is not a number with 400',
    async (fn) => {
      const column = fn.slice(fn.indexOf('(') + 1, -1);
      const body = await expectProblem(await api(rowsPath('daily_user_summary', qs({ select: fn })), keys.acme), 400, 'invalid-parameter');
      expect(body.detail).toContain(column);
      expect(body.column).toBe(column);
    },
  );

  it('rejects a selected column that is not grouped with 400 naming it', async () => {
    const body = await expectProblem(
      await api(rowsPath('daily_user_summary', qs({ group_by: 'user_id', select: 'user_id,user_name,count()' })), keys.acme),
      400,
      'invalid-parameter',
    );
    expect(body.column).toBe('user_name');
    expect(body.detail).toContain('group_by');
    // An aggregate without group_by makes every plain column ungrouped.
    await expectProblem(await api(rowsPath('daily_user_summary', qs({ select: 'user_id,count()' })), keys.acme), 400, 'invalid-parameter');
  });

  it('rejects an unknown aggregate and an order on something neither grouped nor selected', async () => {
    const median = await expectProblem(
      await api(rowsPath('events', qs({ select: 'median(duration_sec)' })), keys.acme),
      400,
      'invalid-parameter',
    );
    expect(median.detail).toContain('sum()');
    await expectProblem(
      await api(rowsPath('events', qs({ group_by: 'user_id', order: 'duration_sec' })), keys.acme),
      400,
      'invalid-parameter',
    );
  });

  it('an aggregate over a column above the plan is 403, like selecting it', async () => {
    const body = await expectProblem(
      await api(rowsPath('daily_user_summary', qs({ select: 'sum(focused_duration_seconds)' })), keys.initech),
      403,
      'plan-required',
    );
    expect(body.column).toBe('focused_duration_seconds');
    expect(leaf(VIEWS.daily_user_summary, 'focused_duration_seconds').minPlan).toBe('professional');
  });
});
