/**
 * An error whose message is written for the person in front of the sheet: it ends up in
 * a cell ("#ERROR!" hover text), a toast, the sidebar or the log sheet exactly as is.
 * Anything else that is thrown is wrapped by `userMessage` so no stack trace or internal
 * name ever reaches a cell.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A problem+json answer from the API (RFC 9457); `detail` is already user-facing. */
export class ApiProblem extends UserError {
  readonly status: number;
  readonly type: string;
  readonly suggestions: readonly string[];
  readonly requestId: string | null;

  constructor(status: number, detail: string, type = '', suggestions: readonly string[] = [], requestId: string | null = null) {
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
    this.type = type;
    this.suggestions = suggestions;
    this.requestId = requestId;
  }
}

/**
 * The message to show for anything thrown. Apps Script's own exceptions ("Limit Exceeded:
 * URLFetch URL Length", "Exceeded maximum execution time") are already sentences, so their
 * message is kept; only the "Exception: " prefix some of them carry is dropped.
 */
export function userMessage(err: unknown): string {
  if (err instanceof UserError) return err.message;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const text = message.replace(/^Exception:\s*/, '').trim();
  return text || 'Something went wrong in the ActivTrak add-on.';
}
