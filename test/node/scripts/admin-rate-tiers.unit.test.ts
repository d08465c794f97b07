// The rate tiers an admin can choose (worker/tenants/rate-tiers.ts) against the bindings that
// enforce them (wrangler.toml `[[ratelimits]]`), read the way wrangler reads its config: the
// 429 message, the README and `npm run admin -- --help` quote the numbers from the code, so
// they must be the numbers Cloudflare applies.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usage } from '../../../scripts/admin.ts';
import { ROOT } from '../../../scripts/lib/wrangler.ts';
import { RATE_TIERS, RATE_TIER_NAMES } from '../../../worker/tenants/rate-tiers.ts';

interface Binding {
  readonly name: string;
  readonly namespace_id: string;
  readonly simple: { readonly limit: number; readonly period: number };
}

describe('rate tiers and wrangler.toml', () => {
  it('gives every limited tier a [[ratelimits]] binding with the same limit and period, and binds nothing else', async () => {
    const { unstable_readConfig } = await import('wrangler');
    const config: { ratelimits: readonly Binding[] } = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
    const bound = Object.fromEntries(config.ratelimits.map((r) => [r.name, { limit: r.simple.limit, period: r.simple.period }]));
    const expected = Object.fromEntries(
      Object.values(RATE_TIERS).flatMap((tier) =>
        tier.binding === null ? [] : [[tier.binding, { limit: tier.limit, period: tier.period }]],
      ),
    );
    expect(bound).toEqual(expected);
    // Namespaces are account-wide counters: two bindings sharing one would count each other's requests.
    expect(new Set(config.ratelimits.map((r) => r.namespace_id)).size).toBe(config.ratelimits.length);
  });

  it('names every tier in the admin usage text', () => {
    for (const name of RATE_TIER_NAMES) expect(usage()).toContain(name);
  });
});
