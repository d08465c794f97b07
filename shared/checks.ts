/**
 * Rules that hold across every view definition, each a small named check returning the
 * problems it finds (empty when the rule holds), so a failure names the rule and the view.
 * Types cannot express these: they relate one field of a definition to another.
 */
import { leafColumns, type LeafColumn } from './columns.ts';
import { planRank } from './plans.ts';
import type { ScalarType, ViewDef } from './types.ts';
import { VIEWS } from './views/index.ts';

export type ViewCheck = (views: readonly ViewDef[]) => string[];

// `from`/`to` compare the date column with calendar dates.
const DATE_TYPES: readonly ScalarType[] = ['DATE', 'DATETIME', 'TIMESTAMP'];
// Incremental refresh and polling triggers ask for rows "after" the last value seen, so the
// change column needs a total order that grows with new data; strings and NUMERIC goals do not.
const ORDERABLE_TYPES: readonly ScalarType[] = ['INT64', 'DATE', 'DATETIME', 'TIMESTAMP'];

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}

function leafByName(view: ViewDef): Map<string, LeafColumn> {
  return new Map(leafColumns(view).map((column) => [column.name, column]));
}

/** View names are the URL path segment and the key of VIEWS, so each may appear once. */
const uniqueViewNames: ViewCheck = (views) =>
  duplicates(views.map((view) => view.name)).map((name) => `view name '${name}' is defined more than once`);

/** Within a view, top-level names and flattened (dotted) leaf names are each unique. */
const uniqueColumnNames: ViewCheck = (views) =>
  views.flatMap((view) => [
    ...duplicates(view.columns.map((column) => column.name)).map((name) => `${view.name}: column '${name}' is defined more than once`),
    ...duplicates(leafColumns(view).map((column) => column.name)).map(
      (name) => `${view.name}: leaf column '${name}' is defined more than once`,
    ),
  ]);

/** A row key is non-empty, names leaf columns of the view, and names each only once. */
const rowKeyColumnsExist: ViewCheck = (views) =>
  views.flatMap((view) => {
    const leaves = leafByName(view);
    const problems: string[] = [];
    if (view.rowKey.length === 0) problems.push(`${view.name}: rowKey is empty`);
    for (const name of view.rowKey) {
      if (!leaves.has(name)) problems.push(`${view.name}: rowKey column '${name}' is not a column of the view`);
    }
    for (const name of duplicates(view.rowKey)) problems.push(`${view.name}: rowKey names '${name}' more than once`);
    return problems;
  });

/**
 * A view whose rows can share their key has every column in its key: paging past tied rows
 * counts them rather than telling them apart, which is only right when they are alike. It has
 * no change column either: /changes, hooks and triggers page strictly and give each row an id
 * made of its key, both of which need unique keys.
 */
const sharedKeysCoverEveryColumn: ViewCheck = (views) =>
  views.flatMap((view) => {
    if (view.rowKeyUnique) return [];
    const problems: string[] = [];
    const missing = leafColumns(view)
      .map((c) => c.name)
      .filter((name) => !view.rowKey.includes(name));
    if (missing.length)
      problems.push(`${view.name}: rowKey is not unique, so it must name every column; it leaves out ${missing.join(', ')}`);
    if (view.changeColumn !== null)
      problems.push(`${view.name}: rowKey is not unique, so it cannot have a changeColumn (trigger ids need unique keys)`);
    return problems;
  });

/** The date column, where there is one, exists and holds a DATE, DATETIME or TIMESTAMP. */
const dateColumnIsDateTyped: ViewCheck = (views) =>
  views.flatMap((view) => {
    if (view.dateColumn === null) return [];
    const column = leafByName(view).get(view.dateColumn);
    if (!column) return [`${view.name}: dateColumn '${view.dateColumn}' is not a column of the view`];
    if (!DATE_TYPES.includes(column.type)) {
      return [`${view.name}: dateColumn '${column.name}' is ${column.type}, expected one of ${DATE_TYPES.join(', ')}`];
    }
    return [];
  });

/** The change column, where there is one, exists and holds an orderable INT64, DATE, DATETIME or TIMESTAMP. */
const changeColumnIsOrderable: ViewCheck = (views) =>
  views.flatMap((view) => {
    if (view.changeColumn === null) return [];
    const column = leafByName(view).get(view.changeColumn);
    if (!column) return [`${view.name}: changeColumn '${view.changeColumn}' is not a column of the view`];
    if (!ORDERABLE_TYPES.includes(column.type)) {
      return [`${view.name}: changeColumn '${column.name}' is ${column.type}, expected one of ${ORDERABLE_TYPES.join(', ')}`];
    }
    return [];
  });

/** Descriptions become Sheets function help, OpenAPI text and Zapier field help, so none may be blank. */
const columnsAreDescribed: ViewCheck = (views) =>
  views.flatMap((view) => {
    const problems: string[] = [];
    if (view.description.trim() === '') problems.push(`${view.name}: the view has no description`);
    for (const column of view.columns) {
      if (column.description.trim() === '') problems.push(`${view.name}: column '${column.name}' has no description`);
      if (column.type === 'RECORD') {
        for (const field of column.fields) {
          if (field.description.trim() === '') {
            problems.push(`${view.name}: column '${column.name}.${field.name}' has no description`);
          }
        }
      }
    }
    return problems;
  });

/** Cache lifetimes derive from freshness; zero, negative or infinite ages would disable or pin the cache. */
const freshnessIsPositive: ViewCheck = (views) =>
  views.flatMap((view) =>
    (['maxAgeSeconds', 'staleSeconds'] as const)
      .filter((key) => !(Number.isFinite(view.freshness[key]) && view.freshness[key] > 0))
      .map((key) => `${view.name}: freshness.${key} is ${view.freshness[key]}, expected a positive number of seconds`),
  );

/** The dictionary is silent on keys, dates and freshness, so each choice carries its reason. */
const decisionsAreExplained: ViewCheck = (views) =>
  views.flatMap((view) => {
    const reasons = { ...view.decisions, 'freshness.why': view.freshness.why };
    return Object.entries(reasons)
      .filter(([, reason]) => reason.trim() === '')
      .map(([key]) => `${view.name}: no reason given for ${key}`);
  });

/**
 * Every caller who can read a view can read its row key, date and change columns: the API
 * appends the row key to every order, puts its values in cursors and trigger ids, and filters
 * by the date and change columns on the caller's behalf, so a key column above the view's own
 * minimum plan would show its values to callers whose plan does not include it.
 */
const keyColumnsReadableWithTheView: ViewCheck = (views) =>
  views.flatMap((view) => {
    const leaves = leafByName(view);
    const lowest = Math.min(...[...leaves.values()].map((c) => planRank(c.minPlan)));
    const keys = [...view.rowKey, view.dateColumn, view.changeColumn].filter((k): k is string => k !== null);
    return [...new Set(keys)]
      .filter((name) => {
        const column = leaves.get(name);
        return column !== undefined && planRank(column.minPlan) > lowest;
      })
      .map((name) => `${view.name}: key column '${name}' needs ${leaves.get(name)!.minPlan}, above the view's own minimum plan`);
  });

/** Every check by name; checkAllViews runs them all. */
export const VIEW_CHECKS = {
  uniqueViewNames,
  uniqueColumnNames,
  rowKeyColumnsExist,
  sharedKeysCoverEveryColumn,
  dateColumnIsDateTyped,
  changeColumnIsOrderable,
  columnsAreDescribed,
  freshnessIsPositive,
  decisionsAreExplained,
  keyColumnsReadableWithTheView,
} as const satisfies Record<string, ViewCheck>;

/**
 * Runs every check over the given views (all of them by default) and returns every
 * problem found, each prefixed with the check's name.
 * @example expect(checkAllViews()).toEqual([])
 */
export function checkAllViews(views: readonly ViewDef[] = Object.values(VIEWS)): string[] {
  return Object.entries(VIEW_CHECKS).flatMap(([name, check]) => check(views).map((problem) => `${name}: ${problem}`));
}
