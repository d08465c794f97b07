/**
 * group_goals: the core-activity target of each group with core categories, the core
 * share of its productive-hours goal. One row per group, as in BigQuery: the view has no
 * group column, so two groups with the same target are two identical rows.
 */
import { groupGoals } from '../../../shared/views/group_goals.ts';
import { viewTable } from './table.ts';
import type { World } from './world.ts';

export const groupGoalsTable = viewTable(
  groupGoals,
  (world: World): number[] => {
    const targets: number[] = [];
    for (const group of world.groups) {
      // Integer maths, then one division: 60% of 6.5 h is exactly 3.9, not 3.9000000000000004.
      if (group.core && group.productiveGoalTenths) targets.push((group.core.percent * group.productiveGoalTenths) / 1000);
    }
    return targets;
  },
  { core_activity_hrs_day: (hours) => hours },
);
