import { describe, expect, it } from 'vitest';
import { PLANS, type Plan } from '../../../shared/plans.ts';
import { hookPlan, visibleTo } from '../../../worker/hooks/visibility.ts';

describe('hookPlan', () => {
  it('is the lowest of the plan the hook was made on, the account’s plan and its key’s plan today', () => {
    expect(hookPlan({ plan: 'professional', keyPlan: 'professional' }, 'professional')).toBe('professional');
    expect(hookPlan({ plan: 'professional', keyPlan: 'professional' }, 'essentials_plus')).toBe('essentials_plus');
    expect(hookPlan({ plan: 'professional', keyPlan: 'essentials' }, 'professional')).toBe('essentials');
    expect(hookPlan({ plan: 'essentials_plus', keyPlan: 'professional' }, 'professional')).toBe('essentials_plus');
  });

  it('counts a revoked or deleted key as the lowest plan', () => {
    expect(hookPlan({ plan: 'professional', keyPlan: null }, 'professional')).toBe('essentials');
  });
});

describe('visibleTo', () => {
  const cases: [Plan, Plan, Plan | null][] = PLANS.flatMap((made) =>
    PLANS.flatMap((account) => [...PLANS, null].map((key): [Plan, Plan, Plan | null] => [made, account, key])),
  );

  it.each(cases)('a hook made on %s (account now %s, key now %s) is visible to a key at the plan it reads with', (made, account, key) => {
    const hook = { plan: made, keyPlan: key };
    // The rule the issue asks for: whatever plan the scheduler reads with, a key on the
    // account's plan sees the hook (so the account can always stop it).
    expect(visibleTo(account, hook, account)).toBe(true);
    expect(visibleTo(hookPlan(hook, account), hook, account)).toBe(true);
  });

  it('hides a hook that reads a higher plan than the caller', () => {
    expect(visibleTo('essentials', { plan: 'professional', keyPlan: 'professional' }, 'professional')).toBe(false);
  });
});
