/**
 * Bad input: a corpus of hostile requests (SQL and header injection, huge and malformed
 * parameters, invalid UTF-8 and bad percent-encoding, path traversal, forged cursors, other
 * tenants' ids, revoked keys, huge bodies, wrong methods). Every one must be answered with a
 * clear 4xx problem+json: never a 5xx, never a stack trace or SQL. A few are legitimate
 * values that must simply match nothing (a quote in a filter value is a value, not SQL):
 * those may answer 200, but with no rows.
 */
import { leafColumns } from '../../shared/columns.ts';
import { VIEWS } from '../../shared/views/index.ts';
import { RESERVED_PARAMS } from '../../shared/query-vocabulary.ts';
import type { DemoTenantId } from '../../worker/demo/tenants.ts';
import { checkProblem, leakIn } from './support/problem.ts';
import { rawGet, rawRequest } from './support/raw-http.ts';
import type { Tally } from './support/tally.ts';

type Expect =
  /** 4xx application/problem+json. */
  | 'problem'
  /** A problem, or 200 with zero rows (the input was a harmless value). */
  | 'problem-or-empty'
  /** Any 2xx, or a problem: fuzzed input that may well be valid once trimmed. */
  | 'answered';

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  /** Response headers, lower-cased names. */
  readonly headers: Record<string, string>;
}

interface Case {
  readonly group: string;
  readonly name: string;
  readonly expect: Expect;
  send(): Promise<Answer>;
  /** Extra check on the answer; returns a failure reason or ''. */
  extra?(answer: Answer): string;
}

export interface HostileContext {
  readonly url: string;
  readonly port: number;
  readonly keys: Record<DemoTenantId, string>;
  readonly revokedKey: string;
  readonly essentialsKey: string;
  readonly accountIds: Record<DemoTenantId, number>;
}

async function viaFetch(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text(), headers };
}

async function viaRaw(port: number, request: Buffer | string): Promise<Answer> {
  const r = await rawRequest(port, request);
  return { status: r.status, contentType: r.headers['content-type'] ?? null, body: r.body, headers: r.headers };
}

function rowCount(a: Answer): number | null {
  try {
    const parsed = JSON.parse(a.body) as { row_count?: number; rows?: unknown[] };
    return parsed.row_count ?? parsed.rows?.length ?? null;
  } catch {
    return null;
  }
}

/** Flips one character in the payload half of a cursor, keeping its signature. */
function tamper(cursor: string): string {
  const [body = '', sig = ''] = cursor.split('.');
  const i = Math.floor(body.length / 2);
  const flipped = body[i] === 'A' ? 'B' : 'A';
  return `${body.slice(0, i)}${flipped}${body.slice(i + 1)}.${sig}`;
}

async function nextCursor(url: string, key: string, path: string): Promise<string> {
  const res = await fetch(url + path, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { next_cursor?: string | null };
  if (!body.next_cursor) throw new Error(`no next cursor from ${path} (${res.status})`);
  return body.next_cursor;
}

async function buildCorpus(ctx: HostileContext): Promise<Case[]> {
  const { url, port, keys } = ctx;
  const acme = { authorization: `Bearer ${keys.acme}` };
  const rows = (qs: string, view = 'events') => `${url}/v1/views/${view}/rows?${qs}`;
  const cases: Case[] = [];
  const add = (group: string, name: string, expect: Expect, send: () => Promise<Answer>, extra?: Case['extra']) =>
    cases.push({ group, name, expect, send, ...(extra ? { extra } : {}) });
  const get = (group: string, name: string, target: string, expect: Expect = 'problem', headers: Record<string, string> = acme) =>
    add(group, name, expect, () => viaFetch(target, { headers }));

  // --- SQL injection: identifiers never come from the request, values are bound ----------
  const sqlIdentifiers = [
    'select=user_id;DROP TABLE tenants',
    'select=user_id,(SELECT key_hash FROM api_keys)',
    'select=*',
    'select="user_id"',
    'select=user_id--',
    'select=sum(1);DELETE FROM api_keys',
    'select=count(*) FROM globex__events --',
    'order=user_id;DROP TABLE tenants',
    'order=(CASE WHEN 1=1 THEN user_id END)',
    'order=user_id desc',
    'group_by=user_id UNION SELECT key_hash FROM api_keys',
    "user_id'=eq.1",
    'user_id;--=eq.1',
    'select=max(user_id)) FROM api_keys; --',
    'select=avg(user_name)',
    'select=sum(user_id,computer_id)',
  ];
  for (const qs of sqlIdentifiers) get('sql injection', qs, rows(qs));
  const sqlValues = [
    "user_name=eq.' OR '1'='1",
    "user_name=eq.x'; DROP TABLE tenants; --",
    'user_name=like.[a-z]*',
    'user_name=like.?',
    "titlebar=ilike.*' OR 1=1 --*",
    "user_name=in.(a,'b'),c)",
    'application=eq.\\',
    'computer_name=eq." OR ""="',
    "user_name=eq.%00' OR 1=1",
  ];
  for (const qs of sqlValues)
    get('sql injection', qs, rows(`select=user_id&limit=5&${qs.replace(/ /g, '%20').replace(/'/g, '%27')}`), 'problem-or-empty');
  add('sql injection', 'POST /query with SQL in every field', 'problem', () =>
    viaFetch(`${url}/v1/views/events/query`, {
      method: 'POST',
      headers: { ...acme, 'content-type': 'application/json' },
      body: JSON.stringify({ select: ['user_id; DROP TABLE tenants'], filters: { '1=1 OR user_id': 'eq.1' }, order: 'user_id;--' }),
    }),
  );
  add('sql injection', 'the tables still answer after the injection attempts', 'problem-or-empty', async () => {
    const a = await viaFetch(rows('select=user_id&limit=1&user_id=eq.-1'), { headers: acme });
    const t = await viaFetch(`${url}/v1/views`, { headers: acme });
    return t.status === 200 ? a : { ...t, status: 599 };
  });

  // --- header injection and reflected headers ---------------------------------------------
  add(
    'header injection',
    'CR LF in a filter value does not split a response header',
    'problem-or-empty',
    () =>
      viaRaw(
        port,
        rawGet('/v1/views/events/rows?select=user_id&limit=1&titlebar=eq.x%0D%0ASet-Cookie:%20evil=1%0D%0AX-Evil:%201', [
          `Authorization: Bearer ${keys.acme}`,
        ]),
      ),
    (a) => (a.headers['set-cookie'] || a.headers['x-evil'] ? 'an injected header came back' : ''),
  );
  add(
    'header injection',
    'CR LF in a cursor does not reach a Link header',
    'problem',
    () => viaRaw(port, rawGet('/v1/views/events/rows?limit=2&cursor=abc%0D%0AX-Evil:%201', [`Authorization: Bearer ${keys.acme}`])),
    (a) => (a.headers['x-evil'] ? 'an injected header came back' : ''),
  );
  add(
    'header injection',
    'an x-request-id that is not an id is not echoed',
    'problem',
    () => viaFetch(`${url}/v1/views/nope`, { headers: { ...acme, 'x-request-id': '<script>alert(1)</script>' } }),
    (a) => (a.headers['x-request-id']?.includes('<') ? 'the x-request-id was echoed' : ''),
  );
  add('header injection', 'a forged Host does not leak into the cached next link of others', 'problem-or-empty', async () => {
    await viaRaw(
      port,
      rawGet('/v1/views/daily_user_summary/rows?select=user_id&limit=2', [`Authorization: Bearer ${keys.acme}`])
        .toString('latin1')
        .replace('Host: 127.0.0.1', 'Host: evil.example'),
    );
    const a = await viaFetch(`${url}/v1/views/daily_user_summary/rows?select=user_id&limit=2`, { headers: acme });
    const next = (JSON.parse(a.body) as { next?: string | null }).next ?? '';
    return { ...a, status: next.includes('evil.example') ? 599 : 200, body: JSON.stringify({ row_count: 0 }) };
  });
  add('header injection', 'an Authorization header that is not Bearer', 'problem', () =>
    viaFetch(`${url}/v1/views`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
  );
  add('header injection', 'a 10 kB X-API-Key', 'problem', () =>
    viaFetch(`${url}/v1/views`, { headers: { 'x-api-key': 'acb_' + 'x'.repeat(10_000) } }),
  );
  add('header injection', 'a key with non-ASCII bytes', 'problem', () =>
    viaRaw(
      port,
      Buffer.concat([
        Buffer.from('GET /v1/views HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: acb_\xff\xfe\xc3\x28\r\nConnection: close\r\n\r\n', 'latin1'),
      ]),
    ),
  );

  // --- huge and malformed parameters ------------------------------------------------------
  const malformed = [
    'limit=99999999999',
    'limit=-1',
    'limit=0',
    'limit=1e3',
    'limit=ten',
    'limit=1&limit=2',
    'user_id=eq.abc',
    'user_id=eq.99999999999999999999999999',
    'local_date=gte.2026-13-45',
    'local_date=gte.2026-02-30',
    'utc_timestamp=gt.yesterday',
    'from=yesterday',
    'from=2026-03-10&to=2026-03-01',
    'order=user_id.sideways',
    'order=',
    'format=xml',
    'format=csv&format=json',
    'group_by=',
    'group_by=user_id&select=user_name',
    'select=',
    'select=sum()',
    'select=median(duration_sec)',
    'select=user_id,user_id',
    '=x',
    'user_id=',
    'user_id=eq',
    'user_id=like.1',
    'user_id=in.(1,2',
    'user_id=in.()',
    'user_id=is.maybe',
    'duration_sec=not.not.eq.1',
    'usr_name=eq.x',
    'dry_run=true&select=nope',
    `user_id=in.(${Array.from({ length: 600 }, (_, i) => i).join(',')})`,
    `select=${Array.from({ length: 301 }, () => 'user_id').join(',')}`,
    `user_name=eq.${'x'.repeat(1001)}`,
    `titlebar=like.${'*'.repeat(1001)}`,
    Array.from({ length: 60 }, (_, i) => `duration_sec=gte.${i}`).join('&'),
    `order=${Array.from({ length: 11 }, () => 'user_id').join(',')}`,
    `group_by=${Array.from({ length: 11 }, () => 'user_id').join(',')}`,
    `x=${'y'.repeat(9000)}`,
  ];
  for (const qs of malformed) get('malformed parameters', qs.length > 80 ? `${qs.slice(0, 60)}… (${qs.length} chars)` : qs, rows(qs));
  get('malformed parameters', 'rows.xml suffix', `${url}/v1/views/events/rows.xml`);
  get('malformed parameters', 'changes with a bad since', `${url}/v1/views/events/changes?since=not-a-time`);
  get('malformed parameters', 'changes with shape=tree', `${url}/v1/views/events/changes?shape=tree`);
  get('malformed parameters', 'changes on a view with no change column, or bad limit', `${url}/v1/views/events/changes?limit=100000`);
  get('malformed parameters', 'hook deliveries with limit=0', `${url}/v1/hooks/hook_000000000000000000000000/deliveries?limit=0`);

  // --- line terminators, controls, lone surrogates in every parameter of every route --------
  // `order=a%0Db` was a 500 (a regex whose `.` stops at a line terminator, then an assertion).
  const HOSTILE_UNITS = ['%0D', '%0A', '%0D%0A', '%E2%80%A8', '%E2%80%A9', '%00', '%C2%85', '%ED%A0%80', '%ED%BF%BF', '%C0%80', '%FF', '%'];
  const routeParams: readonly (readonly [route: string, base: string, params: readonly string[]])[] = [
    ['rows', '/v1/views/events/rows?', [...RESERVED_PARAMS, 'user_id', 'titlebar']],
    ['rows.csv', '/v1/views/events/rows.csv?limit=5&', ['order', 'select']],
    ['changes', '/v1/views/daily_user_summary/changes?', ['since', 'shape', 'limit', 'select', 'user_id']],
    ['catalog', '/v1/views/events?', ['select']],
    ['hook list', '/v1/hooks?', ['limit']],
    ['deliveries', '/v1/hooks/hook_000000000000000000000000/deliveries?', ['limit']],
  ];
  const realValue: Record<string, string> = {
    select: 'user_id',
    order: 'user_id.desc',
    group_by: 'user_id',
    from: '2026-03-01',
    to: '2026-03-31',
    limit: '5',
    cursor: 'abc',
    format: 'json',
    dry_run: 'false',
    user_id: 'eq.1',
    titlebar: 'like.*a*',
    since: '2026-03-30',
    shape: 'array',
  };
  for (const [route, base, params] of routeParams) {
    for (const param of params) {
      const real = realValue[param] ?? 'x';
      // Inside the value (`user%0D_id.desc`), and at the end of the parameter's name.
      const at = Math.max(1, Math.floor(real.length / 2));
      for (const unit of HOSTILE_UNITS) {
        get(
          'control characters',
          `${route} ${param}=…${unit}…`,
          `${url}${base}${param}=${real.slice(0, at)}${unit}${real.slice(at)}`,
          'answered',
        );
      }
      get('control characters', `${route} ${param}%0D= (in the name)`, `${url}${base}${param}%0D=${real}`, 'answered');
    }
  }
  for (const unit of ['%0D', '%E2%80%A8', '%00', '%ED%A0%80']) {
    get('control characters', `view name with ${unit}`, `${url}/v1/views/ev${unit}ents/rows`);
    get('control characters', `hook id with ${unit}`, `${url}/v1/hooks/hook_${unit}0000`);
  }
  const postJson = (path: string, body: string) => () =>
    viaFetch(`${url}${path}`, { method: 'POST', headers: { ...acme, 'content-type': 'application/json' }, body });
  for (const ch of ['\r', '\n', '\u2028', '\u0000', '\ud800']) {
    const label = JSON.stringify(ch);
    const hook = (fields: Record<string, unknown>) =>
      JSON.stringify({ target_url: 'https://example.com/h', view: 'daily_user_summary', ...fields });
    add(
      'control characters',
      `POST /query order with ${label}`,
      'problem',
      postJson('/v1/views/events/query', JSON.stringify({ order: `user${ch}_id` })),
    );
    add(
      'control characters',
      `POST /query select with ${label}`,
      'problem',
      postJson('/v1/views/events/query', JSON.stringify({ select: [`sum(duration${ch}_sec)`] })),
    );
    add(
      'control characters',
      `POST /query filter name with ${label}`,
      'problem',
      postJson('/v1/views/events/query', JSON.stringify({ filters: { [`user${ch}_id`]: 'eq.1' } })),
    );
    add(
      'control characters',
      `POST /query field name with ${label}`,
      'problem',
      postJson('/v1/views/events/query', JSON.stringify({ [`sel${ch}ect`]: ['user_id'] })),
    );
    add(
      'control characters',
      `POST /v1/hooks view with ${label}`,
      'problem',
      postJson('/v1/hooks', hook({ view: `daily${ch}_user_summary` })),
    );
    add(
      'control characters',
      `POST /v1/hooks target with ${label}`,
      'problem',
      postJson('/v1/hooks', hook({ target_url: `https://exa${ch}mple.internal/h` })),
    );
    add('control characters', `POST /v1/hooks select with ${label}`, 'problem', postJson('/v1/hooks', hook({ select: [`user${ch}_id`] })));
  }

  // --- like/ilike patterns past D1's 50-byte limit: a 400 naming it, on every route ---------
  const longPattern = `like.*${'x'.repeat(49)}*`;
  const statesLimit = (a: Answer) => (/at most 50 bytes/.test(a.body) ? '' : 'the problem does not state the 50-byte pattern limit');
  add(
    'pattern length',
    'rows: a 51-byte like pattern',
    'problem',
    () => viaFetch(rows(`titlebar=${longPattern}`), { headers: acme }),
    statesLimit,
  );
  add(
    'pattern length',
    'rows: 26 two-byte letters in ilike',
    'problem',
    () => viaFetch(rows(`titlebar=ilike.${'%C3%A9'.repeat(26)}`), { headers: acme }),
    statesLimit,
  );
  add(
    'pattern length',
    'POST /query: a 51-byte like pattern',
    'problem',
    postJson('/v1/views/events/query', JSON.stringify({ filters: { titlebar: longPattern } })),
    statesLimit,
  );
  add(
    'pattern length',
    'changes: a 51-byte like pattern',
    'problem',
    () => viaFetch(`${url}/v1/views/daily_user_summary/changes?day_of_week=${longPattern}`, { headers: acme }),
    statesLimit,
  );
  add(
    'pattern length',
    'POST /v1/hooks: a 51-byte like pattern',
    'problem',
    postJson(
      '/v1/hooks',
      JSON.stringify({ target_url: 'https://example.com/h', view: 'daily_user_summary', filters: { day_of_week: longPattern } }),
    ),
    statesLimit,
  );

  // --- filters in a body that would act as parameters, or drop a filter ------------------
  for (const name of ['cursor', 'limit', 'select', 'format', 'dry_run']) {
    add(
      'body filters',
      `POST /query filters.${name}`,
      'problem',
      postJson('/v1/views/events/query', JSON.stringify({ filters: { [name]: '1' } })),
    );
  }
  add(
    'body filters',
    'POST /query an empty filter list',
    'problem',
    postJson('/v1/views/events/query', JSON.stringify({ filters: { user_id: [] } })),
  );
  add(
    'body filters',
    'POST /v1/hooks an empty filter list',
    'problem',
    postJson('/v1/hooks', JSON.stringify({ target_url: 'https://example.com/h', view: 'daily_user_summary', filters: { user_id: [] } })),
  );

  // --- webhook targets behind trailing dots (loopback itself is allowed under wrangler dev) --
  for (const target of [
    'https://metadata.google.internal../',
    'https://foo.internal../',
    'https://10.0.0.1../',
    'https://169.254.169.254../',
    'https://printer.local.../',
  ]) {
    add(
      'ssrf',
      `a hook to ${target}`,
      'problem',
      postJson('/v1/hooks', JSON.stringify({ target_url: target, view: 'daily_user_summary' })),
    );
  }

  // --- invalid UTF-8 and bad percent-encoding ---------------------------------------------
  const encodings = [
    '/v1/views/%FF/rows',
    '/v1/views/events%/rows',
    '/v1/views/events/rows?user_name=eq.%E0%A4',
    '/v1/views/events/rows?user_name=eq.%C3%28',
    '/v1/views/events/rows?user_name=eq.%ZZ',
    '/v1/views/events/rows?%FF=1',
    '/v1/views/events/rows?select=user_id%2',
    '/v1/views/%C0%AE%C0%AE/rows',
    '/v1/views/events/rows?user_name=eq.%ED%A0%80',
  ];
  for (const target of encodings)
    add('encoding', target, 'problem-or-empty', () => viaRaw(port, rawGet(target, [`Authorization: Bearer ${keys.acme}`])));
  add('encoding', 'raw 0xFF bytes in the path', 'problem', () =>
    viaRaw(
      port,
      rawGet(Buffer.from([...Buffer.from('/v1/views/'), 0xff, 0xfe, ...Buffer.from('/rows')]), [`Authorization: Bearer ${keys.acme}`]),
    ),
  );
  add('encoding', 'raw invalid UTF-8 in the query', 'problem-or-empty', () =>
    viaRaw(
      port,
      rawGet(Buffer.from([...Buffer.from('/v1/views/events/rows?limit=1&user_name=eq.'), 0xc3, 0x28]), [
        `Authorization: Bearer ${keys.acme}`,
      ]),
    ),
  );
  add('encoding', 'invalid UTF-8 in a POST body', 'problem', () =>
    viaFetch(`${url}/v1/views/events/query`, {
      method: 'POST',
      headers: { ...acme, 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    }),
  );

  // --- path traversal -----------------------------------------------------------------------
  const traversal = [
    '/v1/views/../../etc/passwd/rows',
    '/v1/views/..%2F..%2Fetc%2Fpasswd/rows',
    '/v1/views/%2e%2e/%2e%2e/tenants/rows',
    '/v1/views/events/rows.csv/../../../etc/passwd',
    '/v1/views/events/rows.%2e%2e%2fx',
    '/v1/views/acme__events/rows',
    '/v1/views/globex__events/rows',
    '/v1/views/events%00/rows',
    '/v1/views/events/rows/..%5C..%5Capi_keys',
    '/v1/views/sqlite_master/rows',
    '/v1/views/tenants/rows',
    '/v1/views/api_keys/rows',
    '/.wrangler/state/v3/d1',
    '/v1/../migrations/0001_control_plane.sql',
  ];
  for (const target of traversal)
    add('path traversal', target, 'problem', () => viaRaw(port, rawGet(target, [`Authorization: Bearer ${keys.acme}`])));

  // --- forged cursors -----------------------------------------------------------------------
  const pagePath = '/v1/views/daily_user_summary/rows?select=user_id,local_date&limit=3';
  const real = await nextCursor(url, keys.acme, pagePath);
  const globexCursor = await nextCursor(url, keys.globex, pagePath);
  const otherQuery = await nextCursor(url, keys.acme, '/v1/views/daily_user_summary/rows?select=user_id,local_date,accountid&limit=3');
  const forged = [
    ['garbage', 'garbage'],
    ['empty payload', '.'],
    ['three parts', `${real}.x`],
    ['tampered payload, original signature', tamper(real)],
    ['signature of zeros', `${real.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`],
    ['another tenant’s cursor for the same query', globexCursor],
    ['a cursor of another query', otherQuery],
    [
      'base64 of a hand-made payload',
      `${Buffer.from(JSON.stringify({ q: 'x', k: ['1', "2026-01-01' OR 1=1"] })).toString('base64url')}.${'A'.repeat(22)}`,
    ],
    ['5000 characters', 'A'.repeat(5000)],
  ] as const;
  for (const [name, cursor] of forged) get('forged cursors', name, `${url}${pagePath}&cursor=${encodeURIComponent(cursor)}`);

  // --- other tenants' ids and keys ----------------------------------------------------------
  const hookRes = await fetch(`${url}/v1/hooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.globex}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target_url: 'http://127.0.0.1:9/never', view: 'daily_user_summary' }),
    signal: AbortSignal.timeout(30_000),
  });
  const globexHook = ((await hookRes.json()) as { id?: string }).id ?? 'hook_000000000000000000000000';
  get('other tenants', "acme reads globex's hook", `${url}/v1/hooks/${globexHook}`);
  get('other tenants', "acme reads globex's hook deliveries", `${url}/v1/hooks/${globexHook}/deliveries`);
  add('other tenants', "acme deletes globex's hook", 'problem', () =>
    viaFetch(`${url}/v1/hooks/${globexHook}`, { method: 'DELETE', headers: acme }),
  );
  add('other tenants', "acme resumes globex's hook", 'problem', () =>
    viaFetch(`${url}/v1/hooks/${globexHook}/resume`, { method: 'POST', headers: acme }),
  );
  add('other tenants', "globex's hook is still there for globex", 'problem-or-empty', async () => {
    const a = await viaFetch(`${url}/v1/hooks/${globexHook}`, { headers: { authorization: `Bearer ${keys.globex}` } });
    return { ...a, status: a.status === 200 ? 200 : 599, body: JSON.stringify({ row_count: 0 }) };
  });
  for (const [tenant, id] of Object.entries(ctx.accountIds)) {
    if (tenant === 'acme') continue;
    get(
      'other tenants',
      `acme filters on ${tenant}'s account number`,
      rows(`select=accountid,user_id&accountid=eq.${id}&limit=5`),
      'problem-or-empty',
    );
  }
  get('other tenants', 'a tenant parameter is not a filter', rows('select=user_id&tenant=globex&limit=1'));
  get('other tenants', 'a dataset parameter is not a filter', rows('select=user_id&dataset=globex&limit=1'));

  // --- keys: missing, wrong, revoked, below the plan ----------------------------------------
  get('keys', 'no key', `${url}/v1/views`, 'problem', {});
  get('keys', 'a key of the right form that does not exist', `${url}/v1/views`, 'problem', {
    authorization: 'Bearer acb_0000000000000000000000000000000',
  });
  get('keys', 'a revoked key', `${url}/v1/views`, 'problem', { authorization: `Bearer ${ctx.revokedKey}` });
  get('keys', 'a revoked key on rows', rows('limit=1'), 'problem', { 'x-api-key': ctx.revokedKey });
  const proColumn = leafColumns(VIEWS.events).find((c) => c.minPlan === 'professional')?.name;
  if (proColumn)
    get('keys', `an essentials-limited key asks for ${proColumn}`, rows(`select=${proColumn}&limit=1`), 'problem', {
      authorization: `Bearer ${ctx.essentialsKey}`,
    });
  const proView = Object.values(VIEWS).find((v) => leafColumns(v).every((c) => c.minPlan === 'professional'));
  if (proView)
    get('keys', `an essentials-limited key reads ${proView.name}`, `${url}/v1/views/${proView.name}/rows?limit=1`, 'problem', {
      authorization: `Bearer ${ctx.essentialsKey}`,
    });
  get('keys', 'Bearer with no key', `${url}/v1/views`, 'problem', { authorization: 'Bearer ' });
  get('keys', 'a key of 7 characters', `${url}/v1/views`, 'problem', { authorization: 'Bearer acb_123' });

  // --- huge bodies -------------------------------------------------------------------------
  const post =
    (path: string, body: BodyInit, type = 'application/json') =>
    () =>
      viaFetch(`${url}${path}`, { method: 'POST', headers: { ...acme, 'content-type': type }, body });
  add(
    'bodies',
    'a 70 kB query body',
    'problem',
    post('/v1/views/events/query', JSON.stringify({ select: ['user_id'], filters: { user_name: `eq.${'x'.repeat(70_000)}` } })),
  );
  add(
    'bodies',
    'a 5 MB query body with its Content-Length',
    'problem',
    post('/v1/views/events/query', JSON.stringify({ x: 'y'.repeat(5_000_000) })),
  );
  add('bodies', 'a 5 MB query body, chunked (no Content-Length)', 'problem', () => {
    const part = new TextEncoder().encode('y'.repeat(100_000));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"x":"'));
        for (let i = 0; i < 50; i++) controller.enqueue(part);
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    return viaFetch(`${url}/v1/views/events/query`, {
      method: 'POST',
      headers: { ...acme, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
  });
  // Bodies HTTP itself cannot read: the Worker's body stream errors, which is the client's fault (400).
  const rawPost = (path: string, headers: readonly string[], body: string) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${keys.acme}\r\nContent-Type: application/json\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n${body}`;
  const brokenBodies: readonly (readonly [string, readonly string[], string])[] = [
    ['a chunk size that is not hex', ['Transfer-Encoding: chunked'], '5\r\n{"sel\r\nzz\r\nect":1}\r\n0\r\n\r\n'],
    ['a chunk shorter than its size, then the end', ['Transfer-Encoding: chunked'], '40\r\n{"select":["user_id"]}'],
    ['chunks with no terminating zero chunk', ['Transfer-Encoding: chunked'], '2\r\n{}\r\n'],
    ['a chunk size overflowing 64 bits', ['Transfer-Encoding: chunked'], 'ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n'],
    ['a Content-Length longer than the body', ['Content-Length: 500'], '{"select":["user_id"]}'],
  ];
  for (const path of ['/v1/views/events/query', '/v1/hooks']) {
    for (const [name, headers, body] of brokenBodies) {
      add('bodies', `${name} (POST ${path})`, 'problem', () => viaRaw(port, rawPost(path, headers, body)));
    }
  }
  add(
    'bodies',
    'a 20 kB hook body',
    'problem',
    post('/v1/hooks', JSON.stringify({ target_url: `http://127.0.0.1/${'x'.repeat(20_000)}`, view: 'events' })),
  );
  add('bodies', 'JSON nested 10000 deep', 'problem', post('/v1/views/events/query', '['.repeat(10_000) + ']'.repeat(10_000)));
  add('bodies', 'not JSON', 'problem', post('/v1/views/events/query', '{select: user_id}'));
  add('bodies', 'a JSON array', 'problem', post('/v1/views/events/query', '["user_id"]'));
  add('bodies', 'a JSON string', 'problem', post('/v1/views/events/query', '"select"'));
  add('bodies', 'limit as an object', 'problem', post('/v1/views/events/query', '{"limit":{"$gt":1}}'));
  add('bodies', 'filters as an array', 'problem', post('/v1/views/events/query', '{"filters":["user_id=eq.1"]}'));
  add('bodies', 'an unknown field', 'problem', post('/v1/views/events/query', '{"sql":"SELECT 1"}'));
  add('bodies', 'text/plain', 'problem', post('/v1/views/events/query', '{"select":["user_id"]}', 'text/plain'));
  add('bodies', 'form-encoded', 'problem', post('/v1/views/events/query', 'select=user_id', 'application/x-www-form-urlencoded'));
  add(
    'bodies',
    'a hook to a private address',
    'problem',
    post('/v1/hooks', JSON.stringify({ target_url: 'https://10.0.0.1/x', view: 'events' })),
  );
  add(
    'bodies',
    'a hook to a non-http scheme',
    'problem',
    post('/v1/hooks', JSON.stringify({ target_url: 'file:///etc/passwd', view: 'events' })),
  );
  add(
    'bodies',
    'a hook on a view with no change column or unknown view',
    'problem',
    post('/v1/hooks', JSON.stringify({ target_url: 'http://127.0.0.1:9/x', view: 'globex__events' })),
  );

  // --- wrong methods ------------------------------------------------------------------------
  for (const [method, path] of [
    ['DELETE', '/v1/views'],
    ['PUT', '/v1/views/events/rows'],
    ['PATCH', '/v1/views/events/rows'],
    ['POST', '/v1/views/events/rows'],
    ['GET', '/v1/views/events/query'],
    ['DELETE', '/v1/views/events'],
    ['PUT', '/v1/hooks'],
    ['OPTIONS', '/v1/views/events/rows'],
    ['POST', '/version'],
  ] as const) {
    add('methods', `${method} ${path}`, 'problem', () => viaFetch(`${url}${path}`, { method, headers: acme }));
  }
  add('methods', 'TRACE /v1/views', 'problem', () =>
    viaRaw(port, `TRACE /v1/views HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${keys.acme}\r\nConnection: close\r\n\r\n`),
  );
  add('methods', 'a made-up method', 'problem', () =>
    viaRaw(port, `BREW /v1/views HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${keys.acme}\r\nConnection: close\r\n\r\n`),
  );
  add('methods', 'a URL over the limit', 'problem', () =>
    viaFetch(rows(`select=user_id&user_name=eq.${'x'.repeat(9000)}`), { headers: acme }),
  );

  // Clean up the globex hook the corpus made.
  cases.push({
    group: 'other tenants',
    name: 'cleanup: globex deletes its own hook',
    expect: 'problem-or-empty',
    send: async () => {
      const a = await viaFetch(`${url}/v1/hooks/${globexHook}`, { method: 'DELETE', headers: { authorization: `Bearer ${keys.globex}` } });
      return { ...a, status: a.status === 200 ? 200 : 599, body: JSON.stringify({ row_count: 0 }) };
    },
  });
  return cases;
}

/** The 500 wrangler dev's own proxy answers, with miniflare's stack, when a request body breaks in transit. */
function devProxyFailure(a: Answer): boolean {
  return (
    a.status === 500 &&
    !a.headers['x-request-id'] &&
    /^text\/plain/.test(a.contentType ?? '') &&
    /^Error: Network connection lost\.\n\s+at async Object\.fetch \(file:\/\/\S*\/miniflare\/dist\/src\/workers\/core\/entry\.worker\.js/.test(
      a.body,
    )
  );
}

export async function runHostile(ctx: HostileContext, tally: Tally): Promise<void> {
  const cases = await buildCorpus(ctx);
  const byGroup = new Map<string, { tried: number; failed: number }>();
  for (const c of cases) {
    const g = byGroup.get(c.group) ?? { tried: 0, failed: 0 };
    byGroup.set(c.group, g);
    g.tried++;
    tally.inputsTried++;
    tally.requests++;
    let answer: Answer;
    try {
      answer = await c.send();
    } catch (err) {
      g.failed++;
      tally.check(`[${c.group}] ${c.name}`, false, `no answer: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    let reason = '';
    // Every answer the Worker gives (it always sets x-request-id) carries the security headers.
    const headerGap = answer.headers['x-request-id'] && answer.headers['x-content-type-options'] !== 'nosniff';
    if (devProxyFailure(answer)) {
      // wrangler dev's ProxyWorker (miniflare's entry worker) forwards the body to the Worker
      // and fails with 500 when the body breaks in transit (malformed chunked encoding): the
      // Worker never ran. Production has no such proxy; Cloudflare's edge answers 400 itself.
      tally.note(`[${c.group}] ${c.name}: failed in wrangler dev's proxy before the Worker ran (500 ${answer.body.split('\n')[0]})`);
    } else if (answer.status >= 500 && !(answer.status === 501 && !answer.headers['x-request-id']))
      reason = `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
    else if (c.expect === 'answered' && answer.status < 400) {
      const leak = leakIn(answer.body);
      if (leak) reason = `leaks ${leak}`;
    } else if (answer.status === 200 && c.expect === 'problem-or-empty') {
      const n = rowCount(answer);
      if (n !== 0 && n !== null) reason = `answered 200 with ${n} rows`;
      const leak = leakIn(answer.body);
      if (leak) reason = `leaks ${leak}`;
    } else if (
      (answer.status === 400 || answer.status === 501) &&
      !answer.headers['x-request-id'] &&
      !/problem\+json/.test(answer.contentType ?? '')
    ) {
      // Refused by the HTTP layer before the Worker ran (workerd's parser): not the app's to
      // answer, and Cloudflare's edge answers these itself in production.
      tally.note(
        `[${c.group}] ${c.name}: refused by the runtime before the Worker (${answer.status} ${answer.contentType ?? 'no content-type'})`,
      );
    } else {
      const p = checkProblem(answer.status, answer.contentType, answer.body);
      if (!p.ok) reason = p.reason;
    }
    if (!reason && c.extra) reason = c.extra(answer);
    if (!reason && headerGap) reason = 'no X-Content-Type-Options: nosniff on the answer';
    if (!tally.check(`[${c.group}] ${c.name}`, reason === '', reason)) g.failed++;
  }
  for (const [group, g] of byGroup) console.log(`   ${group}: ${g.tried} inputs, ${g.failed} failed`);
}
