import { env, exports } from 'cloudflare:workers';
import { seedDemo } from '../../../worker/demo/seed.ts';
import type { DemoTenantId } from '../../../worker/demo/tenants.ts';

/** The end date every test seeds with, so expectations do not move with the calendar. */
const TEST_END_DATE = '2026-11-20';
const TEST_SEED = 7;

export const testEnv = env as unknown as Cloudflare.Env & { DB: D1Database };

/**
 * Seeds the tiny demo warehouse (three tenants, one per plan) into this test file's
 * isolated storage and returns their API keys. Call once per file, in beforeAll.
 */
export async function seedTinyDemo(): Promise<Record<DemoTenantId, string>> {
  return seedDemo(testEnv.DB, { size: 'tiny', seed: TEST_SEED, endDate: TEST_END_DATE });
}

/** A request to the Worker's own fetch handler, as a client would send it. */
export function api(path: string, key?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
  return exports.default.fetch(new Request(`http://bridge.test${path}`, { ...init, headers }));
}

/** Rows read straight from a tenant's demo table: what the API must agree with. */
export async function direct<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> {
  const result = await testEnv.DB.prepare(sql)
    .bind(...params)
    .all<T>();
  return result.results;
}
