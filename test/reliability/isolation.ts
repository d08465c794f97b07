/**
 * Isolation: random queries, the same URL sent with every tenant's key, in every format and
 * twice (the second from the cache). Every row's account number must be the caller's; the
 * demo tenants' account numbers differ, so a row from another tenant cannot pass unseen.
 */
import { leafColumns, isViewAvailable } from '../../shared/columns.ts';
import { planIncludes, type Plan } from '../../shared/plans.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../shared/views/index.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../worker/demo/tenants.ts';
import type { Random, Tally } from './support/tally.ts';

const ACCOUNT_COLUMNS = ['accountid', 'account_id'];
const FORMATS = ['json', 'values', 'csv', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];

export interface Target {
  readonly view: ViewDef;
  readonly accountColumn: string;
}

/** Views with an account column every demo plan can read, so one URL suits every tenant. */
export function targets(): Target[] {
  const out: Target[] = [];
  for (const name of VIEW_NAMES) {
    const view = VIEWS[name];
    const column = leafColumns(view).find((c) => ACCOUNT_COLUMNS.includes(c.name));
    if (!column) continue;
    if (!DEMO_TENANTS.every((t) => isViewAvailable(view, t.plan) && planIncludes(t.plan, column.minPlan))) continue;
    out.push({ view, accountColumn: column.name });
  }
  return out;
}

export function readableByAll(view: ViewDef): string[] {
  return leafColumns(view)
    .filter((c) => DEMO_TENANTS.every((t) => planIncludes(t.plan as Plan, c.minPlan)))
    .map((c) => c.name);
}

/** One CSV line's fields (RFC 4180 quoting). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Account values of every row in a response body, as strings. */
function accountValues(format: Format, body: string, column: string): string[] {
  switch (format) {
    case 'json': {
      const parsed = JSON.parse(body) as { rows: Record<string, unknown>[] };
      return parsed.rows.map((r) => String(r[column]));
    }
    case 'values': {
      const parsed = JSON.parse(body) as { values: unknown[][] };
      const at = (parsed.values[0] ?? []).indexOf(column);
      return parsed.values.slice(1).map((r) => String(r[at]));
    }
    case 'ndjson':
      return body
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => String((JSON.parse(l) as Record<string, unknown>)[column]));
    case 'csv': {
      // Account numbers never contain quotes or line breaks; other fields may, so parse records.
      const records = splitCsvRecords(body);
      const header = csvFields(records[0] ?? '');
      const at = header.indexOf(column);
      return records
        .slice(1)
        .filter((r) => r !== '')
        .map((r) => csvFields(r)[at] ?? '');
    }
  }
}

function splitCsvRecords(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '\r' && body[i + 1] === '\n') {
      out.push(cur);
      cur = '';
      i++;
      continue;
    }
    cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** A random query over a target, as query-string parameters. */
function randomQuery(rnd: Random, t: Target): { params: URLSearchParams; format: Format; grouped: boolean } {
  const columns = readableByAll(t.view).filter((c) => c !== t.accountColumn);
  const format = rnd.pick(FORMATS);
  const params = new URLSearchParams();
  const grouped = rnd.chance(0.2);
  if (grouped) {
    params.set('group_by', t.accountColumn);
    params.set('select', `${t.accountColumn},count()`);
  } else {
    params.set('select', [t.accountColumn, ...rnd.sample(columns, rnd.int(0, 4))].join(','));
    if (rnd.chance(0.3)) params.set('order', `${rnd.pick([t.accountColumn, ...t.view.rowKey])}.${rnd.pick(['asc', 'desc'])}`);
  }
  if (t.view.dateColumn && rnd.chance(0.3)) params.set('from', `2026-0${rnd.int(1, 3)}-${String(rnd.int(1, 28)).padStart(2, '0')}`);
  // Sometimes name another tenant's account outright: the answer must be empty, not theirs.
  if (rnd.chance(0.15)) params.set(t.accountColumn, `eq.${rnd.pick(DEMO_TENANTS).accountId}`);
  params.set('limit', String(rnd.int(1, 300)));
  params.set('format', format);
  return { params, format, grouped };
}

export async function runIsolation(opts: {
  readonly url: string;
  readonly keys: Record<DemoTenantId, string>;
  readonly rnd: Random;
  readonly tally: Tally;
  readonly queries: number;
}): Promise<void> {
  const { url, keys, rnd, tally } = opts;
  const all = targets();
  tally.check(
    'there are views with an account column readable on every plan',
    all.length >= 3,
    `found ${all.map((t) => t.view.name).join(', ')}`,
  );
  let leaks = 0;
  let rowsSeen = 0;
  let hits = 0;
  for (let q = 0; q < opts.queries; q++) {
    const t = rnd.pick(all);
    const { params, format } = randomQuery(rnd, t);
    const path = `/v1/views/${t.view.name}/rows?${params}`;
    // Every tenant, in a random order, twice: a cached copy must be the caller's own too.
    for (const round of [1, 2]) {
      for (const tenant of rnd.sample(DEMO_TENANTS, DEMO_TENANTS.length)) {
        const res = await fetch(url + path, {
          headers: { authorization: `Bearer ${keys[tenant.id]}` },
          signal: AbortSignal.timeout(30_000),
        });
        tally.requests++;
        const body = await res.text();
        if (!tally.check(`${tenant.id} ${path} answers 200`, res.status === 200, `status ${res.status}: ${body.slice(0, 200)}`)) continue;
        if (round === 2 && res.headers.get('x-cache') === 'HIT') hits++;
        const values = accountValues(format, body, t.accountColumn);
        rowsSeen += values.length;
        const foreign = values.filter((v) => v !== String(tenant.accountId));
        if (foreign.length > 0) {
          leaks += foreign.length;
          tally.check(
            `${tenant.id} sees only its own rows in ${path}`,
            false,
            `${foreign.length} rows with ${t.accountColumn}=${foreign.slice(0, 3).join(',')}`,
          );
        }
      }
    }
  }
  // The polling feed reads the same tables by another route.
  for (const tenant of DEMO_TENANTS) {
    const res = await fetch(`${url}/v1/views/daily_user_summary/changes?limit=200`, {
      headers: { authorization: `Bearer ${keys[tenant.id]}` },
      signal: AbortSignal.timeout(30_000),
    });
    tally.requests++;
    const text = await res.text();
    if (!tally.check(`${tenant.id} /changes answers 200`, res.status === 200, `status ${res.status}: ${text.slice(0, 200)}`)) continue;
    const parsed = JSON.parse(text) as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
    const list = Array.isArray(parsed) ? parsed : (parsed.rows ?? []);
    rowsSeen += list.length;
    const foreign = list.filter((r) => String(r['accountid']) !== String(tenant.accountId));
    tally.check(`${tenant.id} /changes has only its own rows`, foreign.length === 0, `${foreign.length} foreign rows`);
    leaks += foreign.length;
  }
  tally.rowsChecked += rowsSeen;
  tally.inputsTried += opts.queries * DEMO_TENANTS.length * 2;
  tally.check('no row of another tenant, directly or from the cache', leaks === 0, `${leaks} foreign rows`);
  tally.check('the repeated round was served from the cache at least sometimes', hits > 0, `${hits} cache hits`);
  console.log(
    `   ${opts.queries} queries x ${DEMO_TENANTS.length} tenants x 2 rounds, ${rowsSeen.toLocaleString('en-US')} rows checked, ${hits} cache hits in round 2`,
  );
}
