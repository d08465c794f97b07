/** premium_computer_groups: each managed computer's device groups. */
import { premiumComputerGroups } from '../../../shared/views/premium_computer_groups.ts';
import { COMPUTER_GROUPS } from './catalog.ts';
import { etlTimes, type EtlTimes } from './etl.ts';
import { viewTable } from './table.ts';
import type { Computer, World } from './world.ts';

interface ComputerGroupRow {
  readonly world: World;
  readonly rowId: number;
  readonly computer: Computer;
  readonly group: { readonly id: number; readonly name: string };
  readonly etl: EtlTimes;
}

const GROUPS_BY_ID = new Map<number, { id: number; name: string }>(Object.values(COMPUTER_GROUPS).map((g) => [g.id, g]));

export const premiumComputerGroupsTable = viewTable(
  premiumComputerGroups,
  function* (world: World): Generator<ComputerGroupRow> {
    let rowId = 0;
    for (const computer of world.computers) {
      for (const groupId of computer.groupIds) {
        rowId++;
        const insertedDay = world.firstDay - 30 - (computer.id % 300);
        yield {
          world,
          rowId,
          computer,
          group: GROUPS_BY_ID.get(groupId)!,
          etl: etlTimes(world, insertedDay, 'premium_computer_groups', rowId),
        };
      }
    }
  },
  {
    row_id: (r) => r.rowId,
    account_id: (r) => r.world.accountId,
    computer_id: (r) => r.computer.id,
    group_id: (r) => r.group.id,
    group_name: (r) => r.group.name,
    computer_name: (r) => r.computer.name,
    computer_alias: (r) => r.computer.alias,
    etl_insert_datetime: (r) => r.etl.inserted,
    etl_last_update_datetime: (r) => r.etl.updated,
  },
);
