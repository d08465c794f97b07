import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../../worker/encoding/sha256.ts';

describe('sha256Hex', () => {
  it('gives the FIPS 180-2 digest of "abc" in lower-case hex', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the UTF-8 bytes, as Node does', async () => {
    const text = 'Zürich ✓ 𝄞';
    expect(await sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(await sha256(text)).toEqual(new Uint8Array(createHash('sha256').update(text, 'utf8').digest()));
  });

  it('shortens to the first bytes asked for', async () => {
    const whole = await sha256Hex('');
    expect(await sha256Hex('', 16)).toBe(whole.slice(0, 32));
    expect(await sha256Hex('', 16)).toHaveLength(32);
  });
});
