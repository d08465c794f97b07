/**
 * The manifest's urlFetchWhitelist, which a versioned (published) deployment must have:
 * Apps Script then fetches only URLs that match one of its prefixes
 * (https://developers.google.com/apps-script/manifest/allowlist-url). The build writes it
 * from the configured bridge address and puts the same list here, so connect() can refuse
 * an address outside it with a reason instead of letting every later fetch fail.
 */
declare const __ACTIVTRAK_URL_FETCH_WHITELIST__: readonly string[] | undefined;

/** The list the bundle was built with; empty for a build without one (bound scripts, tests). */
export const BUILT_WHITELIST: readonly string[] =
  typeof __ACTIVTRAK_URL_FETCH_WHITELIST__ === 'undefined' ? [] : __ACTIVTRAK_URL_FETCH_WHITELIST__;

const PREFIX = /^https:\/\/([^/?#]+)(\/[^?#]*)$/;

/**
 * Why a prefix would be refused in a manifest, or null: an https URL with a full domain and
 * a non-empty path (https://example.com/, not https://example.com), at most one wildcard and
 * only as the leading label (https://*.example.com/).
 */
export function prefixProblem(prefix: string): string | null {
  const m = PREFIX.exec(prefix);
  if (!m) return `'${prefix}' must start with https:// and have a path, like https://bridge.example.com/`;
  const host = m[1]!;
  if (host.includes('*') && !/^\*\.[^*]+$/.test(host))
    return `'${prefix}' may only use one wildcard, as its first label (https://*.example.com/)`;
  if (!/^(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+(:\d+)?$/i.test(host)) return `'${prefix}' needs a full domain name`;
  return null;
}

/**
 * Whether Apps Script would let `url` through `prefix`: the same URL, or one below it (the
 * prefix followed by a path, ? or #); paths compare case-sensitively, and `*.` stands for at
 * least one subdomain.
 */
export function prefixAllows(prefix: string, url: string): boolean {
  const p = prefixProblem(prefix) === null ? PREFIX.exec(prefix) : null;
  const u = /^https:\/\/([^/?#]+)([^?#]*)(.*)$/i.exec(url);
  if (!p || !u) return false;
  const want = p[1]!.toLowerCase();
  const host = u[1]!.toLowerCase();
  if (want.startsWith('*.') ? !(host.endsWith(want.slice(1)) && host.length > want.length - 1) : host !== want) return false;
  const rest = (u[2] || '/') + u[3];
  const path = p[2]!;
  if (!rest.startsWith(path)) return false;
  const next = rest.charAt(path.length);
  return path.endsWith('/') || next === '' || next === '/' || next === '?' || next === '#';
}

/** The prefix the build writes for a bridge address: the address with one trailing slash. */
export function prefixFor(bridgeUrl: string): string {
  return `${bridgeUrl.trim().replace(/\/+$/, '')}/`;
}
