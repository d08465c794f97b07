/** The local bridge for the Zapier app's tests, seeded up to the day its samples come from. */
import { startLocalBridge as startBridge, type LocalBridge } from '../../../support/local-bridge.ts';
import { SAMPLE_SOURCE } from '../../../../zapier/src/build-time.ts';

export type { LocalBridge };

/** The data's last day: the app's samples are taken from the same day, so they can be compared. */
export const DEMO_END_DATE = SAMPLE_SOURCE.endDate;

export function startLocalBridge(): Promise<LocalBridge> {
  return startBridge({ endDate: DEMO_END_DATE });
}
