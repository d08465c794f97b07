import { describe, expect, it } from 'vitest';
import { NEW_ITEMS_PER_POLL, ZapierPoller, type Item, type PollMeta } from './support/zapier-poller.ts';

// The stand-in of Zapier's poller knows its rules: these show each one biting.

const item = (n: number): Item => ({ id: String(n), at: String(n).padStart(6, '0') });
/** A trigger that answers with the given lists in turn, the first for turning the Zap on. */
function answering(...answers: unknown[]): (meta: PollMeta) => Promise<unknown> {
  return () => Promise.resolve(answers.shift() ?? []);
}
const newest = (from: number, to: number): Item[] => Array.from({ length: to - from + 1 }, (_, i) => item(to - i));

describe('the Zapier poller stand-in', () => {
  it('fills the de-duplication list when turned on and triggers only ids not seen before', async () => {
    const poller = new ZapierPoller({ perform: answering(newest(1, 5), newest(1, 8)), timeOf: (i) => i.at as string });
    expect(await poller.turnOn()).toBe(5);
    const outcome = await poller.poll();
    expect(outcome.triggered.map((i) => i.id)).toEqual(['8', '7', '6']);
    expect(outcome.held).toEqual([]);
  });

  it('runs the first 100 new items of a poll and holds the rest, emailing the user', async () => {
    const poller = new ZapierPoller({ perform: answering([], newest(1, 150)), timeOf: (i) => i.at as string });
    await poller.turnOn();
    const outcome = await poller.poll();
    expect(outcome.triggered).toHaveLength(NEW_ITEMS_PER_POLL);
    expect(outcome.held.map((i) => i.id)).toEqual(newest(1, 50).map((i) => i.id));
    expect(poller.emails).toBe(1);
  });

  it('refuses items without an id and lists that are not newest first', async () => {
    const noId = new ZapierPoller({ perform: answering([{ name: 'x' }]), timeOf: () => '' });
    await expect(noId.turnOn()).rejects.toThrow(/no id/);
    const oldestFirst = new ZapierPoller({ perform: answering([item(1), item(2)]), timeOf: (i) => i.at as string });
    await expect(oldestFirst.turnOn()).rejects.toThrow(/not newest first/);
  });
});
