import { type ViewDef } from '../../../shared/types.ts';
import { CHANGES_LIMIT, FEED_PARAMS, NOT_FOR_FEEDS } from '../../../shared/query-vocabulary.ts';
import { queryErrors } from '../components/responses.ts';
import { changeColumnOf, sinceExample } from '../follow.ts';
import { type Json, ref } from '../json.ts';
import { filterableColumns } from '../vocabulary.ts';
import { list, pascal } from '../words.ts';

/** A followable view's GET /changes. */

export function changesPath(view: ViewDef): Record<string, Json> {
  const change = changeColumnOf(view);
  const base = `/v1/views/${view.name}`;
  const own = {
    since: ref('parameters', `${view.name}.since`),
    shape: ref('parameters', 'changes.shape'),
    poller: ref('parameters', 'changes.poller'),
    start: ref('parameters', 'changes.start'),
    limit: ref('parameters', 'changes.limit'),
  } satisfies Record<(typeof FEED_PARAMS)[number], Json>;
  const filters = filterableColumns(view)
    .filter((c) => !(FEED_PARAMS as readonly string[]).includes(c.name))
    .map((c) => ref('parameters', `${view.name}.filter.${c.name}`));
  const rows = { type: 'array', items: ref('schemas', `${view.name}ChangeRow`), title: 'shape=array' };
  return {
    [`${base}/changes`]: {
      get: {
        operationId: `get${pascal(view.name)}Changes`,
        summary: `Poll ${view.name} for new rows`,
        description:
          `A polling trigger (Zapier, Make): rows newest first by \`${change.name}\`, then the row key descending, each with a stable \`id\`. ` +
          `Pass the previous answer's \`latest\` as \`since\` to get only newer rows. Filters and \`select\` are those of \`GET ${base}/rows\`; ` +
          `${list(NOT_FOR_FEEDS)} and aggregates do not apply.\n\nExample: \`${base}/changes?since=${sinceExample(view)}&limit=${CHANGES_LIMIT.default}\`.`,
        tags: [view.name],
        parameters: [own.since, ref('parameters', `${view.name}.changes.select`), own.limit, own.shape, own.poller, own.start, ...filters],
        responses: {
          '200': {
            description: `New rows of ${view.name}, newest first.`,
            headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
            content: { 'application/json': { schema: { oneOf: [ref('schemas', `${view.name}Changes`), rows] } } },
          },
          ...queryErrors,
          '400': ref('responses', 'ChangesBadRequest'),
        },
      },
    },
  };
}
