/**
 * A second, deliberately naive implementation of the Standard Webhooks v1 scheme, written from
 * the spec text (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md)
 * for tests only. It shares no code with `worker/hooks/signature.ts` and takes other routes on
 * purpose, so a bug in one is unlikely to be repeated in the other:
 *
 * - HMAC is built by hand from RFC 2104 on top of `crypto.subtle.digest`, not `subtle.sign`;
 * - base64 goes through `Buffer` (tests run with `nodejs_compat`), not `atob`/`btoa`.
 *
 * It is not constant-time and accepts anything the spec allows; never use it in the Worker.
 */
import { Buffer } from 'node:buffer';

const SHA256_BLOCK_BYTES = 64;

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', Buffer.concat(parts)));
}

/** RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)), K zero-padded to the block size. */
async function hmacSha256(key: Uint8Array, text: Uint8Array): Promise<Uint8Array> {
  const shortKey = key.length > SHA256_BLOCK_BYTES ? await sha256(key) : key;
  const block = new Uint8Array(SHA256_BLOCK_BYTES);
  block.set(shortKey);
  const ipad = block.map((byte) => byte ^ 0x36);
  const opad = block.map((byte) => byte ^ 0x5c);
  return sha256(opad, await sha256(ipad, text));
}

/** "base64 encoded, prefixed with `whsec_`" (spec, Signature scheme table). */
function keyFromSecret(secret: string): Uint8Array {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** Returns the `v1,<base64>` signature of `{msg_id}.{timestamp}.{payload}`. */
export async function referenceSign(secret: string, id: string, timestamp: number | string, body: string): Promise<string> {
  const content = Buffer.from(`${id}.${timestamp}.${body}`, 'utf8');
  const mac = await hmacSha256(keyFromSecret(secret), content);
  return `v1,${Buffer.from(mac).toString('base64')}`;
}

/**
 * True when the headers carry a `v1` signature of the body under the secret and the timestamp
 * is within the tolerance of `nowSeconds`.
 */
export async function referenceVerify(input: {
  secret: string;
  headers: Record<string, string>;
  body: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): Promise<boolean> {
  const { secret, headers, body, nowSeconds, toleranceSeconds = 300 } = input;
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = await referenceSign(secret, id, timestamp, body);
  return signatures.split(' ').includes(expected);
}
