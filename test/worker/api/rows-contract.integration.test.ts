// Integration: GET /v1/views/{view}/rows for every view and every plan, against the tenant's table read directly.
import { beforeAll, describe, expect, it } from 'vitest';
import { planDisplayName, planIncludes } from '../../../shared/plans.ts';
import { viewMinPlan } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { seedTinyDemo } from '../support/demo.ts';
import {
  ALL_VIEWS,
  api,
  PROFESSIONAL,
  TENANTS,
  expectProblem,
  expectedRows,
  getRows,
  isViewAvailable,
  leaf,
  leafColumns,
  qs,
  readableColumns,
  rowsPath,
  type Keys,
} from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

describe.each(ALL_VIEWS.map((v) => [v.name, v] as const))('GET /v1/views/%s/rows', (_name, view) => {
  for (const tenant of TENANTS) {
    if (!isViewAvailable(view, tenant.plan)) {
      it(`refuses the view on ${tenant.plan} with 403 naming the ${viewMinPlan(view)} plan`, async () => {
        const body = await expectProblem(await api(rowsPath(view), keys[tenant.id]), 403, 'plan-required');
        expect(body.detail).toContain(planDisplayName(viewMinPlan(view)));
        expect(body.required_plan).toBe(viewMinPlan(view));
      });
      continue;
    }

    it(`on ${tenant.plan}: returns exactly the readable columns in definition order and the table's rows in row-key order`, async () => {
      const columns = readableColumns(view, tenant.plan);
      const body = await getRows(rowsPath(view), keys[tenant.id]);
      expect(body.view).toBe(view.name);
      expect(body.columns).toEqual(columns.map((c) => ({ name: c.name, type: c.type })));
      const expected = await expectedRows(tenant, view, columns);
      expect(expected.length, 'the demo table has rows').toBeGreaterThan(0);
      expect(body.rows).toEqual(expected);
      // Object key order is part of the contract too: spreadsheets take the first row's keys as headers.
      for (const row of body.rows) expect(Object.keys(row)).toEqual(columns.map((c) => c.name));
      expect(body.row_count).toBe(expected.length);
      expect(body.next).toBeNull();
    });

    const above = leafColumns(view).find((c) => !planIncludes(tenant.plan, c.minPlan));
    if (above) {
      it(`on ${tenant.plan}: rejects selecting ${above.name} (${above.minPlan}) with 403 naming the plan`, async () => {
        const body = await expectProblem(await api(rowsPath(view, qs({ select: above.name })), keys[tenant.id]), 403, 'plan-required');
        expect(body.detail).toContain(planDisplayName(above.minPlan));
        expect(body.detail).toContain(above.name);
        expect(body).toMatchObject({ column: above.name, required_plan: above.minPlan, your_plan: tenant.plan });
      });
      it(`on ${tenant.plan}: rejects filtering and ordering on ${above.name} with 403 too`, async () => {
        await expectProblem(await api(rowsPath(view, qs({ [above.name]: 'is.null' })), keys[tenant.id]), 403, 'plan-required');
        await expectProblem(await api(rowsPath(view, qs({ order: above.name })), keys[tenant.id]), 403, 'plan-required');
      });
    }
  }

  it('returns a select= subset in the order asked, not definition order', async () => {
    const all = leafColumns(view);
    const chosen = (all.length > 1 ? [all.at(-1)!, all[0]!, ...all.slice(1, 2)] : all).filter((c, i, a) => a.indexOf(c) === i);
    const body = await getRows(rowsPath(view, qs({ select: chosen.map((c) => c.name).join(',') })), keys[PROFESSIONAL.id]);
    expect(body.columns.map((c) => c.name)).toEqual(chosen.map((c) => c.name));
    expect(body.rows).toEqual(await expectedRows(PROFESSIONAL, view, chosen));
  });
});

describe('nested records as dotted columns', () => {
  it('users: one row per agent, agents.* selectable, filterable and orderable like any column', async () => {
    const view = VIEWS.users;
    const cols = ['uid', 'agents.user_name', 'agents.agent_id'].map((n) => leaf(view, n));
    const all = await getRows(rowsPath(view, qs({ select: cols.map((c) => c.name).join(',') })), keys.acme);
    expect(all.rows).toEqual(await expectedRows('acme', view, cols));
    // A user with several agents appears once per agent.
    const uids = all.rows.map((r) => r.uid);
    expect(new Set(uids).size).toBeLessThan(uids.length);

    const name = all.rows[1]!['agents.user_name'] as string;
    const filtered = await getRows(
      rowsPath(
        view,
        qs([
          ['select', 'uid,agents.user_name,agents.agent_id'],
          ['agents.user_name', `eq.${name}`],
          ['order', 'agents.agent_id.desc'],
        ]),
      ),
      keys.acme,
    );
    expect(filtered.rows).toEqual(
      await expectedRows('acme', view, cols, { where: '"agents.user_name" = ?', params: [name], orderBy: '"agents.agent_id" DESC' }),
    );
    expect(filtered.rows.length).toBeGreaterThan(0);
  });

  it('user_work_schedules: work_schedule.* with TIME values, filterable on NULL and not NULL', async () => {
    const view = VIEWS.user_work_schedules;
    const cols = ['uid', 'work_schedule.day_of_week', 'work_schedule.start_time', 'work_schedule.end_time'].map((n) => leaf(view, n));
    const select = cols.map((c) => c.name).join(',');
    const body = await getRows(rowsPath(view, qs({ select })), keys.acme);
    expect(body.rows).toEqual(await expectedRows('acme', view, cols));
    for (const r of body.rows)
      if (r['work_schedule.start_time'] !== null) expect(r['work_schedule.start_time']).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    const day = body.rows[0]!['work_schedule.day_of_week'] as string;

    const fixed = await getRows(
      rowsPath(view, qs({ select, 'work_schedule.start_time': 'not.is.null', 'work_schedule.day_of_week': `eq.${day}` })),
      keys.acme,
    );
    expect(fixed.rows).toEqual(
      await expectedRows('acme', view, cols, {
        where: `"work_schedule.start_time" IS NOT NULL AND "work_schedule.day_of_week" = ?`,
        params: [day],
      }),
    );
    const flexible = await getRows(rowsPath(view, qs({ select, 'work_schedule.start_time': 'is.null' })), keys.acme);
    expect(flexible.rows).toEqual(await expectedRows('acme', view, cols, { where: `"work_schedule.start_time" IS NULL` }));
    expect(fixed.rows.length + flexible.rows.length).toBeGreaterThan(0);
  });

  it('answers an unknown dotted column with 400 and the nearest names', async () => {
    const body = await expectProblem(await api(rowsPath('users', qs({ select: 'agents.user_nam' })), keys.acme), 400, 'unknown-column');
    expect(body.detail).toContain("Did you mean 'agents.user_name'");
  });
});
