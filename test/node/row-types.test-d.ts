/**
 * Type-level contract of RowOf: the row a client receives is derived from the definition,
 * so a typo in a column name or a wrong JSON type is a compile error. A type test: nothing
 * here runs; `npm run typecheck` (part of `npm test`) fails on any case that does not hold.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { leafColumns } from '../../shared/columns.ts';
import type { ColumnNameOf, RowOf } from '../../shared/types.ts';
import { events } from '../../shared/views/events.ts';
import { getView } from '../../shared/views/index.ts';
import { userWorkSchedules } from '../../shared/views/user_work_schedules.ts';
import { users } from '../../shared/views/users.ts';

type EventRow = RowOf<typeof events>;
type UserRow = RowOf<typeof users>;

describe('RowOf derives the client row from a view definition', () => {
  it('types every column as its JSON type or null', () => {
    expectTypeOf<EventRow['user_id']>().toEqualTypeOf<number | null>();
    expectTypeOf<EventRow['user_name']>().toEqualTypeOf<string | null>();
    expectTypeOf<EventRow['potential_file_transfer']>().toEqualTypeOf<boolean | null>();
    expectTypeOf<EventRow['utc_timestamp']>().toEqualTypeOf<string | null>();
    expectTypeOf<EventRow['local_time']>().toEqualTypeOf<string | null>();
  });

  it('flattens nested records to dotted names', () => {
    expectTypeOf<UserRow>().toHaveProperty('agents.agent_id');
    expectTypeOf<UserRow['agents.agent_id']>().toEqualTypeOf<number | null>();
    expectTypeOf<RowOf<typeof userWorkSchedules>['work_schedule.start_time']>().toEqualTypeOf<string | null>();
    expectTypeOf<UserRow>().not.toHaveProperty('agents');
  });

  it('has no key for a column the view does not define', () => {
    expectTypeOf<EventRow>().not.toHaveProperty('no_such_column');
    expectTypeOf<EventRow>().not.toHaveProperty('uid');
    expectTypeOf<'uid'>().not.toExtend<ColumnNameOf<typeof events>>();
  });

  it('keeps literal column names through leafColumns and getView', () => {
    expectTypeOf(leafColumns(users)[0]!.name).toEqualTypeOf<ColumnNameOf<typeof users>>();
    expectTypeOf(getView('events')).toEqualTypeOf<typeof events>();
    expectTypeOf(getView('events').changeColumn).toEqualTypeOf<'utc_timestamp'>();
  });
});
