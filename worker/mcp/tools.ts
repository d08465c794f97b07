import { MCP_BUDGET } from './budget.ts';

/**
 * The tools and resource this server offers, as words: tools/list sends them (with input
 * schemas computed per plan, schemas.ts) and /openapi.json quotes them for /docs, so the two
 * cannot disagree.
 */
export const MCP_TOOLS = [
  {
    name: 'list_views',
    title: 'List views',
    description: 'The ActivConnect views this API key can read, with their columns (name, type, a short description) and date column.',
  },
  {
    name: 'describe_view',
    title: 'Describe a view',
    description:
      "One view in full: every column with its type, full description and the plan it needs (readable: false above this key's plan), the row key, the date column from/to filter on and the change column.",
  },
  {
    name: 'query_view',
    title: 'Query a view',
    description:
      'Rows of one view: choose columns (select), filter them, limit to dates (from/to), group them with aggregates (group_by, select sum(column), count()...), sort (order) and page (limit, cursor). ' +
      `At most ${MCP_BUDGET.maxRows} rows and about ${MCP_BUDGET.maxChars.toLocaleString('en-US')} characters per call; when more rows match, next_cursor continues.`,
  },
] as const;

export type McpToolName = (typeof MCP_TOOLS)[number]['name'];

export const DICTIONARY_URI = 'activconnect://dictionary';

export const DICTIONARY_DESCRIPTION = "Every view and column this key's plan can read, with full descriptions, as one Markdown document.";

/** The tool's words by name. */
export function toolText(name: McpToolName): (typeof MCP_TOOLS)[number] {
  return MCP_TOOLS.find((t) => t.name === name)!;
}
