import { expect, it } from 'vitest';
import { planIncludes } from '../../shared/plans.ts';
it('orders plans', () => {
  expect(planIncludes('professional', 'essentials')).toBe(true);
});
