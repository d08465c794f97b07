// An account the admin command accepts must be one the API can serve.
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey, run, tenantProblems, upsertTenant, type TenantInput } from '../../../worker/tenants/admin.ts';
import { api, seedTinyDemo, testEnv } from '../support/demo.ts';

beforeAll(async () => {
  await seedTinyDemo();
});

describe('BigQuery accounts', () => {
  it.each(['ActivConnect_417001', 'activconnect_export_for_northwind_417001', '_activconnect'])(
    'with the valid BigQuery dataset id %s: the key authenticates and the catalog answers 200',
    async (dataset) => {
      const id = `bq${dataset.length}${dataset.charCodeAt(0)}`.toLowerCase();
      const tenant: TenantInput = {
        id,
        name: 'Northwind',
        plan: 'professional',
        warehouse: 'bigquery',
        dataset,
        bqProject: 'northwind-analytics',
      };
      expect(tenantProblems(tenant)).toEqual([]);
      const key = await createKey(id, 'professional', 'test');
      await run(testEnv.DB, upsertTenant(tenant), key.statement);
      const res = await api('/v1/views', key.key);
      expect(res.status, await res.clone().text()).toBe(200);
    },
  );
});
