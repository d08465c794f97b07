/**
 * The Zapier app, computed from the view definitions: nothing per view is written by hand.
 * Every followable view gets `new_<view>` and `new_<view>_instant`, every view `find_<view>`.
 * zapier/build.ts bundles this file to zapier/dist/index.js, the file Zapier runs.
 */
import type { App as ZapierApp } from 'zapier-platform-core';
import { VIEW_NAMES } from '../../shared/views/index.ts';
import packageJson from '../package.json' with { type: 'json' };
import { addApiKey, throwBridgeErrors } from './api.ts';
import { authentication } from './auth.ts';
import { BUILD_TIME } from './build-time.ts';
import { findRowsSearch } from './searches.ts';
import { instantTrigger, pollingTrigger } from './triggers.ts';
import { FOLLOWABLE_VIEW_NAMES } from './views.ts';

/**
 * An object keyed by each item's `key`, with the keys' literal types kept, which is what
 * schema's matchingKeys check and the type-level tests both rely on.
 */
function byKey<T extends { key: string }>(items: readonly T[]): { [K in T['key']]: T } {
  return Object.fromEntries(items.map((item) => [item.key, item])) as { [K in T['key']]: T };
}

// Two calls, so each key keeps its own kind of trigger: new_<view> polls, new_<view>_instant is a hook.
const triggers = { ...byKey(FOLLOWABLE_VIEW_NAMES.map(pollingTrigger)), ...byKey(FOLLOWABLE_VIEW_NAMES.map(instantTrigger)) };
const searches = byKey(VIEW_NAMES.map(findRowsSearch));

export const app = {
  version: packageJson.version,
  // Zapier runs the app on the core it declares; package.json pins one exact version of it.
  platformVersion: packageJson.dependencies['zapier-platform-core'],
  flags: {
    // The bridge's 429 carries a detail and Retry-After; let throwBridgeErrors report them.
    throwForThrottlingEarly: false,
  },
  authentication: authentication(BUILD_TIME.defaultApiUrl),
  beforeRequest: [addApiKey],
  afterResponse: [throwBridgeErrors],
  triggers,
  searches,
} satisfies ZapierApp<typeof triggers, undefined, typeof searches>;

export type App = typeof app;
