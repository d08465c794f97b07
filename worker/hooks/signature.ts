/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec v1.0.0), symmetric
 * `v1` scheme only: HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`.
 *
 * Following the spec exactly, rather than inventing a header, lets subscribers verify our
 * deliveries with any of the published Standard Webhooks libraries.
 */

import { fromBase64, toBase64 } from '../encoding/base64.ts';
import { constantTimeEqual } from '../encoding/constant-time.ts';

export const SECRET_PREFIX = 'whsec_';
export const SIGNATURE_VERSION = 'v1';

/** 32 bytes: SHA-256's output length, the key size RFC 2104 recommends, inside the spec's 24–64. */
const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Five minutes, the tolerance the reference libraries use. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The three request headers a Standard Webhooks delivery carries. A type alias rather than an
 * interface so it can be passed wherever a plain header record is expected, `verify` included.
 */
export type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** What `verify` concluded; a failure carries a sentence fit to show the subscriber. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Raw request bodies are signed as sent, so bytes are accepted as well as text. */
export type WebhookBody = string | Uint8Array;

/**
 * Creates a new endpoint signing secret: `whsec_` followed by the base64 of 32 random bytes.
 * Store it with the subscription and show it to the subscriber once.
 */
export function generateSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/**
 * Signs one delivery and returns the `v1,<base64>` entry for the `webhook-signature` header.
 * Throws on a malformed secret, id or timestamp: those come from our own storage, so a bad one
 * is a bug to surface, not input to report.
 *
 * @example
 * await sign({ secret, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' });
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' for the spec's test secret
 */
export async function sign(input: { secret: string; id: string; timestamp: number; body: WebhookBody }): Promise<string> {
  const key = decodeSecret(input.secret);
  if (typeof key === 'string') throw new TypeError(key);
  const idProblem = checkId(input.id);
  if (idProblem) throw new TypeError(idProblem);
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) {
    throw new TypeError('The webhook timestamp must be a whole, non-negative number of seconds.');
  }
  const mac = await hmacSha256(key, signedContent(input.id, String(input.timestamp), input.body));
  return `${SIGNATURE_VERSION},${toBase64(mac)}`;
}

/**
 * Builds the three Standard Webhooks headers for one delivery attempt. Pass several secrets
 * while rotating one: the header then lists one signature per secret, space-separated, so
 * receivers holding either secret accept the delivery.
 *
 * @param now the attempt's time; retries must pass a fresh one, since receivers reject stale
 *   timestamps to stop replays.
 */
export async function signatureHeaders(
  secrets: string | readonly string[],
  id: string,
  body: WebhookBody,
  now: Date = new Date(),
): Promise<SignatureHeaders> {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new TypeError('At least one signing secret is needed.');
  const timestamp = Math.floor(now.getTime() / 1000);
  const signatures = await Promise.all(list.map((secret) => sign({ secret, id, timestamp, body })));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Checks a delivery's headers against a secret, the way a receiver would. Never throws: bad
 * input of any kind becomes `{ ok: false, reason }`.
 *
 * Accepts the delivery when any `v1` entry of `webhook-signature` matches; other versions
 * (such as the asymmetric `v1a`) are skipped, as the spec requires for forward compatibility.
 */
export async function verify(input: {
  secret: string;
  headers: Headers | Readonly<Record<string, string | undefined>>;
  body: WebhookBody;
  now?: Date;
  toleranceSeconds?: number;
}): Promise<VerifyResult> {
  const { secret, headers, body, now = new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = input;
  const key = decodeSecret(secret);
  if (typeof key === 'string') return fail(key);

  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatureText = header(headers, 'webhook-signature');
  if (id === undefined) return fail('The webhook-id header is missing.');
  if (timestampText === undefined) return fail('The webhook-timestamp header is missing.');
  if (signatureText === undefined) return fail('The webhook-signature header is missing.');

  const idProblem = checkId(id);
  if (idProblem) return fail(idProblem);

  // Strict digits only: parseInt would accept "1614265330abc" and sign something else.
  if (!/^\d{1,15}$/.test(timestampText)) {
    return fail('The webhook-timestamp header must be a whole number of seconds since 1970.');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    return fail(`The webhook-timestamp is more than ${toleranceSeconds} seconds old; the delivery may be a replay.`);
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    return fail(`The webhook-timestamp is more than ${toleranceSeconds} seconds in the future; check the sender's clock.`);
  }

  const candidates = signatureText
    .split(' ')
    .filter((entry) => entry.startsWith(`${SIGNATURE_VERSION},`))
    .map((entry) => entry.slice(SIGNATURE_VERSION.length + 1));
  if (candidates.length === 0) {
    return fail(`The webhook-signature header has no ${SIGNATURE_VERSION} signature.`);
  }

  // Sign the header text as received rather than a re-serialised number, so what we check is
  // byte for byte what the sender signed.
  const expected = toBase64(await hmacSha256(key, signedContent(id, timestampText, body)));
  for (const candidate of candidates) {
    if (constantTimeEqual(candidate, expected)) return { ok: true };
  }
  return fail('No signature in the webhook-signature header matches this secret and body.');
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

/** Returns the key bytes, or a sentence saying what is wrong with the secret. */
function decodeSecret(secret: string): Uint8Array<ArrayBuffer> | string {
  const malformed = `The signing secret is malformed: it must be "${SECRET_PREFIX}" followed by base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes.`;
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return malformed;
  const key = fromBase64(secret.slice(SECRET_PREFIX.length));
  if (!key || key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) return malformed;
  return key;
}

/** The spec warns that a "." in the id would let one signed content be split two ways. */
function checkId(id: string): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'The webhook-id must not be empty.';
  if (id.includes('.')) return 'The webhook-id must not contain ".".';
  return undefined;
}

function header(headers: Headers | Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  // Plain objects come from frameworks that may keep the sender's casing.
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined) return value;
  }
  return undefined;
}

function signedContent(id: string, timestamp: string, body: WebhookBody): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const content = new Uint8Array(prefix.length + payload.length);
  content.set(prefix);
  content.set(payload, prefix.length);
  return content;
}

async function hmacSha256(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
}
