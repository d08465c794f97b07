/**
 * Decides whether a subscriber's target URL is somewhere we are willing to POST to.
 *
 * A webhook target is a URL a stranger typed, fetched from our infrastructure: without these
 * checks it is a server-side request forgery (SSRF) hole into loopback services, private
 * networks and cloud metadata endpoints. Host checks run on the WHATWG-normalised URL, so
 * disguises such as `http://2130706433/`, `http://0x7f.1/` or full-width digits have already
 * become `127.0.0.1` by the time they are looked at.
 *
 * A name is then normalised the way a resolver reads it: trailing dots dropped (`localhost..`
 * is `localhost`), and a name that is an IPv4 address in a form the URL parser passed through
 * (`127.0.0.1..`) read as that address. Addresses are parsed and matched by ipaddr.js.
 *
 * A hostname can still resolve to a forbidden address (DNS rebinding, `127.0.0.1.nip.io`);
 * `isForbiddenAddress` is exported so delivery can re-check whatever address it learns.
 */
import ipaddr from 'ipaddr.js';

/** Longer URLs are refused: browsers and most servers cap around this, and we store it. */
export const MAX_TARGET_URL_LENGTH = 2048;

/** Options shared by `checkTargetUrl` and `isForbiddenAddress`. */
export interface TargetUrlOptions {
  /**
   * Local development only: allows loopback targets (`localhost`, `127.0.0.0/8`, `::1`) and
   * plain `http://` to them, so a developer can point a hook at a server on their machine.
   */
  allowInsecureLocal: boolean;
}

/** The outcome of `checkTargetUrl`; `reason` is a sentence fit to show the subscriber. */
export type TargetUrlResult = { ok: true; url: URL } | { ok: false; reason: string };

type Category =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'metadata'
  | 'multicast'
  | 'reserved'
  | 'ipv4-mapped'
  | 'internal-name'
  | 'unparseable';

const DESCRIPTIONS: Record<Category, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  'link-local': 'a link-local address',
  shared: 'a carrier-grade NAT (shared) address',
  metadata: 'a cloud metadata endpoint',
  multicast: 'a multicast address',
  reserved: 'a reserved or non-routable address',
  'ipv4-mapped': 'an IPv4-mapped IPv6 address',
  'internal-name': 'a name that only resolves inside private networks',
  unparseable: 'a host name that cannot be read',
};

/**
 * Special-purpose IPv4 blocks, after the IANA registry; the first match wins, so the metadata
 * address is listed before the link-local block that contains it.
 */
const IPV4_BLOCKS: ReadonlyArray<readonly [cidr: string, category: Category]> = [
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud
  ['0.0.0.0/8', 'reserved'], // "this network"; 0.0.0.0 reaches localhost on many systems
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'], // documentation
  ['203.0.113.0/24', 'reserved'], // documentation
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // future use, and 255.255.255.255 broadcast
];

/**
 * IPv6 is checked the other way round: only global unicast (2000::/3) is allowed at all, minus
 * the blocks inside it that are not ordinary hosts or that tunnel to an IPv4 address we would
 * otherwise refuse. Everything outside 2000::/3 gets the most specific category listed here.
 */
const IPV6_BLOCKS: ReadonlyArray<readonly [cidr: string, category: Category]> = [
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'ipv4-mapped'],
  ['64:ff9b::/96', 'reserved'], // NAT64: would reach any IPv4 address, private ones included
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64
  ['fd00:ec2::254/128', 'metadata'], // AWS IMDS over IPv6
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo (embeds IPv4) included
  ['2001:db8::/32', 'reserved'], // documentation
  ['2002::/16', 'reserved'], // 6to4 (embeds IPv4)
  ['3fff::/20', 'reserved'], // documentation
];
const IPV6_GLOBAL_UNICAST = '2000::/3';

/** Host names of cloud metadata services, which hand out credentials to whoever asks. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);
/**
 * Suffixes that only resolve inside a private network: `.internal` (reserved by ICANN),
 * `.local` (mDNS, RFC 6762), `.home.arpa` (RFC 8375), and the private TLDs RFC 6762
 * appendix G lists as in common use.
 */
const INTERNAL_SUFFIXES = ['internal', 'local', 'localdomain', 'home.arpa', 'intranet', 'private', 'corp', 'home', 'lan'].map(
  (suffix) => `.${suffix}`,
);

// Parsed once at load, so a typo in a table fails every test instead of one unlucky request.
const IPV4_TABLE = IPV4_BLOCKS.map(([cidr, category]) => ({ range: ipaddr.IPv4.parseCIDR(cidr), category }));
const IPV6_TABLE = IPV6_BLOCKS.map(([cidr, category]) => ({ range: ipaddr.IPv6.parseCIDR(cidr), category }));
const IPV6_GLOBAL = ipaddr.IPv6.parseCIDR(IPV6_GLOBAL_UNICAST);

/**
 * Validates a subscriber's webhook target URL before it is stored or POSTed to. Returns the
 * normalised URL (fragment removed) or a reason naming the problem.
 *
 * @example
 * checkTargetUrl('https://hooks.zapier.com/hooks/catch/1/abc/', { allowInsecureLocal: false });
 * // { ok: true, url: URL('https://hooks.zapier.com/hooks/catch/1/abc/') }
 * checkTargetUrl('https://2130706433/', { allowInsecureLocal: false });
 * // { ok: false, reason: 'The target URL points to a loopback address (127.0.0.1); ...' }
 */
export function checkTargetUrl(raw: string, options: TargetUrlOptions): TargetUrlResult {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return refuse('The target URL is empty.');
  }
  if (raw.length > MAX_TARGET_URL_LENGTH) {
    return refuse(`The target URL is longer than ${MAX_TARGET_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('The target URL is not a valid absolute URL; it should look like https://example.com/hooks.');
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(`The target URL must use https://, not ${url.protocol}//.`);
  }
  if (url.protocol === 'http:' && !options.allowInsecureLocal) {
    return refuse('The target URL must use https://; webhooks carry your data and are only sent encrypted.');
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('The target URL must not contain a username or password (user:pass@); use a secret in the path or query instead.');
  }

  const category = categorise(url.hostname, options);
  if (category) {
    return refuse(
      `The target URL points to ${DESCRIPTIONS[category]} (${url.hostname}); webhooks can only be delivered to public internet hosts.`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return refuse('The target URL must use https://; plain http:// is only allowed to localhost during local development.');
  }

  // Fragments never reach the server, so keeping one would only make equal URLs look different.
  url.hash = '';
  // Normalisation can lengthen a URL (punycode, percent-encoding), so check what we will store.
  if (url.href.length > MAX_TARGET_URL_LENGTH) {
    return refuse(`The target URL is longer than ${MAX_TARGET_URL_LENGTH} characters once normalised.`);
  }
  return { ok: true, url };
}

/**
 * True when a host name or IP address must not be contacted: loopback, private, link-local,
 * shared, multicast, reserved, metadata or IPv4-mapped addresses, and private-only names.
 * Accepts what `URL.hostname` gives as well as bare addresses (`::1`, `[::1]`, `10.0.0.1`);
 * anything it cannot read counts as forbidden.
 *
 * @example
 * isForbiddenAddress('169.254.169.254'); // true
 * isForbiddenAddress('localhost', { allowInsecureLocal: true }); // false
 */
export function isForbiddenAddress(host: string, options: TargetUrlOptions = { allowInsecureLocal: false }): boolean {
  if (typeof host !== 'string' || host === '' || /[\s/\\?#@]/.test(host)) return true;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let hostname: string;
  try {
    // Re-use the URL parser so that every spelling of an address is judged in one canonical form.
    hostname = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return true;
  }
  return categorise(hostname, options) !== undefined;
}

function refuse(reason: string): TargetUrlResult {
  return { ok: false, reason };
}

/** Why a WHATWG-normalised hostname is forbidden, or undefined when it may be contacted. */
function categorise(hostname: string, options: TargetUrlOptions): Category | undefined {
  const category = rawCategory(hostname);
  if (category === 'loopback' && options.allowInsecureLocal) return undefined;
  return category;
}

function rawCategory(hostname: string): Category | undefined {
  if (hostname.startsWith('[')) {
    const text = hostname.slice(1, -1);
    if (!ipaddr.IPv6.isValid(text)) return 'unparseable';
    const address = ipaddr.IPv6.parse(text);
    // A zone (`fe80::1%eth0`) names an interface of the machine that sends: never public.
    if (address.zoneId !== undefined) return 'unparseable';
    const match = IPV6_TABLE.find((block) => address.match(block.range));
    if (match) return match.category;
    return address.match(IPV6_GLOBAL) ? undefined : 'reserved';
  }
  const name = resolverName(hostname);
  if (name === null) return 'unparseable';
  // Any IPv4 spelling a resolver accepts (inet_aton: 127.1, 0x7f.0.0.1, 2130706433), which the
  // URL parser leaves as a name once trailing dots stop it from reading an address.
  if (ipaddr.IPv4.isValid(name)) {
    const address = ipaddr.IPv4.parse(name);
    return IPV4_TABLE.find((block) => address.match(block.range))?.category;
  }
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(name)) return 'metadata';
  // Single-label names are resolved through local search domains, never the public DNS.
  if (!name.includes('.') || INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) return 'internal-name';
  return undefined;
}

/**
 * A host name as a resolver looks it up: lower case, without the trailing dots that only mark
 * it fully qualified (`localhost.` and `localhost..` are `localhost`), or null when an empty
 * label (`a..b`) leaves nothing a resolver agrees on.
 */
function resolverName(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (name === '' || name.split('.').some((label) => label === '')) return null;
  return name;
}

function isLoopback(hostname: string): boolean {
  return rawCategory(hostname) === 'loopback';
}
