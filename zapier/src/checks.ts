/**
 * Rules the Zapier schema does not state but this app keeps, one small named check each (after
 * zapier-platform-schema's functional constraints). Each returns the problems it found, as
 * sentences naming the operation; an empty list means the app passes. validate.mts and the
 * tests run them all.
 */
import { leafColumns } from '../../shared/columns.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { outputKey } from './fields.ts';
import { FOLLOWABLE_VIEW_NAMES } from './views.ts';

/** The parts of an app definition the checks read; a plain object, not Zapier's full type. */
export interface CheckedApp {
  readonly triggers?: Readonly<Record<string, CheckedOperation>>;
  readonly searches?: Readonly<Record<string, CheckedOperation>>;
}

export interface CheckedOperation {
  readonly key?: string;
  readonly noun?: string;
  readonly display?: { readonly label?: string; readonly description?: string; readonly hidden?: boolean };
  readonly operation?: {
    readonly type?: string;
    readonly sample?: Readonly<Record<string, unknown>>;
    readonly outputFields?: readonly unknown[];
    readonly inputFields?: readonly unknown[];
    readonly performSubscribe?: unknown;
    readonly performUnsubscribe?: unknown;
    readonly performList?: unknown;
  };
}

export type Check = (app: CheckedApp) => string[];

function operations(app: CheckedApp): [kind: 'trigger' | 'search', key: string, op: CheckedOperation][] {
  return [
    ...Object.entries(app.triggers ?? {}).map(([key, op]) => ['trigger', key, op] as ['trigger', string, CheckedOperation]),
    ...Object.entries(app.searches ?? {}).map(([key, op]) => ['search', key, op] as ['search', string, CheckedOperation]),
  ];
}

/** Every trigger and search says what it is: key, noun, label, description, sample, output fields. */
const everyOperationIsDescribed: Check = (app) =>
  operations(app).flatMap(([kind, key, op]) => {
    const missing = [
      op.key === key ? null : 'a key equal to its name',
      op.noun ? null : 'a noun',
      op.display?.label ? null : 'a display label',
      op.display?.description ? null : 'a display description',
      op.operation?.sample && Object.keys(op.operation.sample).length > 0 ? null : 'a sample',
      op.operation?.outputFields && op.operation.outputFields.length > 0 ? null : 'output fields',
    ].filter((m): m is string => m !== null);
    return missing.length > 0 ? [`${kind} ${key} lacks ${missing.join(', ')}`] : [];
  });

/** Zapier users pick from a list of labels; two equal ones cannot be told apart. */
const labelsAreUnique: Check = (app) => {
  const problems: string[] = [];
  for (const group of [app.triggers ?? {}, app.searches ?? {}]) {
    const seen = new Map<string, string>();
    for (const [key, op] of Object.entries(group)) {
      const label = op.display?.label;
      if (label === undefined) continue;
      const other = seen.get(label);
      if (other) problems.push(`${other} and ${key} share the label "${label}"`);
      seen.set(label, key);
    }
  }
  return problems;
};

/**
 * The app covers the definitions exactly: `new_<view>` and `new_<view>_instant` for each view
 * with a change column, `find_<view>` for every view, and nothing else.
 */
const operationsCoverTheViews: Check = (app) => {
  const wantTriggers = FOLLOWABLE_VIEW_NAMES.flatMap((n) => [`new_${n}`, `new_${n}_instant`]);
  const wantSearches = VIEW_NAMES.map((n) => `find_${n}`);
  const diff = (kind: string, want: readonly string[], have: readonly string[]) => [
    ...want.filter((k) => !have.includes(k)).map((k) => `${kind} ${k} is missing`),
    ...have.filter((k) => !want.includes(k)).map((k) => `${kind} ${k} matches no view that can have one`),
  ];
  return [
    ...diff('trigger', wantTriggers, Object.keys(app.triggers ?? {})),
    ...diff('search', wantSearches, Object.keys(app.searches ?? {})),
  ];
};

/** An instant trigger can be turned on, turned off and tested before its first delivery. */
const hooksAreComplete: Check = (app) =>
  Object.entries(app.triggers ?? {})
    .filter(([, op]) => op.operation?.type === 'hook')
    .flatMap(([key, op]) =>
      (['performSubscribe', 'performUnsubscribe', 'performList'] as const)
        .filter((name) => typeof op.operation?.[name] !== 'function')
        .map((name) => `hook trigger ${key} has no ${name}`),
    );

const TYPE_TESTS: Readonly<Record<string, (value: unknown) => boolean>> = {
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  datetime: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v),
  string: (v) => typeof v === 'string',
};

function flatten(value: Readonly<Record<string, unknown>>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const [k, v] of flatten(inner as Record<string, unknown>, `${prefix}${key}__`)) out.set(k, v);
    } else {
      out.set(`${prefix}${key}`, inner);
    }
  }
  return out;
}

/**
 * A sample has a value for every output field, of the field's type (or null), and nothing
 * the output fields do not list: Zapier shows the sample where no real row exists yet.
 */
const samplesMatchOutputFields: Check = (app) =>
  operations(app).flatMap(([kind, key, op]) => {
    const sample = op.operation?.sample;
    const fields = (op.operation?.outputFields ?? []).filter(
      (f): f is { key: string; type?: string } => typeof f === 'object' && f !== null && typeof (f as { key?: unknown }).key === 'string',
    );
    if (!sample || fields.length === 0) return [];
    const values = flatten(sample);
    const problems: string[] = [];
    for (const field of fields) {
      if (!values.has(field.key)) {
        problems.push(`${kind} ${key}: the sample has no ${field.key}`);
        continue;
      }
      const value = values.get(field.key);
      const test = TYPE_TESTS[field.type ?? 'string'];
      if (value !== null && test && !test(value))
        problems.push(`${kind} ${key}: sample ${field.key} = ${JSON.stringify(value)} is not of type ${field.type}`);
    }
    const known = new Set(fields.map((f) => f.key));
    for (const sampleKey of values.keys())
      if (!known.has(sampleKey)) problems.push(`${kind} ${key}: the sample's ${sampleKey} is not an output field`);
    return problems;
  });

/** Output fields are the view's columns, so a column added to a definition shows up in Zapier. */
const outputFieldsAreTheColumns: Check = (app) =>
  operations(app).flatMap(([kind, key, op]) => {
    const view = VIEWS[key.replace(/^(new|find)_/, '').replace(/_instant$/, '') as keyof typeof VIEWS];
    if (!view) return [];
    const want = ['id', ...leafColumns(view).map((c) => outputKey(c.name))];
    const have = (op.operation?.outputFields ?? []).map((f) => (f as { key?: string }).key);
    return JSON.stringify(want) === JSON.stringify(have)
      ? []
      : [`${kind} ${key}: output fields are not id and the ${view.name} columns in definition order`];
  });

export const CHECKS = {
  everyOperationIsDescribed,
  labelsAreUnique,
  operationsCoverTheViews,
  hooksAreComplete,
  samplesMatchOutputFields,
  outputFieldsAreTheColumns,
} as const satisfies Record<string, Check>;

/** Every check's problems, each prefixed with the check's name. */
export function runChecks(app: CheckedApp): string[] {
  return Object.entries(CHECKS).flatMap(([name, check]) => check(app).map((problem) => `${name}: ${problem}`));
}
