import type { Warehouse } from '../warehouse/types.ts';

/** Every warehouse kind, for the document's enum; `satisfies` keeps the list complete. */
const KINDS = { d1: true, bigquery: true } as const satisfies Record<Warehouse['kind'], true>;
export const WAREHOUSE_KINDS = Object.keys(KINDS) as Warehouse['kind'][];

/**
 * The answer to `dry_run=true`: the query was checked, not run. The OpenAPI DryRun schema is
 * checked against its keys.
 * @example dryRunBody('events', 'bigquery', 1_048_576)
 */
export function dryRunBody(view: string, warehouse: Warehouse['kind'], bytesProcessed: number | null) {
  return { view, dry_run: true as const, warehouse, bytes_processed: bytesProcessed };
}
