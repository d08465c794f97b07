import type { Properties, Services } from '../types/apps-script.ts';
import { BUILT_WHITELIST, prefixAllows } from './allowlist.ts';
import { ApiClient, type Catalog, type Connection } from './client.ts';
import { UserError } from './errors.ts';

const URL_PROPERTY = 'activtrak.api_url';
const KEY_PROPERTY = 'activtrak.api_key';

/**
 * The saved connection, from the user's properties. In a custom function Apps Script hands
 * out the spreadsheet owner's properties, so formulas use the owner's connection.
 */
export function loadConnection(userProperties: Properties): Connection | null {
  const url = userProperties.getProperty(URL_PROPERTY);
  const key = userProperties.getProperty(KEY_PROPERTY);
  return url && key ? { url, key } : null;
}

export function requireConnection(userProperties: Properties): Connection {
  const connection = loadConnection(userProperties);
  if (!connection) throw new UserError('Not connected to ActivTrak. Open the ActivTrak menu > Connect and enter the API address and key.');
  return connection;
}

/**
 * Checks the address and key by listing the views the key can read, and saves them only
 * when that works, so a typo never replaces a working connection.
 */
export function connect(
  services: Pick<Services, 'UrlFetchApp' | 'Utilities' | 'PropertiesService'>,
  url: string,
  key: string,
  whitelist: readonly string[] = BUILT_WHITELIST,
): Catalog {
  const connection = { url: normaliseUrl(url), key: normaliseKey(key) };
  // Every request goes below /v1/ of the address; Apps Script would refuse each one.
  if (whitelist.length > 0 && !whitelist.some((prefix) => prefixAllows(prefix, `${connection.url}/v1/views`))) {
    throw new UserError(
      `This copy of the add-on may only connect to ${whitelist.join(' or ')}: Google lets a published add-on fetch only the addresses listed in its manifest (urlFetchWhitelist). Use that address, or ask whoever published the add-on to rebuild it with yours.`,
    );
  }
  const catalog = new ApiClient(services.UrlFetchApp, services.Utilities, connection, { retries: 0 }).catalog();
  services.PropertiesService.getUserProperties().setProperties({ [URL_PROPERTY]: connection.url, [KEY_PROPERTY]: connection.key });
  return catalog;
}

export function disconnect(userProperties: Properties): void {
  userProperties.deleteProperty(URL_PROPERTY);
  userProperties.deleteProperty(KEY_PROPERTY);
}

/** The first characters of the key, enough to tell keys apart in the sidebar. */
export function keyHint(connection: Connection): string {
  return `${connection.key.slice(0, 12)}…`;
}

function normaliseUrl(raw: string): string {
  const url = String(raw ?? '')
    .trim()
    .replace(/\/+$/, '');
  const m = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?$/i.exec(url);
  if (!m)
    throw new UserError(
      `'${url.slice(0, 80)}' is not a web address. Enter the API address, like https://activconnect-bridge.example.workers.dev.`,
    );
  const host = m[2]!.toLowerCase().replace(/:\d+$/, '');
  // The key travels in a header: plain http only for a bridge on this machine (local development).
  if (m[1]!.toLowerCase() !== 'https' && host !== 'localhost' && host !== '127.0.0.1') {
    throw new UserError('The API address must start with https:// so the key is not sent in the clear.');
  }
  return url;
}

function normaliseKey(raw: string): string {
  const key = String(raw ?? '').trim();
  if (!key) throw new UserError('Enter the API key. It starts with acb_.');
  if (!key.startsWith('acb_')) throw new UserError('That does not look like an ActivTrak bridge API key: keys start with acb_.');
  return key;
}
