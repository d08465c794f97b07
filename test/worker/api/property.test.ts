// Property: whatever query string arrives, /rows answers 200 or a 4xx problem+json, never a 5xx,
// and a 200 never carries another tenant's account id.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_PARAMS } from '../../../worker/query/parse.ts';
import { seedTinyDemo } from '../support/demo.ts';
import { api, ALL_VIEWS, TENANTS, leafColumns, pathOf, type Keys } from './support/contract.ts';
import { parseCsv } from './support/csv.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const COLUMNS = [...new Set(ALL_VIEWS.flatMap((v) => leafColumns(v).map((c) => c.name)))];
const ACCOUNT_IDS = TENANTS.map((t) => String(t.accountId));
const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is', 'not.eq', 'not.in', 'not.is', 'not.like', 'between', ''];
const HOSTILE = [
  "'; DROP TABLE api_keys; --",
  '1 OR 1=1',
  "x' UNION SELECT key_hash FROM api_keys --",
  '") OR ("1"="1',
  'globex__events',
  '"acme__users"',
  '*',
  '%',
  '_',
  '\\',
  '(',
  ')',
  '("a,b",c)',
  '(,,,)',
  '()',
  'null',
  'NULL',
  'true',
  '9007199254740993',
  '-9223372036854775809',
  '1e309',
  'NaN',
  '2026-02-29',
  '2026-11-20T25:61:61Z',
  '\u0000',
  '\ud800',
  '😀 日本語',
  '=HYPERLINK("x")',
  '%00',
  '%zz',
  '%E0%A4%A',
  '__proto__',
  'constructor',
];

/** A value: hostile text, typed-looking text, other tenants' account ids, unicode, or something large. */
const atom = fc.oneof(
  fc.constantFrom(...HOSTILE, ...ACCOUNT_IDS),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom(...COLUMNS),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.nat({ max: 12_000 }).map((n) => 'x'.repeat(n)),
);

const valueFor = (key: string): fc.Arbitrary<string> => {
  const list = fc
    .array(
      fc.oneof(atom, fc.constantFrom(...COLUMNS.map((c) => `${['sum', 'max', 'count', 'avg', 'min', 'median'][c.length % 6]}(${c})`))),
      { maxLength: 5 },
    )
    .map((a) => a.join(','));
  switch (key) {
    case 'select':
    case 'group_by':
    case 'order':
      return fc.oneof(
        list,
        list.map((l) => `${l}.desc`),
        atom,
      );
    case 'format':
      return fc.oneof(fc.constantFrom('json', 'csv', 'ndjson', 'values', 'CSV', 'xlsx', ''), atom);
    case 'limit':
      return fc.oneof(fc.integer({ min: -5, max: 20_000 }).map(String), atom);
    case 'from':
    case 'to':
      return atom;
    default:
      return fc.oneof(
        fc.tuple(fc.constantFrom(...OPS), atom).map(([op, v]) => (op ? `${op}.${v}` : v)),
        fc.array(atom, { maxLength: 6 }).map((a) => `in.(${a.join(',')})`),
        atom,
      );
  }
};

/** Parameter names: reserved ones, the view's own columns (most often), any view's columns, junk. */
const keyFor = (own: readonly string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...RESERVED_PARAMS) },
    { weight: 4, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...COLUMNS) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE)) },
  );

/** Percent-encoding, except for text it cannot encode (lone surrogates), which goes raw. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
};

/** A key=value pair, percent-encoded properly or (sometimes) sent raw, garbage and all. */
const pairFor = (own: readonly string[]) =>
  keyFor(own).chain((k) =>
    fc.tuple(fc.constant(k), valueFor(k), fc.boolean()).map(([k_, v, raw]) => (raw ? `${k_}=${v}` : `${encode(k_)}=${encode(v)}`)),
  );

const VIEW_NAMES_AND_JUNK = [...ALL_VIEWS.map((v) => v.name), 'no_such_view', '__proto__', 'constructor', '%E0%A4%A', '%00'];
const request = fc.constantFrom(...VIEW_NAMES_AND_JUNK).chain((view) => {
  const def = ALL_VIEWS.find((v) => v.name === view);
  const own = def ? leafColumns(def).map((c) => c.name) : COLUMNS;
  return fc.record({
    view: fc.constant(view),
    suffix: fc.constantFrom('', '', '', '.csv', '.ndjson', '.values', '.json', '.xml'),
    tenant: fc.constantFrom(...TENANTS),
    query: fc.array(pairFor(own), { maxLength: 5 }).map((p) => p.join('&')),
  });
});

const ACCOUNT_COLUMN = /^(?:(?:min|max)_)?account_?id$/;

/** Every account id value a 200 body carries, whatever its format. */
function accountIds(contentType: string, body: string): unknown[] {
  const found: unknown[] = [];
  const fromObjects = (rows: Record<string, unknown>[]) => {
    for (const r of rows) for (const [k, v] of Object.entries(r)) if (ACCOUNT_COLUMN.test(k) && v !== null) found.push(v);
  };
  const fromTable = (header: unknown[], rows: unknown[][], parse: (v: unknown) => unknown) => {
    header.forEach((h, i) => {
      if (typeof h === 'string' && ACCOUNT_COLUMN.test(h)) for (const r of rows) if (r[i] !== '' && r[i] !== null) found.push(parse(r[i]));
    });
  };
  if (contentType.startsWith('text/csv')) {
    const [header = [], ...rows] = parseCsv(body);
    fromTable(header, rows, Number);
  } else if (contentType.startsWith('application/x-ndjson')) {
    fromObjects(
      body
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
  } else {
    const json = JSON.parse(body) as { rows?: Record<string, unknown>[]; values?: unknown[][]; dry_run?: boolean };
    if (json.rows) fromObjects(json.rows);
    else if (json.values) fromTable(json.values[0] ?? [], json.values.slice(1), (v) => v);
    else if (!json.dry_run) throw new Error(`a 200 with neither rows nor values: ${body.slice(0, 200)}`);
  }
  return found;
}

describe('arbitrary query strings against /rows', () => {
  it('every answer is 200 or a 4xx problem+json, and a 200 holds only the caller tenant account ids', async () => {
    let ok = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ view, suffix, tenant, query }) => {
        const path = `/v1/views/${view}/rows${suffix}${query ? `?${query}` : ''}`;
        const res = await api(path, keys[tenant.id]);
        const body = await res.text();
        const contentType = res.headers.get('content-type') ?? '';
        expect(res.status, `${path.slice(0, 300)} → ${body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.headers.get('x-request-id')).toBeTruthy();
        if (res.status >= 400) {
          rejected++;
          expect(contentType, path).toMatch(/^application\/problem\+json/);
          const problem = JSON.parse(body) as { status: number; detail: string; type: string };
          expect(problem.status).toBe(res.status);
          expect(problem.detail.length).toBeGreaterThan(0);
          expect(problem.detail).not.toMatch(/SQLITE_|D1_ERROR/);
          return;
        }
        expect(res.status).toBe(200);
        ok++;
        for (const id of accountIds(contentType, body)) expect(Number(id), path).toBe(tenant.accountId);
        // A next link the API wrote is always good for the next page.
        const next = res.headers.get('link')?.match(/^<([^>]+)>; rel="next"$/)?.[1];
        if (next) {
          const page = await api(pathOf(next), keys[tenant.id]);
          const text = await page.text();
          expect(page.status, `${next.slice(0, 300)} → ${text.slice(0, 300)}`).toBe(200);
          for (const id of accountIds(page.headers.get('content-type') ?? '', text)) expect(Number(id), next).toBe(tenant.accountId);
        }
      }),
      { numRuns: 200 },
    );
    // The generator reaches both sides of the contract, or the property proves little.
    console.info(`property: ${ok} answered, ${rejected} rejected`);
    expect(ok).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });
});
