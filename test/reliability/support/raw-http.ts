/**
 * HTTP/1.1 over a plain socket, for requests fetch() refuses to send: bytes that are not
 * UTF-8 in the path, bad percent-encoding, CR/LF in header values, bodies that lie about
 * their length. 127.0.0.1 only; every request has a deadline.
 */
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The header block as received, for checks on injected headers. */
  readonly head: string;
}

/**
 * Sends `request` (a complete HTTP/1.1 request, `Connection: close` expected) and reads the
 * answer until the server closes. Chunked bodies are decoded.
 */
export function rawRequest(port: number, request: Buffer | string, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('raw request timed out'));
    }, timeoutMs);
    socket.on('connect', () => socket.end(typeof request === 'string' ? Buffer.from(request, 'latin1') : request));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      // A reset after a full answer still counts as the answer.
      if (chunks.length > 0) resolve(parse(Buffer.concat(chunks)));
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (chunks.length === 0) reject(new Error('connection closed without an answer'));
      else resolve(parse(Buffer.concat(chunks)));
    });
  });
}

function parse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split === -1 ? raw.length : split).toString('latin1');
  let body = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status, headers, body: body.toString('utf8'), head };
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A GET with the given raw target (path and query as bytes) and extra header lines. */
export function rawGet(target: Buffer | string, headers: readonly string[] = []): Buffer {
  const t = typeof target === 'string' ? Buffer.from(target, 'latin1') : target;
  return Buffer.concat([
    Buffer.from('GET ', 'latin1'),
    t,
    Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`, 'latin1'),
  ]);
}
