/**
 * ETL bookkeeping timestamps for the reference views. Inserts happen when the thing was
 * first seen (before the demo range); updates land inside the range, so the change
 * column moves forward with the data and incremental refreshes have something to find.
 */
import { Random } from '../random.ts';
import { formatUtc } from './calendar.ts';
import type { World } from './world.ts';

export interface EtlTimes {
  readonly inserted: string;
  readonly updated: string;
}

/** Deterministic per row: `parts` name the row (view and id). */
export function etlTimes(world: World, insertedDay: number, ...parts: readonly (string | number)[]): EtlTimes {
  const rng = new Random(world.seed, 'etl', ...parts);
  const insertedAt = rng.int(0, 86_399);
  // The nightly sync runs around 06:00 UTC.
  const updatedAt = 6 * 3600 + rng.int(0, 3599);
  const from = Math.max(insertedDay + 1, world.firstDay);
  const updatedDay = from > world.lastDay ? insertedDay : rng.int(from, world.lastDay);
  return {
    inserted: formatUtc(insertedDay, insertedAt, 0),
    updated: formatUtc(updatedDay, updatedDay === insertedDay ? Math.max(updatedAt, insertedAt) : updatedAt, 0),
  };
}
