/**
 * The queue names and retry counts in wrangler.toml are read by Cloudflare, not by our code:
 * these tests tie the constants the consumer routes and the docs count on to that file.
 */
import { describe, expect, it } from 'vitest';
import wranglerToml from '../../../wrangler.toml?raw';
import { DEAD_LETTER_QUEUE } from '../../../worker/hooks/message.ts';
import { backoffSeconds, HOOK_POLICY } from '../../../worker/hooks/policy.ts';

/** The `[[queues.consumers]]` tables of wrangler.toml, key = value lines only (all this file uses). */
function consumers(toml: string): Record<string, string>[] {
  return toml
    .split(/^\[\[queues\.consumers\]\]\s*$/m)
    .slice(1)
    .map((section) => {
      const table: Record<string, string> = {};
      for (const line of section.split('\n')) {
        if (line.startsWith('[')) break;
        const m = /^(\w+)\s*=\s*"?([^"#]*?)"?\s*(?:#.*)?$/.exec(line.trim());
        if (m) table[m[1]!] = m[2]!;
      }
      return table;
    });
}

describe('wrangler.toml queues', () => {
  const tables = consumers(wranglerToml);
  const deliveries = tables.find((t) => t['queue'] === 'activconnect-deliveries');

  it('names as dead-letter queue the queue the consumer treats as one, and consumes it', () => {
    expect(deliveries?.['dead_letter_queue']).toBe(DEAD_LETTER_QUEUE);
    expect(tables.map((t) => t['queue'])).toContain(DEAD_LETTER_QUEUE);
  });

  it('retries fewer times than the time after which a pending delivery is sent again', () => {
    const retries = Number(deliveries?.['max_retries']);
    expect(retries).toBeGreaterThan(0);
    const schedule = Array.from({ length: retries }, (_, i) => backoffSeconds(i + 1)).reduce((a, b) => a + b, 0);
    expect(schedule).toBeLessThan(HOOK_POLICY.stalePendingSeconds);
  });

  it('hands a message to the consumer without waiting to fill a batch, so a chained batch goes at once', () => {
    expect(deliveries?.['max_batch_timeout']).toBe('0');
  });
});
