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

/**
 * How old a stored answer the client accepts, from its request's `Cache-Control` (RFC 9111
 * section 5.2.1): `no-cache` (5.2.1.4) and `max-age=0` ask for a revalidated answer, so 0;
 * `max-age=N` accepts a copy up to N seconds old. With no Cache-Control, `Pragma: no-cache`
 * means `no-cache` (section 5.4). Undefined: the cache decides.
 */
export function requestMaxAge(cacheControlHeader: string | undefined, pragma?: string): number | undefined {
  if (cacheControlHeader === undefined) return pragma !== undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(pragma) ? 0 : undefined;
  let maxAge: number | undefined;
  for (const part of cacheControlHeader.split(',')) {
    const [name = '', value] = part
      .trim()
      .split('=', 2)
      .map((s) => s.trim());
    const directive = name.toLowerCase();
    if (directive === 'no-cache') return 0;
    if (directive === 'max-age' && value !== undefined) {
      // RFC 9111 1.2.2: delta-seconds is digits; a malformed value is ignored, not a 400.
      const seconds = /^"?(\d{1,10})"?$/.exec(value)?.[1];
      if (seconds !== undefined) maxAge = Math.min(maxAge ?? Infinity, Number(seconds));
    }
  }
  return maxAge;
}
