// Verifies a Standard Webhooks signature (https://www.standardwebhooks.com/), as the bridge signs
// its deliveries. Copy this file into your own project; it needs nothing beyond Node.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * secret: the whsec_... value POST /v1/hooks returned; headers: the request's headers (lower-case
 * names, as Node gives them); body: the raw request body text, before any JSON parsing.
 */
export function verifyWebhook(secret, headers, body, toleranceSeconds = 300) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = (headers['webhook-signature'] ?? '').split(' ');
  if (!secret || !id || !/^\d+$/.test(timestamp ?? '')) return false;
  // An old or future timestamp is a replay, however good its signature.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.some((s) => {
    const [version, value] = s.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
