import { describe, expect, it } from 'vitest';
import { VIEW_CHECKS, checkAllViews } from '../../shared/checks.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEWS } from '../../shared/views/index.ts';

const { events, users, daily_user_summary: dailyUserSummary } = VIEWS;

/**
 * For every check, views that break its rule and a fragment of the problem it must report.
 * Typed by VIEW_CHECKS' keys, so a new check does not compile until it has a case here.
 */
const BROKEN: Record<keyof typeof VIEW_CHECKS, { views: ViewDef[]; expected: string }[]> = {
  uniqueViewNames: [{ views: [events, { ...users, name: 'events' }], expected: "view name 'events' is defined more than once" }],
  uniqueColumnNames: [
    { views: [{ ...events, columns: [...events.columns, events.columns[0]!] }], expected: "events: column 'accountid'" },
    {
      views: [
        {
          ...users,
          columns: [...users.columns, { name: 'agents.agent_id', type: 'INT64', minPlan: 'essentials', description: 'x' }],
        },
      ],
      expected: "users: leaf column 'agents.agent_id'",
    },
  ],
  rowKeyColumnsExist: [
    { views: [{ ...events, rowKey: ['user_id', 'usr_id'] }], expected: "events: rowKey column 'usr_id' is not a column" },
    { views: [{ ...events, rowKey: [] }], expected: 'events: rowKey is empty' },
    { views: [{ ...events, rowKey: ['user_id', 'user_id'] }], expected: "rowKey names 'user_id' more than once" },
  ],
  sharedKeysCoverEveryColumn: [
    {
      views: [{ ...events, rowKeyUnique: false }],
      expected: 'events: rowKey is not unique, so it must name every column; it leaves out accountid',
    },
    {
      views: [{ ...events, rowKeyUnique: false }],
      expected: 'events: rowKey is not unique, so it cannot have a changeColumn (trigger ids need unique keys)',
    },
  ],
  dateColumnIsDateTyped: [
    { views: [{ ...events, dateColumn: 'user_name' }], expected: "events: dateColumn 'user_name' is STRING" },
    { views: [{ ...events, dateColumn: 'local_time' }], expected: "events: dateColumn 'local_time' is TIME" },
    { views: [{ ...events, dateColumn: 'day' }], expected: "events: dateColumn 'day' is not a column" },
  ],
  changeColumnIsOrderable: [
    { views: [{ ...events, changeColumn: 'user_name' }], expected: "events: changeColumn 'user_name' is STRING" },
    { views: [{ ...events, changeColumn: 'updated_at' }], expected: "events: changeColumn 'updated_at' is not a column" },
  ],
  columnsAreDescribed: [
    { views: [{ ...events, description: ' ' }], expected: 'events: the view has no description' },
    {
      views: [{ ...events, columns: events.columns.map((c, i) => (i === 0 ? { ...c, description: '' } : c)) }],
      expected: "events: column 'accountid' has no description",
    },
    {
      views: [
        {
          ...users,
          columns: users.columns.map((c) =>
            c.type === 'RECORD' ? { ...c, fields: c.fields.map((f) => (f.name === 'logon_name' ? { ...f, description: '\n' } : f)) } : c,
          ),
        },
      ],
      expected: "users: column 'agents.logon_name' has no description",
    },
  ],
  freshnessIsPositive: [
    {
      views: [{ ...events, freshness: { ...events.freshness, maxAgeSeconds: 0 } }],
      expected: 'events: freshness.maxAgeSeconds is 0',
    },
    {
      views: [{ ...events, freshness: { ...events.freshness, staleSeconds: -1 } }],
      expected: 'events: freshness.staleSeconds is -1',
    },
    {
      views: [{ ...events, freshness: { ...events.freshness, staleSeconds: Number.POSITIVE_INFINITY } }],
      expected: 'events: freshness.staleSeconds is Infinity',
    },
  ],
  keyColumnsReadableWithTheView: [
    {
      // daily_user_summary is readable from Essentials; focused_duration_seconds needs Professional.
      views: [{ ...dailyUserSummary, rowKey: ['user_id', 'focused_duration_seconds'] }],
      expected: "daily_user_summary: key column 'focused_duration_seconds' needs professional, above the view's own minimum plan",
    },
  ],
  decisionsAreExplained: [
    {
      views: [{ ...events, decisions: { ...events.decisions, changeColumn: '' } }],
      expected: 'events: no reason given for changeColumn',
    },
    {
      views: [{ ...events, freshness: { ...events.freshness, why: ' ' } }],
      expected: 'events: no reason given for freshness.why',
    },
  ],
};

describe('checks over the view definitions', () => {
  it('find no problems in the definitions as written', () => {
    expect(checkAllViews()).toEqual([]);
  });

  describe.each(Object.entries(BROKEN))('%s', (name, cases) => {
    const check = VIEW_CHECKS[name as keyof typeof VIEW_CHECKS];

    it('passes every view as written', () => {
      expect(check(Object.values(VIEWS))).toEqual([]);
    });

    it.each(cases)('reports a broken copy: $expected', ({ views, expected }) => {
      const problems = check(views);
      expect(
        problems.some((problem) => problem.includes(expected)),
        problems.join('\n'),
      ).toBe(true);
    });

    it('is reported by checkAllViews under its name', () => {
      expect(checkAllViews(cases[0]!.views).some((problem) => problem.startsWith(`${name}: `))).toBe(true);
    });
  });
});
