/**
 * "Find <View> Row" for every view, on POST /v1/views/{view}/query: the JSON form of /rows,
 * so long filter lists never meet a URL length limit.
 */
import type { Bundle, PlainInputField, Search, ZObject } from 'zapier-platform-core';
import { readLimit, type LimitRange } from '../../shared/query-vocabulary.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEWS, type ViewName } from '../../shared/views/index.ts';
import { apiUrl, filtersFrom, selectFrom } from './api.ts';
import { BUILD_TIME } from './build-time.ts';
import { outputFields, rowInputFields, rowIdOf, zapierRow, type ApiRow } from './fields.ts';
import { clip } from './naming.ts';
import { planNote, viewLabel } from './triggers.ts';

/** Zapier acts on the first result, so a few rows are plenty; the cap keeps responses small. */
const SEARCH_LIMIT = { default: 10, max: 100 } as const satisfies LimitRange;

/** Newest first where the view has a change column; otherwise the bridge's row-key order. */
function defaultOrder(view: ViewDef): string | undefined {
  return view.changeColumn ? `${view.changeColumn}.desc` : undefined;
}

function searchInputFields(view: ViewDef, example: ApiRow): PlainInputField[] {
  const fields = rowInputFields(view, example);
  if (view.dateColumn) {
    const range = (key: 'from' | 'to', label: string, side: string): PlainInputField => ({
      key,
      label,
      type: 'datetime',
      required: false,
      helpText: `${side} day of \`${view.dateColumn}\`, included. A date such as 2026-11-01, or words Zapier understands, like "7 days ago".`,
    });
    fields.push(range('from', 'From Date', 'First'), range('to', 'To Date', 'Last'));
  }
  const order = defaultOrder(view);
  fields.push(
    {
      key: 'order',
      label: 'Order',
      type: 'string',
      required: false,
      ...(order ? { placeholder: order } : {}),
      helpText: `Sort by columns, each with \`.asc\` or \`.desc\`, comma-separated, such as \`${view.rowKey[0]}.asc\`. ${order ? `Default: newest first (\`${order}\`).` : 'Default: by the row key.'} Zapier uses the first row found.`,
    },
    {
      key: 'limit',
      label: 'Rows',
      type: 'integer',
      required: false,
      default: String(SEARCH_LIMIT.default),
      helpText: `How many rows to return, 1 to ${SEARCH_LIMIT.max}.`,
    },
  );
  return fields;
}

/** Zapier's date picker and phrases ("yesterday") arrive as ISO datetimes; the API takes the day. */
export function dayOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
}

/** "Rows" read by the rule every `limit` of the bridge follows (shared/query-vocabulary.ts). */
function limitFrom(z: ZObject, value: unknown): number {
  const reading = readLimit(value === undefined || value === null ? undefined : String(value), SEARCH_LIMIT);
  if (!reading.ok) {
    throw new z.errors.Error(`"Rows" must be a whole number from 1 to ${SEARCH_LIMIT.max}; got ${reading.given}.`, 'bad-limit', 400);
  }
  return reading.limit;
}

async function findRows(z: ZObject, bundle: Bundle, view: ViewDef): Promise<Record<string, unknown>[]> {
  const input = bundle.inputData;
  const select = selectFrom(input.select);
  const from = dayOf(input.from);
  const to = dayOf(input.to);
  const order = typeof input.order === 'string' && input.order.trim() !== '' ? input.order.trim() : defaultOrder(view);
  const response = await z.request({
    url: apiUrl(bundle, `/v1/views/${view.name}/query`),
    method: 'POST',
    json: {
      filters: filtersFrom(z, input.filters),
      limit: limitFrom(z, input.limit),
      ...(select ? { select } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(order ? { order } : {}),
    },
  });
  const rows: unknown = (response.data as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) {
    throw new z.errors.Error(`The bridge sent no ${view.name} rows. Check the Bridge URL in your connection.`, 'bad-response', 502);
  }
  // /query rows carry no id; the same key-based id the triggers use lets a Zap match the two.
  return rows.map((row: ApiRow) => {
    const id = rowIdOf(view, row);
    return zapierRow(id === undefined ? row : { id, ...row });
  });
}

/** `find_<view>`. */
export function findRowsSearch<N extends ViewName>(name: N) {
  const view = VIEWS[name];
  const label = viewLabel(view);
  return {
    key: `find_${name}`,
    noun: `${label} Row`,
    display: {
      label: `Find ${label} Row`,
      description: clip(
        `Finds ${label} rows matching your conditions${view.changeColumn ? ', newest first' : ''}. ${view.description}${planNote(view)}`,
        1000,
      ),
    },
    operation: {
      inputFields: searchInputFields(view, BUILD_TIME.samples[name]),
      perform: (z: ZObject, bundle: Bundle) => findRows(z, bundle, view),
      sample: zapierRow(BUILD_TIME.samples[name]),
      outputFields: outputFields(view),
    },
  } satisfies Search<`find_${N}`>;
}
