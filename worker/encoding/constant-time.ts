/**
 * Equality without an early exit, so the time an answer takes does not tell a forger how much
 * of a guessed key, signature or cursor was right. Plain code rather than workerd's
 * `crypto.subtle.timingSafeEqual`: the signature check also runs in the Zapier app and the key
 * hash in the admin scripts, on Node, whose Web Crypto lacks it. A length difference returns
 * at once; the lengths compared here are public (a hash, a signature's size).
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (a.length !== b.length || typeof a !== typeof b) return false;
  let difference = 0;
  if (typeof a === 'string' && typeof b === 'string') {
    for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  } else if (typeof a !== 'string' && typeof b !== 'string') {
    for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  }
  return difference === 0;
}
