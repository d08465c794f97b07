import { type ViewDef } from '../../../shared/types.ts';
import { LIMITS } from '../../../shared/query-vocabulary.ts';
import { FORMATS } from '../../query/model.ts';
import { queryErrors, rowsResponse } from '../components/responses.ts';
import { followNote } from '../follow.ts';
import { type Json, ref } from '../json.ts';
import { filterableColumns } from '../vocabulary.ts';
import { pascal } from '../words.ts';

/** A view's paths: its description, /rows, /rows.{format} and POST /query. */

export function viewPaths(view: ViewDef): Record<string, Json> {
  const p = pascal(view.name);
  const tags = [view.name];
  const viewParams = [
    ref('parameters', `${view.name}.select`),
    ...(view.dateColumn ? [ref('parameters', `${view.name}.from`), ref('parameters', `${view.name}.to`)] : []),
    ref('parameters', `${view.name}.order`),
    ref('parameters', 'limit'),
    ref('parameters', 'cursor'),
    ref('parameters', 'group_by'),
    ref('parameters', 'ifNoneMatch'),
  ];
  const filterParams = filterableColumns(view).map((c) => ref('parameters', `${view.name}.filter.${c.name}`));
  const example = `/v1/views/${view.name}/rows?select=${view.rowKey.join(',')}${view.dateColumn ? '&from=2026-09-01' : ''}&limit=100`;
  const base = `/v1/views/${view.name}`;
  return {
    [base]: {
      get: {
        operationId: `get${p}View`,
        summary: `Describe ${view.name}`,
        description: `${view.description}\n\n${followNote(view)}\n\nThe view's columns, each with its type, description, minimum plan and whether your plan can read it.`,
        tags,
        responses: {
          '200': { description: `The ${view.name} view.`, content: { 'application/json': { schema: ref('schemas', 'ViewDetail') } } },
          '401': ref('responses', 'Unauthorized'),
          '403': ref('responses', 'Forbidden'),
          '404': ref('responses', 'NotFound'),
        },
      },
    },
    [`${base}/rows`]: {
      get: {
        operationId: `get${p}Rows`,
        summary: `Read ${view.name} rows`,
        description: `${view.description}\n\nExample: \`${example}\`. Every other query parameter is a filter on the column it names.`,
        tags,
        parameters: [...viewParams, ref('parameters', 'format'), ref('parameters', 'dates'), ref('parameters', 'dry_run'), ...filterParams],
        responses: { '200': rowsResponse(view), '304': ref('responses', 'NotModified'), ...queryErrors },
      },
    },
    [`${base}/rows.{format}`]: {
      get: {
        operationId: `get${p}RowsAs`,
        summary: `Read ${view.name} rows in the format the suffix names`,
        description: `The same as \`GET ${base}/rows\`, with the format in the path (\`rows.csv\`), which spreadsheet IMPORTDATA and file links like.`,
        tags,
        parameters: [
          { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: [...FORMATS] } },
          ...viewParams,
          ref('parameters', 'dates'),
          ref('parameters', 'dry_run'),
          ...filterParams,
        ],
        responses: { '200': rowsResponse(view), '304': ref('responses', 'NotModified'), ...queryErrors },
      },
    },
    [`${base}/query`]: {
      post: {
        operationId: `query${p}`,
        summary: `Query ${view.name} with a JSON body`,
        description:
          `The query of \`GET ${base}/rows\` as JSON, for queries too long for a URL (over ${LIMITS.maxUrlLength} characters). ` +
          'For the next page, send the same body again with `cursor` set to `next_cursor`. The `next` link is the same query as a GET URL, which may be too long for the client that needed this endpoint.',
        tags,
        parameters: [ref('parameters', 'ifNoneMatch')],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('schemas', `${view.name}Query`) } },
        },
        responses: {
          '200': rowsResponse(view),
          '304': ref('responses', 'NotModified'),
          ...queryErrors,
          '413': ref('responses', 'PayloadTooLarge'),
          '415': ref('responses', 'UnsupportedMediaType'),
        },
      },
    },
  };
}
