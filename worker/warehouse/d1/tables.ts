/**
 * Where a tenant's view lives in D1: one table per (dataset, view), like BigQuery's one
 * dataset per account. The production D1 warehouse and the demo loader both name tables here.
 */

/** A dataset is a tenant's namespace; the pattern keeps it a safe identifier fragment. */
const DATASET_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

function assertDataset(dataset: string): void {
  if (!DATASET_PATTERN.test(dataset)) {
    throw new Error(`invalid dataset name '${dataset}': use 1-31 lowercase letters, digits or '_', starting with a letter`);
  }
}

/**
 * The table holding one view for one tenant.
 * @example tableName('acme', 'events') // 'acme__events' (quote it with quoteIdent)
 */
export function tableName(dataset: string, viewName: string): string {
  assertDataset(dataset);
  return `${dataset}__${viewName}`;
}
