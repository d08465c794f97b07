import { Hono } from 'hono';
import { leafColumns, isViewAvailable, viewMinPlan } from '../../shared/columns.ts';
import { planDisplayName, planIncludes, type Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS, getView } from '../../shared/views/index.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { didYouMean, nearestNames } from '../query/suggest.ts';

/** Resolves a view name for a caller: unknown is 404 with suggestions, above plan is 403. */
export function resolveView(name: string, plan: Plan): ViewDef {
  const view = getView(name);
  if (!view) {
    const available = VIEW_NAMES.filter((n) => isViewAvailable(VIEWS[n], plan));
    const suggestions = nearestNames(name, available);
    throw new ApiError(404, 'unknown-view', `Unknown view '${name.slice(0, 80)}'.${didYouMean(suggestions)}`, {
      view: name.slice(0, 80),
      suggestions,
      views: available,
    });
  }
  if (!isViewAvailable(view, plan)) {
    const required = viewMinPlan(view);
    throw new ApiError(
      403,
      'plan-required',
      `The ${view.name} view needs the ${planDisplayName(required)} plan; your key is on ${planDisplayName(plan)}.`,
      { view: view.name, required_plan: required, your_plan: plan },
    );
  }
  return view;
}

function viewSummary(view: ViewDef, plan: Plan) {
  return {
    name: view.name,
    description: view.description,
    min_plan: viewMinPlan(view),
    columns: leafColumns(view).filter((c) => planIncludes(plan, c.minPlan)).length,
    row_key: view.rowKey,
    date_column: view.dateColumn,
    change_column: view.changeColumn,
    freshness: { kind: view.freshness.kind, max_age_seconds: view.freshness.maxAgeSeconds },
  };
}

export const catalog = new Hono<AppEnv>()
  .get('/', (c) => {
    const { plan } = c.get('caller');
    return c.json({
      plan,
      views: VIEW_NAMES.map((n) => VIEWS[n])
        .filter((v) => isViewAvailable(v, plan))
        .map((v) => viewSummary(v, plan)),
    });
  })
  .get('/:view', (c) => {
    const { plan } = c.get('caller');
    const view = resolveView(c.req.param('view'), plan);
    return c.json({
      ...viewSummary(view, plan),
      plan,
      columns: leafColumns(view).map((col) => ({
        name: col.name,
        type: col.type,
        description: col.description,
        min_plan: col.minPlan,
        readable: planIncludes(plan, col.minPlan),
        ...(col.record ? { record: col.record.name, repeated: col.record.mode === 'REPEATED' } : {}),
      })),
    });
  });
