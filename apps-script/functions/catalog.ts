import { PLAN_LABELS, PLANS } from '../../shared/plans.ts';
import { FILTER_OPS } from '../../shared/query-vocabulary.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { DEFAULT_FUNCTION_ROWS, MAX_FUNCTION_ROWS } from '../query/arguments.ts';

interface FunctionParam {
  readonly name: string;
  /** The JSDoc type Sheets shows in the function help. */
  readonly type: string;
  readonly description: string;
  readonly optional: boolean;
}

export interface CustomFunction {
  /** The name users type and the public global the build declares. */
  readonly name: string;
  /** The export of server/index.ts the global calls. */
  readonly handler: string;
  readonly summary: string;
  readonly params: readonly FunctionParam[];
  readonly returns: string;
}

const viewsWithDates = VIEW_NAMES.filter((n) => VIEWS[n].dateColumn !== null);
const plans = PLANS.map((p) => PLAN_LABELS[p].label).join(', ');

/**
 * The custom functions as data. The build writes each as a top-level `function` with this
 * JSDoc and `@customfunction`, which is what makes Sheets offer it with help; the view
 * names and the date views come from the definitions, so the help never lists a view the
 * API does not have.
 */
export const CUSTOM_FUNCTIONS: readonly CustomFunction[] = [
  {
    name: 'ACTIVTRAK',
    handler: 'ACTIVTRAK',
    summary: `Rows of an ActivTrak ActivConnect view, with a header row. Up to ${DEFAULT_FUNCTION_ROWS} rows unless limit= says otherwise.`,
    params: [
      { name: 'view', type: 'string', optional: false, description: `The view: ${VIEW_NAMES.join(', ')}.` },
      {
        name: 'columns',
        type: 'string|Array<Array<string>>',
        optional: true,
        description:
          'Columns to return: a range of column names or "user_name,local_date". Aggregates such as "sum(duration_seconds)" work with group_by. Empty for all columns.',
      },
      {
        name: 'from',
        type: 'Date|string',
        optional: true,
        description: `First day, a date cell or "2026-09-01". Applies to ${viewsWithDates.join(', ')}.`,
      },
      { name: 'to', type: 'Date|string', optional: true, description: 'Last day, inclusive: a date cell or "2026-09-30".' },
      {
        name: 'filters',
        type: 'string|Array<Array<string>>',
        optional: true,
        description: `Filters as column=op.value cells or a list: "productivity=eq.Productive", "duration_seconds>3600", "user_id=in.(1,2)". Operators: ${FILTER_OPS.join(' ')}, or = != > >= < <=.`,
      },
      {
        name: 'options',
        type: 'string|Array<Array<string>>',
        optional: true,
        description: `Options like "limit=500, order=local_date.desc": limit (at most ${MAX_FUNCTION_ROWS}), order, group_by, header=false.`,
      },
    ],
    returns: 'The rows, under a header row of column names.',
  },
  {
    name: 'ACTIVTRAK_VIEWS',
    handler: 'ACTIVTRAK_VIEWS',
    summary: 'The ActivTrak views your key can read, with their date column, change column and row key.',
    params: [],
    returns: 'One row per view.',
  },
  {
    name: 'ACTIVTRAK_COLUMNS',
    handler: 'ACTIVTRAK_COLUMNS',
    summary: `The columns of an ActivTrak view: type, description, the plan each needs (${plans}) and whether your key can read it.`,
    params: [{ name: 'view', type: 'string', optional: false, description: 'The view, like "daily_user_summary".' }],
    returns: 'One row per column.',
  },
];

function escapeComment(text: string): string {
  return text.replace(/\*\//g, '* /');
}

/** The top-level declaration Apps Script needs for Sheets to list a custom function. */
export function customFunctionStub(fn: CustomFunction, bundle: string): string {
  const lines = ['/**', ` * ${escapeComment(fn.summary)}`];
  for (const p of fn.params)
    lines.push(` * @param {${p.type}} ${p.name} ${p.optional ? '[Optional] ' : ''}${escapeComment(p.description)}`);
  lines.push(` * @return ${escapeComment(fn.returns)}`, ' * @customfunction', ' */');
  const params = fn.params.map((p) => p.name).join(', ');
  lines.push(`function ${fn.name}(${params}) {`, `  return ${bundle}.${fn.handler}.apply(this, arguments);`, '}');
  return lines.join('\n');
}
