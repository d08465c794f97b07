/**
 * A fetch that is sent once more when the kept-alive connection it went out on had just been
 * closed by `wrangler dev` while idle (undici's "other side closed", code UND_ERR_SOCKET). A
 * test that spends seconds in `wrangler d1 execute`, or blocks its thread in a simulated
 * Apps Script run, leaves its pooled connections idle long enough for the dev server to close
 * them, and undici can pick one in the instant it closes. The request never reached the
 * Worker, so sending it again is safe; a failure once a response has begun is not retried.
 */
export async function fetchRetryingStaleSocket(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!isStaleSocket(err)) throw err;
    return fetch(url, init);
  }
}

function isStaleSocket(err: unknown): boolean {
  return err instanceof TypeError && (err.cause as { code?: unknown } | undefined)?.code === 'UND_ERR_SOCKET';
}
