/**
 * Keeps zapier-platform-core off Zapier's servers while the app tester runs. Import it before
 * anything that loads the core (imports run in order), because the RPC fallback is read once,
 * at load.
 *
 * What the core would reach, and how each is closed:
 * - its log stream (httplogger.zapier.com): opened only when LOGGING_TOKEN or the event's
 *   `token` is set; the app tester sets no token, and LOGGING_TOKEN is removed here. The
 *   endpoint is also pointed at a closed local port, should a token appear anyway;
 * - its RPC service (rpc.zapier.com: z.cursor, z.stashFile, zcache): ZAPIER_BASE_ENDPOINT
 *   moves it to the same closed port; the app uses none of them;
 * - anything else: every host-name look-up is recorded and refused, so a test can assert that
 *   nothing but IP addresses (the local bridge on 127.0.0.1) was contacted.
 */
import dns from 'node:dns';
import { isIP } from 'node:net';

const CLOSED = 'http://127.0.0.1:9';
delete process.env.LOGGING_TOKEN;
process.env.LOGGING_ENDPOINT = `${CLOSED}/zapier-logging-disabled`;
process.env.ZAPIER_BASE_ENDPOINT = CLOSED;

/** Host names something in this process tried to resolve since load (IP addresses need none). */
export const lookedUpHosts: string[] = [];

type LookupCallback = (err: Error | null, ...rest: unknown[]) => void;
const realLookup = dns.lookup.bind(dns) as (hostname: string, options: unknown, callback: LookupCallback) => void;

// net.connect and server.listen read dns.lookup when they run, so replacing the property
// reaches every client; an IP address (the local bridge, the receiver) is passed through.
(dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback?: LookupCallback) => {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts = typeof options === 'function' ? {} : options;
  if (isIP(hostname) !== 0) return realLookup(hostname, opts, done);
  lookedUpHosts.push(hostname);
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (refused: these tests run offline)`), {
    code: 'ENOTFOUND',
    hostname,
  });
  process.nextTick(() => done(err));
};
