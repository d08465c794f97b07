import type { Plan } from '../../shared/plans.ts';

/**
 * The demo accounts `npm start` creates: one on each plan, so every plan's view of the
 * API can be tried locally. Each has its own tables, as each ActivTrak account has its
 * own BigQuery dataset.
 */
export const DEMO_TENANTS = [
  {
    id: 'acme',
    name: 'Acme Analytics (demo, Professional)',
    plan: 'professional',
    accountId: 310_001,
    timeZone: 'America/New_York',
  },
  {
    id: 'globex',
    name: 'Globex (demo, Essentials Plus)',
    plan: 'essentials_plus',
    accountId: 220_002,
    timeZone: 'America/Chicago',
  },
  {
    id: 'initech',
    name: 'Initech (demo, Essentials)',
    plan: 'essentials',
    accountId: 130_003,
    timeZone: 'America/Los_Angeles',
  },
] as const satisfies readonly {
  id: string;
  name: string;
  plan: Plan;
  accountId: number;
  timeZone: string;
}[];

export type DemoTenantId = (typeof DEMO_TENANTS)[number]['id'];

export const DEFAULT_DEMO_SEED = 42;
