import type { Env } from '../env.ts';
import { RATE_TIERS } from '../tenants/rate-tiers.ts';
import type { Caller } from '../tenants/tenants.ts';
import { ApiError } from './errors.ts';

/**
 * Per-key request limits through the Workers Rate Limiting binding
 * (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/). Its
 * `limit({ key })` answers only `{ success }` and counts per Cloudflare location, so the
 * limit is a ceiling per location, and the binding says nothing about when the window ends:
 * Retry-After is the tier's whole period, the longest a caller can have to wait.
 */
export interface RateLimitCharge {
  /** Tokens to take: 1 for a request, 1 more for a read that bypasses the cache. */
  readonly cost?: number;
  /** Words for the 429: what was counted. */
  readonly what?: string;
}

/** Takes `cost` tokens from the caller's key, or throws a 429 problem with Retry-After. */
export async function chargeKey(env: Env, caller: Caller, charge: RateLimitCharge = {}): Promise<void> {
  const tier = RATE_TIERS[caller.tenant.rateTier];
  if (tier.binding === null) return;
  const limiter = env[tier.binding];
  for (let i = 0; i < (charge.cost ?? 1); i++) {
    let success: boolean;
    try {
      ({ success } = await limiter.limit({ key: caller.keyId }));
    } catch (err) {
      // A limiter that cannot answer must not take the API down with it.
      console.warn('rate limiter unavailable; request let through', err instanceof Error ? err.message : err);
      return;
    }
    if (!success) {
      throw new ApiError(
        429,
        'rate-limited',
        `This API key sent more than ${tier.limit} requests in ${tier.period} seconds (the ${caller.tenant.rateTier} tier's limit)` +
          `${charge.what ? `; ${charge.what}` : ''}. Wait ${tier.period} seconds and try again, or ask your administrator for a higher tier.`,
        { limit: 'requestsPerKey', maximum: tier.limit, period_seconds: tier.period, rate_tier: caller.tenant.rateTier },
        { 'retry-after': String(tier.period) },
      );
    }
  }
}
