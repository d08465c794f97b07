/**
 * Text appended piece by piece and kept as UTF-8: the bytes of the whole text, without ever
 * holding the whole text as one string.
 *
 * A page built with `+=` is a rope of tens of thousands of small strings; encoding it first
 * flattens the rope into one flat string (two bytes per character for the whole page as soon
 * as one character needs them), which in workerd took more CPU than encoding itself. Here the
 * text is encoded a segment at a time into one growing buffer, so only a segment is ever
 * flattened. The bytes are those `new TextEncoder().encode(text)` gives (lone surrogates
 * become U+FFFD there too); `length` is the text's length in UTF-16 code units, as
 * `text.length` would be.
 */

/**
 * Characters held as a string before they are encoded: small beside a page, large beside a row.
 * Flattened, a segment with one character beyond Latin-1 takes two bytes a character; at 64 Ki
 * that was a 128 KB string, past V8's largest regular object, allocated in its large-object
 * space every time (measured: 8% more workerd CPU per json page of events than at 16 Ki).
 */
const SEGMENT_CHARS = 16 * 1024;

export class Utf8Builder {
  private buffer: Uint8Array;
  private written = 0;
  private encodedChars = 0;
  private pending = '';
  private readonly encoder = new TextEncoder();

  constructor(initialBytes = 64 * 1024) {
    this.buffer = new Uint8Array(initialBytes);
  }

  append(text: string): void {
    this.pending += text;
    if (this.pending.length >= SEGMENT_CHARS) this.flush();
  }

  /** UTF-16 code units appended so far. */
  get length(): number {
    return this.encodedChars + this.pending.length;
  }

  /** Everything appended, as UTF-8. Append nothing after. */
  bytes(): Uint8Array {
    this.flush(true);
    // A buffer much larger than its text is copied down, so a held result holds its own size.
    return this.buffer.length > this.written * 1.25 ? this.buffer.slice(0, this.written) : this.buffer.subarray(0, this.written);
  }

  private flush(final = false): void {
    let rest = this.pending;
    // A pair split across two appends is encoded whole, with the next segment.
    const last = rest.charCodeAt(rest.length - 1);
    const held = !final && last >= 0xd800 && last <= 0xdbff ? 1 : 0;
    this.pending = held ? rest.slice(-1) : '';
    if (held) rest = rest.slice(0, -1);
    this.encodedChars += rest.length;
    for (;;) {
      // encodeInto stops before a character that does not fit, never inside one.
      const { read, written } = this.encoder.encodeInto(rest, this.buffer.subarray(this.written));
      this.written += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.written + rest.length * 3));
      grown.set(this.buffer.subarray(0, this.written));
      this.buffer = grown;
    }
  }
}
