/**
 * Rate-limit tiers: what an account may send per key, and how many whole-view exports it may
 * run at once. A Workers Rate Limiting binding has one fixed limit and period per namespace
 * (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/), so each
 * limited tier is its own `[[ratelimits]]` binding in wrangler.toml, and an account chooses a
 * tier (tenants.rate_tier) rather than a number. Adding a tier is a binding there and a line
 * here; test/node/scripts/admin-rate-tiers.unit.test.ts holds the two to the same numbers.
 */
export interface RateTier {
  /** The wrangler.toml binding that counts this tier's requests; null: not counted. */
  readonly binding: 'RATE_LIMIT_RESTRICTED' | 'RATE_LIMIT_STANDARD' | 'RATE_LIMIT_HIGH' | null;
  /** Requests per key per period, as configured on the binding (per Cloudflare location). */
  readonly limit: number | null;
  /** Seconds; the binding allows only 10 or 60. */
  readonly period: 10 | 60;
  /** Whole-view csv/ndjson exports an account may have running at once, across isolates. */
  readonly concurrentExports: number;
  readonly help: string;
}

export const RATE_TIERS = {
  restricted: {
    binding: 'RATE_LIMIT_RESTRICTED',
    limit: 60,
    period: 60,
    concurrentExports: 1,
    help: 'trials and accounts under review',
  },
  standard: {
    binding: 'RATE_LIMIT_STANDARD',
    limit: 600,
    period: 60,
    concurrentExports: 2,
    help: 'every account unless chosen otherwise',
  },
  high: { binding: 'RATE_LIMIT_HIGH', limit: 3000, period: 60, concurrentExports: 4, help: 'large accounts with many sheets' },
  unmetered: {
    binding: null,
    limit: null,
    period: 60,
    concurrentExports: 8,
    help: 'no request limit: the demo accounts, which the benchmarks drive at full speed',
  },
} as const satisfies Record<string, RateTier>;

export type RateTierName = keyof typeof RATE_TIERS;
export const RATE_TIER_NAMES = Object.keys(RATE_TIERS) as RateTierName[];
export const DEFAULT_RATE_TIER: RateTierName = 'standard';

export function isRateTier(value: unknown): value is RateTierName {
  return typeof value === 'string' && Object.hasOwn(RATE_TIERS, value);
}

/**
 * The demo accounts' tier. The benchmarks and the reliability load drive the demo keys at
 * thousands of requests a minute, which any real tier would refuse; to try the limits on the
 * demo, move an account with `npm run admin -- tenant update acme --rate-tier restricted`.
 */
export const DEMO_RATE_TIER: RateTierName = 'unmetered';
