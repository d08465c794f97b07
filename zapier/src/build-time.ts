/**
 * Values fixed when the app is built. zapier/build.mts evaluates this module in Node and
 * bundles only its result (a JSON literal), so the demo-data generator the samples come from
 * never ships to Zapier; imported from source (tests, type checks) it is computed on the spot.
 */
import { leafColumns } from '../../shared/columns.ts';
import type { ScalarType, ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS, type ViewName } from '../../shared/views/index.ts';
import { DEMO_SIZES, generateDemo } from '../../worker/demo/generate.ts';
import type { StoredValue } from '../../worker/demo/schema.ts';
import { DEFAULT_DEMO_SEED, DEMO_TENANTS } from '../../worker/demo/tenants.ts';
import { rowIdOf, type ApiRow } from './fields.ts';

/** Where `npm start` serves the bridge: the default for builds that are not pushed to Zapier. */
export const LOCAL_API_URL = 'http://localhost:8787';

/**
 * The demo account and day the samples come from: the Professional tenant (every column) on
 * the same end date the app-tester tests seed, so a sample is the very row a trigger returns
 * first there.
 */
export const SAMPLE_SOURCE = { tenant: DEMO_TENANTS[0], seed: DEFAULT_DEMO_SEED, endDate: '2026-11-20', size: 'tiny' } as const;

export interface BuildTimeValues {
  /** Pre-filled in the connection form's Bridge URL field. */
  readonly defaultApiUrl: string;
  /** One row per view, as the API serves it (dotted record fields, with `id`). */
  readonly samples: Readonly<Record<ViewName, ApiRow>>;
}

export function buildTimeValues(options: { defaultApiUrl: string }): BuildTimeValues {
  return { defaultApiUrl: options.defaultApiUrl, samples: demoSamples() };
}

/**
 * A real-looking row per view from the demo generator: the newest by the change column (then
 * the row key, both descending, as /changes orders) or, for a view without one, the first.
 */
function demoSamples(): Record<ViewName, ApiRow> {
  const { tenant, seed, endDate, size } = SAMPLE_SOURCE;
  const data = generateDemo({ seed: `${seed}:${tenant.id}`, accountId: tenant.accountId, endDate, ...DEMO_SIZES[size] });
  const samples = {} as Record<ViewName, ApiRow>;
  for (const name of VIEW_NAMES) {
    const view: ViewDef = VIEWS[name];
    const table = data.tables[name];
    const order = view.changeColumn === null ? [] : [view.changeColumn, ...view.rowKey.filter((k) => k !== view.changeColumn)];
    const positions = order.map((column) => table.columns.indexOf(column));
    let best: StoredValue[] | undefined;
    for (const row of table.rows) {
      if (best === undefined || compareAt(row, best, positions) > 0) best = row;
      if (positions.length === 0) break;
    }
    if (best === undefined) throw new Error(`the demo generator produced no ${name} rows to take a sample from`);
    samples[name] = apiRow(view, table.columns, best);
  }
  return samples;
}

function compareAt(a: readonly StoredValue[], b: readonly StoredValue[], positions: readonly number[]): number {
  for (const i of positions) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    // SQLite sorts NULL below everything, so it is never the newest.
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Stored encoding back to JSON, the inverse of worker/demo/schema.ts encoderFor. */
function jsonValue(value: StoredValue, type: ScalarType): unknown {
  if (value === null) return null;
  if (type === 'BOOL') return value === 1;
  if (type === 'NUMERIC') return Number(value);
  return value;
}

function apiRow(view: ViewDef, columns: readonly string[], stored: readonly StoredValue[]): ApiRow {
  const types = new Map(leafColumns(view).map((c) => [c.name, c.type]));
  const row: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    row[column] = jsonValue(stored[i] ?? null, types.get(column)!);
  });
  const id = rowIdOf(view, row);
  if (id === undefined) throw new Error(`the ${view.name} sample lacks a row-key column`);
  return { id, ...row };
}

export const BUILD_TIME: BuildTimeValues = buildTimeValues({ defaultApiUrl: LOCAL_API_URL });
