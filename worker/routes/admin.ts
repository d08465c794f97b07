import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { constantTimeEqual, hashApiKey } from '../tenants/keys.ts';
import { bumpDataVersion } from '../tenants/admin.ts';
import { TENANT_ID } from '../tenants/tenants.ts';

/**
 * Operator endpoints, behind their own secret (ADMIN_TOKEN), not behind tenant keys. With
 * no ADMIN_TOKEN set they answer 404, as if they did not exist.
 */
export const admin = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    const token = c.env.ADMIN_TOKEN;
    if (!token) throw new ApiError(404, 'not-found', 'Admin endpoints are disabled: set the ADMIN_TOKEN secret to enable them.');
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    // Hash both so the comparison is constant-time whatever their lengths.
    if (!constantTimeEqual(await hashApiKey(given), await hashApiKey(token))) {
      throw new ApiError(
        401,
        'unauthorized',
        'The admin token is missing or incorrect.',
        {},
        { 'www-authenticate': 'Bearer realm="admin"' },
      );
    }
    await next();
  })
  /** Every cached result of the tenant becomes unreachable: cache keys carry the data version. */
  .post('/tenants/:id/purge', async (c) => {
    const id = c.req.param('id');
    if (!TENANT_ID.test(id)) throw new ApiError(400, 'invalid-parameter', 'A tenant id is 1-31 lowercase letters, digits or _.');
    const statement = bumpDataVersion(id);
    const result = await c.env.DB.prepare(statement.sql)
      .bind(...statement.params)
      .run();
    if (!result.meta.changes) throw new ApiError(404, 'not-found', `No tenant '${id}'.`);
    const row = await c.env.DB.prepare('SELECT data_version FROM tenants WHERE id = ?').bind(id).first<{ data_version: number }>();
    return c.json({ tenant: id, data_version: row?.data_version ?? null, purged: true });
  });
