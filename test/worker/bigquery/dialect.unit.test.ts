import { describe, expect, it } from 'vitest';
import { compileSelect } from '../../../worker/query/sql.ts';
import { bigQueryDialect, bigQuerySource, toQueryParameter } from '../../../worker/warehouse/bigquery/dialect.ts';
import { queryFor } from '../../support/bigquery/harness.ts';

const SOURCE = bigQuerySource('acme-analytics', 'acme');
const compile = (view: string, params: Record<string, string> | [string, string][] = {}, limit = 11) =>
  compileSelect({ ...queryFor(view, params) }, bigQueryDialect, SOURCE, limit);

describe('FROM and column references', () => {
  it('reads the tenant view by its full backticked path', () => {
    const { sql } = compile('daily_group_benchmarks', { select: 'activity_date' });
    expect(sql).toContain('FROM `acme-analytics.acme.daily_group_benchmarks` AS t');
    expect(sql).toContain('t.`activity_date` AS c0');
  });

  it('flattens a REPEATED record with LEFT JOIN UNNEST and reads its fields through the alias', () => {
    const { sql } = compile('users', { select: 'uid,agents.agent_id' });
    expect(sql).toContain('FROM `acme-analytics.acme.users` AS t LEFT JOIN UNNEST(t.`agents`) AS `agents`');
    expect(sql).toContain('`agents`.`agent_id` AS c1');
    // rowKey tie-breakers order by the element too, so paging is stable per agent.
    expect(sql).toMatch(/ORDER BY .*`agents`\.`agent_id` ASC NULLS FIRST/);
  });

  it('unnests user_work_schedules.work_schedule the same way', () => {
    const { sql } = compile('user_work_schedules', { select: 'uid,work_schedule.start_time' });
    expect(sql).toContain('LEFT JOIN UNNEST(t.`work_schedule`) AS `work_schedule`');
    expect(sql).toContain('`work_schedule`.`start_time` AS c1');
  });

  it('refuses a project or dataset that is not an identifier, so the config cannot inject SQL', () => {
    expect(() => bigQuerySource('acme`; DROP', 'acme')).toThrow(/invalid BigQuery project/);
    expect(() => bigQuerySource('acme-analytics', 'acme.x')).toThrow(/invalid BigQuery dataset/);
    expect(() => bigQuerySource('ab', 'acme')).toThrow(/invalid BigQuery project/);
    expect(bigQuerySource('example.com:acme-analytics', 'acme')).toBe('example.com:acme-analytics.acme');
  });
});

describe('values are named, typed parameters and never SQL text', () => {
  const secret = "O'Brien\\` OR 1=1 --";

  it('binds every filter operator as @pN', () => {
    const { sql, params } = compile('users', [
      ['display_name', `eq.${secret}`],
      ['uid', 'gt.9007199254740993'],
      ['tracked', 'is.true'],
      ['emails', 'like.*@example.com'],
      ['employee_ids', 'ilike.E*'],
      ['agents.agent_id', 'in.(1,2,3)'],
      ['device_logins', 'is.null'],
      ['agents.logon_name', 'not.lte.m'],
    ]);
    expect(sql).not.toContain("O'Brien");
    expect(sql).not.toContain('9007199254740993');
    expect(sql).not.toContain('example.com');
    expect(sql).toContain('(t.`display_name` = @p0)');
    expect(sql).toContain('(t.`uid` > @p1)');
    expect(sql).toContain('((t.`tracked` IS NOT NULL AND t.`tracked` = @p2))');
    expect(sql).toContain('(t.`emails` LIKE @p3)');
    expect(sql).toContain('(LOWER(t.`employee_ids`) LIKE LOWER(@p4))');
    // A whole in-list is one STRING parameter holding a JSON array, cast back to the column's type.
    expect(sql).toContain('(`agents`.`agent_id` IN (SELECT CAST(v AS INT64) FROM UNNEST(JSON_VALUE_ARRAY(@p5)) AS v))');
    expect(sql).toContain('(t.`device_logins` IS NULL)');
    expect(sql).toContain('NOT (`agents`.`logon_name` <= @p6)');
    expect(sql).toMatch(/LIMIT @p7$/);
    expect(params.map((p) => p.type)).toEqual(['STRING', 'INT64', 'BOOL', 'STRING', 'STRING', 'STRING', 'STRING', 'INT64']);
    expect(params.map(toQueryParameter).map((p) => p.parameterValue.value)).toEqual([
      secret,
      '9007199254740993',
      'true',
      '%@example.com',
      'E%',
      '["1","2","3"]',
      'm',
      '11',
    ]);
  });

  it('a STRING in-list needs no cast; other types write each value as its parameter text', () => {
    const strings = compile('users', [['display_name', 'in.(a,b)']]);
    expect(strings.sql).toContain('(t.`display_name` IN UNNEST(JSON_VALUE_ARRAY(@p0)))');
    const times = compile('events', [['utc_timestamp', 'in.(2026-11-20T00:00:00Z)']]);
    expect(times.sql).toContain('IN (SELECT CAST(v AS TIMESTAMP) FROM UNNEST(JSON_VALUE_ARRAY(@p0)) AS v)');
    expect(toQueryParameter(times.params[0]!, 0).parameterValue.value).toBe('["2026-11-20 00:00:00+00:00"]');
  });

  it('writes TIMESTAMP parameters with an explicit offset and keeps DATETIME and DATE as given', () => {
    expect(toQueryParameter({ value: '2026-11-20T00:00:00Z', type: 'TIMESTAMP' }, 0)).toEqual({
      name: 'p0',
      parameterType: { type: 'TIMESTAMP' },
      parameterValue: { value: '2026-11-20 00:00:00+00:00' },
    });
    expect(toQueryParameter({ value: '2026-11-20T08:00:00', type: 'DATETIME' }, 1).parameterValue.value).toBe('2026-11-20T08:00:00');
    expect(toQueryParameter({ value: 2.5, type: 'FLOAT64' }, 2).parameterValue.value).toBe('2.5');
    expect(toQueryParameter({ value: false, type: 'BOOL' }, 3).parameterValue.value).toBe('false');
  });

  it('closes an unpaired trailing backslash in a LIKE pattern rather than sending a query BigQuery rejects', () => {
    const { params } = compile('users', { display_name: 'like.abc\\' });
    expect(params[0]!.value).toBe('abc\\\\');
  });

  it('turns from/to on a DATETIME date column into a half-open range of typed parameters', () => {
    const { sql, params } = compile('hourly_offline_meeting_summary', { from: '2026-11-01', to: '2026-11-20' });
    expect(sql).not.toContain('2026-11');
    expect(sql).toContain('(t.`start_time` >= @p0) AND (t.`start_time` < @p1)');
    expect(
      params
        .slice(0, 2)
        .map(toQueryParameter)
        .map((p) => [p.parameterType.type, p.parameterValue.value]),
    ).toEqual([
      ['DATETIME', '2026-11-01T00:00:00'],
      ['DATETIME', '2026-11-21T00:00:00'],
    ]);
  });
});

describe('ordering, keyset and grouping', () => {
  it('orders with explicit NULL placement and adds the row key as tie-breaker', () => {
    const { sql } = compile('users', { select: 'display_name', order: 'display_name.desc' });
    expect(sql).toContain('ORDER BY t.`display_name` DESC NULLS LAST, t.`uid` ASC NULLS FIRST, `agents`.`agent_id` ASC NULLS FIRST');
  });

  it('continues after a keyset position with one parameter per key value, reused, NULLs included', () => {
    const query = { ...queryFor('users', { order: 'display_name.desc' }), after: ['Ada', '7', null] };
    const { sql, params } = compileSelect(query, bigQueryDialect, SOURCE, 11);
    expect(sql).toContain('(t.`display_name` < @p0 OR t.`display_name` IS NULL)');
    expect(sql).toContain('t.`display_name` = @p0 AND t.`uid` > @p1');
    expect(sql).toContain('t.`display_name` = @p0 AND t.`uid` = @p1 AND `agents`.`agent_id` IS NOT NULL');
    expect(params.slice(0, 2).map((p) => p.value)).toEqual(['Ada', '7']);
    // The NULL position is compared with IS NOT NULL, never bound; then only the limit.
    expect(params).toHaveLength(3);
  });

  it('groups with every aggregate and pages on an aggregate in HAVING', () => {
    const query = {
      ...queryFor('daily_user_summary', {
        select:
          'user_name,count(),sum(productive_active_duration_seconds),avg(productive_active_duration_seconds),min(local_date),max(local_date)',
        group_by: 'user_name',
        order: 'count().desc',
      }),
      after: [12, 'ada'],
    };
    const { sql, params } = compileSelect(query, bigQueryDialect, SOURCE, 11);
    expect(sql).toContain(
      'SELECT t.`user_name` AS c0, COUNT(*) AS c1, SUM(t.`productive_active_duration_seconds`) AS c2, AVG(t.`productive_active_duration_seconds`) AS c3, MIN(t.`local_date`) AS c4, MAX(t.`local_date`) AS c5',
    );
    expect(sql).toContain('GROUP BY t.`user_name`');
    expect(sql).toContain('HAVING (((COUNT(*) < @p0 OR COUNT(*) IS NULL)) OR (COUNT(*) = @p0 AND t.`user_name` > @p1))');
    expect(params[0]).toEqual({ value: 12, type: 'FLOAT64' });
  });
});
