import { Hono } from 'hono';
import { leafColumns, isViewAvailable, viewMinPlan, type LeafColumn } from '../../shared/columns.ts';
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

/** A view in GET /v1/views; the OpenAPI ViewSummary schema is checked against its keys. */
export function viewSummary(view: ViewDef, plan: Plan) {
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

/** A column in GET /v1/views/{view}; the OpenAPI ColumnInfo schema is checked against its keys. */
export function columnInfo(col: LeafColumn, plan: Plan) {
  return {
    name: col.name,
    type: col.type,
    description: col.description,
    min_plan: col.minPlan,
    readable: planIncludes(plan, col.minPlan),
    ...(col.record ? { record: col.record.name, repeated: col.record.mode === 'REPEATED' } : {}),
  };
}

/** GET /v1/views/{view}: the view and every column, readable or not; the OpenAPI ViewDetail schema is checked against its keys. */
export function viewDetail(view: ViewDef, plan: Plan) {
  return { ...viewSummary(view, plan), plan, columns: leafColumns(view).map((col) => columnInfo(col, plan)) };
}

/** GET /v1/views: the views the plan can read; the OpenAPI ViewList schema is checked against its keys. */
export function viewList(plan: Plan) {
  return {
    plan,
    views: VIEW_NAMES.map((n) => VIEWS[n])
      .filter((v) => isViewAvailable(v, plan))
      .map((v) => viewSummary(v, plan)),
  };
}

export const catalog = new Hono<AppEnv>()
  .get('/', (c) => c.json(viewList(c.get('caller').plan)))
  .get('/:view', (c) => c.json(viewDetail(resolveView(c.req.param('view'), c.get('caller').plan), c.get('caller').plan)));
