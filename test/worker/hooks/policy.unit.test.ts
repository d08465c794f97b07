import { describe, expect, it } from 'vitest';
import { backoffSeconds, disableReason, HOOK_POLICY } from '../../../worker/hooks/policy.ts';

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
