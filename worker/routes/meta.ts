import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { warnRecovered } from '../log.ts';
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
    } catch (err) {
      warnRecovered('healthz.database_failed', err);
      throw new ApiError(
        503,
        'service-unavailable',
        'The control-plane database is not answering, so no API key can be checked. Try again in a minute.',
        {},
        { 'retry-after': '30' },
      );
    }
    return c.json({ status: 'ok' });
  })
  .get('/version', (c) => c.json(versionInfo()));
