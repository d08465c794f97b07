import { type LeafColumn, leafColumns } from '../../shared/columns.ts';
import { type ViewDef } from '../../shared/types.ts';
import { feedColumns, requireChangeColumn, rowId } from '../hooks/change-feed.ts';
import { backoffSeconds, HOOK_POLICY } from '../hooks/policy.ts';
import { type DeliveryStatus, type SubscriptionStatus } from '../hooks/store.ts';
import { FILTER_EXAMPLES } from './vocabulary.ts';
import { duration, list } from './words.ts';

/** What /changes and hooks can follow, and the words that explain it. */

export const CHANGE_COLUMN_NOTE =
  'The column `/changes` and hooks follow: it moves forward as rows are added or changed. null when the view cannot be polled or followed.';

/** What each hook status means; `satisfies` makes a new status fail to compile until it is documented. */
export const SUBSCRIPTION_STATUS_NOTES = {
  active: 'new rows are sent as they arrive',
  failing: `a batch exhausted its retries; it is kept, nothing newer is sent, and it is tried again after ${duration(HOOK_POLICY.deadLetterCooldownSeconds)}`,
  disabled:
    `stopped after ${HOOK_POLICY.maxDeadLetters} dead batches in a row or ${duration(HOOK_POLICY.maxFailingSeconds)} without a success, ` +
    'or because the key that created it was revoked, its target URL is no longer allowed or its filters no longer fit the plan; ' +
    'undelivered rows are kept, and `POST /v1/hooks/{id}/resume` continues from the first of them',
  unsubscribed: 'the target answered 410 Gone, so the hook ended for good; it cannot be resumed',
} satisfies Record<SubscriptionStatus, string>;

/** What each delivery outcome in the log means. */
export const DELIVERY_STATUS_NOTES = {
  pending: 'on the queue, or between retries',
  delivered: 'the target answered 2xx; the hook moved past these rows',
  dead: `every retry failed; the rows are kept and the batch is sent again after ${duration(HOOK_POLICY.deadLetterCooldownSeconds)}`,
  cancelled: 'not sent: the hook stopped (disabled, or 410 Gone), or was resumed, which reads the rows afresh',
} satisfies Record<DeliveryStatus, string>;

/** The first retry delays, computed by the policy itself: "30 s, 1 min, 2 min, 4 min ...". */
export function retrySchedule(): string {
  return `${[1, 2, 3, 4].map((n) => duration(backoffSeconds(n))).join(', ')} ..., doubling up to ${duration(HOOK_POLICY.backoffMaxSeconds)}`;
}

/** The views /changes and hooks can follow: those with a change column. */
export function followableViews(views: readonly ViewDef[]): ViewDef[] {
  return views.filter((v) => v.changeColumn !== null);
}

export function changeColumnOf(view: ViewDef): LeafColumn {
  const name = requireChangeColumn(view);
  return leafColumns(view).find((c) => c.name === name)!;
}

/** One sentence for a view's description: how to follow it, or why it cannot be followed. */
export function followNote(view: ViewDef): string {
  if (view.changeColumn === null) {
    return `Polling (\`/changes\`) and webhooks are not available for ${view.name}: it has no change column. ${view.decisions.changeColumn}`;
  }
  return `New rows by \`${view.changeColumn}\`: poll \`GET /v1/views/${view.name}/changes\` or subscribe with \`POST /v1/hooks\`.`;
}

/** A `since` the server accepts, taken from the filter examples of the column's type. */
export function sinceExample(view: ViewDef): string {
  return FILTER_EXAMPLES[changeColumnOf(view).type][0].replace(/^(not\.)?[a-z]+\./, '');
}

/** How the id is built, shown by rowId itself on placeholders: "<user_id>|<local_date>". */
export function idDescription(view: ViewDef): string {
  const shape = rowId(
    view,
    feedColumns(view).map((c) => `<${c}>`),
  );
  return (
    `The row's stable, unique id: its row key (${list(view.rowKey)}) joined with \`|\`, as in \`${shape}\`. ` +
    'A `|` or `\\` inside a value is escaped with `\\`, and a null is `\\N`. Zapier and Make de-duplicate on it.'
  );
}
