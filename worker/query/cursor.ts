import { ApiError } from '../http/errors.ts';
import type { Query, TypedValue } from './model.ts';
import { normalForm } from './normalize.ts';
import { fromBase64url, toBase64url } from '../encoding/base64.ts';
import { constantTimeEqual } from '../encoding/constant-time.ts';
import { sha256 } from '../encoding/sha256.ts';

/**
 * Opaque, tamper-proof keyset cursors. A cursor holds the order values of the last row
 * returned, bound to the query it belongs to and the tenant, and signed with HMAC-SHA256:
 * a forged or edited cursor, or one reused on another query, is a 400, not a wrong page.
 */
interface CursorPayload {
  /** Fingerprint of the query and tenant. */
  q: string;
  /** Order values of the last row returned. */
  k: (TypedValue | null)[];
  /** Rows at exactly that position already returned, where rows can tie (Query.afterTies). */
  t?: number;
}

/** Where the next page starts: the keyset position, and the tied rows already returned there. */
export interface Resume {
  readonly after: readonly (TypedValue | null)[];
  readonly ties: number;
}

const encoder = new TextEncoder();

const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

async function fingerprint(query: Query, tenantId: string): Promise<string> {
  return toBase64url((await sha256(`${tenantId}\n${normalForm(query)}`)).subarray(0, 12));
}

export async function encodeCursor(secret: string, tenantId: string, query: Query, resume: Resume): Promise<string> {
  const payload: CursorPayload = { q: await fingerprint(query, tenantId), k: [...resume.after] };
  if (resume.ties > 0) payload.t = resume.ties;
  const body = encoder.encode(JSON.stringify(payload));
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), body));
  return `${toBase64url(body)}.${toBase64url(sig.slice(0, 16))}`;
}

const badCursor = (detail: string) => new ApiError(400, 'invalid-cursor', detail);

/** Checks a cursor against the query it is used with and returns where to resume. */
export async function decodeCursor(secret: string, tenantId: string, query: Query, cursor: string): Promise<Resume> {
  const [bodyText, sigText, extra] = cursor.split('.');
  const body = bodyText === undefined ? undefined : fromBase64url(bodyText);
  const sig = sigText === undefined ? undefined : fromBase64url(sigText);
  if (extra !== undefined || !body || !sig || sig.length !== 16 || cursor.length > 4096) {
    throw badCursor('This cursor is not one the API issued. Use the next link from the previous page as it is.');
  }
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), body)).slice(0, 16);
  if (!constantTimeEqual(expected, sig))
    throw badCursor('This cursor has been altered or was issued by another server. Use the next link as it is.');
  let payload: CursorPayload;
  try {
    payload = JSON.parse(new TextDecoder().decode(body)) as CursorPayload;
  } catch {
    throw badCursor('This cursor cannot be read.');
  }
  if (payload.q !== (await fingerprint(query, tenantId))) {
    throw badCursor('This cursor belongs to a different query. Keep select, filters, order and group_by the same while paging.');
  }
  if (!Array.isArray(payload.k) || payload.k.length !== query.order.length) throw badCursor('This cursor does not match the query order.');
  const ties = payload.t ?? 0;
  if (!Number.isSafeInteger(ties) || ties < 0) throw badCursor('This cursor cannot be read.');
  return { after: payload.k, ties };
}
