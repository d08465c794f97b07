import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { VIEW_NAMES } from '../../shared/views/index.ts';

/** The release, as package.json names it (the Worker cannot read that file; a test holds the two equal). */
export const API_VERSION = '1.0.0';

/** GET /version; the OpenAPI Version schema is checked against its keys. */
export function versionInfo() {
  return { name: 'activconnect-bridge', version: API_VERSION, api: 'v1', views: VIEW_NAMES.length };
}

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
