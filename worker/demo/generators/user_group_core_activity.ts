/** user_group_core_activity: the activity categories each team counts as core work. */
import { userGroupCoreActivity } from '../../../shared/views/user_group_core_activity.ts';
import { CATEGORIES, type Category } from './catalog.ts';
import { viewTable } from './table.ts';
import type { World } from './world.ts';

interface CoreRow {
  readonly world: World;
  readonly rowId: number;
  readonly groupId: number;
  readonly category: Category;
}

export const userGroupCoreActivityTable = viewTable(
  userGroupCoreActivity,
  function* (world: World): Generator<CoreRow> {
    let rowId = 0;
    for (const group of world.groups) {
      for (const category of group.core?.categories ?? []) yield { world, rowId: ++rowId, groupId: group.id, category };
    }
  },
  {
    account_id: (r) => r.world.accountId,
    activity_id: (r) => CATEGORIES[r.category],
    group_id: (r) => r.groupId,
    row_id: (r) => r.rowId,
  },
);
