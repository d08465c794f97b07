/** premium_user_groups: each user's team (their primary group) and location group. */
import { premiumUserGroups } from '../../../shared/views/premium_user_groups.ts';
import type { GroupDef } from './catalog.ts';
import { viewTable } from './table.ts';
import type { DemoUser, World } from './world.ts';

interface MembershipRow {
  readonly world: World;
  readonly user: DemoUser;
  readonly group: GroupDef;
}

export const premiumUserGroupsTable = viewTable(
  premiumUserGroups,
  function* (world: World): Generator<MembershipRow> {
    for (const user of world.users) {
      yield { world, user, group: user.group };
      yield { world, user, group: user.locationGroup };
    }
  },
  {
    account_id: (r) => r.world.accountId,
    group_id: (r) => r.group.id,
    group_name: (r) => r.group.name,
    is_primary_group: (r) => r.group === r.user.group,
    system_user_name: (r) => r.user.agents[0]!.userName,
    type: (r) => r.group.source,
    user_alias: (r) => r.user.alias,
    user_id: (r) => r.user.uid,
    user_name: (r) => r.user.reportName,
  },
);
