import { createApp } from './app.ts';
import type { Env } from './env.ts';
import { queue, scheduled } from './hooks/handlers.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env>;
