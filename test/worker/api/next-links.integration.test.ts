// A next link is written by the server, so a first page the API answered must never
// come with a next link the API refuses (limits on order terms and on URL length).
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { api, seedTinyDemo } from '../support/demo.ts';
import { getRows, pathOf, qs, rowsPath, walkPages, type Keys } from './support/contract.ts';

let keys: Keys;
beforeAll(async () => {
  keys = await seedTinyDemo();
});

describe('next links stay within the limits the API enforces', () => {
  it('a caller order that, with the row key appended, has more than maxOrderTerms terms still pages', async () => {
    // daily_application_summary has a five-column row key: six terms of the caller's plus the
    // row key is eleven, over the ten order= takes.
    const order = 'day_type,day_of_week,category,productivity,activity_week,duration_seconds';
    const path = rowsPath('daily_application_summary', qs({ select: 'user_id,local_date', order, limit: 7 }));
    const first = await getRows(path, keys.acme);
    expect(first.next).not.toBeNull();
    const next = await api(pathOf(first.next!), keys.acme);
    expect(next.status, await next.clone().text()).toBe(200);
    const all = await getRows(rowsPath('daily_application_summary', qs({ select: 'user_id,local_date', order, limit: 10_000 })), keys.acme);
    expect((await walkPages(path, keys.acme)).rows).toEqual(all.rows);
  });

  it('group_by with maxOrderTerms aggregate terms pages too (the group_by columns are the tie-breakers)', async () => {
    const aggregates = ['count()', 'sum(duration_seconds)', 'min(duration_seconds)', 'max(duration_seconds)', 'avg(duration_seconds)'];
    const path = rowsPath(
      'daily_application_summary',
      qs({
        group_by: 'user_id,activity_type,productivity,day_type,day_of_week,category',
        select: `user_id,activity_type,productivity,day_type,day_of_week,category,${aggregates.join(',')}`,
        order: 'count.desc,sum_duration_seconds.desc,min_duration_seconds,max_duration_seconds,avg_duration_seconds,category',
        limit: 5,
      }),
    );
    const first = await getRows(path, keys.acme);
    expect(first.next).not.toBeNull();
    const next = await api(pathOf(first.next!), keys.acme);
    expect(next.status, await next.clone().text()).toBe(200);
  });

  it(`a GET within maxUrlLength (${LIMITS.maxUrlLength}) without select gets a next link within it too`, async () => {
    // A long in.() list, as a spreadsheet filter on many ids makes, and no select: the link
    // must not spell out every column the default select means.
    const ids = [210001, 210002, ...Array.from({ length: LIMITS.maxInValues - 2 }, (_, i) => 1_000_000_000_000 + i)];
    const path = rowsPath('events', `user_id=in.(${ids.join(',')})&limit=1`);
    expect(`http://bridge.test${path}`.length).toBeLessThan(LIMITS.maxUrlLength - 1000);
    const first = await getRows(path, keys.acme);
    expect(first.next).not.toBeNull();
    expect(first.next!.length).toBeLessThanOrEqual(LIMITS.maxUrlLength);
    const next = await api(pathOf(first.next!), keys.acme);
    expect(next.status).toBe(200);
  });
});
