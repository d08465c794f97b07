/**
 * The whole API over a BigQuery tenant, end to end: the Worker's own routes, auth, cache and
 * formats, with the global fetch pointed at the BigQuery stand-in (which stands in for
 * oauth2.googleapis.com and bigquery.googleapis.com, speaking their documented wire format)
 * over the same demo rows a D1 tenant reads. Every format must come out byte for byte the
 * same as from the D1 tenant.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../worker/app.ts';
import type { Env } from '../../../worker/env.ts';
import { createKey, run, upsertTenant } from '../../../worker/tenants/admin.ts';
import { d1Executor, BigQueryStandIn } from '../../support/bigquery/standin.ts';
import { createTestServiceAccount } from '../../support/bigquery/keys.ts';
import { seedStandInDemo } from '../../support/bigquery/harness.ts';
import { seedTinyDemo, TEST_END_DATE, TEST_SEED } from '../support/demo.ts';

const db = (env as unknown as Env).DB;
const app = createApp();
const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
let d1Key = '';
let bqKey = '';
let standIn: BigQueryStandIn;
let bqEnv: Env;

beforeAll(async () => {
  const keys = await seedTinyDemo();
  await seedStandInDemo('acme', { size: 'tiny', seed: TEST_SEED, endDate: TEST_END_DATE });
  d1Key = keys.acme;
  const account = await createTestServiceAccount('acb-standin');
  standIn = new BigQueryStandIn({
    db: d1Executor(db),
    project: 'acb-standin',
    clientEmail: account.clientEmail,
    publicKey: account.publicKey,
  });
  // The BigQuery tenant's dataset holds the same rows as the D1 tenant acme.
  const created = await createKey('bqacme', 'professional', 'test');
  await run(
    db,
    upsertTenant({ id: 'bqacme', name: 'BQ Acme', plan: 'professional', warehouse: 'bigquery', dataset: 'acme', bqProject: 'acb-standin' }),
    created.statement,
  );
  bqKey = created.key;
  bqEnv = { ...(env as unknown as Env), GOOGLE_SERVICE_ACCOUNT_JSON: account.json };
  vi.stubGlobal('fetch', standIn.fetch);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const get = (path: string, key: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { authorization: `Bearer ${key}`, ...headers } }, bqEnv, ctx);

/** Bodies without the next cursor, which is signed for the tenant and so differs by design. */
function comparable(text: string): string {
  return text.replace(/"next":("[^"]*"|null),"next_cursor":("[^"]*"|null)/, '');
}

const QUERIES = [
  '/v1/views/daily_user_summary/rows?select=user_id,local_date,productive_active_duration_seconds,user_productivity_goal&limit=20',
  '/v1/views/events/rows?select=user_id,utc_timestamp,titlebar,duration_sec,potential_file_transfer&order=utc_timestamp.desc&limit=15&format=values',
  '/v1/views/events/rows.csv?select=user_name,titlebar,search_term&titlebar=like.*Sheets*&limit=50',
  '/v1/views/users/rows?select=uid,agents.agent_id,agents.user_name,tracked&limit=30',
  '/v1/views/daily_user_summary/rows?group_by=user_id&select=user_id,sum(total_duration_seconds),avg(productive_active_duration_seconds),max(local_date),count()',
  '/v1/views/daily_application_summary/rows.ndjson?productivity=in.(Productive,Unproductive)&limit=25&order=duration_seconds.desc',
];

describe('a BigQuery tenant through the whole API', () => {
  for (const path of QUERIES) {
    it(`answers ${path.split('?')[0]} exactly as the D1 tenant over the same rows`, async () => {
      const [d1, bq] = await Promise.all([get(path, d1Key), get(path, bqKey)]);
      expect(bq.status).toBe(200);
      expect(d1.status).toBe(200);
      expect(bq.headers.get('content-type')).toBe(d1.headers.get('content-type'));
      expect(comparable(await bq.text())).toBe(comparable(await d1.text()));
    });
  }

  it('pages with the same rows on both warehouses', async () => {
    const walk = async (key: string) => {
      const rows: unknown[] = [];
      let path: string | null = '/v1/views/events/rows?select=user_id,computer_id,utc_timestamp&limit=40';
      while (path) {
        const body = (await (await get(path, key)).json()) as { rows: unknown[]; next: string | null };
        rows.push(...body.rows);
        path = body.next ? new URL(body.next).pathname + new URL(body.next).search : null;
      }
      return rows;
    };
    const [a, b] = await Promise.all([walk(d1Key), walk(bqKey)]);
    expect(b).toEqual(a);
    expect(a.length).toBeGreaterThan(40);
  });

  it('answers dry_run with the bytes BigQuery would scan', async () => {
    const res = await get('/v1/views/events/rows?select=user_id,titlebar&dry_run=1', bqKey);
    const body = (await res.json()) as { bytes_processed: number; warehouse: string };
    expect(body.warehouse).toBe('bigquery');
    expect(body.bytes_processed).toBeGreaterThan(0);
  });

  it('turns a BigQuery quota error on an uncached query into 429 problem+json without Google internals', async () => {
    standIn.inject({
      endpoint: 'query',
      status: 403,
      reason: 'quotaExceeded',
      message: 'Quota exceeded: secret internal detail',
      times: 5,
    });
    const res = await get('/v1/views/consumers/rows?select=email&limit=3', bqKey);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(/SELECT|FROM/);
    standIn.heal();
  });

  it('refuses a BigQuery tenant clearly when the server has no service account key', async () => {
    const res = await app.request(
      '/v1/views/events/rows?limit=1',
      { headers: { authorization: `Bearer ${bqKey}` } },
      env as unknown as Env,
      ctx,
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toContain('GOOGLE_SERVICE_ACCOUNT_JSON');
  });
});
