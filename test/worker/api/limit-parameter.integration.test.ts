// Integration: /rows, /changes and /hooks/{id}/deliveries read `limit` by one rule
// (shared/query-vocabulary.ts readLimit), so one table of inputs gets the same answers from all three.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_LIMIT, DELIVERIES_LIMIT, LIMITS, type LimitRange } from '../../../shared/query-vocabulary.ts';
import { api, direct, seedTinyDemo } from '../support/demo.ts';
import { removeAllHooks, subscribe } from '../hooks/helpers.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
let hookId = '';
/** Rows in acme's events: a page holds the limit's rows or all of them, whichever is fewer. */
let events = 0;
beforeAll(async () => {
  keys = await seedTinyDemo();
  events = (await direct<{ n: number }>('SELECT count(*) AS n FROM acme__events'))[0]!.n;
  hookId = (await subscribe(keys.acme, { target_url: 'https://hooks.zapier.com/hooks/catch/1/limit/', view: 'events' })).id;
});
afterAll(removeAllHooks);

interface Endpoint {
  readonly name: string;
  readonly range: LimitRange;
  /** The limit's name in a limit-exceeded problem. */
  readonly limitName: string;
  path(limit: string): string;
  /** The items of a 200 answer, or null where the tiny demo has none to count (a new hook's log). */
  items(body: Record<string, unknown>): unknown[] | null;
}

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: '/rows',
    range: { default: LIMITS.defaultPageSize, max: LIMITS.maxPageSize },
    limitName: 'maxPageSize',
    path: (limit) => `/v1/views/events/rows?select=user_id&limit=${encodeURIComponent(limit)}`,
    items: (body) => body['rows'] as unknown[],
  },
  {
    name: '/changes',
    range: CHANGES_LIMIT,
    limitName: 'changesMaxLimit',
    path: (limit) => `/v1/views/events/changes?select=user_id&limit=${encodeURIComponent(limit)}`,
    items: (body) => body['rows'] as unknown[],
  },
  {
    name: '/hooks/{id}/deliveries',
    range: DELIVERIES_LIMIT,
    limitName: 'deliveriesMaxLimit',
    path: (limit) => `/v1/hooks/${hookId}/deliveries?limit=${encodeURIComponent(limit)}`,
    items: () => null,
  },
];

/** What each input means on an endpoint with this range: a page size, or the kind of refusal. */
const INPUTS: readonly [input: string, expected: (range: LimitRange) => number | 'invalid' | 'too-large'][] = [
  ['', (r) => r.default],
  [' ', (r) => r.default],
  ['1', () => 1],
  ['7', () => 7],
  ['007', () => 7],
  ['0', () => 'invalid'],
  ['-1', () => 'invalid'],
  ['+5', () => 'invalid'],
  ['1.5', () => 'invalid'],
  ['1.0', () => 'invalid'],
  ['1e1', () => 'invalid'],
  ['0x10', () => 'invalid'],
  ['ten', () => 'invalid'],
  ['max+1', () => 'too-large'],
  ['99999999999999999999', () => 'too-large'],
];

const cases = ENDPOINTS.flatMap((endpoint) => INPUTS.map(([input, expected]) => ({ endpoint, input, expected })));

describe('limit= on every endpoint that pages', () => {
  it.each(cases)('$endpoint.name limit=$input', async ({ endpoint, input, expected }) => {
    const raw = input === 'max+1' ? String(endpoint.range.max + 1) : input;
    const outcome = expected(endpoint.range);
    const res = await api(endpoint.path(raw), keys.acme);
    const body = (await res.json()) as Record<string, unknown>;
    if (typeof outcome === 'number') {
      expect(res.status, JSON.stringify(body)).toBe(200);
      const items = endpoint.items(body);
      if (items) expect(items).toHaveLength(Math.min(outcome, events));
      return;
    }
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (outcome === 'invalid') {
      expect(body).toMatchObject({ type: expect.stringMatching(/invalid-parameter$/) });
      expect(body['detail']).toContain(`limit must be a whole number from 1 to ${endpoint.range.max}`);
    } else {
      expect(body).toMatchObject({
        type: expect.stringMatching(/limit-exceeded$/),
        limit: endpoint.limitName,
        maximum: endpoint.range.max,
      });
      expect(body['detail']).toContain(`limit is at most ${endpoint.range.max}`);
    }
  });
});
