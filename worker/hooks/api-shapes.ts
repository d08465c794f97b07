import { getView } from '../../shared/views/index.ts';
import { DELIVERIES_LIMIT } from '../../shared/query-vocabulary.ts';
import { limitParam } from '../query/limit-param.ts';
import { rowId, type Position } from './change-feed.ts';
import type { Delivery, Subscription } from './store.ts';

/** Hooks per account: far above what Zapier or Make create, low enough to bound a cron run. */
export const MAX_HOOKS_PER_TENANT = 100;
export const MAX_BODY_BYTES = 16_384;
export const FIELDS = ['target_url', 'view', 'filters', 'select', 'headers'] as const;

/** `limit=` of GET /v1/hooks/{id}/deliveries, read as every endpoint reads one (query/limit-param.ts). */
export function deliveriesLimit(raw: string | undefined): number {
  return limitParam(raw, { ...DELIVERIES_LIMIT, name: 'deliveriesMaxLimit' }).limit;
}

/**
 * A hook as the API shows it. The secret is not part of it: it is shown once, at creation.
 * Nor are the target's headers (x-make-apikey): they are write-only, never shown again.
 */
export function hookJson(sub: Subscription) {
  const view = getView(sub.view);
  const position = JSON.parse(sub.cursor) as Position | null;
  return {
    id: sub.id,
    view: sub.view,
    target_url: sub.targetUrl,
    filters: sub.filters,
    select: sub.select,
    status: sub.status,
    status_reason: sub.statusReason,
    // Rows after this point are (or will be) delivered; it moves only when a delivery lands.
    cursor: position && view ? { change_value: position[0] ?? null, row_id: rowId(view, position) } : null,
    failing_since: sub.failingSince,
    consecutive_failures: sub.consecutiveFailures,
    dead_letters: sub.deadLetters,
    last_success_at: sub.lastSuccessAt,
    created_at: sub.createdAt,
    updated_at: sub.updatedAt,
  };
}

export function deliveryJson(d: Delivery) {
  return {
    id: d.id,
    created_at: d.createdAt,
    rows: d.rowCount,
    outcome: d.status,
    attempts: d.attempts,
    last_attempt_at: d.lastAttemptAt,
    status_code: d.lastStatusCode,
    error: d.lastError,
    finished_at: d.finishedAt,
  };
}

export const HOOK_ID = /^hook_[0-9a-f]{24}$/;
