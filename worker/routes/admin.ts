import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { constantTimeEqual } from '../encoding/constant-time.ts';
import { hashApiKey } from '../tenants/keys.ts';
import { bumpDataVersion } from '../tenants/admin.ts';
import { revokeKeyHere, TENANT_ID } from '../tenants/tenants.ts';
import { isolateKeyCache, keyCacheMaxAgeMs } from '../tenants/key-cache.ts';

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
    // Cached callers carry the old data version; other isolates drop theirs within KEY_CACHE_SECONDS.
    isolateKeyCache.forgetTenant(id);
    const row = await c.env.DB.prepare('SELECT data_version FROM tenants WHERE id = ?').bind(id).first<{ data_version: number }>();
    return c.json({ tenant: id, data_version: row?.data_version ?? null, purged: true });
  })
  /**
   * Revokes a key and forgets it in this isolate at once; other isolates stop accepting it
   * within KEY_CACHE_SECONDS. Revoking a key already revoked answers 200 with revoked: false.
   */
  .post('/keys/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!/^key_[0-9a-f]{16}$/.test(id)) {
      throw new ApiError(400, 'invalid-parameter', "A key id is 'key_' and 16 hex digits, as `npm run admin -- key list` shows it.");
    }
    const known = await c.env.DB.prepare('SELECT id FROM api_keys WHERE id = ?').bind(id).first();
    if (!known) throw new ApiError(404, 'not-found', `No key '${id}'.`);
    const revoked = await revokeKeyHere(c.env.DB, id);
    const seconds = keyCacheMaxAgeMs(c.env.KEY_CACHE_SECONDS) / 1000;
    return c.json({ key: id, revoked, refused_everywhere_within_seconds: seconds });
  });
