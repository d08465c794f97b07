/**
 * Two triggers per followable view, built from its definition: a polling trigger on
 * GET /v1/views/{view}/changes and an instant (REST hook) trigger on /v1/hooks. Both return
 * rows with the same `id`, which Zapier de-duplicates on.
 */
import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import { viewMinPlan } from '../../shared/columns.ts';
import { PLANS } from '../../shared/plans.ts';
import { CHANGES_LIMIT } from '../../shared/query-vocabulary.ts';
import type { ViewDef } from '../../shared/types.ts';
import { VIEWS } from '../../shared/views/index.ts';
import { verify } from '../../worker/hooks/signature.ts';
import { apiUrl, bridgeError, filtersFrom, selectFrom } from './api.ts';
import { BUILD_TIME } from './build-time.ts';
import { outputFields, rowInputFields, zapierRow, type ApiRow } from './fields.ts';
import { clip, humanise, planLabel } from './naming.ts';
import type { FollowableViewName } from './views.ts';

/**
 * New rows per poll: Zapier takes 100 new items per poll by default and holds the rest under
 * flood protection, emailing the user (https://docs.zapier.com/platform/build/operating-constraints,
 * https://help.zapier.com/hc/en-us/articles/8496181445261). The bridge keeps the trigger's
 * position (`poller=`, worker/hooks/poll-positions.ts says why), so a day of 1,000 rows comes
 * out 100 per poll, oldest first, and later polls pick up where the last one stopped.
 */
export const POLL_LIMIT = 100;
/**
 * Rows for Zapier's de-duplication list when a Zap is turned on: "grab as many items as
 * possible" (bundle.meta.isPopulatingDedupe in zapier-platform-core's types), within the 30 s
 * and 20 MB a poll may take (https://docs.zapier.com/platform/build/troubleshoot-trigger-payload).
 * The most /changes gives.
 */
export const DEDUPE_LIMIT = CHANGES_LIMIT.max;
/**
 * The name the bridge keeps this trigger's position under. The bridge scopes it by API key,
 * view and query, so Zaps differ by connection, conditions or columns. Zapier passes nothing
 * that names the Zap (bundle.meta.zap is deprecated), so two Zaps alike in all of those share
 * one position; zapier/README.md says what that does.
 */
const POLLER = 'zapier';
/** Enough to show a user what the trigger returns while they set up a Zap. */
const SAMPLE_LIMIT = 10;

/** "Daily User Summary": the view as trigger and search labels name it. */
export function viewLabel(view: ViewDef): string {
  return humanise(view.name);
}

/** " Needs the Professional plan." for views above the lowest plan; nothing otherwise. */
export function planNote(view: ViewDef): string {
  const plan = viewMinPlan(view);
  return plan === PLANS[0] ? '' : ` Needs the ${planLabel(plan)} plan.`;
}

/**
 * Newest first, from the view's change feed, with the user's conditions and columns: when
 * Zapier fills its de-duplication list, the newest rows (and the bridge starts the trigger's
 * position there); on a poll, at most POLL_LIMIT rows not handed out before plus the page of
 * the previous poll, which Zapier has seen; for a sample, a few of the newest, leaving the
 * position alone.
 */
async function pollRows(z: ZObject, bundle: Bundle, view: ViewDef): Promise<Record<string, unknown>[]> {
  return changedRows(z, bundle, view, { positioned: true });
}

/**
 * The instant trigger's performList: the newest rows, read without the polling trigger's
 * position, so testing an instant Zap cannot move a polling Zap on along the same rows.
 */
async function listRows(z: ZObject, bundle: Bundle, view: ViewDef): Promise<Record<string, unknown>[]> {
  return changedRows(z, bundle, view, { positioned: false });
}

async function changedRows(
  z: ZObject,
  bundle: Bundle,
  view: ViewDef,
  options: { readonly positioned: boolean },
): Promise<Record<string, unknown>[]> {
  const meta = bundle.meta as Partial<Bundle['meta']> | undefined;
  const params = new URLSearchParams({ shape: 'array' });
  if (meta?.isLoadingSample) params.set('limit', String(SAMPLE_LIMIT));
  else if (!options.positioned) params.set('limit', String(POLL_LIMIT));
  else {
    params.set('poller', POLLER);
    if (meta?.isPopulatingDedupe) params.set('start', 'newest');
    params.set('limit', String(meta?.isPopulatingDedupe ? DEDUPE_LIMIT : POLL_LIMIT));
  }
  const select = selectFrom(bundle.inputData.select);
  if (select) params.set('select', select.join(','));
  for (const [column, spec] of Object.entries(filtersFrom(z, bundle.inputData.filters))) params.append(column, spec);
  const response = await z.request({ url: apiUrl(bundle, `/v1/views/${view.name}/changes?${params}`) });
  const rows: unknown = response.data;
  if (!Array.isArray(rows)) {
    throw new z.errors.Error(
      `The bridge sent something other than a list of ${view.name} rows. Check the Bridge URL in your connection.`,
      'bad-response',
      502,
    );
  }
  return rows.map((row: ApiRow) => zapierRow(row));
}

/** What POST /v1/hooks answers and Zapier keeps as bundle.subscribeData. */
interface HookSubscription {
  readonly id: string;
  /** The Standard Webhooks signing secret, shown by the bridge only at creation. */
  readonly secret?: string;
}

async function subscribe(z: ZObject, bundle: Bundle, view: ViewDef): Promise<HookSubscription> {
  const select = selectFrom(bundle.inputData.select);
  const response = await z.request({
    url: apiUrl(bundle, '/v1/hooks'),
    method: 'POST',
    json: {
      target_url: bundle.targetUrl,
      view: view.name,
      filters: filtersFrom(z, bundle.inputData.filters),
      ...(select ? { select } : {}),
    },
  });
  return response.data as HookSubscription;
}

/**
 * DELETE /v1/hooks/{id}. A hook already gone (deleted by an administrator) counts as
 * unsubscribed: failing here would leave the user unable to turn the Zap off cleanly.
 */
async function unsubscribe(z: ZObject, bundle: Bundle): Promise<{ id: string; deleted: boolean }> {
  const id = bundle.subscribeData?.id ?? '';
  const response = await z.request({
    url: apiUrl(bundle, `/v1/hooks/${encodeURIComponent(id)}`),
    method: 'DELETE',
    skipThrowForStatus: true,
  });
  if (response.status === 404) return { id, deleted: false };
  if (response.status >= 400) throw bridgeError(z, response);
  return response.data as { id: string; deleted: boolean };
}

/** A delivery as the bridge POSTs it to the target URL. */
interface Delivery {
  readonly view?: unknown;
  readonly subscription_id?: unknown;
  readonly rows?: unknown;
}

/**
 * Turns one delivery into one Zap run per row. The signature is checked against the secret
 * the bridge gave at subscription: the target URL alone is no proof of origin, as it travels
 * in logs and Zap histories.
 */
async function deliveredRows(z: ZObject, bundle: Bundle, view: ViewDef): Promise<Record<string, unknown>[]> {
  await checkSignature(z, bundle);
  const delivery = (bundle.cleanedRequest ?? {}) as Delivery;
  if (!Array.isArray(delivery.rows)) {
    throw new z.errors.Error('This webhook call has no "rows" list; it was not sent by the ActivConnect bridge.', 'bad-delivery', 400);
  }
  if (delivery.view !== undefined && delivery.view !== view.name) {
    throw new z.errors.Error(
      `This webhook call carries ${String(delivery.view)} rows, but the trigger follows ${view.name}.`,
      'bad-delivery',
      400,
    );
  }
  const subscriptionId = bundle.subscribeData?.id;
  if (subscriptionId && delivery.subscription_id !== undefined && delivery.subscription_id !== subscriptionId) {
    throw new z.errors.Error(
      `This webhook call is for hook ${String(delivery.subscription_id)}, not this Zap's ${subscriptionId}.`,
      'bad-delivery',
      400,
    );
  }
  return delivery.rows.map((row: ApiRow) => zapierRow(row));
}

/**
 * Zapier hands perform the request's headers with an "Http-" prefix (`Http-Webhook-Id`); the
 * prefix is dropped so either spelling is read.
 */
function deliveryHeaders(raw: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) headers[name.toLowerCase().replace(/^http-/, '')] = value;
  return headers;
}

async function checkSignature(z: ZObject, bundle: Bundle): Promise<void> {
  const secret = (bundle.subscribeData as { secret?: unknown } | undefined)?.secret;
  const body = bundle.rawRequest?.content;
  if (typeof secret !== 'string' || typeof body !== 'string') {
    z.console.log('Delivery not verified: the subscription has no signing secret or Zapier passed no raw body.');
    return;
  }
  const result = await verify({
    secret,
    headers: deliveryHeaders(bundle.rawRequest?.headers),
    body,
    // Zapier has already answered the bridge 200 when perform runs, possibly much later; a stale
    // timestamp refused here would lose the rows for good, so only authenticity is checked.
    toleranceSeconds: Number.POSITIVE_INFINITY,
  });
  if (!result.ok) {
    throw new z.errors.Error(`This webhook call is not signed by the ActivConnect bridge: ${result.reason}`, 'bad-signature', 401);
  }
}

/**
 * `new_<view>`: a polling trigger. `satisfies` rather than core's defineTrigger, which returns
 * the Trigger type and so forgets that this operation is a polling one with a `perform`.
 */
export function pollingTrigger<N extends FollowableViewName>(name: N) {
  const view = VIEWS[name];
  const label = viewLabel(view);
  return {
    key: `new_${name}`,
    noun: `${label} Row`,
    display: {
      label: `New ${label} Row`,
      description: clip(
        `Triggers when a new row arrives in ${label}, checked on your Zap's schedule. ${view.description}${planNote(view)}`,
        1000,
      ),
    },
    operation: {
      type: 'polling',
      inputFields: rowInputFields(view, BUILD_TIME.samples[name]),
      perform: (z: ZObject, bundle: Bundle) => pollRows(z, bundle, view) as Promise<{ id: string }[]>,
      sample: zapierRow(BUILD_TIME.samples[name]),
      outputFields: outputFields(view),
    },
  } satisfies Trigger<`new_${N}`>;
}

/** `new_<view>_instant`: a REST-hook trigger; the bridge pushes new rows about a minute after they land. */
export function instantTrigger<N extends FollowableViewName>(name: N) {
  const view = VIEWS[name];
  const label = viewLabel(view);
  return {
    key: `new_${name}_instant`,
    noun: `${label} Row`,
    display: {
      label: `New ${label} Row (Instant)`,
      description: clip(`Triggers within about a minute of a new row arriving in ${label}. ${view.description}${planNote(view)}`, 1000),
    },
    operation: {
      type: 'hook',
      inputFields: rowInputFields(view, BUILD_TIME.samples[name]),
      performSubscribe: (z: ZObject, bundle: Bundle) => subscribe(z, bundle, view),
      performUnsubscribe: (z: ZObject, bundle: Bundle) => unsubscribe(z, bundle),
      perform: (z: ZObject, bundle: Bundle) => deliveredRows(z, bundle, view),
      // The rows a delivery would carry, read now, so a Zap can be tested before any arrives.
      performList: (z: ZObject, bundle: Bundle) => listRows(z, bundle, view),
      sample: zapierRow(BUILD_TIME.samples[name]),
      outputFields: outputFields(view),
    },
  } satisfies Trigger<`new_${N}_instant`>;
}
