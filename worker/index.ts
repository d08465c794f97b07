import { createApp } from './app.ts';
import { prewarm, type PrewarmReport } from './cache/prewarm.ts';
import { pruneControlPlane, type PruneReport } from './cache/prune.ts';
import type { Env } from './env.ts';
import { queue, scheduled as hooksScheduled } from './hooks/handlers.ts';

const app = createApp();

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Every minute: REST-hook deliveries, the most used queries kept warm in the cache, and the
 * control-plane tables that grow with traffic pruned. One JSON line per run says what it
 * did (`npm start` shows it; `wrangler tail` in production), and a part that fails is logged
 * without stopping the others.
 */
async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const started = Date.now();
  const [hooks, warmed, pruned] = await Promise.allSettled([
    hooksScheduled(controller, env),
    prewarm(env, (p) => ctx.waitUntil(p)),
    pruneControlPlane(env.DB, new Date(controller.scheduledTime)),
  ]);
  const warm: Partial<PrewarmReport> & { error?: string } =
    warmed.status === 'fulfilled' ? warmed.value : { error: message(warmed.reason) };
  const prune: Partial<PruneReport> & { error?: string } = pruned.status === 'fulfilled' ? pruned.value : { error: message(pruned.reason) };
  console.log(
    JSON.stringify({
      event: 'cron',
      cron: controller.cron,
      scheduled_time: new Date(controller.scheduledTime).toISOString(),
      ms: Date.now() - started,
      hooks: hooks.status === 'fulfilled' ? hooks.value : { error: message(hooks.reason) },
      prewarm: warm,
      pruned: prune,
    }),
  );
}

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
