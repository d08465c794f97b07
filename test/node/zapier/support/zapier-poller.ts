/**
 * A stand-in for Zapier's side of one Zap's polling trigger: what Zapier does with the items a
 * trigger's `perform` returns. It cannot run here (it is Zapier's service), so these are the
 * documented rules, each enforced where its page is named:
 *
 * - Turning a Zap on: one call with bundle.meta.isPopulatingDedupe, whose ids fill the
 *   de-duplication list and trigger nothing.
 *   https://docs.zapier.com/platform/build/deduplication ("When a Zap is first turned on,
 *   Zapier makes an initial call ... and stores each id")
 * - Each item needs a primary key, `id` by default; the list is sorted newest first.
 *   https://docs.zapier.com/platform/build/deduplication
 * - A poll triggers on the ids not seen before, and they join the list.
 *   https://docs.zapier.com/platform/build/deduplication ("compare the ids to all those seen
 *   before, trigger on new items, and update the list of seen ids")
 * - At most 100 new items per poll; more are held under flood protection and the user is
 *   emailed to replay them. Zapier does not say which are held; here the first 100 (the
 *   newest, as the list is sorted) run and the rest are held. Either way, a test that expects
 *   nothing held fails when a poll brings more than 100 new items.
 *   https://docs.zapier.com/platform/build/operating-constraints ("Polling trigger Default:
 *   100 new items/poll"), https://help.zapier.com/hc/en-us/articles/8496181445261
 * - The de-duplication table holds 105,000 rows per Zap; a response is at most 20 MB.
 *   https://docs.zapier.com/platform/build/operating-constraints
 */

export const NEW_ITEMS_PER_POLL = 100;
const DEDUPE_TABLE_ROWS = 105_000;
const RESPONSE_BYTES = 20 * 1024 * 1024;

export type Item = Record<string, unknown> & { id: string };

/** The part of bundle.meta Zapier sets for a poll. */
export interface PollMeta {
  readonly isPopulatingDedupe?: boolean;
  readonly isLoadingSample?: boolean;
}

export interface PollOutcome {
  /** Items returned, old and new. */
  readonly returned: number;
  /** New items that ran the Zap, in the order returned. */
  readonly triggered: readonly Item[];
  /** New items held by flood protection, waiting for the user. */
  readonly held: readonly Item[];
}

export interface ZapierPollerOptions {
  /** Calls the trigger's perform with this meta, as Zapier does for each poll. */
  readonly perform: (meta: PollMeta) => Promise<unknown>;
  /** The item's time, to check the newest-first order the deduplication page requires. */
  readonly timeOf: (item: Item) => string;
}

export class ZapierPoller {
  private readonly seen = new Set<string>();
  /** Every item that ran the Zap, across polls. */
  readonly triggered: Item[] = [];
  /** Every item held by flood protection, across polls. */
  readonly held: Item[] = [];
  /** Flood-protection emails sent to the user: one per poll that held items. */
  emails = 0;

  constructor(private readonly options: ZapierPollerOptions) {}

  /** Turning the Zap on: the answer fills the de-duplication list; nothing triggers. */
  async turnOn(): Promise<number> {
    const items = await this.fetch({ isPopulatingDedupe: true });
    for (const item of items) this.remember(item.id);
    return items.length;
  }

  async poll(): Promise<PollOutcome> {
    const items = await this.fetch({});
    const fresh: Item[] = [];
    for (const item of items) {
      if (this.seen.has(item.id)) continue;
      this.remember(item.id);
      fresh.push(item);
    }
    const triggered = fresh.slice(0, NEW_ITEMS_PER_POLL);
    const held = fresh.slice(NEW_ITEMS_PER_POLL);
    this.triggered.push(...triggered);
    this.held.push(...held);
    if (held.length > 0) this.emails += 1;
    return { returned: items.length, triggered, held };
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > DEDUPE_TABLE_ROWS) {
      throw new Error(`Zapier's de-duplication table holds ${DEDUPE_TABLE_ROWS} rows per Zap; this Zap needs more.`);
    }
  }

  private async fetch(meta: PollMeta): Promise<Item[]> {
    const answer = await this.options.perform(meta);
    if (!Array.isArray(answer)) throw new Error('a polling trigger must return an array of items');
    const bytes = Buffer.byteLength(JSON.stringify(answer));
    if (bytes > RESPONSE_BYTES) throw new Error(`the poll returned ${bytes} bytes; Zapier takes at most ${RESPONSE_BYTES}`);
    const items = answer.map((item: unknown, i) => {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`item ${i} has no id, which Zapier de-duplicates on`);
      return { ...(item as Record<string, unknown>), id: String(id) };
    });
    const times = items.map(this.options.timeOf);
    const outOfOrder = times.findIndex((t, i) => i > 0 && t > times[i - 1]!);
    if (outOfOrder >= 0)
      throw new Error(`items are not newest first: item ${outOfOrder} (${times[outOfOrder]}) is newer than the one before`);
    return items;
  }
}
