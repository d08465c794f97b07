/**
 * SHA-256 through Web Crypto, which workerd, Node 20+ and browsers all have, so the Worker,
 * the scripts and the tests hash alike.
 */

const encoder = new TextEncoder();

/** The digest of a text's UTF-8 bytes, or of bytes already encoded (a page encoded once for all its uses). */
export async function sha256(data: string | Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data));
}

/**
 * Lower-case hex of the digest, or of its first `bytes` bytes where a shorter id will do
 * (an ETag, a delivery id); 16 bytes keep collisions out of reach for those.
 * @example await sha256Hex('abc', 4) // 'ba7816bf'
 */
export async function sha256Hex(data: string | Uint8Array, bytes = 32): Promise<string> {
  return toHex((await sha256(data)).subarray(0, bytes));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
