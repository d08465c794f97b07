import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64url, toBase64, toBase64url } from '../../../worker/encoding/base64.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('base64', () => {
  it('encodes the RFC 4648 test vectors, padded', () => {
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((t) => toBase64(t))).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
  });

  it('round-trips every byte value, and agrees with Node', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(fromBase64(toBase64(all))).toEqual(all);
  });

  it('decodes only canonical padded base64', () => {
    for (const text of ['', 'Zm9', 'Zm9v\n', ' Zm9v', 'Zm9vYg', 'Zm9v-_==', 'Z===', 'Zm=v']) expect(fromBase64(text), text).toBeUndefined();
  });
});

describe('base64url', () => {
  it('writes - and _ for + and /, without padding, and agrees with Node', () => {
    expect(toBase64url(bytes(0xfb, 0xff))).toBe('-_8');
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(toBase64url(all)).toBe(Buffer.from(all).toString('base64url'));
    expect(toBase64url('{"a":1}')).toBe('eyJhIjoxfQ');
  });

  it('round-trips, and refuses padding, the standard alphabet and stray characters', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64url(toBase64url(all))).toEqual(all);
    expect(fromBase64url('')).toEqual(bytes());
    for (const text of ['-_8=', '+/8', 'ab cd', 'A', 'abc.']) expect(fromBase64url(text), text).toBeUndefined();
  });
});
