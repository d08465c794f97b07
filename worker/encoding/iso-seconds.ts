/**
 * ISO 8601 in UTC to the second, `2026-11-20T09:30:00Z`: the form every timestamp column of
 * the control-plane D1 tables uses, so text comparison there orders by time.
 * @example isoSeconds(new Date('2026-11-20T09:30:00.250Z')) // '2026-11-20T09:30:00Z'
 */
export function isoSeconds(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
