// A whole-view export stops at LIMITS.maxExportRows. Cut there with rows left over, it
// must not end like a complete file. The cap is 5,000,000 rows, so the export here is given a
// cap of 3 over the tiny demo instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../../shared/views/index.ts';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { parseQuery } from '../../../worker/query/parse.ts';
import { streamExport } from '../../../worker/rows/answer.ts';
import { D1Warehouse } from '../../../worker/warehouse/d1/warehouse.ts';
import { type Keys } from './support/contract.ts';
import { api, seedTinyDemo, testEnv } from '../support/demo.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

const csvExport = (limitDefaulted: boolean) => {
  const { query } = parseQuery(new URLSearchParams('select=user_id,utc_timestamp&format=csv'), {
    view: VIEWS.events,
    plan: 'professional',
  });
  expect(query.limitDefaulted).toBe(true);
  expect(query.limit).toBe(LIMITS.maxExportRows);
  const pending: Promise<unknown>[] = [];
  const response = streamExport(new D1Warehouse(testEnv.DB, 'acme'), { ...query, limit: 3, limitDefaulted }, (p) => pending.push(p));
  return { response, pending };
};

describe('an export cut off at the row cap', () => {
  it('fails the transfer when rows are left over, so no client mistakes it for the whole view', async () => {
    const { response } = csvExport(true);
    const res = await response;
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('ends cleanly when the caller asked for that many rows', async () => {
    const { response } = csvExport(false);
    const text = await (await response).text();
    expect(text.trimEnd().split('\r\n')).toHaveLength(4); // header and 3 rows
  });
});

describe('blank parameters, as form tools send empty fields', () => {
  it('a blank cursor is the first page', async () => {
    const res = await api('/v1/views/events/rows?select=user_id&limit=2&cursor=', keys.acme);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it('a blank format is json and a blank limit is the default page', async () => {
    const res = await api('/v1/views/events/rows?select=user_id&limit=&format=', keys.acme);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(2);
  });
});
