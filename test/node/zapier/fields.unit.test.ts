import { describe, expect, expectTypeOf, it } from 'vitest';
import { errors } from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { VIEWS } from '../../../shared/views/index.ts';
import { FILTER_OPS, filterSpec, NOT_COLUMNS, RESERVED_PARAMS } from '../../../shared/query-vocabulary.ts';
import type { FilterOp } from '../../../worker/query/model.ts';
import { addApiKey, apiBase, filtersFrom, selectFrom } from '../../../zapier/src/api.ts';
import { connectionLabel } from '../../../zapier/src/auth.ts';
import { outputKey, rowIdOf, zapierRow } from '../../../zapier/src/fields.ts';
import { clip, humanise } from '../../../zapier/src/naming.ts';
import { dayOf } from '../../../zapier/src/searches.ts';

/** Just what the helpers use of `z`: core's own error classes. */
const z = { errors } as unknown as ZObject;
const bundle = (authData: Record<string, string>, inputData: Record<string, unknown> = {}) =>
  ({ authData, inputData }) as unknown as Bundle;

describe('labels from names', () => {
  it('capitalises words, writes initialisms as such and keeps a record field under its record', () => {
    expect(humanise('productive_active_duration_seconds')).toBe('Productive Active Duration Seconds');
    expect(humanise('user_id')).toBe('User ID');
    expect(humanise('etl_last_update_datetime')).toBe('ETL Last Update Datetime');
    expect(humanise('agents.agent_id')).toBe('Agents: Agent ID');
    expect(humanise('daily_user_summary')).toBe('Daily User Summary');
  });

  it('clips long text at a word boundary and stays within the limit', () => {
    const text = 'word '.repeat(300);
    const clipped = clip(text, 1000);
    expect(clipped.length).toBeLessThanOrEqual(1000);
    expect(clipped.endsWith('word…')).toBe(true);
    expect(clip('short', 1000)).toBe('short');
  });
});

describe('rows for Zapier', () => {
  it('nests record fields under their record, the way Zapier maps agents__agent_id', () => {
    expect(zapierRow({ id: '1|7', uid: 1, 'agents.agent_id': 7, 'agents.user_name': 'noah' })).toEqual({
      id: '1|7',
      uid: 1,
      agents: { agent_id: 7, user_name: 'noah' },
    });
    expect(outputKey('agents.agent_id')).toBe('agents__agent_id');
  });

  it('builds the same row id as the bridge: key values in rowKey order, escaped, NULL as \\N', () => {
    expect(rowIdOf(VIEWS.daily_user_summary, { local_date: '2026-11-20', user_id: 210005 })).toBe('210005|2026-11-20');
    expect(rowIdOf(VIEWS.consumers, { row_id: 17 })).toBe('17');
    expect(rowIdOf(VIEWS.premium_user_groups, { group_id: 'a|b', user_id: null })).toBe('a\\|b|\\N');
    expect(rowIdOf(VIEWS.premium_user_groups, { group_id: 'c:\\x', user_id: 1 })).toBe('c:\\\\x|1');
    expect(rowIdOf(VIEWS.daily_user_summary, { user_id: 1 })).toBeUndefined();
  });
});

describe('filters', () => {
  it('reads a plain value as equality and passes a value with an operator as written', () => {
    expect(filterSpec('Productive')).toBe('eq.Productive');
    expect(filterSpec('gte.3600')).toBe('gte.3600');
    expect(filterSpec('in.(210001,210002)')).toBe('in.(210001,210002)');
    expect(filterSpec('not.is.null')).toBe('not.is.null');
    expect(filterSpec('ilike.*budget*')).toBe('ilike.*budget*');
    // An operator name without its dot is a value.
    expect(filterSpec('in')).toBe('eq.in');
    expect(filterSpec('equal.to')).toBe('eq.equal.to');
  });

  it('knows every operator the worker parses', () => {
    expectTypeOf<(typeof FILTER_OPS)[number]>().toEqualTypeOf<FilterOp>();
    expect([...FILTER_OPS].sort()).toEqual(['eq', 'gt', 'gte', 'ilike', 'in', 'is', 'like', 'lt', 'lte', 'neq']);
  });

  it('refuses a /rows or /changes parameter as a filter column, since it would change the request', () => {
    for (const param of RESERVED_PARAMS) expect(NOT_COLUMNS).toContain(param);
    expect(() => filtersFrom(z, { limit: '5' })).toThrow(/'limit' is a setting, not a column/);
    expect(filtersFrom(z, { productivity: 'Productive', duration_sec: 'gte.60', empty: '' })).toEqual({
      productivity: 'eq.Productive',
      duration_sec: 'gte.60',
    });
    expect(filtersFrom(z, undefined)).toEqual({});
  });

  it('takes columns as a list or as one comma-separated mapped value', () => {
    expect(selectFrom(['user_id', 'local_date'])).toEqual(['user_id', 'local_date']);
    expect(selectFrom('user_id, local_date')).toEqual(['user_id', 'local_date']);
    expect(selectFrom([])).toBeUndefined();
    expect(selectFrom(undefined)).toBeUndefined();
  });

  it('turns what Zapier makes of "yesterday" or a picked date into the day the API takes', () => {
    expect(dayOf('2026-11-19T00:00:00-05:00')).toBe('2026-11-19');
    expect(dayOf('2026-11-19')).toBe('2026-11-19');
    expect(dayOf('')).toBeUndefined();
  });
});

describe('the connection', () => {
  it('accepts a Bridge URL with a trailing slash or without a scheme', () => {
    expect(apiBase(bundle({ api_url: 'https://bridge.example.com/' }))).toBe('https://bridge.example.com');
    expect(apiBase(bundle({ api_url: ' bridge.example.com ' }))).toBe('https://bridge.example.com');
    expect(apiBase(bundle({ api_url: 'http://127.0.0.1:8787' }))).toBe('http://127.0.0.1:8787');
  });

  it('sends the key to the bridge and to no other host', async () => {
    const auth = bundle({ api_url: 'https://bridge.example.com', api_key: 'acb_k' });
    const sent = async (url: string) => (await addApiKey({ url, headers: { 'x-a': '1' } }, z, auth)).headers ?? {};
    expect(await sent('https://bridge.example.com/v1/views')).toEqual({
      'x-a': '1',
      accept: 'application/json, application/problem+json',
      authorization: 'Bearer acb_k',
    });
    expect(await sent('https://bridge.example.com.evil.example/v1/views')).not.toHaveProperty('authorization');
    expect(await sent('https://other.example/v1/views')).not.toHaveProperty('authorization');
  });

  it('labels a connection with its plan and bridge', async () => {
    expect(await connectionLabel(z, bundle({ api_url: 'https://bridge.example.com' }, { plan: 'essentials_plus' }))).toBe(
      'Essentials Plus plan, bridge.example.com',
    );
    expect(await connectionLabel(z, bundle({ api_url: 'https://bridge.example.com' }, {}))).toBe('ActivConnect, bridge.example.com');
  });
});
