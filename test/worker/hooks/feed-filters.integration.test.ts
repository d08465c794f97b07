// Polling triggers and REST-hook subscriptions validate their filters like /rows, and
// keep working on every poll, not only the first.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { api, seedTinyDemo } from '../support/demo.ts';
import { removeAllHooks } from './helpers.ts';
import { expectProblem, type Keys } from '../api/support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});
afterEach(removeAllHooks);

const subscribe = (key: string, body: unknown) =>
  api('/v1/hooks', key, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('REST-hook filters', () => {
  it('refuses a filter on "__proto__" as an unknown column, as /rows does, instead of dropping it', async () => {
    const rows = await api('/v1/views/events/rows?__proto__=eq.1', keys.acme);
    await expectProblem(rows, 400, 'unknown-column');
    const res = await subscribe(keys.acme, {
      target_url: 'https://hooks.zapier.com/hooks/catch/1/x/',
      view: 'events',
      filters: JSON.parse('{"__proto__": "eq.1"}') as unknown,
    });
    await expectProblem(res, 400, 'unknown-column');
  });
});

describe('GET /changes', () => {
  it(`with ${LIMITS.maxFilters} filters answers the poll that passes since as well as the first one`, async () => {
    const filters = Array.from({ length: LIMITS.maxFilters }, (_, i) => `user_id=neq.${900000 + i}`).join('&');
    const first = await api(`/v1/views/daily_user_summary/changes?select=user_id&limit=5&${filters}`, keys.acme);
    expect(first.status).toBe(200);
    const { latest } = (await first.json()) as { latest: string };
    const again = await api(`/v1/views/daily_user_summary/changes?select=user_id&limit=5&since=${latest}&${filters}`, keys.acme);
    expect(again.status, await again.clone().text()).toBe(200);
  });
});
