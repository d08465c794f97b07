/** consumers: the people who sign in to the ActivTrak app for this account, with their roles. */
import { consumers } from '../../../shared/views/consumers.ts';
import { etlTimes, type EtlTimes } from './etl.ts';
import { viewTable } from './table.ts';
import type { Consumer, World } from './world.ts';

interface ConsumerRow {
  readonly world: World;
  readonly rowId: number;
  readonly consumer: Consumer;
  readonly etl: EtlTimes;
}

export const consumersTable = viewTable(
  consumers,
  (world: World): ConsumerRow[] =>
    world.consumers.map((consumer, i) => ({
      world,
      rowId: i + 1,
      consumer,
      etl: etlTimes(world, consumer.insertedDay, 'consumers', i + 1),
    })),
  {
    row_id: (r) => r.rowId,
    account_id: (r) => r.world.accountId,
    activtrak_id: (r) => r.consumer.activtrakId,
    email: (r) => r.consumer.email,
    roles: (r) => r.consumer.role,
    etl_insert_datetime: (r) => r.etl.inserted,
    etl_last_update_datetime: (r) => r.etl.updated,
  },
);
