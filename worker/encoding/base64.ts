/**
 * Base64 (RFC 4648 §4) and base64url (§5) over bytes, with decoders that take only the
 * canonical form: `atob` alone also accepts whitespace and missing padding, so two texts
 * could decode to the same signature or cursor.
 */

const encoder = new TextEncoder();

function binary(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
  let text = '';
  for (const byte of data) text += String.fromCharCode(byte);
  return text;
}

function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  const decoded = atob(text);
  const bytes = new Uint8Array(decoded.length);
  for (let i = 0; i < decoded.length; i++) bytes[i] = decoded.charCodeAt(i);
  return bytes;
}

/** Padded base64 of bytes, or of a text's UTF-8 bytes. */
export function toBase64(bytes: Uint8Array | string): string {
  return btoa(binary(bytes));
}

/** The bytes of canonical padded base64, or undefined for anything else. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return bytesOf(text);
  } catch {
    return undefined;
  }
}

/**
 * base64url without padding, as JWTs and the API's cursors are written.
 * @example toBase64url('{"a":1}') // 'eyJhIjoxfQ'
 */
export function toBase64url(bytes: Uint8Array | string): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The bytes of unpadded base64url, or undefined for anything else (padding, `+`, `/`, spaces). */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  try {
    return bytesOf(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
  } catch {
    return undefined;
  }
}
