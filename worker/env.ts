import type { DeliveryMessage } from './hooks/message.ts';
import { ApiError } from './http/errors.ts';
import type { Caller } from './tenants/tenants.ts';

/**
 * Bindings and variables: wrangler.toml's, as `npm run types` generates them into
 * worker-configuration.d.ts, plus the secrets, which wrangler cannot see. Secrets (CURSOR_SECRET,
 * ADMIN_TOKEN, GOOGLE_SERVICE_ACCOUNT_JSON) are set with `wrangler secret put`.
 */
export interface Env extends Omit<Cloudflare.Env, 'ENVIRONMENT' | 'DELIVERIES' | 'KEY_CACHE_SECONDS'> {
  /** 'development' locally, 'test' under vitest, 'production' when deployed. */
  readonly ENVIRONMENT: string;
  /** Seconds an isolate trusts a verified key (wrangler.toml says why); a var an operator may change. */
  readonly KEY_CACHE_SECONDS?: string;
  /** wrangler.toml's DELIVERIES producer, with the message type wrangler cannot know. */
  readonly DELIVERIES: Queue<DeliveryMessage>;
  readonly CURSOR_SECRET?: string;
  /** The BigQuery service account's JSON key, for tenants whose warehouse is BigQuery. */
  readonly GOOGLE_SERVICE_ACCOUNT_JSON?: string;
  /** Bearer token of the /admin endpoints; unset disables them. */
  readonly ADMIN_TOKEN?: string;
}

interface AppVariables {
  caller: Caller;
  requestId: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** Local development runs without secrets; production refuses to sign cursors with a known key. */
const DEVELOPMENT_CURSOR_SECRET = 'activconnect-bridge development cursor secret';

export function isDevelopment(env: Env): boolean {
  return env.ENVIRONMENT === 'development' || env.ENVIRONMENT === 'test';
}

export function cursorSecret(env: Env): string {
  if (env.CURSOR_SECRET) return env.CURSOR_SECRET;
  if (isDevelopment(env)) return DEVELOPMENT_CURSOR_SECRET;
  throw new ApiError(
    500,
    'internal',
    'This server is not fully configured (no CURSOR_SECRET). An administrator must set it: wrangler secret put CURSOR_SECRET.',
  );
}
