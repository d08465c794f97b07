import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../../worker/encoding/constant-time.ts';

describe('constantTimeEqual', () => {
  it('tells equal strings from strings differing anywhere or in length', () => {
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a1b2c3', 'a1b2c3')).toBe(true);
    expect(constantTimeEqual('a1b2c3', 'x1b2c3')).toBe(false);
    expect(constantTimeEqual('a1b2c3', 'a1b2cx')).toBe(false);
    expect(constantTimeEqual('a1b2c3', 'a1b2c')).toBe(false);
  });

  it('compares bytes the same way', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('never takes a text for bytes of the same length', () => {
    expect(constantTimeEqual('\u0001', new Uint8Array([1]))).toBe(false);
  });
});
