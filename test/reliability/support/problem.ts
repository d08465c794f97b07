/**
 * What every error answer must be (ARCHITECTURE.md, principle 6): application/problem+json
 * with a type, a title, the same status as the response and a detail a person can act on;
 * never a stack trace, SQL, a driver's message or a file path.
 */

/**
 * Text that must never reach a client: SQL, driver and runtime internals. SQL keywords are
 * matched in capitals, as the compiler writes them, so "select, filters, from" in a hint is
 * not mistaken for a query.
 */
const SQL_LEAKS: readonly [RegExp, string][] = [
  [/\bSELECT\b[\s\S]*\bFROM\b/, 'SQL text'],
  [/\bCAST\(|\bORDER BY\b|\bGROUP BY\b|\bLIMIT \?|\bNULLS (FIRST|LAST)\b/, 'SQL text'],
  [/D1_ERROR|SQLITE_[A-Z]+|\bsqlite3?\b|no such (table|column)|\w+__\w+/i, 'a database error or table name'],
];
const RUNTIME_LEAKS: readonly [RegExp, string][] = [
  [/\bat [\w$.<>]+ \(|\bat (file|node):|\.ts:\d+|\.js:\d+/, 'a stack trace'],
  [/\/work\/|node_modules|worker\/[\w/-]+\.ts/, 'a file path'],
  [/\b(TypeError|ReferenceError|RangeError)\b/, 'a JavaScript error name'],
];

/**
 * The parts of a problem that are ours rather than the caller's: `detail` and `title` with
 * quoted spans removed (the API quotes what it was sent: "Unknown column '(SELECT ...)'").
 * Extension fields such as `column` or `value` echo the input and are not searched for SQL.
 */
function ownText(problem: Record<string, unknown>): string {
  return `${withoutQuotes(problem['title'])}\n${withoutQuotes(problem['detail'])}`;
}

function withoutQuotes(text: unknown): string {
  return typeof text === 'string' ? text.replace(/'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”/g, "''") : '';
}

/**
 * The kind of internal text in a message that is not problem+json (an MCP tool error, a
 * JSON-RPC error message), with the same allowance for the input it quotes; or null.
 */
export function leakInMessage(message: string): string | null {
  return leakIn(withoutQuotes(message), SQL_LEAKS) ?? leakIn(message, RUNTIME_LEAKS);
}

export interface ProblemCheck {
  readonly ok: boolean;
  readonly reason: string;
}

export function checkProblem(
  status: number,
  contentType: string | null,
  body: string,
  allowed: (status: number) => boolean = (s) => s >= 400 && s < 500,
): ProblemCheck {
  if (!allowed(status)) return { ok: false, reason: `status ${status}` };
  if (!/^application\/problem\+json\b/i.test(contentType ?? ''))
    return { ok: false, reason: `content-type '${contentType ?? ''}' for status ${status}` };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: `body is not JSON: ${body.slice(0, 120)}` };
  }
  if (typeof parsed['type'] !== 'string' || typeof parsed['title'] !== 'string') return { ok: false, reason: 'no type or title' };
  if (parsed['status'] !== status) return { ok: false, reason: `body status ${String(parsed['status'])} != ${status}` };
  const detail = parsed['detail'];
  if (typeof detail !== 'string' || detail.trim().length < 10) return { ok: false, reason: `detail '${String(detail)}' is not a sentence` };
  const leak = leakIn(ownText(parsed), SQL_LEAKS) ?? leakIn(body, RUNTIME_LEAKS);
  if (leak) return { ok: false, reason: `leaks ${leak}: ${body.slice(0, 200)}` };
  return { ok: true, reason: '' };
}

/** The kind of internal text found in `text`, or null; runtime internals anywhere in a body. */
export function leakIn(text: string, patterns: readonly [RegExp, string][] = RUNTIME_LEAKS): string | null {
  for (const [re, what] of patterns) if (re.test(text)) return what;
  return null;
}
