// Integration: POST /v1/views/{view}/query takes the GET query as a JSON body and answers the same.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DRAIN_BYTES, readBodyText } from '../../../worker/http/body.ts';
import { ApiError } from '../../../worker/http/errors.ts';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { direct, seedTinyDemo } from '../support/demo.ts';
import { api, expectProblem, qs, rowsPath, tableOf, type Keys } from './support/contract.ts';
import { parseCsv } from './support/csv.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const post = (view: string, body: unknown, key = keys.acme, contentType = 'application/json') =>
  api(`/v1/views/${view}/query`, key, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

interface Equivalent {
  readonly body: Record<string, unknown>;
  readonly get: readonly (readonly [string, string])[];
}

/** Each body with the GET query string that means the same; `name` is a display name from the data. */
const equivalents = (name: string): Record<string, Equivalent> => ({
  events: {
    body: {
      select: ['user_id', 'utc_timestamp', 'titlebar'],
      filters: { productivity: 'eq.Productive', duration_sec: ['gte.10', 'lt.600'] },
      order: 'utc_timestamp.desc',
      limit: 7,
    },
    get: [
      ['select', 'user_id,utc_timestamp,titlebar'],
      ['productivity', 'eq.Productive'],
      ['duration_sec', 'gte.10'],
      ['duration_sec', 'lt.600'],
      ['order', 'utc_timestamp.desc'],
      ['limit', '7'],
    ],
  },
  daily_user_summary: {
    body: {
      select: ['user_id', 'sum(total_duration_seconds)', 'count()'],
      group_by: 'user_id',
      from: '2026-11-16',
      to: '2026-11-18',
      order: ['sum_total_duration_seconds.desc'],
    },
    get: [
      ['select', 'user_id,sum(total_duration_seconds),count()'],
      ['group_by', 'user_id'],
      ['from', '2026-11-16'],
      ['to', '2026-11-18'],
      ['order', 'sum_total_duration_seconds.desc'],
    ],
  },
  users: {
    body: { filters: { display_name: `in.("Doe, Jane","${name}")`, 'agents.agent_id': 'not.is.null' }, format: 'values' },
    get: [
      ['display_name', `in.("Doe, Jane","${name}")`],
      ['agents.agent_id', 'not.is.null'],
      ['format', 'values'],
    ],
  },
  consumers: {
    body: { format: 'csv', limit: '3' },
    get: [
      ['format', 'csv'],
      ['limit', '3'],
    ],
  },
});

describe('POST /v1/views/{view}/query', () => {
  it.each(Object.keys(equivalents('')))('%s: the JSON body answers exactly what the GET query string answers', async (view) => {
    const [{ name }] = (await direct<{ name: string }>(
      `SELECT display_name AS name FROM ${tableOf('acme', 'users')} WHERE display_name NOT GLOB '*["\\]*' LIMIT 1`,
    )) as [{ name: string }];
    const { body, get } = equivalents(name)[view]!;
    const viaGet = await api(rowsPath(view, qs(get)), keys.acme);
    const viaPost = await post(view, body);
    expect(viaGet.status).toBe(200);
    expect(viaPost.status).toBe(200);
    expect(viaPost.headers.get('content-type')).toBe(viaGet.headers.get('content-type'));
    const [g, p] = [await viaGet.text(), await viaPost.text()];
    expect(p).toBe(g);
    const rows = viaGet.headers.get('content-type')!.startsWith('text/csv')
      ? parseCsv(g).length - 1
      : (JSON.parse(g) as { row_count: number }).row_count;
    expect(rows, 'the query matches rows').toBeGreaterThan(0);
  });

  it('answers the same errors as GET for a bad query inside a good body', async () => {
    const body = await expectProblem(await post('events', { filters: { usr_id: 'eq.1' } }), 400, 'unknown-column');
    expect(body.detail).toContain("'user_id'");
    await expectProblem(await post('events', { limit: LIMITS.maxPageSize + 1 }), 400, 'limit-exceeded');
    await expectProblem(await post('no_such_view', {}), 404, 'unknown-view');
  });
});

describe('bad bodies get a clear 4xx', () => {
  it('rejects a body that is not JSON with 400', async () => {
    const body = await expectProblem(await post('events', '{"select": [user_id]}'), 400, 'bad-request');
    expect(body.detail).toContain('not valid JSON');
  });

  it('rejects a body without Content-Type: application/json with 415', async () => {
    const body = await expectProblem(await post('events', '{}', keys.acme, 'text/plain'), 415, 'unsupported-media-type');
    expect(body.detail).toContain('application/json');
    await expectProblem(
      await post('events', 'select=user_id', keys.acme, 'application/x-www-form-urlencoded'),
      415,
      'unsupported-media-type',
    );
  });

  it('rejects an unknown field with 400 naming it and the fields there are', async () => {
    const body = await expectProblem(await post('events', { selcet: ['user_id'] }), 400, 'bad-request');
    expect(body.detail).toContain('"selcet"');
    expect(body.detail).toContain('select');
  });

  it('suggests the field a misspelt one was meant to be, as a misspelt query parameter gets', async () => {
    const body = await expectProblem(await post('events', { selct: ['user_id'] }), 400, 'bad-request');
    expect(body.detail).toMatch(
      /^Unknown field "selct"\. Did you mean 'select'\? Fields: select, order, group_by, filters, from, to, limit, cursor, format, dates, dry_run\.$/,
    );
    expect(body.suggestions).toEqual(['select']);
    const filtrs = await expectProblem(await post('events', { filtrs: { user_id: 'eq.1' } }), 400, 'bad-request');
    expect(filtrs.suggestions).toEqual(['filters']);
  });

  // A reserved name inside filters acted as the top-level parameter: {"filters": {"limit": "5"}} set the limit.
  it.each(['cursor', 'limit', 'select', 'format', 'dry_run', 'order', 'group_by', 'from', 'to'])(
    'refuses %s inside filters with 400, as POST /v1/hooks does',
    async (name) => {
      const problem = await expectProblem(await post('events', { filters: { [name]: '5' } }), 400, 'bad-request');
      expect(problem.detail).toContain(`'${name}' is a query parameter, not a column`);
      expect(problem).toMatchObject({ field: 'filters', column: name });
    },
  );

  // An empty list dropped the filter and answered every row (fails open).
  it('refuses an empty list of filters on a column with 400 instead of answering every row', async () => {
    const problem = await expectProblem(await post('events', { filters: { user_id: [] } }), 400, 'bad-request');
    expect(problem.detail).toContain('"filters.user_id" is an empty list');
  });

  it.each([
    ['an array', [{ select: 'user_id' }]],
    ['null', null],
    ['a number', 42],
    ['select as an object', { select: { user_id: true } }],
    ['select with an object item', { select: ['user_id', { x: 1 }] }],
    ['filters as a list', { filters: ['user_id=eq.1'] }],
    ['filters as a string', { filters: 'user_id=eq.1' }],
    ['a filter as an object', { filters: { user_id: { eq: 1 } } }],
    ['a filter as a number', { filters: { user_id: 42 } }],
    ['a filter list with a number', { filters: { user_id: ['eq.1', 2] } }],
    ['limit as an object', { limit: { max: 5 } }],
    ['limit as text', { limit: 'five' }],
  ])('rejects %s with 400', async (_label, body) => {
    const problem = await expectProblem(await post('events', JSON.stringify(body)), 400);
    expect(problem.detail.length).toBeGreaterThan(10);
  });

  it(`rejects a body over ${LIMITS.maxQueryBodyBytes} bytes with 413 naming the limit`, async () => {
    const huge = JSON.stringify({ filters: { titlebar: `eq.${'x'.repeat(LIMITS.maxQueryBodyBytes)}` } });
    const body = await expectProblem(await post('events', huge), 413, 'limit-exceeded');
    expect(body.limit).toBe('maxQueryBodyBytes');
  });
});

describe('a streamed body without Content-Length', () => {
  /** A body of `chunks` pieces of 16 kB, counting what the Worker pulled and whether it cancelled. */
  const counted = (chunks: number) => {
    const seen = { pulled: 0, cancelled: false };
    const piece = new TextEncoder().encode('x'.repeat(16_384));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        seen.pulled++;
        if (seen.pulled > chunks) controller.close();
        else controller.enqueue(piece);
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return { stream, seen };
  };
  const send = (stream: ReadableStream<Uint8Array>) =>
    api('/v1/views/events/query', keys.acme, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      // @ts-expect-error duplex is required by fetch for streamed request bodies
      duplex: 'half',
    });

  it('is refused with 413 after the client has finished sending, so it reads the answer instead of a reset', async () => {
    const { stream, seen } = counted(200); // 3.2 MB, over the limit and under the drain allowance
    const res = await send(stream);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { limit: string }).limit).toBe('maxQueryBodyBytes');
    expect(seen.pulled).toBeGreaterThan(200);
    expect(seen.cancelled).toBe(false);
  });

  it(`stops reading a hostile upload after ${DRAIN_BYTES / 1024 / 1024} MB and still answers 413`, async () => {
    const { stream, seen } = counted(100_000); // 1.6 GB if it were read to the end
    const res = await send(stream);
    expect(res.status).toBe(413);
    expect(seen.pulled * 16_384).toBeLessThan(DRAIN_BYTES + 1024 * 1024);
  });
});

// A body stream that errors is what the Worker reads when the client cut the connection
// mid-body or (where the runtime passes it on) sent malformed chunked encoding; it used to be
// a 500. Through the app in-process workerd ends such a stream cleanly instead of erroring it,
// so readBodyText is given the erroring stream directly; the raw-HTTP cases are in the
// reliability suite's hostile corpus (test/reliability/hostile.ts, "bodies").
describe('a body that cannot be read', () => {
  const broken = (afterBytes: string) =>
    new Request('http://bridge.test/v1/views/events/query', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(afterBytes));
          controller.error(new TypeError('invalid chunked encoding'));
        },
      }),
      // @ts-expect-error duplex is required by fetch for streamed request bodies
      duplex: 'half',
    });

  it('is a 400 bad-request saying what to do, not an internal error', async () => {
    const err = await readBodyText(broken('{"select": ["user_id"'), 1000, 'The query body', 'maxQueryBodyBytes').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, type: 'bad-request' });
    expect((err as ApiError).message).toMatch(
      /^The query body could not be read: it ended early or its chunked transfer encoding is malformed/,
    );
  });

  it('is still a 413 when the upload breaks off while the excess is drained, and the break is logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let pulls = 0;
    const request = new Request('http://bridge.test/v1/views/events/query', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (++pulls === 1) controller.enqueue(new TextEncoder().encode('x'.repeat(2000)));
          else controller.error(new TypeError('connection reset'));
        },
      }),
      // @ts-expect-error duplex is required by fetch for streamed request bodies
      duplex: 'half',
    });
    const err = await readBodyText(request, 1000, 'The query body', 'maxQueryBodyBytes').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 413, type: 'limit-exceeded' });
    expect(warn.mock.calls.map(([line]) => JSON.parse(String(line)) as unknown)).toEqual([
      { event: 'body.drain_failed', bytes_read: 2000, message: 'connection reset' },
    ]);
  });
});

afterEach(() => vi.restoreAllMocks());
