// Property: whatever arrives (any query parameter of any route, any POST body field, with arbitrary
// Unicode, line terminators, NUL, lone surrogates and percent-encoding), the answer is 2xx or a 4xx
// problem+json, never a 5xx, and a 200 from /rows never carries another tenant's account id.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILTER_OPS, RESERVED_PARAMS } from '../../../shared/query-vocabulary.ts';
import { seedTinyDemo } from '../support/demo.ts';
import { api, ALL_VIEWS, TENANTS, leafColumns, pathOf, type Keys } from './support/contract.ts';
import { parseCsv } from './support/csv.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const COLUMNS = [...new Set(ALL_VIEWS.flatMap((v) => leafColumns(v).map((c) => c.name)))];
const ACCOUNT_IDS = TENANTS.map((t) => String(t.accountId));
const OPS = [...FILTER_OPS, 'not.eq', 'not.in', 'not.is', 'not.like', 'between', ''];
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

/**
 * One character of the text an attacker controls: line terminators (which a regex `.` does not
 * match), NUL and other controls, lone surrogates (not valid UTF-16, so not encodable as UTF-8),
 * any code point, and the characters the query syntax gives a meaning.
 */
const hostileChar = fc.oneof(
  fc.constantFrom('\r', '\n', '\u2028', '\u2029', '\u0000', '\t', '\u0085', '\u001f', '\u007f', '\ufeff', '\ufffe'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(...'._,()*%"\\:;=&+#?/'.split('')),
);
/** Hostile text, alone or around a real column name or term (`user_id\r.desc`, `sum(a\u2028b)`). */
const hostileText = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 12 }),
  fc
    .tuple(
      fc.constantFrom(...COLUMNS, 'count()', 'sum(duration_sec)', 'utc_timestamp.desc', 'eq.1', 'in.(a,b)'),
      fc.string({ unit: hostileChar, minLength: 1, maxLength: 3 }),
      fc.nat(),
    )
    .map(([text, junk, at]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    }),
);

/** A value: hostile text, typed-looking text, other tenants' account ids, unicode, or something large. */
const atom = fc.oneof(
  hostileText,
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

/** A real term with a line terminator or control inside it: `order=a%0Db` was a 500. */
const injectedTerm = fc
  .tuple(
    fc.constantFrom(...COLUMNS, 'sum(duration_sec)', 'count()'),
    fc.constantFrom('\r', '\n', '\u2028', '\u2029', '\u0000', '\u0085'),
    fc.nat(),
    fc.constantFrom('', '.desc', '.asc'),
  )
  .map(([term, junk, at, direction]) => {
    const i = 1 + (at % Math.max(1, term.length - 1));
    return `${term.slice(0, i)}${junk}${term.slice(i)}${direction}`;
  });

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
        injectedTerm,
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

/**
 * Percent-encoding of every UTF-16 unit, a lone surrogate as the three bytes WTF-8 gives it
 * (`%ED%A0%80`): bytes that are not UTF-8, which the URL parser passes on for the app to decode.
 */
const encodeUnits = (s: string) =>
  [...s]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(ch);
    })
    .join('');

/** Text as a query-string part: percent-encoded properly, byte by byte (lone surrogates too), or raw. */
const encodeAs = (mode: 'uri' | 'units' | 'raw', s: string) => (mode === 'raw' ? s : mode === 'units' ? encodeUnits(s) : encode(s));
const ENCODINGS = fc.constantFrom('uri', 'uri', 'units', 'raw') as fc.Arbitrary<'uri' | 'units' | 'raw'>;

/** A key=value pair, percent-encoded properly or (sometimes) sent raw, garbage and all. */
const pairFor = (own: readonly string[]) =>
  keyFor(own).chain((k) =>
    fc.tuple(fc.constant(k), valueFor(k), ENCODINGS).map(([k_, v, mode]) => `${encodeAs(mode, k_)}=${encodeAs(mode, v)}`),
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

// One hostile parameter on an otherwise valid request: errors in other parameters cannot mask
// it, so the fuzzing reaches every parameter's own parsing (order is read last).
describe('one hostile parameter at a time', () => {
  const single = fc.constantFrom(...ALL_VIEWS).chain((view) => {
    const own = leafColumns(view).map((c) => c.name);
    const feed = view.changeColumn !== null;
    return fc.record({
      route: fc.constantFrom(...(feed ? (['rows', 'changes'] as const) : (['rows'] as const))),
      view: fc.constant(view.name),
      key: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...RESERVED_PARAMS, ...(feed ? ['since', 'shape'] : [])) },
        { weight: 1, arbitrary: fc.constantFrom(...own) },
      ),
      value: fc.oneof(
        { weight: 3, arbitrary: fc.oneof(injectedTerm, hostileText, atom) },
        // A usable value now and then, so the property also sees answers, not only refusals.
        { weight: 2, arbitrary: fc.constantFrom(...own, `${own[0]}.desc`, 'not.is.null', '5', 'csv', 'array', '') },
      ),
      mode: ENCODINGS,
    });
  });

  it('is answered 2xx or 4xx problem+json, whichever parameter it is', async () => {
    const seen = { ok: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(single, async ({ route, view, key, value, mode }) => {
        const path = `/v1/views/${view}/${route}?${encodeAs(mode, key)}=${encodeAs(mode, value)}`;
        seen[await expectAnswered(await api(path, keys.acme), path)]++;
      }),
      { numRuns: 200 },
    );
    console.info(`property (one parameter): ${seen.ok} answered, ${seen.rejected} rejected`);
    expect(seen.ok).toBeGreaterThan(10);
    expect(seen.rejected).toBeGreaterThan(10);
  });
});

/** The contract for any input: 2xx (or 304), or a 4xx problem+json with a detail; never a 5xx. */
async function expectAnswered(res: Response, label: string): Promise<'ok' | 'rejected'> {
  const body = await res.text();
  expect(res.status, `${label.slice(0, 300)} → ${body.slice(0, 300)}`).toBeLessThan(500);
  if (res.status < 400) return 'ok';
  expect(res.headers.get('content-type'), label.slice(0, 300)).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(body) as { status: number; detail: string };
  expect(problem.status).toBe(res.status);
  expect(problem.detail.length).toBeGreaterThan(0);
  expect(problem.detail).not.toMatch(/SQLITE_|D1_ERROR|\bat .*\.ts:\d+/);
  return 'rejected';
}

/** A path segment: a real name most often, else hostile text in one of the encodings. */
const segment = (real: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(hostileText, fc.constantFrom('uri', 'units') as fc.Arbitrary<'uri' | 'units'>)
        .map(([t, m]) => encodeAs(m, t) || 'x'),
    },
  );

/** A query string of pairs whose keys come from `keys` (and junk), each value hostile. */
const queryOf = (keys: readonly string[]) =>
  fc
    .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: hostileText }), atom, ENCODINGS), {
      maxLength: 4,
    })
    .map((pairs) => pairs.map(([k, v, mode]) => `${encodeAs(mode, k)}=${encodeAs(mode, v)}`).join('&'));

const FEED_VIEWS = ALL_VIEWS.filter((v) => v.changeColumn !== null).map((v) => v.name);
const HOOK_TARGET = 'https://hooks.zapier.com/hooks/catch/1/property/';

describe('arbitrary input on every other route', () => {
  let hookId = 'hook_000000000000000000000000';
  beforeAll(async () => {
    const res = await api('/v1/hooks', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: HOOK_TARGET, view: 'daily_user_summary' }),
    });
    hookId = ((await res.json()) as { id: string }).id;
  });

  // Built inside the test: the hook id exists only once beforeAll has run.
  const requests = () =>
    fc.oneof(
      queryOf(['plan', 'format', 'limit']).map((q) => ({ method: 'GET', path: `/v1/views?${q}` })),
      fc
        .tuple(segment(VIEW_NAMES_AND_JUNK), queryOf(['select', 'format']))
        .map(([v, q]) => ({ method: 'GET', path: `/v1/views/${v}?${q}` })),
      fc
        .tuple(segment([...FEED_VIEWS, 'users']), queryOf(['since', 'shape', 'limit', 'select', 'order', 'cursor', ...COLUMNS]))
        .map(([v, q]) => ({ method: 'GET', path: `/v1/views/${v}/changes?${q}` })),
      queryOf(['limit', 'view', 'status']).map((q) => ({ method: 'GET', path: `/v1/hooks?${q}` })),
      fc
        .tuple(fc.constantFrom('GET', 'DELETE-junk'), segment([hookId, 'hook_ffffffffffffffffffffffff']), queryOf(['limit']))
        .map(([m, id, q]) => ({
          method: m === 'GET' ? 'GET' : 'DELETE',
          path: `/v1/hooks/${m === 'GET' ? id : id === hookId ? 'hook_ffffffffffffffffffffffff' : id}?${q}`,
        })),
      fc
        .tuple(segment([hookId]), queryOf(['limit', 'cursor']))
        .map(([id, q]) => ({ method: 'GET', path: `/v1/hooks/${id}/deliveries?${q}` })),
      fc
        .tuple(segment(['hook_ffffffffffffffffffffffff']), queryOf(['force']))
        .map(([id, q]) => ({ method: 'POST', path: `/v1/hooks/${id}/resume?${q}` })),
      fc
        .tuple(fc.constantFrom('/', '/version', '/healthz', '/openapi.json', '/docs'), queryOf(['format', 'view', 'q']))
        .map(([p, q]) => ({ method: 'GET', path: `${p}?${q}` })),
    );

  it('every query parameter and path segment, hostile or not, is answered 2xx or 4xx problem+json', async () => {
    const seen = { ok: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(requests(), fc.constantFrom(...TENANTS), async ({ method, path }, tenant) => {
        const res = await api(path, keys[tenant.id], { method });
        seen[await expectAnswered(res, `${method} ${path}`)]++;
      }),
      { numRuns: 150 },
    );
    console.info(`property (other routes): ${seen.ok} answered, ${seen.rejected} rejected`);
    expect(seen.ok).toBeGreaterThan(10);
    expect(seen.rejected).toBeGreaterThan(10);
  });
});

/** A JSON value for a body field: hostile text, a list of it, a number, or the wrong kind of thing. */
const fieldValue = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 2, arbitrary: fc.array(text, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([[]])) },
  );

/** A filters object: real and reserved column names (and junk) to filter strings or lists of them. */
const filtersValue = (own: readonly string[]) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.dictionary(
        fc.oneof(fc.constantFrom(...own, ...RESERVED_PARAMS, '__proto__'), hostileText),
        fieldValue(valueFor('filter')),
      ),
    },
    { weight: 1, arbitrary: fieldValue(hostileText) },
  );

/** Sent as JSON, or (sometimes) as the JSON text cut short or with a raw lone surrogate byte. */
const bodyText = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom('json', 'json', 'json', 'cut', 'bytes')).map(([v, how]) => {
    const json = JSON.stringify(v) ?? 'null';
    if (how === 'cut') return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
    if (how === 'bytes') return new Uint8Array([...new TextEncoder().encode(json.slice(0, -1)), 0xed, 0xa0, 0x80, 0x7d]);
    return json;
  });

const post = (path: string, key: string, body: string | Uint8Array) =>
  api(path, key, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('arbitrary POST bodies', () => {
  const queryBody = fc.constantFrom(...VIEW_NAMES_AND_JUNK).chain((view) => {
    const def = ALL_VIEWS.find((v) => v.name === view);
    const own = def ? leafColumns(def).map((c) => c.name) : COLUMNS;
    /** Each field: usable values as often as hostile ones, so both sides of the contract are reached. */
    const usable = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 2, arbitrary: good }, { weight: 1, arbitrary: bad });
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      select: usable(fc.array(fc.constantFrom(...own), { minLength: 1, maxLength: 3 }), fieldValue(valueFor('select'))),
      filters: usable(
        fc.dictionary(fc.constantFrom(...own), fc.constantFrom('not.is.null', 'is.null', 'gte.0', 'like.*'), { maxKeys: 2 }),
        filtersValue(own),
      ),
      from: usable(fc.constant('2026-11-16'), fieldValue(atom)),
      to: usable(fc.constant('2026-11-20'), fieldValue(atom)),
      order: usable(
        fc.constantFrom(...own).map((c) => `${c}.desc`),
        fieldValue(valueFor('order')),
      ),
      limit: usable(fc.integer({ min: 1, max: 50 }), fc.oneof(fc.integer({ min: -5, max: 20_000 }), fieldValue(valueFor('limit')))),
      cursor: fieldValue(atom),
      group_by: fieldValue(valueFor('group_by')),
      format: usable(fc.constantFrom('json', 'csv', 'ndjson', 'values'), fieldValue(valueFor('format'))),
      dry_run: fieldValue(atom),
    };
    // Up to three fields a body, sometimes with an unknown (hostile) one.
    const known = fc
      .uniqueArray(fc.constantFrom(...Object.keys(fields)), { maxLength: 3 })
      .chain((names) => fc.record(Object.fromEntries(names.map((n) => [n, fields[n]!]))));
    return fc.record({
      view: fc.constant(view),
      body: bodyText(
        fc
          .tuple(known, fc.dictionary(hostileText, atom, { maxKeys: 1 }), fc.nat({ max: 4 }))
          .map(([body, extra, dice]) => (dice === 0 ? { ...body, ...extra } : body)),
      ),
    });
  });

  it('POST /v1/views/{view}/query: every field fuzzed, answered 2xx or 4xx problem+json', async () => {
    const seen = { ok: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(queryBody, fc.constantFrom(...TENANTS), async ({ view, body }, tenant) => {
        const res = await post(`/v1/views/${view}/query`, keys[tenant.id], body);
        seen[await expectAnswered(res, `POST ${view}/query ${typeof body === 'string' ? body : '(bytes)'}`)]++;
      }),
      { numRuns: 150 },
    );
    console.info(`property (POST /query): ${seen.ok} answered, ${seen.rejected} rejected`);
    expect(seen.ok).toBeGreaterThan(5);
    expect(seen.rejected).toBeGreaterThan(10);
  });

  const hookBody = fc.constantFrom(...FEED_VIEWS, 'users', 'no_such_view').chain((view) => {
    const def = ALL_VIEWS.find((v) => v.name === view);
    const own = def ? leafColumns(def).map((c) => c.name) : COLUMNS;
    const targets = fc.oneof(
      fc.constant(HOOK_TARGET),
      fc.constantFrom('https://localhost../', 'https://metadata.google.internal../', 'https://[::ffff:127.0.0.1]/', 'http://example.com/'),
      hostileText.map((t) => `https://example.com/${t}`),
      hostileText.map((t) => `https://${t}/`),
      hostileText,
    );
    return bodyText(
      fc.record(
        {
          target_url: fc.oneof({ weight: 4, arbitrary: targets }, { weight: 1, arbitrary: fieldValue(hostileText) }),
          view: fc.oneof({ weight: 4, arbitrary: fc.constant(view) }, { weight: 1, arbitrary: fieldValue(hostileText) }),
          filters: fc.oneof(fc.constant({}), filtersValue(own)),
          select: fc.oneof(fc.array(fc.constantFrom(...own), { maxLength: 3 }), fieldValue(hostileText)),
        },
        { requiredKeys: ['target_url', 'view'] },
      ),
    );
  });

  it('POST /v1/hooks: every field fuzzed, answered 2xx or 4xx problem+json', async () => {
    const seen = { ok: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(hookBody, async (body) => {
        const res = await post('/v1/hooks', keys.globex, body);
        seen[await expectAnswered(res, `POST /v1/hooks ${typeof body === 'string' ? body : '(bytes)'}`)]++;
      }),
      { numRuns: 100 },
    );
    console.info(`property (POST /v1/hooks): ${seen.ok} answered, ${seen.rejected} rejected`);
    expect(seen.rejected).toBeGreaterThan(10);
  });
});
