/**
 * The Worker's `scheduled` and `queue` entry points for REST hooks, kept here so index.ts
 * stays a list of handlers.
 */
import type { Env } from '../env.ts';
import { consumeBatch } from './deliver.ts';
import { runScheduler, type SchedulerReport } from './scheduler.ts';

/** Every minute (wrangler.toml `crons`): enqueue new rows for every live subscription. */
export async function scheduled(controller: ScheduledController, env: Env): Promise<SchedulerReport> {
  // The scheduled time, not the clock: a late or re-run trigger behaves as the minute it was for.
  const report = await runScheduler(env, new Date(controller.scheduledTime));
  if (report.errors > 0) console.warn('hook scheduler run had errors', report);
  return report;
}

/** Both queues: `activconnect-deliveries` (send) and its dead-letter queue (record). */
export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consumeBatch(batch, env);
}
