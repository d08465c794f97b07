/** One shell word in single quotes, for the curl commands the page shows. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
