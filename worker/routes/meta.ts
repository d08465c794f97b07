import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { versionInfo } from '../version.ts';

export const meta = new Hono<AppEnv>()
  .get('/', (c) =>
    c.json({
      name: 'activconnect-bridge',
      description: 'ActivTrak ActivConnect views as a safe, cached HTTP API for Sheets, Zapier and Make.',
      docs: new URL('/docs', c.req.url).toString(),
      openapi: new URL('/openapi.json', c.req.url).toString(),
    }),
  )
  .get('/healthz', async (c) => {
    // The control plane answering is what every request needs first.
    try {
      await c.env.DB.prepare('SELECT 1').first();
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'degraded', detail: 'The control-plane database is not answering.' }, 503);
    }
  })
  .get('/version', (c) => c.json(versionInfo()));
