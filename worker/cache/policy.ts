import type { Freshness } from '../../shared/types.ts';

/** How long past freshness a copy may still be served when the warehouse is failing. */
export const STALE_IF_ERROR_SECONDS = 7 * 24 * 3600;

export type Age = 'fresh' | 'stale' | 'expired';

/**
 * Where an entry stands: fresh (serve), stale (serve and refresh in the background) or
 * expired (ask the warehouse; serve the old copy only if the warehouse fails).
 */
export function ageOf(storedAt: number, now: number, freshness: Freshness): Age {
  const age = (now - storedAt) / 1000;
  if (age < freshness.maxAgeSeconds) return 'fresh';
  if (age < freshness.maxAgeSeconds + freshness.staleSeconds) return 'stale';
  return 'expired';
}

/** What we tell clients: private (results belong to one key's tenant), with the truth about staleness. */
export function cacheControl(storedAt: number, now: number, freshness: Freshness): string {
  const age = Math.max(0, Math.floor((now - storedAt) / 1000));
  const remaining = Math.max(0, freshness.maxAgeSeconds - age);
  return `private, max-age=${remaining}, stale-while-revalidate=${freshness.staleSeconds}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
}
