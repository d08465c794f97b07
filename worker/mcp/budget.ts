/**
 * How much one query_view call returns. An agent reads the result into its context window,
 * where a 10,000-row /rows page would crowd out the conversation, so a call is cut well
 * below the API's page limits and says how to get the rest (the cursor). README's "AI agents
 * (MCP)" section quotes these numbers.
 */
export const MCP_BUDGET = {
  /** Rows when the call gives no limit. */
  defaultRows: 50,
  /** The most rows one call returns; a larger limit is cut to this with a cursor. */
  maxRows: 500,
  /** About the most characters of rows (as JSON) one call returns; fewer rows are sent beyond it. */
  maxChars: 50_000,
} as const;
