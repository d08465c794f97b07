/**
 * The reliability run's warehouse: all three demo tenants (isolation needs data in each),
 * built once into .wrangler/reliability/ and reused, plus keys the bad-input corpus needs:
 * a revoked key and a key limited to a lower plan than its account's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDemoState, type DemoState } from '../../../scripts/lib/demo-state.ts';
import { ROOT } from '../../../scripts/lib/wrangler.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../../worker/demo/tenants.ts';
import { hashApiKey, keyPrefix } from '../../../worker/tenants/keys.ts';

const END_DATE = '2026-03-31';
const SEED = 42;

export interface ReliabilityState extends DemoState {
  /** A key of acme's, revoked. */
  readonly revokedKey: string;
  /** A key of acme's (professional) limited to essentials. */
  readonly essentialsKey: string;
  readonly accountIds: Record<DemoTenantId, number>;
}

function sqlite(file: string, sql: string): string {
  const r = spawnSync('/usr/bin/sqlite3', ['-cmd', '.timeout 10000', file, sql], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Builds (once) or reuses the state; `size` is the same for every tenant. Call with the worker stopped. */
export async function reliabilityState(size: 'tiny' | 'small', log: (m: string) => void): Promise<ReliabilityState> {
  const dir = join(ROOT, '.wrangler', 'reliability', size);
  const state = await ensureDemoState(dir, { sizes: { acme: size, globex: size, initech: size }, seed: SEED, endDate: END_DATE }, log);
  const revokedKey = 'acb_reliability_revoked_0000000000000001';
  const essentialsKey = 'acb_reliability_essentials_00000000000001';
  const rows: [string, string, string, string | null][] = [
    ['key_rel_revoked', revokedKey, 'professional', "'2026-01-01T00:00:00Z'"],
    ['key_rel_essentials', essentialsKey, 'essentials', null],
  ];
  for (const [id, key, plan, revoked] of rows) {
    sqlite(
      state.sqliteFile,
      `INSERT INTO api_keys (id, tenant_id, key_hash, prefix, label, plan, revoked_at) VALUES (${quote(id)}, 'acme', ${quote(await hashApiKey(key))}, ${quote(keyPrefix(key))}, 'reliability', ${quote(plan)}, ${revoked ?? 'NULL'})
       ON CONFLICT (key_hash) DO UPDATE SET plan = excluded.plan, revoked_at = excluded.revoked_at;`,
    );
  }
  // Hooks and cached results of an earlier run would make this run depend on it.
  sqlite(state.sqliteFile, 'DELETE FROM hook_deliveries; DELETE FROM hook_subscriptions;');
  const accountIds = Object.fromEntries(DEMO_TENANTS.map((t) => [t.id, t.accountId])) as Record<DemoTenantId, number>;
  return { ...state, revokedKey, essentialsKey, accountIds };
}

export { sqlite as sqliteQuery };
