/**
 * A result as a compact text table for the model to read, beside the structured content
 * for programs: `a | b` rows under a header, long cells shortened, since the full values
 * are in the structured content.
 */
const MAX_CELL = 60;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/[\r\n\t]+/g, ' ').replaceAll('|', '\\|');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** @example textTable(['user_id', 'n'], [{ user_id: 7, n: 3 }]) // 'user_id | n\n7 | 3' */
export function textTable(columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]): string {
  const lines = [columns.map(cell).join(' | ')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(' | '));
  return lines.join('\n');
}
