/** Levenshtein distance, small inputs only (identifiers). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The valid names closest to what the user typed, best first: what turns
 * "unknown column 'usr_name'" into "did you mean 'user_name'?".
 */
export function nearestNames(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase().slice(0, 100);
  const scored = candidates.map((name) => {
    const lower = name.toLowerCase();
    let score = editDistance(needle, lower);
    if (lower.includes(needle) || needle.includes(lower)) score = Math.min(score, 1 + Math.abs(lower.length - needle.length) / 4);
    return { name, score };
  });
  const threshold = Math.max(2, Math.ceil(needle.length / 3));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** " Did you mean 'a' or 'b'?" or "" */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `'${s}'`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}
