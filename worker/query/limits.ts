/**
 * The documented limits of the query API. Each one exceeded is a clear 4xx naming the
 * limit, never a crash; /openapi.json quotes them.
 */
export const LIMITS = {
  /** Longer URLs get 414; Apps Script refuses URLs over ~2 KB anyway, so POST /query exists. */
  maxUrlLength: 8192,
  maxQueryBodyBytes: 65_536,
  maxFilters: 50,
  maxInValues: 500,
  maxValueLength: 1000,
  maxSelectItems: 300,
  maxOrderTerms: 10,
  maxGroupBy: 10,
  defaultPageSize: 1000,
  /** Largest page for json and values, which are built per page. */
  maxPageSize: 10_000,
  /** A page also ends at about this many characters of body, and links on (isolates have 128 MB). */
  maxPageBytes: 4_000_000,
  /** Largest streamed csv/ndjson export in one request; stream in chunks of `chunkRows`. */
  maxExportRows: 5_000_000,
  chunkRows: 5000,
} as const;
