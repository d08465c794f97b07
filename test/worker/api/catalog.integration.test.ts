import { beforeAll, describe, expect, it } from 'vitest';
import { leafColumns, isViewAvailable } from '../../../shared/columns.ts';
import { planIncludes } from '../../../shared/plans.ts';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import { DEMO_TENANTS } from '../../../worker/demo/tenants.ts';
import { seedTinyDemo } from '../support/demo.ts';
import { api } from './support/contract.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

describe('GET /v1/views', () => {
  for (const tenant of DEMO_TENANTS) {
    it(`lists exactly the views the ${tenant.plan} plan can read`, async () => {
      const res = await api('/v1/views', keys[tenant.id]);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { plan: string; views: { name: string; description: string }[] };
      expect(body.plan).toBe(tenant.plan);
      const expected = VIEW_NAMES.filter((n) => isViewAvailable(VIEWS[n], tenant.plan));
      expect(body.views.map((v) => v.name)).toEqual(expected);
      for (const v of body.views) expect(v.description.length).toBeGreaterThan(10);
    });
  }
  it('hides Professional-only views from an Essentials key', async () => {
    const body = (await (await api('/v1/views', keys.initech)).json()) as { views: { name: string }[] };
    expect(body.views.map((v) => v.name)).not.toContain('daily_group_benchmarks');
  });
});

describe('GET /v1/views/{view}', () => {
  for (const name of VIEW_NAMES) {
    it(`describes every column of ${name} with name, type, description, minimum plan and readability`, async () => {
      const res = await api(`/v1/views/${name}`, keys.acme);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        columns: { name: string; type: string; min_plan: string; readable: boolean; description: string }[];
      };
      const leaves = leafColumns(VIEWS[name]);
      expect(body.columns.map((c) => c.name)).toEqual(leaves.map((c) => c.name));
      body.columns.forEach((c, i) => {
        expect(c.type).toBe(leaves[i]!.type);
        expect(c.min_plan).toBe(leaves[i]!.minPlan);
        expect(c.readable).toBe(true);
        expect(c.description).toBe(leaves[i]!.description);
      });
    });
  }
  it('marks columns above the caller plan as not readable', async () => {
    const body = (await (await api('/v1/views/daily_user_summary', keys.initech)).json()) as {
      columns: { name: string; readable: boolean; min_plan: string }[];
    };
    const focus = body.columns.find((c) => c.name === 'focused_duration_seconds')!;
    expect(focus).toMatchObject({ readable: false, min_plan: 'professional' });
    for (const c of body.columns) expect(c.readable).toBe(planIncludes('essentials', c.min_plan as 'essentials'));
  });
  it('answers an unknown view with 404 problem+json and the nearest names', async () => {
    const res = await api('/v1/views/daily_user_sumary', keys.acme);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { detail: string; suggestions: string[]; type: string };
    expect(body.suggestions[0]).toBe('daily_user_summary');
    expect(body.detail).toContain("Did you mean 'daily_user_summary'");
    expect(body.type).toMatch(/unknown-view$/);
  });
  it('refuses a view above the plan with 403 that names the plan', async () => {
    const res = await api('/v1/views/daily_group_benchmarks', keys.initech);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { detail: string; required_plan: string };
    expect(body.required_plan).toBe('professional');
    expect(body.detail).toContain('Professional');
  });
});
