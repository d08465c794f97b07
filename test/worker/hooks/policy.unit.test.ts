import { describe, expect, it } from 'vitest';
import { backoffSeconds, disableReason, HOOK_POLICY, retryAfterSeconds, retryDelaySeconds } from '../../../worker/hooks/policy.ts';

describe('backoffSeconds', () => {
  it('doubles from 30 s and stops at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map(backoffSeconds)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('spreads the whole retry schedule (max_retries 8) over less time than a pending delivery counts as lost', () => {
    const total = [1, 2, 3, 4, 5, 6, 7, 8].reduce((sum, attempt) => sum + backoffSeconds(attempt), 0);
    expect(total).toBeLessThan(HOOK_POLICY.stalePendingSeconds);
  });
});

describe('disableReason', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  it('keeps a hook that has failed briefly', () => {
    expect(disableReason({ deadLetters: 4, failingSince: '2026-11-20T00:00:00Z' }, now)).toBeNull();
  });
  it('disables after 5 dead letters in a row', () => {
    expect(disableReason({ deadLetters: 5, failingSince: '2026-11-20T11:00:00Z' }, now)).toMatch(/5 batches in a row/);
  });
  it('disables after 24 h of failures without a success', () => {
    expect(disableReason({ deadLetters: 1, failingSince: '2026-11-19T12:00:00Z' }, now)).toMatch(
      /failing since 2026-11-19T12:00:00Z \(24 h\)/,
    );
  });
});

describe('retryAfterSeconds', () => {
  const now = new Date('2026-11-20T12:00:00.250Z');
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Fri, 20 Nov 2026 12:10:00 GMT', 600],
    ['Friday, 20-Nov-26 12:10:00 GMT', 600],
    ['Fri Nov 20 12:10:00 2026', 600],
    ['Fri, 20 Nov 2026 11:00:00 GMT', 0],
  ])('reads %j as %i s from now', (header, seconds) => {
    expect(retryAfterSeconds(header, now)).toBe(seconds);
  });

  it.each([null, '', 'soon', '-5', '1.5', '2026-11-20T12:10:00Z', 'Fri, 32 Nov 2026 12:10:00 GMT', '99999999999'])(
    'ignores %j',
    (header) => {
      expect(retryAfterSeconds(header, now)).toBeNull();
    },
  );
});

describe('retryDelaySeconds', () => {
  it('honours Retry-After on 429 and 503 only, up to the ceiling', () => {
    expect(retryDelaySeconds(1, 429, 3600)).toBe(3600);
    expect(retryDelaySeconds(1, 503, 5)).toBe(5);
    expect(retryDelaySeconds(1, 429, 86_400)).toBe(HOOK_POLICY.retryAfterMaxSeconds);
    expect(retryDelaySeconds(3, 500, 5)).toBe(backoffSeconds(3));
    expect(retryDelaySeconds(3, 429, null)).toBe(backoffSeconds(3));
  });

  it('keeps the ceiling below the queue limit and the time after which a delivery counts as lost', () => {
    // Cloudflare Queues: delaySeconds at most 12 hours (https://developers.cloudflare.com/queues/platform/limits/).
    expect(HOOK_POLICY.retryAfterMaxSeconds).toBeLessThanOrEqual(12 * 3600);
    expect(HOOK_POLICY.retryAfterMaxSeconds).toBeLessThan(HOOK_POLICY.stalePendingSeconds);
  });
});
