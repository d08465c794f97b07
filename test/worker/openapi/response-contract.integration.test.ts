// Unit: the check every contract-suite response goes through (test/worker/api/support/openapi-contract.ts)
// accepts what the served document describes and refuses what it does not, so it can fail.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../../worker/http/errors.ts';
import { api } from '../api/support/contract.ts';
import { expectDocumentedResponse } from '../api/support/openapi-contract.ts';
import { seedTinyDemo } from '../support/demo.ts';

const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': `${type}; charset=utf-8` } });

const page = (rows: unknown[], extra: Record<string, unknown> = {}) =>
  json({
    view: 'events',
    columns: [{ name: 'user_id', type: 'INT64' }],
    rows,
    row_count: rows.length,
    next: null,
    next_cursor: null,
    ...extra,
  });

const problem = { type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail: 'No route.', request_id: 'r1' };

describe('expectDocumentedResponse', () => {
  it('accepts real answers of the worker', async () => {
    for (const path of ['/', '/version', '/healthz', '/v1/views']) {
      const res = await exports.default.fetch(new Request(`http://bridge.test${path}`));
      await expectDocumentedResponse('GET', path, res);
      // The caller can still read the body.
      expect((await res.text()).length).toBeGreaterThan(0);
    }
  });

  it('accepts a rows page that matches the view schema', async () => {
    await expectDocumentedResponse('GET', '/v1/views/events/rows', page([{ user_id: 1 }]));
    await expectDocumentedResponse('POST', '/v1/views/events/query', page([{ user_id: 1 }]));
  });

  it('refuses a row value of the wrong type, naming where', async () => {
    await expect(expectDocumentedResponse('GET', '/v1/views/events/rows', page([{ user_id: 'one' }]))).rejects.toThrow(
      /\/rows\/0\/user_id/,
    );
  });

  it('refuses a column the view does not have, and a page without its paging fields', async () => {
    await expect(expectDocumentedResponse('GET', '/v1/views/events/rows', page([{ no_such_column: 1 }]))).rejects.toThrow(/does not match/);
    await expect(expectDocumentedResponse('GET', '/v1/views/events/rows', json({ view: 'events', rows: [] }))).rejects.toThrow(
      /does not match/,
    );
  });

  it('refuses an undocumented status and an undocumented content type', async () => {
    await expect(expectDocumentedResponse('GET', '/version', json({}, 418))).rejects.toThrow(/documents no 418 response/);
    await expect(
      expectDocumentedResponse('GET', '/version', new Response('1.0.0', { headers: { 'content-type': 'text/plain' } })),
    ).rejects.toThrow(/not text\/plain/);
  });

  it('checks documented headers', async () => {
    const res = page([]);
    res.headers.set('x-cache', 'WARM');
    await expect(expectDocumentedResponse('GET', '/v1/views/events/rows', res)).rejects.toThrow(/header X-Cache/);
  });

  it('checks every ndjson line against the row schema', async () => {
    const ndjson = (text: string) => new Response(text, { headers: { 'content-type': 'application/x-ndjson' } });
    await expectDocumentedResponse('GET', '/v1/views/events/rows.ndjson', ndjson('{"user_id":1}\n{"user_id":2}\n'));
    await expect(
      expectDocumentedResponse('GET', '/v1/views/events/rows.ndjson', ndjson('{"user_id":1}\n{"user_id":true}\n')),
    ).rejects.toThrow(/line 2/);
  });

  it('wants an undocumented route answered with a problem', async () => {
    await expectDocumentedResponse('GET', '/nowhere', json(problem, 404, 'application/problem+json'));
    await expect(expectDocumentedResponse('GET', '/nowhere', new Response('nope', { status: 404 }))).rejects.toThrow(/no operation/);
    const { detail: _detail, ...withoutDetail } = problem;
    await expect(expectDocumentedResponse('GET', '/nowhere', json(withoutDetail, 404, 'application/problem+json'))).rejects.toThrow(
      /does not match/,
    );
  });
});

describe('the document on paging a POST query', () => {
  it('says what the server does: POST /query answers a next URL and a Link header while rows remain', async () => {
    const keys = await seedTinyDemo();
    const res = await api('/v1/views/events/query', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ select: ['user_id'], limit: 1 }),
    });
    const body = (await res.json()) as { next: string | null; next_cursor: string | null };
    expect(body.next).toMatch(/^http:\/\/bridge\.test\/v1\/views\/events\/rows\?/);
    expect(res.headers.get('link')).toBe(`<${body.next}>; rel="next"`);

    const doc = (await (await api('/openapi.json')).json()) as {
      components: {
        schemas: Record<string, { properties: { next: { description: string } } }>;
        headers: { Link: { description: string } };
      };
    };
    expect(doc.components.schemas.eventsPage!.properties.next.description).not.toMatch(/always null/i);
    expect(doc.components.schemas.eventsPage!.properties.next.description).toContain('POST');
    expect(doc.components.headers.Link.description).not.toMatch(/GET only/i);
    expect(doc.components.headers.Link.description).toContain('POST');
  });
});
