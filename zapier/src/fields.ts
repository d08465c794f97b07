/**
 * Zapier fields derived from a view definition: output fields typed from the BigQuery types,
 * the filter and column inputs every operation takes, and the conversions between the API's
 * rows and what Zapier maps (nested records, a stable `id`).
 */
import type { PlainInputField, PlainOutputField } from 'zapier-platform-core';
import { leafColumns, viewMinPlan, type LeafColumn } from '../../shared/columns.ts';
import { planRank } from '../../shared/plans.ts';
import type { ScalarType, ViewDef } from '../../shared/types.ts';
import { rowKeyId } from '../../shared/query-vocabulary.ts';
import { clip, humanise, planLabel } from './naming.ts';

type OutputType = NonNullable<PlainOutputField['type']>;

/** What a Zapier user maps each BigQuery type as; dates included, so Zapier can reformat them. */
const OUTPUT_TYPES: Readonly<Record<ScalarType, OutputType>> = {
  INT64: 'integer',
  NUMERIC: 'number',
  FLOAT64: 'number',
  BOOL: 'boolean',
  DATE: 'datetime',
  DATETIME: 'datetime',
  TIMESTAMP: 'datetime',
  STRING: 'string',
  // A time of day with no date is not a datetime Zapier could parse.
  TIME: 'string',
};

function outputType(type: ScalarType): OutputType {
  return OUTPUT_TYPES[type];
}

/**
 * The key Zapier maps a column by. Record fields are nested objects in what the app returns
 * (see zapierRow), and Zapier names nested values with `__`.
 * @example outputKey('agents.agent_id') // 'agents__agent_id'
 */
export function outputKey(column: string): string {
  return column.replaceAll('.', '__');
}

const ID_FIELD = { key: 'id', label: 'Row ID', type: 'string' } as const satisfies PlainOutputField;

/** `id` first, then every column of the view in definition order. */
export function outputFields(view: ViewDef): PlainOutputField[] {
  return [ID_FIELD, ...leafColumns(view).map((c) => ({ key: outputKey(c.name), label: humanise(c.name), type: outputType(c.type) }))];
}

/** A row as the API sends it: column name (dotted for record fields) to JSON value. */
export type ApiRow = Readonly<Record<string, unknown>>;

/**
 * A row as Zapier gets it: record fields nested under their record, so Zapier shows
 * "Agents: Agent ID" and maps `agents__agent_id` rather than a key with a dot in it.
 * @example zapierRow({ uid: 1, 'agents.agent_id': 7 }) // { uid: 1, agents: { agent_id: 7 } }
 */
export function zapierRow(row: ApiRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const dot = name.indexOf('.');
    if (dot < 0) {
      out[name] = value;
      continue;
    }
    const record = name.slice(0, dot);
    const nested = (out[record] ??= {}) as Record<string, unknown>;
    nested[name.slice(dot + 1)] = value;
  }
  return out;
}

/**
 * The row id the API gives trigger rows, computed for rows that come without one (searches)
 * by the same rowKeyId (shared/query-vocabulary.ts). Undefined when the row lacks a key
 * column, because a partial key would not be unique.
 * @example rowIdOf(dailyUserSummary, { user_id: 210005, local_date: '2026-11-20' }) // '210005|2026-11-20'
 */
export function rowIdOf(view: ViewDef, row: ApiRow): string | undefined {
  if (!view.rowKey.every((key) => Object.hasOwn(row, key))) return undefined;
  return rowKeyId(view.rowKey.map((key) => row[key]));
}

/** The optional inputs every operation on a view takes: conditions and columns. */
export function rowInputFields(view: ViewDef, example: ApiRow): PlainInputField[] {
  return [filtersField(view, example), selectField(view)];
}

/** A key/value input: column name → condition, with an example taken from a real row. */
function filtersField(view: ViewDef, example: ApiRow): PlainInputField {
  const column = exampleColumn(view);
  const value = example[column.name];
  const shown = value === null || value === undefined ? 'value' : String(value);
  return {
    key: 'filters',
    label: 'Only Rows Where',
    dict: true,
    required: false,
    helpText: clip(
      `Conditions every row must meet. Left: a column name, such as \`${column.name}\`. Right: a value (\`${shown}\` keeps rows equal to it) ` +
        'or an operator and a value: `neq.`, `gt.`, `gte.`, `lt.`, `lte.`, `like.*text*`, `ilike.*text*` (any case), `in.(a,b)`, `is.null`, ' +
        'and `not.` in front of any of them. Column names and values are checked by the bridge, which names the problem if one is wrong.',
      1000,
    ),
  };
}

/** Prefers the row key's first column: the one people filter a feed by (a user, a group). */
function exampleColumn(view: ViewDef): LeafColumn {
  const columns = leafColumns(view);
  return columns.find((c) => c.name === view.rowKey[0]) ?? columns[0]!;
}

/** A multi-select of the view's columns; columns above the view's lowest plan say which plan. */
function selectField(view: ViewDef): PlainInputField {
  const lowest = planRank(viewMinPlan(view));
  return {
    key: 'select',
    label: 'Columns',
    list: true,
    required: false,
    helpText: 'The columns to return. Leave empty for every column your plan includes. The row ID is always returned.',
    choices: leafColumns(view).map((c) => ({
      value: c.name,
      sample: c.name,
      label: planRank(c.minPlan) > lowest ? `${humanise(c.name)} (${planLabel(c.minPlan)} plan)` : humanise(c.name),
    })),
  };
}
