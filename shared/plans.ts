/**
 * ActivTrak subscription plans, lowest first. The order is the contract: a caller on a
 * plan sees every column whose minimum plan is at or below it.
 */
export const PLANS = ['essentials', 'essentials_plus', 'professional'] as const;
export type Plan = (typeof PLANS)[number];

/** Names as users read them; the legacy names still appear in the data dictionary. */
export const PLAN_LABELS: Record<Plan, { label: string; legacy?: string }> = {
  essentials: { label: 'Essentials', legacy: 'Advanced' },
  essentials_plus: { label: 'Essentials Plus' },
  professional: { label: 'Professional', legacy: 'Premium' },
};

export function planRank(plan: Plan): number {
  return PLANS.indexOf(plan);
}

/** True when a caller on `caller` may read something whose minimum plan is `required`. */
export function planIncludes(caller: Plan, required: Plan): boolean {
  return planRank(caller) >= planRank(required);
}

export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}

/** "Professional (formerly Premium)": for messages that tell a user which plan to ask for. */
export function planDisplayName(plan: Plan): string {
  const { label, legacy } = PLAN_LABELS[plan];
  return legacy ? `${label} (formerly ${legacy})` : label;
}
