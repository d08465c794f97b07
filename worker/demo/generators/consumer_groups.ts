/** consumer_groups: the groups each app user may view (admins and configurators see all). */
import { consumerGroups } from '../../../shared/views/consumer_groups.ts';
import { etlTimes, type EtlTimes } from './etl.ts';
import { viewTable } from './table.ts';
import type { Consumer, World } from './world.ts';

interface ConsumerGroupRow {
  readonly world: World;
  readonly rowId: number;
  readonly consumer: Consumer;
  readonly groupId: number;
  readonly etl: EtlTimes;
}

export const consumerGroupsTable = viewTable(
  consumerGroups,
  function* (world: World): Generator<ConsumerGroupRow> {
    let rowId = 0;
    for (const consumer of world.consumers) {
      for (const groupId of consumer.groupIds) {
        rowId++;
        yield {
          world,
          rowId,
          consumer,
          groupId,
          etl: etlTimes(world, consumer.insertedDay, 'consumer_groups', rowId),
        };
      }
    }
  },
  {
    row_id: (r) => r.rowId,
    account_id: (r) => r.world.accountId,
    activtrak_id: (r) => r.consumer.activtrakId,
    group_id: (r) => r.groupId,
    etl_insert_datetime: (r) => r.etl.inserted,
    etl_last_update_datetime: (r) => r.etl.updated,
  },
);
