import { Hono, type Context } from 'hono';
import type { ViewDef } from '../../shared/types.ts';
import { isDevelopment, type AppEnv } from '../env.ts';
import { readBodyText } from '../http/body.ts';
import { ApiError } from '../http/errors.ts';
import { feedQuery, requireChangeColumn, type Position } from '../hooks/change-feed.ts';
import { HOOK_POLICY } from '../hooks/policy.ts';
import { generateSecret } from '../hooks/signature.ts';
import {
  deleteSubscription,
  getSubscription,
  insertSubscriptionWithinCap,
  listDeliveries,
  listSubscriptions,
  subscriptionEntries,
  type HookFilters,
  type Subscription,
} from '../hooks/store.ts';
import { readTargetHeaders } from '../hooks/target-headers.ts';
import { checkTargetUrl } from '../hooks/target-url.ts';
import { resume } from '../hooks/transitions.ts';
import { visibleTo } from '../hooks/visibility.ts';
import { checkFieldNames, readFilters } from '../query/body-fields.ts';
import { warehouseFor } from '../warehouse/for-tenant.ts';
import type { Caller } from '../tenants/tenants.ts';
import { resolveView } from '../catalog/views.ts';
import { deliveriesLimit, deliveryJson, FIELDS, HOOK_ID, hookJson, MAX_BODY_BYTES, MAX_HOOKS_PER_TENANT } from '../hooks/api-shapes.ts';

type Ctx = Context<AppEnv>;

const bad = (detail: string, extensions: Record<string, unknown> = {}) => new ApiError(400, 'bad-request', detail, extensions);

interface HookInput {
  targetUrl: string;
  view: string;
  filters: HookFilters;
  select: string[] | null;
  headers: Record<string, string>;
}

/**
 * The subscribe body, checked field by field: `{ target_url, view, filters?, select? }` where
 * filters are `{column: "op.value"}` (or a list of them) exactly as /rows takes them.
 */
async function readHookInput(c: Ctx): Promise<HookInput> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported-media-type', 'Send the hook as JSON with "Content-Type: application/json".');
  }
  const text = await readBodyText(c.req.raw, MAX_BODY_BYTES, 'The hook body', 'maxHookBodyBytes');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad('The body must be a JSON object, like {"target_url": "https://hooks.zapier.com/...", "view": "daily_user_summary"}.');
  }
  const record = body as Record<string, unknown>;
  checkFieldNames(record, FIELDS);
  const { target_url: targetUrl, view, filters, select = null, headers = {} } = record;
  if (typeof targetUrl !== 'string' || targetUrl.trim() === '')
    throw bad('"target_url" is required: the URL deliveries are POSTed to.', { field: 'target_url' });
  if (typeof view !== 'string' || view === '')
    throw bad('"view" is required: the view whose new rows are sent, like "daily_user_summary".', { field: 'view' });
  const cleanFilters: HookFilters = readFilters(filters);

  let cleanSelect: string[] | null = null;
  if (select !== null) {
    const list = typeof select === 'string' ? select.split(',') : select;
    if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string')) {
      throw bad('"select" must be a list of column names, like ["user_id", "local_date"].', { field: 'select' });
    }
    cleanSelect = list.map((s) => s.trim()).filter((s) => s !== '');
    if (cleanSelect.length === 0) throw bad('"select" is empty; name columns, or leave it out for all of them.', { field: 'select' });
  }
  return { targetUrl, view, filters: cleanFilters, select: cleanSelect, headers: readTargetHeaders(headers) };
}

/** The one visibility rule the scheduler reads with too (hooks/visibility.ts). */
const sees = (caller: Caller, sub: Subscription) => visibleTo(caller.plan, sub, caller.tenant.plan);

/** The caller's hook, or a 404 that does not say whether another account has one by that id. */
async function ownHook(c: Ctx): Promise<Subscription> {
  const id = c.req.param('id') ?? '';
  const caller = c.get('caller');
  const found = HOOK_ID.test(id) ? await getSubscription(c.env.DB, caller.tenant.id, id) : null;
  const sub = found && sees(caller, found) ? found : null;
  if (!sub) throw new ApiError(404, 'not-found', `No hook '${id.slice(0, 40)}' in this account. GET /v1/hooks lists yours.`);
  return sub;
}

/** The current newest position, so a new hook starts from now rather than replaying history. */
async function currentPosition(c: Ctx, view: ViewDef, input: HookInput): Promise<Position | null> {
  const caller = c.get('caller');
  const newest = feedQuery(view, caller.plan, subscriptionEntries(input.filters, input.select), { direction: 'desc', limit: 1 });
  const page = await warehouseFor(c.env, caller.tenant).page(newest, 1);
  return page.keys[0] ?? null;
}

/**
 * REST-hook subscriptions (Zapier's subscribe/unsubscribe, Make's custom webhooks). Every
 * route is scoped to the caller's tenant.
 */
export const hooks = new Hono<AppEnv>()
  .post('/', async (c) => {
    const caller = c.get('caller');
    const input = await readHookInput(c);
    const view = resolveView(input.view, caller.plan);
    requireChangeColumn(view);
    // Same parser, same errors as /rows: an unknown column or one above the plan fails here, now.
    feedQuery(view, caller.plan, subscriptionEntries(input.filters, input.select), { direction: 'asc', limit: HOOK_POLICY.batchRows });

    const target = checkTargetUrl(input.targetUrl, { allowInsecureLocal: isDevelopment(c.env) });
    if (!target.ok) throw new ApiError(400, 'invalid-parameter', target.reason, { field: 'target_url' });

    const secret = generateSecret();
    const sub = await insertSubscriptionWithinCap(
      c.env.DB,
      {
        id: `hook_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`,
        tenantId: caller.tenant.id,
        keyId: caller.keyId,
        plan: caller.plan,
        view: view.name,
        targetUrl: target.url.href,
        secret,
        filters: input.filters,
        select: input.select,
        cursor: await currentPosition(c, view, input),
        targetHeaders: input.headers,
      },
      MAX_HOOKS_PER_TENANT,
    );
    if (!sub) {
      throw new ApiError(
        409,
        'conflict',
        `This account already has ${MAX_HOOKS_PER_TENANT} hooks, the most it may have. Delete unused ones first.`,
        { limit: 'maxHooksPerTenant' },
      );
    }
    c.header('location', new URL(`/v1/hooks/${sub.id}`, c.req.url).toString());
    return c.json({ ...hookJson(sub), secret }, 201);
  })
  .get('/', async (c) => {
    const caller = c.get('caller');
    const subs = await listSubscriptions(c.env.DB, caller.tenant.id);
    return c.json({ hooks: subs.filter((s) => sees(caller, s)).map(hookJson) });
  })
  .get('/:id', async (c) => c.json(hookJson(await ownHook(c))))
  .delete('/:id', async (c) => {
    const sub = await ownHook(c);
    await deleteSubscription(c.env.DB, sub.tenantId, sub.id);
    return c.json({ id: sub.id, deleted: true });
  })
  .get('/:id/deliveries', async (c) => {
    const sub = await ownHook(c);
    const limit = deliveriesLimit(c.req.query('limit'));
    const deliveries = await listDeliveries(c.env.DB, sub.id, limit);
    return c.json({ hook_id: sub.id, status: sub.status, status_reason: sub.statusReason, deliveries: deliveries.map(deliveryJson) });
  })
  .post('/:id/resume', async (c) => {
    const sub = await ownHook(c);
    if (sub.status === 'unsubscribed') {
      throw new ApiError(
        409,
        'conflict',
        'The target answered 410 Gone, so this hook ended for good. Create a new hook to follow the view again.',
      );
    }
    await resume(c.env.DB, sub.tenantId, sub.id, new Date());
    return c.json(hookJson((await getSubscription(c.env.DB, sub.tenantId, sub.id))!));
  });
