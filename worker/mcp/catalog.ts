import { leafColumns, readableColumns, viewMinPlan } from '../../shared/columns.ts';
import { planDisplayName, planIncludes, type Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEWS } from '../../shared/views/index.ts';
import { resolveView } from '../catalog/views.ts';
import { viewsFor } from './schemas.ts';

/** The first sentence of a description, for lists where every column's full text would crowd the context. */
function firstSentence(text: string, max = 140): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = end === -1 ? text : text.slice(0, end + 1);
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

/** list_views: every view the plan can read, with the columns it can read in each. */
export function listViews(plan: Plan) {
  return {
    plan,
    views: viewsFor(plan).map((name) => {
      const view: ViewDef = VIEWS[name];
      return {
        name: view.name,
        description: view.description,
        date_column: view.dateColumn,
        columns: readableColumns(view, plan).map((c) => ({ name: c.name, type: c.type, description: firstSentence(c.description) })),
      };
    }),
  };
}

/**
 * describe_view: the whole view as /v1/views/{view} gives it, columns above the plan
 * included and marked unreadable, so an agent can tell a user which plan a column needs.
 * An unknown view or one above the plan throws the API's 404 or 403 (resolveView).
 */
export function describeView(name: string, plan: Plan) {
  const view = resolveView(name, plan);
  return {
    name: view.name,
    description: view.description,
    plan,
    min_plan: viewMinPlan(view),
    row_key: view.rowKey,
    row_key_unique: view.rowKeyUnique,
    date_column: view.dateColumn,
    change_column: view.changeColumn,
    freshness: { kind: view.freshness.kind, max_age_seconds: view.freshness.maxAgeSeconds, why: view.freshness.why },
    columns: leafColumns(view).map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description,
      min_plan: c.minPlan,
      readable: planIncludes(plan, c.minPlan),
      ...(c.record ? { record: c.record.name, repeated: c.record.mode === 'REPEATED' } : {}),
    })),
  };
}

/** The data dictionary of one plan as Markdown: the resource an agent can keep beside a conversation. */
export function dictionaryMarkdown(plan: Plan): string {
  const parts = [`# ActivConnect data dictionary (${planDisplayName(plan)} plan)`, ''];
  for (const name of viewsFor(plan)) {
    const view: ViewDef = VIEWS[name];
    parts.push(`## ${view.name}`, '', view.description, '');
    parts.push(
      `Row key: ${view.rowKey.join(', ')}. Date column: ${view.dateColumn ?? 'none'}. Change column: ${view.changeColumn ?? 'none'}.`,
      '',
    );
    parts.push('| column | type | description |', '| --- | --- | --- |');
    for (const c of readableColumns(view, plan))
      parts.push(`| ${c.name} | ${c.type} | ${c.description.replace(/\s+/g, ' ').replaceAll('|', '\\|')} |`);
    parts.push('');
  }
  return parts.join('\n');
}
