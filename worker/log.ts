/**
 * One JSON line on the warn stream for a failure the code recovers from (a cancel that could
 * not cancel, a prefetch nobody read, a health check that failed): the answer stays what it
 * was, and `wrangler tail` or Workers Logs still shows that something went wrong and where.
 * Only the error's message is logged, never a request, a body or a binding's value.
 * @example warnRecovered('body.cancel_failed', err)
 */
export function warnRecovered(event: string, err: unknown, fields: Readonly<Record<string, string | number>> = {}): void {
  const message = err instanceof Error ? err.message : String(err);
  console.warn(JSON.stringify({ event, ...fields, message: message.slice(0, 500) }));
}
