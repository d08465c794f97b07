/**
 * Headers a hook's target requires on every delivery, given once in POST /v1/hooks as
 * `"headers": {"x-make-apikey": "..."}`. Write-only: stored with the subscription, sent with
 * every attempt, never returned by a route nor written to a log or a delivery error.
 *
 * Only names on the allow-list are taken, so a subscriber can never replace the signature,
 * the content type or a hop-by-hop header of our own request.
 */
import { ApiError } from '../http/errors.ts';

/**
 * Make's custom webhooks can require API keys, which callers send in `x-make-apikey`; Make
 * takes an ASCII key of at most 512 characters
 * (Make Help Center, Webhooks app, "API key authentication": https://apps.make.com/gateway).
 */
const TARGET_HEADERS = {
  'x-make-apikey': { maxLength: 512, what: "a Make custom webhook's API key" },
} as const satisfies Record<string, { maxLength: number; what: string }>;

type TargetHeaderName = keyof typeof TARGET_HEADERS;

/**
 * Printable ASCII, no control characters (a CR or LF would split the header), and no space
 * at either end, which HTTP would strip and so send a different key than the one given.
 */
const PRINTABLE_ASCII = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const bad = (detail: string) => new ApiError(400, 'bad-request', detail, { field: 'headers' });

/** Checks the body's `headers` field; names are taken in any case and stored lower-case. */
export function readTargetHeaders(raw: unknown): Record<string, string> {
  const allowed = Object.keys(TARGET_HEADERS).join(', ');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad(`"headers" must be an object like {"x-make-apikey": "<your Make webhook API key>"}.`);
  }
  const headers: Record<string, string> = {};
  for (const [given, value] of Object.entries(raw)) {
    const name = given.toLowerCase();
    if (!Object.hasOwn(TARGET_HEADERS, name)) {
      throw bad(`"headers" may only set ${allowed}; '${given.slice(0, 60)}' is not one of them.`);
    }
    const rule = TARGET_HEADERS[name as TargetHeaderName];
    if (typeof value !== 'string' || value === '') throw bad(`"headers.${name}" must be ${rule.what}, as text.`);
    if (value.length > rule.maxLength) {
      throw bad(`"headers.${name}" is ${value.length} characters long; ${rule.what} is at most ${rule.maxLength}.`);
    }
    if (!PRINTABLE_ASCII.test(value)) {
      throw bad(
        `"headers.${name}" must be printable ASCII (letters, digits, punctuation; no line breaks or control characters, no space at either end).`,
      );
    }
    headers[name] = value;
  }
  return headers;
}
