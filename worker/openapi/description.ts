import { planDisplayName, PLANS } from '../../shared/plans.ts';
import { type ViewDef } from '../../shared/types.ts';
import { ENCODERS } from '../format/encoders.ts';
import { CHANGES_LIMIT, FILTER_OPS, LIMITS } from '../../shared/query-vocabulary.ts';
import { HOOK_POLICY } from '../hooks/policy.ts';
import { PROBLEM_BASE } from '../http/errors.ts';
import { AGGREGATES, FORMATS } from '../query/model.ts';
import { MAX_HOOKS_PER_TENANT } from '../hooks/api-shapes.ts';
import { MCP_TOOLS } from '../mcp/tools.ts';
import { followableViews } from './follow.ts';
import { formulaTriggers, LIMIT_NOTES, OPERATORS } from './vocabulary.ts';
import { mediaType } from './words.ts';

/** The document's Markdown description: the guide the /docs overview shows. */

export function description(views: readonly ViewDef[]): string {
  const plans = PLANS.map((p) => planDisplayName(p)).join(', ');
  const triggers = formulaTriggers();
  const formatLines = FORMATS.map((f) => {
    const type = mediaType(ENCODERS[f].contentType);
    const shape = {
      json: '`{view, columns: [{name, type}], rows: [{...}], row_count, next, next_cursor}`',
      values:
        '`{view, columns, values: [[header...], [...]], row_count, next, next_cursor}`: a 2D array with a header row, what a Sheets range takes',
      csv: 'RFC 4180 with a header row',
      ndjson: 'one JSON object per line',
    }[f];
    return `- \`${f}\` (\`${type}\`): ${shape}`;
  });
  const limitRows = (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).map((k) => `| \`${k}\` | ${LIMITS[k]} | ${LIMIT_NOTES[k]} |`);
  return [
    `ActivTrak's ActivConnect views as an HTTP API: ${views.length} views (${views.map((v) => v.name).join(', ')}), for Google Sheets, Zapier, Make and scripts. This document is generated from the view definitions, so every view and column here is one the server knows.`,
    '## Authentication',
    "Send your API key as `Authorization: Bearer <key>` or as an `X-API-Key: <key>` header. The key decides your account and plan; nothing in a request can name another account's data. `/`, `/healthz`, `/version`, `/openapi.json` and `/docs` need no key.",
    '## Plans',
    `Plans, lowest first: ${plans}. Each column has a minimum plan (\`x-min-plan\`); a view is available as soon as your plan can read one of its columns, and by default you get every column your plan can read. Naming a column above your plan is a 403 that names the plan to ask for.`,
    '## Querying',
    `\`GET /v1/views/{view}/rows\` takes \`select\`, filters, \`from\`/\`to\`, \`order\`, \`limit\`, \`cursor\`, \`group_by\`, \`format\` and \`dry_run\`. Every other parameter filters the column it names: \`col=op.value\`, with \`not.\` in front to negate.`,
    FILTER_OPS.map((op) => `- \`${op}\`: ${OPERATORS[op]}`).join('\n'),
    `Aggregates in \`select\`: ${AGGREGATES.map((a) => `\`${a}()\``).join(', ')}, with \`group_by\`. \`from\` and \`to\` are inclusive days on the view's date column. \`POST /v1/views/{view}/query\` takes the same query as JSON.`,
    '## Paging',
    `json and values pages hold at most \`limit\` rows (default ${LIMITS.defaultPageSize}, at most ${LIMITS.maxPageSize}). While more rows remain, \`next\` is the URL of the next page and \`next_cursor\` its cursor, also sent as \`Link: <...>; rel="next"\` and \`X-Next-Cursor\`. Cursors are keyset positions, so pages do not shift as new data arrives; they are signed for your account and bound to the query. csv and ndjson without a \`limit\` stream the whole result, up to ${LIMITS.maxExportRows} rows.`,
    '## Triggers and webhooks',
    followSection(views),
    '## AI agents (MCP)',
    `\`POST /mcp\` serves the same views to AI agents over the Model Context Protocol, as the tools ${MCP_TOOLS.map((t) => `\`${t.name}\``).join(', ')}, on the same key, plan and cache. It speaks JSON-RPC to an MCP client rather than REST: [AI agents](#/mcp) has the client configuration and example requests.`,
    '## Formats',
    'Choose with `format=`, a suffix (`rows.csv`), or the Accept header (weighed by q), in that order.',
    formatLines.join('\n'),
    '## Spreadsheet safety',
    `Text typed by monitored users (window titles, URLs, search terms) can look like a spreadsheet formula. In csv and values, a text cell that starts with ${triggers.slice(0, -1).join(', ')} or ${triggers.at(-1)} gets a leading apostrophe, which Sheets and Excel read as "this is text" and do not display. In csv, a field holding a comma, semicolon, tab, quote or line break is quoted, and such a character right after a separator (comma, semicolon, tab, pipe, line break) gets an apostrophe too, since an import set to another separator would start a cell there. json and ndjson return text as stored.`,
    '## Limits',
    'Exceeding one is a 400 (414 for the URL, 413 for a body) that names the limit.',
    '| Limit | Value | Meaning |\n| --- | --- | --- |\n' + limitRows.join('\n'),
    '## Errors',
    `Every error is \`application/problem+json\` (RFC 9457) with a \`detail\` you can act on, a \`request_id\`, and \`suggestions\` for a misspelt name. Problem types are \`${PROBLEM_BASE}<type>\`.`,
  ].join('\n\n');
}

function followSection(views: readonly ViewDef[]): string {
  const followable = followableViews(views);
  const others = views.filter((v) => v.changeColumn === null);
  const paragraph =
    `Views with a change column, a column that moves forward as rows arrive, can be followed: ${followable.map((v) => `${v.name} (\`${v.changeColumn}\`)`).join(', ')}. ` +
    (others.length ? `${others.map((v) => v.name).join(', ')} cannot: each one's description says why; read them with /rows.` : '');
  const items = [
    `- \`GET /v1/views/{view}/changes\` (polling, Zapier and Make): rows newest first, each with a stable \`id\` built from the row key. ` +
      `Pass the answer's \`latest\` as \`since\` next time. \`limit\` defaults to ${CHANGES_LIMIT.default}, at most ${CHANGES_LIMIT.max}; ` +
      '`shape=array` answers with the bare list. Filters and `select` are those of /rows.',
    `- \`POST /v1/hooks\` (REST hooks, at most ${MAX_HOOKS_PER_TENANT} per account): about every minute, new rows are POSTed to your URL, ` +
      `oldest first, at most ${HOOK_POLICY.batchRows} per batch, signed with the hook's \`secret\` (see \`webhooks\`). A 2xx answer delivers ` +
      'the batch, 410 Gone ends the hook, anything else is retried with backoff; `GET /v1/hooks/{id}/deliveries` shows what happened.',
  ];
  return [paragraph, items.join('\n')].join('\n\n');
}
