import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Builder } from '../../../worker/encoding/utf8-builder.ts';

const built = (pieces: readonly string[], initialBytes?: number) => {
  const b = new Utf8Builder(initialBytes);
  for (const p of pieces) b.append(p);
  return { length: b.length, bytes: b.bytes() };
};

describe('Utf8Builder', () => {
  it('gives the bytes TextEncoder gives for the whole text, and its length in UTF-16 units, however it was appended', () => {
    // Any code units, lone surrogates included (both give U+FFFD for those).
    const piece = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    // Long pieces among the short ones, so segments are encoded along the way too.
    const long = fc.integer({ min: 0, max: 40_000 }).map((n) => 'é'.repeat(n));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, piece, long), { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (pieces, initialBytes) => {
        const text = pieces.join('');
        const got = built(pieces, initialBytes);
        expect(got.length).toBe(text.length);
        expect(Buffer.from(got.bytes).equals(Buffer.from(new TextEncoder().encode(text)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('encodes a surrogate pair split across two appends, and across a segment boundary, as one character', () => {
    const long = 'a'.repeat(64 * 1024 - 1);
    const got = built([long + '\ud83d', '\ude00', 'é'.repeat(70_000), '\ud83d']);
    expect(Buffer.from(got.bytes).equals(Buffer.from(new TextEncoder().encode(`${long}😀${'é'.repeat(70_000)}\ud83d`)))).toBe(true);
  });

  it('holds a page of wide rows in a buffer of about its own size', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `{"i":${i},"t":"${'x'.repeat(1300)}—"},`);
    const got = built(rows);
    expect(got.bytes.byteLength).toBe(new TextEncoder().encode(rows.join('')).byteLength);
    expect(got.bytes.buffer.byteLength).toBeLessThanOrEqual(got.bytes.byteLength * 1.25);
  });
});
