/**
 * The one rule for which plan a hook reads with and which keys see it. The scheduler reads a
 * hook's rows with `hookPlan`; the routes show, resume and delete a hook for a key whose plan
 * reaches that same plan. Because both use this file, a hook that can still deliver is always
 * visible to the key that made it (its plan is at least the hook's), and to every key of the
 * account at or above the hook's plan: an account can always see and stop what sends its data.
 *
 * Before this rule, visibility compared the caller with the plan stored at creation, while the
 * scheduler read with the lower of that and the account's: after a plan downgrade every hook
 * went on delivering and no key could list or delete it.
 */
import { planIncludes, planRank, PLANS, type Plan } from '../../shared/plans.ts';

/**
 * The plan a hook reads with: the lowest of the plan it was made on, the account's plan today
 * and its key's plan today. A hook never sends more than its key and its account may read
 * now. A revoked or deleted key counts as the lowest plan: such a hook sends nothing (the
 * scheduler disables it), and every key of the account may see and delete it.
 */
export function hookPlan(hook: { readonly plan: Plan; readonly keyPlan: Plan | null }, accountPlan: Plan): Plan {
  const plans = [hook.plan, accountPlan, hook.keyPlan ?? PLANS[0]];
  return plans.reduce((low, p) => (planRank(p) < planRank(low) ? p : low));
}

/**
 * Whether a caller (its effective plan: the lower of its key's and its account's) sees a hook
 * of its own account: when the hook reads nothing the caller could not read itself. A hook made
 * with a Professional key stays hidden from an Essentials-only key, because its filters and
 * columns name data that key may not see; after a downgrade the hook reads at the new plan and
 * is visible at that plan.
 */
export function visibleTo(callerPlan: Plan, hook: { readonly plan: Plan; readonly keyPlan: Plan | null }, accountPlan: Plan): boolean {
  return planIncludes(callerPlan, hookPlan(hook, accountPlan));
}
