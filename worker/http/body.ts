import { warnRecovered } from '../log.ts';
import { ApiError } from './errors.ts';

/**
 * How much of an oversized upload is read and thrown away before answering 413. A server that
 * answers before the client has finished sending leaves the client writing into a closed
 * connection, and it sees a reset instead of the 413 (workerd's own proxy in `wrangler dev`
 * turns that into a bare 500). Draining a modest excess keeps the answer readable; past this
 * much the stream is cancelled, since reading it would only burn CPU on a hostile client.
 */
export const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * A request body as text, read no further than `maxBytes`: an announced or streamed body
 * over the limit is a 413 before it fills the isolate, whatever Content-Length says.
 */
export async function readBodyText(request: Request, maxBytes: number, what: string, limitName: string): Promise<string> {
  const tooLarge = () =>
    new ApiError(413, 'limit-exceeded', `${what} is larger than ${maxBytes} bytes.`, { limit: limitName, maximum: maxBytes });
  // The Workers types leave a body's chunk type as `any`; a request body streams bytes.
  const stream = request.body as ReadableStream<Uint8Array> | null;
  const announced = Number(request.headers.get('content-length') ?? '0');
  if (announced > maxBytes) {
    if (stream && announced <= DRAIN_BYTES) await discard(stream.getReader(), 0);
    else await stream?.cancel().catch((err: unknown) => warnRecovered('body.cancel_failed', err));
    throw tooLarge();
  }
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await readChunk(reader, what);
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await discard(reader, size);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, 'bad-request', `${what} is not valid UTF-8.`);
  }
}

/**
 * One chunk of the body. The stream errors when the client sent something HTTP cannot read as
 * a body (malformed chunked encoding, a connection cut before Content-Length bytes arrived):
 * that is the request's fault, a 400, never an internal error.
 */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, what: string): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch {
    throw new ApiError(
      400,
      'bad-request',
      `${what} could not be read: it ended early or its chunked transfer encoding is malformed. Send it again, whole, with a correct Content-Length or valid chunks.`,
    );
  }
}

/**
 * Throws a body away unread, for a request refused on its headers alone: the refusal is then
 * readable by the client, as a 413 is (see DRAIN_BYTES), however much it was still sending.
 */
export async function discardBody(request: Request): Promise<void> {
  const stream = request.body as ReadableStream<Uint8Array> | null;
  if (stream) await discard(stream.getReader(), 0);
}

/** Reads the rest of a body without keeping it, up to DRAIN_BYTES in all, then cancels. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let total = alreadyRead;
  try {
    while (total <= DRAIN_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
    await reader.cancel();
  } catch (err) {
    // The client went away mid-upload: there is nobody left to answer, only a line to log.
    warnRecovered('body.drain_failed', err, { bytes_read: total });
  }
}
