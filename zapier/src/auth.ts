/**
 * API-key authentication: the bridge's URL (each customer runs or is given their own bridge)
 * and a key, tested against the catalog, which every valid key may read.
 */
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { isPlan } from '../../shared/plans.ts';
import { apiBase, apiUrl } from './api.ts';
import { planLabel } from './naming.ts';

/** What GET /v1/views answers, as far as the app reads it. */
interface Catalog {
  readonly plan: string;
  readonly views: readonly { readonly name: string }[];
}

function isCatalog(value: unknown): value is Catalog {
  if (typeof value !== 'object' || value === null) return false;
  const { plan, views } = value as Record<string, unknown>;
  return typeof plan === 'string' && Array.isArray(views);
}

/** The connection test: any 2xx that is not the bridge's catalog means the URL is wrong. */
async function testConnection(z: ZObject, bundle: Bundle): Promise<Catalog> {
  const response = await z.request({ url: apiUrl(bundle, '/v1/views') });
  let body: unknown;
  try {
    body = JSON.parse(response.content);
  } catch {
    body = null;
  }
  if (!isCatalog(body)) {
    throw new z.errors.Error(
      `${apiBase(bundle)} answered, but not as an ActivConnect bridge does. Check the Bridge URL: it is the address your administrator gave you, such as https://activconnect.example.com.`,
      'not-a-bridge',
      response.status,
    );
  }
  return body;
}

/**
 * "Professional plan, activconnect.example.com": a key names no person, so the plan and the
 * bridge are what tell two connections apart.
 * @example await connectionLabel(z, { inputData: { plan: 'essentials' }, authData: { api_url: 'https://b.example.com' } })
 * // 'Essentials plan, b.example.com'
 */
export async function connectionLabel(_z: ZObject, bundle: Bundle<Record<string, unknown>>): Promise<string> {
  const plan = bundle.inputData.plan;
  const label = isPlan(plan) ? `${planLabel(plan)} plan` : 'ActivConnect';
  let host: string;
  try {
    host = new URL(apiBase(bundle)).host;
  } catch {
    host = apiBase(bundle);
  }
  return `${label}, ${host}`;
}

export function authentication(defaultApiUrl: string) {
  return {
    type: 'custom',
    fields: [
      {
        key: 'api_url',
        label: 'Bridge URL',
        type: 'string',
        required: true,
        default: defaultApiUrl,
        // The address is shown in the connection label, so it must not be treated as a secret.
        isNoSecret: true,
        helpText:
          'The address of your ActivConnect bridge, such as `https://activconnect.example.com`. Your ActivTrak administrator has it.',
      },
      {
        key: 'api_key',
        label: 'API Key',
        type: 'password',
        required: true,
        helpText:
          'An ActivConnect bridge API key: it starts with `acb_` and decides which account and plan you read. Ask your administrator for one (`npm run admin -- key create <account> --label Zapier`).',
      },
    ],
    test: testConnection,
    connectionLabel,
  } satisfies Authentication;
}
