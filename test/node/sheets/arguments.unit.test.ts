import { describe, expect, it } from 'vitest';
import { DEFAULT_FUNCTION_ROWS, parseFilters, parseFunctionArguments } from '../../../apps-script/query/arguments.ts';

// What a sheet user types into =ACTIVTRAK(...) and the query it becomes.

const dateText = (d: Date) => d.toISOString().slice(0, 10);
const parse = (args: Parameters<typeof parseFunctionArguments>[0]) => parseFunctionArguments(args, dateText);

describe('=ACTIVTRAK arguments', () => {
  it('takes columns as a range of names, a comma list, or with aggregates', () => {
    expect(parse({ view: 'events', columns: [['user_name'], ['local_date'], ['']] }).spec.select).toEqual(['user_name', 'local_date']);
    expect(parse({ view: 'events', columns: [['user_name', 'local_date']] }).spec.select).toEqual(['user_name', 'local_date']);
    expect(parse({ view: 'events', columns: ' user_name , count(), sum(duration_sec)' }).spec.select).toEqual([
      'user_name',
      'count()',
      'sum(duration_sec)',
    ]);
    expect(parse({ view: 'events', columns: '' }).spec.select).toBeUndefined();
    expect(parse({ view: 'events', columns: '*' }).spec.select).toBeUndefined();
  });

  it('takes dates as date cells, date serial numbers or text', () => {
    expect(parse({ view: 'events', from: new Date(Date.UTC(2026, 8, 1)), to: '2026-09-30 ' }).spec).toMatchObject({
      from: '2026-09-01',
      to: '2026-09-30',
    });
    expect(parse({ view: 'events', from: 46266 }).spec.from).toBe('2026-09-01');
    expect(parse({ view: 'events', from: [[new Date(Date.UTC(2026, 8, 2))]] }).spec.from).toBe('2026-09-02');
    // Text is passed on as typed: the API says what is wrong with it, in the same words everywhere.
    expect(parse({ view: 'events', from: 'yesterday' }).spec.from).toBe('yesterday');
    expect(() => parse({ view: 'events', from: true })).toThrow('from must be a date, like a date cell or "2026-09-01".');
  });

  it('takes filters as column=op.value cells, two-column ranges, lists and comparisons', () => {
    expect(parseFilters('productivity=eq.Productive, user_id=in.(1,2,3)')).toEqual({
      productivity: ['eq.Productive'],
      user_id: ['in.(1,2,3)'],
    });
    expect(parseFilters([['productivity', 'Productive'], ['duration_sec>=60'], ['duration_sec<3600']])).toEqual({
      productivity: ['eq.Productive'],
      duration_sec: ['gte.60', 'lt.3600'],
    });
    expect(parseFilters('titlebar=like.*Budget, Q3*\nuser_name!=Ana')).toEqual({ titlebar: ['like.*Budget, Q3*'], user_name: ['neq.Ana'] });
    expect(parseFilters('site=is.null; local_date<>2026-09-01')).toEqual({ site: ['is.null'], local_date: ['neq.2026-09-01'] });
    expect(() => parseFilters('productivity')).toThrow("Filter 'productivity' needs the form column=op.value");
  });

  it('takes options, and a limit under the default cap is exactly what is asked', () => {
    expect(parse({ view: 'events', options: 'limit=500, order=local_date.desc,user_name, header=false' })).toEqual({
      spec: { view: 'events', order: 'local_date.desc,user_name', limit: 500 },
      header: false,
      limitGiven: true,
    });
    expect(parse({ view: 'events', options: [['group_by', 'user_name']] }).spec).toEqual({
      view: 'events',
      groupBy: 'user_name',
      limit: DEFAULT_FUNCTION_ROWS,
    });
    expect(() => parse({ view: 'events', options: 'limit=0' })).toThrow('limit must be a whole number from 1 to 50000');
    expect(() => parse({ view: 'events', options: 'limit=999999' })).toThrow(/for more rows use ActivTrak > Insert a view/);
  });

  it('asks for a view by name', () => {
    expect(() => parse({ view: '' })).toThrow('Name a view as the first argument, like =ACTIVTRAK("daily_user_summary").');
    expect(() => parse({ view: '../../admin' })).toThrow("'../../admin' is not a view name.");
    expect(parse({ view: [['daily_user_summary']] }).spec.view).toBe('daily_user_summary');
  });
});
