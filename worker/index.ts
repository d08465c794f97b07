import { createApp } from './app.ts';
import { prewarm } from './cache/prewarm.ts';
import type { Env } from './env.ts';
import { queue, scheduled as hooksScheduled } from './hooks/handlers.ts';

const app = createApp();

/** Every minute: REST-hook deliveries, and the most used queries kept warm in the cache. */
async function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const warming = prewarm(env, (p) => ctx.waitUntil(p)).catch((err: unknown) =>
    console.warn('cache prewarm failed', err instanceof Error ? err.message : err),
  );
  await Promise.all([hooksScheduled(controller, env), warming]);
}

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
