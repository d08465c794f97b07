import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import type { Tenant } from '../tenants/tenants.ts';
import { D1Warehouse } from './d1/warehouse.ts';
import type { Warehouse } from './types.ts';

/** The warehouse holding this tenant's data. Chosen from the tenant record, never the request. */
export function warehouseFor(env: Env, tenant: Tenant): Warehouse {
  if (tenant.warehouse === 'd1') return new D1Warehouse(env.DB, tenant.dataset);
  throw new ApiError(503, 'warehouse-unavailable', 'This account is configured for BigQuery, which this server is not set up for yet.');
}
