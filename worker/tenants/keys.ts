/**
 * API keys: random, shown once, stored only as SHA-256 hashes. SHA-256 without a salt or
 * work factor is enough here because keys are 190 random bits, not passwords.
 */
import { sha256Hex } from '../encoding/sha256.ts';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_PREFIX = 'acb_';

/** A new key: `acb_` and 32 base62 characters. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  let out = '';
  for (const b of bytes) {
    if (b >= 248) continue; // 248 = 4 * 62: keeps the distribution uniform
    out += ALPHABET[b % 62];
    if (out.length === 32) break;
  }
  return out.length === 32 ? KEY_PREFIX + out : generateApiKey();
}

/** Keys are stored as this hash: hex SHA-256 of the key text. */
export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/** What a listing may show of a key. */
export function keyPrefix(key: string): string {
  return key.slice(0, 12);
}

/** Demo keys are derived from the seed so `npm start` can print them every time. Demo only. */
export async function demoApiKey(tenantId: string, seed: number): Promise<string> {
  const hash = await hashApiKey(`activconnect-bridge demo key\n${tenantId}\n${seed}`);
  return `${KEY_PREFIX}demo_${tenantId}_${hash.slice(0, 24)}`;
}
