import type { Env } from '../env.ts';
import type { Tenant } from '../tenants/tenants.ts';
import { bigQueryWarehouseFor } from './bigquery/warehouse.ts';
import { D1Warehouse } from './d1/warehouse.ts';
import type { Warehouse } from './types.ts';

/** The warehouse holding this tenant's data. Chosen from the tenant record, never the request. */
export function warehouseFor(env: Env, tenant: Tenant): Warehouse {
  if (tenant.warehouse === 'd1') return new D1Warehouse(env.DB, tenant.dataset);
  return bigQueryWarehouseFor(env, tenant);
}
