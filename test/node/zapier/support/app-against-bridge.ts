import { afterAll, beforeAll } from 'vitest';
import { createAppTester } from 'zapier-platform-core';
import { builtApp, type BuiltApp } from './built-app.ts';
import { startLocalBridge, type LocalBridge } from './local-bridge.ts';

export interface AppAgainstBridge {
  /** The app as `zapier push` would upload it. */
  readonly built: BuiltApp;
  /** The real Worker under `wrangler dev`, seeded, on its own port. */
  readonly bridge: LocalBridge;
  /** zapier-platform-core's app tester over the built app. */
  readonly tester: ReturnType<typeof createAppTester>;
}

/**
 * The built app and the local bridge for one test file, started before its tests and stopped
 * after them. Both start at once and are settled one by one, so whichever started is still
 * there to stop when the other failed.
 */
export function appAgainstBridge(): AppAgainstBridge {
  let built: BuiltApp | undefined;
  let bridge: LocalBridge | undefined;
  let tester: ReturnType<typeof createAppTester> | undefined;
  beforeAll(async () => {
    const [app, local] = await Promise.allSettled([builtApp(), startLocalBridge()]);
    if (app.status === 'fulfilled') built = app.value;
    if (local.status === 'fulfilled') bridge = local.value;
    for (const result of [app, local]) if (result.status === 'rejected') throw result.reason;
    tester = createAppTester(built!.app);
  }, 180_000);
  afterAll(async () => {
    await bridge?.stop();
    built?.dispose();
  });
  const started = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`${name} has not started: it is ready once beforeAll has run`);
    return part;
  };
  return {
    get built() {
      return started(built, 'the built app');
    },
    get bridge() {
      return started(bridge, 'the local bridge');
    },
    get tester() {
      return started(tester, 'the app tester');
    },
  };
}
