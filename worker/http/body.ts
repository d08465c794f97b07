import { ApiError } from './errors.ts';

/**
 * A request body as text, read no further than `maxBytes`: an announced or streamed body
 * over the limit is a 413 before it fills the isolate, whatever Content-Length says.
 */
export async function readBodyText(request: Request, maxBytes: number, what: string, limitName: string): Promise<string> {
  const tooLarge = () =>
    new ApiError(413, 'limit-exceeded', `${what} is larger than ${maxBytes} bytes.`, { limit: limitName, maximum: maxBytes });
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
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
