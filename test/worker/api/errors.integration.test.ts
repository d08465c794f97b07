// Integration: every failure is RFC 9457 problem+json with a request id; limits are 4xx naming the limit, never 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { createKey, run, upsertTenant } from '../../../worker/tenants/admin.ts';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import { api, INTERNALS, expectProblem, qs, rowsPath, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

describe('problem+json', () => {
  const cases: [label: string, status: number, type: string, request: () => Promise<Response>][] = [
    ['no key', 401, 'unauthorized', () => api('/v1/views')],
    ['an unknown route', 404, 'not-found', () => api('/v2/nothing/here', keys.acme)],
    ['an unknown route without a key', 404, 'not-found', () => api('/nope')],
    ['an unknown view', 404, 'unknown-view', () => api(rowsPath('evnets'), keys.acme)],
    ['a view above the plan', 403, 'plan-required', () => api(rowsPath('group_goals'), keys.initech)],
    ['an unknown column', 400, 'unknown-column', () => api(rowsPath('events', 'select=nope'), keys.acme)],
    ['a bad value', 400, 'invalid-parameter', () => api(rowsPath('events', 'user_id=eq.x'), keys.acme)],
    ['a bad cursor', 400, 'invalid-cursor', () => api(rowsPath('events', 'cursor=abc'), keys.acme)],
    ['a parameter given twice', 400, 'invalid-parameter', () => api(rowsPath('events', 'limit=1&limit=2'), keys.acme)],
    ['a long URL', 414, 'uri-too-long', () => api(rowsPath('events', `titlebar=eq.${'x'.repeat(LIMITS.maxUrlLength)}`), keys.acme)],
  ];
  it.each(cases)(
    '%s: %i %s as problem+json with type, title, status, detail, request_id and x-request-id',
    async (_label, status, type, request) => {
      const res = await request();
      const body = await expectProblem(res, status, type);
      expect(body.detail).not.toMatch(INTERNALS);
    },
  );

  it('an unknown path, a wrong method and a route error share one shape: the same members, in order, and the path as instance', async () => {
    const path = '/v2/nothing/here';
    const notFound = await expectProblem(await api(path, keys.acme), 404, 'not-found');
    const routeError = await expectProblem(await api(rowsPath('evnets'), keys.acme), 404, 'unknown-view');
    const unauthorized = await expectProblem(await api('/v1/views'), 401, 'unauthorized');
    const wrongMethod = await expectProblem(await api('/v1/views/events/rows', keys.acme, { method: 'PUT' }), 405, 'method-not-allowed');
    const members = ['type', 'title', 'status', 'detail', 'instance', 'request_id'];
    expect(Object.keys(notFound)).toEqual(members);
    expect(Object.keys(unauthorized)).toEqual(members);
    for (const body of [routeError, wrongMethod]) expect(Object.keys(body).filter((k) => members.includes(k))).toEqual(members);
    expect(Object.keys(wrongMethod)).toEqual(['allow', ...members]);
    expect([notFound.instance, routeError.instance, unauthorized.instance, wrongMethod.instance]).toEqual([
      path,
      '/v1/views/evnets/rows',
      '/v1/views',
      '/v1/views/events/rows',
    ]);
  });

  it('puts x-request-id on successful answers too, echoing a well-formed one from the caller', async () => {
    for (const path of ['/', '/healthz', '/v1/views', rowsPath('users', 'limit=1')]) {
      const res = await api(path, keys.acme);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-request-id'), path).toMatch(/^[\w.-]{8,}$/);
    }
    const echoed = await api(rowsPath('nope'), keys.acme, { headers: { 'x-request-id': 'sheet-refresh.42' } });
    expect(echoed.headers.get('x-request-id')).toBe('sheet-refresh.42');
    expect(((await echoed.json()) as { request_id: string }).request_id).toBe('sheet-refresh.42');
    const replaced = await api('/v1/views', keys.acme, { headers: { 'x-request-id': 'bad id; with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id; with spaces');
  });
});

describe('warehouse trouble', () => {
  it('a tenant whose tables do not exist gets 503 problem+json, for a page and for a streamed export', async () => {
    const key = await createKey('emptyco', 'professional', 'tenant without data');
    await run(testEnv.DB, upsertTenant({ id: 'emptyco', name: 'Empty Co', plan: 'professional' }), key.statement);
    for (const query of ['limit=5', 'format=csv', 'format=ndjson']) {
      const body = await expectProblem(await api(rowsPath('events', query), key.key), 503, 'warehouse-unavailable');
      expect(body.detail, query).not.toMatch(INTERNALS);
    }
  });
});

describe('did you mean', () => {
  it("suggests the nearest column for a misspelt select: 'usr_name' → 'user_name'", async () => {
    const body = await expectProblem(
      await api(rowsPath('daily_user_summary', 'select=user_id,usr_name'), keys.acme),
      400,
      'unknown-column',
    );
    expect(body.detail).toBe("Unknown column 'usr_name' in daily_user_summary. Did you mean 'user_name'?");
    expect(body.suggestions).toEqual(['user_name']);
  });

  it('suggests a reserved parameter for a misspelt one, and never a column above the plan', async () => {
    const limt = await expectProblem(await api(rowsPath('events', 'limt=5'), keys.acme), 400, 'unknown-column');
    expect(limt.suggestions).toContain('limit');
    const focus = await expectProblem(
      await api(rowsPath('daily_user_summary', 'select=focused_duration_second'), keys.initech),
      400,
      'unknown-column',
    );
    expect(focus.suggestions).not.toContain('focused_duration_seconds');
  });

  it("names the fields of a nested record selected by its own name: 'agents' → 'agents.agent_id'", async () => {
    const body = await expectProblem(await api(rowsPath('users', 'select=agents'), keys.acme), 400, 'unknown-column');
    expect(body.detail).toMatch(/^Unknown column 'agents' in users\. 'agents' is a nested record: name its fields, such as 'agents\./);
    expect(body.suggestions).toContain('agents.agent_id');
  });

  it("says a direction is asc or desc when order has another after a column: 'user_id.down'", async () => {
    const body = await expectProblem(await api(rowsPath('events', 'order=user_id.down'), keys.acme), 400, 'invalid-parameter');
    expect(body.detail).toBe(
      "order takes asc or desc after a column; got 'down' in 'user_id.down'. Write order=user_id.desc for descending.",
    );
  });

  it('tells how to get more rows than a page holds, and how to split an export', async () => {
    const page = await expectProblem(await api(rowsPath('events', `limit=${LIMITS.maxPageSize + 1}`), keys.acme), 400, 'limit-exceeded');
    expect(page.detail).toBe(
      `limit is at most ${LIMITS.maxPageSize} rows a page for format=json; got ${LIMITS.maxPageSize + 1}. Ask for ${LIMITS.maxPageSize} or fewer and follow each page's next link for the rest.`,
    );
    const rows = LIMITS.maxExportRows + 1;
    const csv = await expectProblem(await api(rowsPath('events', `format=csv&limit=${rows}`), keys.acme), 400, 'limit-exceeded');
    expect(csv.detail).toContain('Export in parts with from/to or a filter.');
  });
});

describe('limits: a 4xx naming the limit, never a 500', () => {
  const cases: [limit: string, status: number, path: () => string][] = [
    ['maxUrlLength', 414, () => rowsPath('events', `titlebar=eq.${'x'.repeat(LIMITS.maxUrlLength)}`)],
    ['maxFilters', 400, () => rowsPath('events', repeat(LIMITS.maxFilters + 1, () => 'user_id=gt.0').join('&'))],
    ['maxInValues', 400, () => rowsPath('events', qs({ user_id: `in.(${repeat(LIMITS.maxInValues + 1, String).join(',')})` }))],
    ['maxPageSize', 400, () => rowsPath('events', `limit=${LIMITS.maxPageSize + 1}`)],
    ['maxExportRows', 400, () => rowsPath('events', `format=csv&limit=${LIMITS.maxExportRows + 1}`)],
    ['maxValueLength', 400, () => rowsPath('events', qs({ titlebar: `eq.${'x'.repeat(LIMITS.maxValueLength + 1)}` }))],
    ['maxValueLength', 400, () => rowsPath('events', qs({ titlebar: `like.*${'x'.repeat(LIMITS.maxValueLength + 1)}` }))],
    ['maxSelectItems', 400, () => rowsPath('events', qs({ select: repeat(LIMITS.maxSelectItems + 1, () => 'user_id').join(',') }))],
    ['maxOrderTerms', 400, () => rowsPath('events', qs({ order: repeat(LIMITS.maxOrderTerms + 1, () => 'user_id').join(',') }))],
    ['maxGroupBy', 400, () => rowsPath('events', qs({ group_by: repeat(LIMITS.maxGroupBy + 1, () => 'user_id').join(',') }))],
  ];
  it.each(cases)('%s exceeded: %i problem+json naming the limit', async (limit, status, path) => {
    const res = await api(path(), keys.acme);
    const body = await expectProblem(res, status, status === 414 ? 'uri-too-long' : 'limit-exceeded');
    expect(body.limit).toBe(limit);
    expect(body.detail).toMatch(/\d/);
  });

  it('limit, filters, order and group_by at their maximum are accepted', async () => {
    const ok = async (path: string) => {
      const res = await api(path, keys.acme);
      expect(res.status, `${path.slice(0, 120)}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    };
    await ok(rowsPath('events', qs({ limit: LIMITS.maxPageSize })));
    await ok(rowsPath('events', repeat(LIMITS.maxFilters, () => 'user_id=gt.0').join('&')));
    const ten = [
      'user_id',
      'computer_id',
      'local_date',
      'day_type',
      'category',
      'site',
      'productivity',
      'period_of_day',
      'activity_type',
      'user_name',
    ];
    expect(ten.length).toBe(LIMITS.maxGroupBy);
    expect(ten.length).toBe(LIMITS.maxOrderTerms);
    await ok(rowsPath('events', qs({ group_by: ten.join(',') })));
    await ok(rowsPath('events', qs({ order: ten.join(','), limit: 5 })));
  });

  // D1 binds at most 100 parameters per statement: an in.() list travels as one JSON array
  // parameter and keyset values are bound once each, so the documented limits fit.
  it('an in.() list of maxInValues values is answered, not a warehouse error', async () => {
    const res = await api(rowsPath('events', qs({ user_id: `in.(${repeat(LIMITS.maxInValues, String).join(',')})` })), keys.acme);
    expect(res.status).toBe(200);
  });

  it.each(['0', '-1', '1.5', 'ten', '1e3'])('rejects limit=%s with 400 saying what a limit is', async (limit) => {
    const body = await expectProblem(await api(rowsPath('events', `limit=${limit}`), keys.acme), 400, 'invalid-parameter');
    expect(body.detail).toContain(String(LIMITS.maxPageSize));
  });
});

describe('a wrong method on an existing path', () => {
  it('is 405 problem+json with an Allow header naming the methods the path takes', async () => {
    const put = await api('/v1/views/events/rows', keys.acme, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect(put.headers.get('content-type')).toMatch(/problem\+json/);
    const del = await api('/v1/views/events/query', keys.acme, { method: 'GET' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('POST');
    const hooks = await api('/v1/hooks', keys.acme, { method: 'PATCH' });
    expect(hooks.headers.get('allow')).toBe('GET, HEAD, POST');
  });
  it('is still 404 for a path no route has', async () => {
    expect((await api('/v1/nothing/here', keys.acme, { method: 'PUT' })).status).toBe(404);
  });
});

// `order=a%0Db` was a 500: a regex whose `.` stops at line terminators, then a non-null assertion.
describe('line terminators and control characters in parameters', () => {
  const TERMINATORS = ['\r', '\n', '\u2028', '\u2029', '\u0000', '\u0085'];

  it.each(TERMINATORS.map((t) => [JSON.stringify(t), t] as const))(
    'order with %s inside a term is a 400, never a 500',
    async (_label, t) => {
      for (const order of [`user_id${t}x`, `user_id${t}.desc`, `user_id.${t}desc`, `a${t}b`, `${t}.desc`]) {
        const res = await api(rowsPath('events', qs({ order })), keys.acme);
        const body = await expectProblem(res, 400);
        expect(body.detail, JSON.stringify(order)).not.toMatch(INTERNALS);
      }
    },
  );

  it('an aggregate whose argument holds a line break is read as that aggregate, with an unknown column', async () => {
    const body = await expectProblem(await api(rowsPath('events', qs({ select: 'sum(duration\nsec)' })), keys.acme), 400, 'unknown-column');
    expect(body.detail).toMatch(/^Unknown column 'duration\nsec' in events\./);
    expect(body.column).toBe('duration\nsec');
  });

  it('a line break inside an order term names the term it could not read', async () => {
    const body = await expectProblem(
      await api(rowsPath('events', qs({ order: 'utc_timestamp\r\nx.desc' })), keys.acme),
      400,
      'unknown-column',
    );
    expect(body.column).toBe('utc_timestamp\r\nx');
  });

  it('whitespace around a term, line terminators included, is trimmed as spaces are', async () => {
    const res = await api(rowsPath('events', qs({ order: 'utc_timestamp.desc\r\n', limit: 1 })), keys.acme);
    expect(res.status).toBe(200);
  });
});
