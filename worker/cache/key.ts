import type { Caller } from '../tenants/tenants.ts';
import type { Query } from '../query/model.ts';
import { sha256Hex } from '../encoding/sha256.ts';
import { normalForm } from '../query/normalize.ts';

/**
 * The cache key of a result. The tenant, its data version and the caller's plan are part
 * of the key, so no tenant can be served another's rows and a purge (version bump) makes
 * every old entry unreachable at once. The rest is the query's normal form, so parameter
 * order, defaults and spelling do not create new entries.
 */
export async function resultCacheKey(caller: Caller, query: Query, origin: string): Promise<string> {
  const { tenant, plan } = caller;
  const meaning = [
    origin,
    normalForm(query),
    query.format,
    query.limit,
    query.limitDefaulted,
    JSON.stringify(query.after),
    query.afterTies ?? 0,
    // Last and only when asked for, so every key cached before the option stays the same.
    ...(query.dates === 'iso' ? [] : [`dates=${query.dates}`]),
  ].join('\n');
  return `https://cache.activconnect-bridge.internal/rows/${tenant.id}/${tenant.dataVersion}/${plan}/${await sha256Hex(meaning)}`;
}
