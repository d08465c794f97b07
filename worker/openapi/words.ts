/** Text helpers for the descriptions: Markdown code lists, durations, names. */

export const mediaType = (contentType: string) => contentType.split(';')[0]!.trim();
export const pascal = (name: string) => name.replace(/(^|_)([a-z0-9])/g, (_m, _sep: string, ch: string) => ch.toUpperCase());

export const list = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(', ');

export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A Markdown list, one `name`: note per line. */
export const notes = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([name, note]) => `- \`${name}\`: ${note}.`)
    .join('\n');
