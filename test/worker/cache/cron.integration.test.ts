// Integration: one cron run (worker/index.ts `scheduled`) logs one JSON line saying what it
// warmed, what the hook scheduler enqueued and what it pruned; `npm start` prints it.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../../worker/index.ts';
import type { Env } from '../../../worker/env.ts';
import { bumpDataVersion, run } from '../../../worker/tenants/admin.ts';
import { api, seedTinyDemo, testEnv } from '../support/demo.ts';

let keys: Awaited<ReturnType<typeof seedTinyDemo>>;
beforeAll(async () => {
  keys = await seedTinyDemo();
});
afterEach(() => vi.restoreAllMocks());

async function cronRun(scheduledTime: number) {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => undefined, props: {} };
  const controller = { cron: '* * * * *', scheduledTime, noRetry: () => undefined };
  await worker.scheduled(controller as ScheduledController, testEnv as unknown as Env, ctx as unknown as ExecutionContext);
  await Promise.allSettled(pending);
  return lines.filter((line) => line.startsWith('{"event":"cron"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the cron log line', () => {
  it('says once per run what was warmed, delivered and pruned', async () => {
    await api('/v1/views/users/rows?select=uid&limit=6', keys.acme);
    await run(testEnv.DB, bumpDataVersion('acme'));
    const scheduledTime = Date.UTC(2026, 10, 20, 12, 1);
    const [line, ...more] = await cronRun(scheduledTime);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      event: 'cron',
      cron: '* * * * *',
      scheduled_time: new Date(scheduledTime).toISOString(),
      hooks: { subscriptions: expect.any(Number), enqueued: expect.any(Number), errors: 0 },
      prewarm: { warmed: expect.any(Number), failed: 0 },
      pruned: { usageRows: expect.any(Number), exportLeases: expect.any(Number) },
    });
    expect((line!.prewarm as { queries: string[] }).queries).toContain('acme/users');
  });

  it('logs a part that failed and still runs the others', async () => {
    await testEnv.DB.prepare('ALTER TABLE export_leases RENAME TO export_leases_away').run();
    try {
      const [line] = await cronRun(Date.UTC(2026, 10, 20, 12, 2));
      expect(line!.pruned).toEqual({ error: expect.stringMatching(/export_leases/) });
      expect(line!.prewarm).toMatchObject({ failed: 0 });
      expect(line!.hooks).toMatchObject({ errors: 0 });
    } finally {
      await testEnv.DB.prepare('ALTER TABLE export_leases_away RENAME TO export_leases').run();
    }
  });
});
