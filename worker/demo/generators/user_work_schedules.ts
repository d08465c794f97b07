/** user_work_schedules: one row per user and scheduled weekday (the REPEATED work_schedule record flattened). */
import { userWorkSchedules } from '../../../shared/views/user_work_schedules.ts';
import { formatTime } from './calendar.ts';
import { SCHEDULE_DAYS } from './catalog.ts';
import { viewTable } from './table.ts';
import type { DemoUser, World } from './world.ts';

interface ScheduleRow {
  readonly user: DemoUser;
  readonly day: string;
}

export const userWorkSchedulesTable = viewTable(
  userWorkSchedules,
  function* (world: World): Generator<ScheduleRow> {
    for (const user of world.users) for (const day of SCHEDULE_DAYS) yield { user, day };
  },
  {
    break_time_minutes: (r) => r.user.schedule.breakMinutes,
    schedule_name: (r) => r.user.schedule.name,
    schedule_type: (r) => r.user.schedule.type,
    uid: (r) => r.user.uid,
    user_name: (r) => r.user.reportName,
    'work_schedule.day_of_week': (r) => r.day,
    // Flexible schedules have no fixed start or end.
    'work_schedule.start_time': (r) => (r.user.schedule.start === null ? null : formatTime(r.user.schedule.start)),
    'work_schedule.end_time': (r) => (r.user.schedule.end === null ? null : formatTime(r.user.schedule.end)),
  },
);
