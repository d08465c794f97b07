import { leafColumns } from '../../../shared/columns.ts';
import { PLANS } from '../../../shared/plans.ts';
import { type ViewDef } from '../../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import { ENCODERS } from '../../format/encoders.ts';
import { CHANGES_LIMIT, LIMITS, NOT_FOR_FEEDS } from '../../../shared/query-vocabulary.ts';
import { feedLimit, requireChangeColumn } from '../../hooks/change-feed.ts';
import { ApiError, problemBody } from '../../http/errors.ts';
import { FORMATS } from '../../query/model.ts';
import { parseQuery } from '../../query/parse.ts';
import { MAX_BODY_BYTES as MAX_HOOK_BODY_BYTES, MAX_HOOKS_PER_TENANT } from '../../hooks/api-shapes.ts';
import { type Json, ref } from '../json.ts';
import { list, mediaType } from '../words.ts';

/** Reusable responses: problems with real examples, and the rows answer in every format. */

export function problemAnswer(description: string, example?: Json): Json {
  return {
    description,
    headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem'), ...(example ? { example } : {}) } },
  };
}

/** Real problems, produced by the parser from the first view, so examples match the server. */
function problemExample(run: () => unknown): Json | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return problemBody(err, 'c0ffee00-0000-4000-8000-000000000000');
  }
  return undefined;
}

export function sharedResponses(): Record<string, Json> {
  const view = VIEWS[VIEW_NAMES[0]!] as ViewDef;
  const column = leafColumns(view)[0]!;
  const typo = column.name.slice(0, -1);
  const aboveBasePlan = VIEW_NAMES.map((n) => VIEWS[n] as ViewDef)
    .flatMap((v) => leafColumns(v).map((c) => ({ v, c })))
    .find(({ c }) => c.minPlan !== PLANS[0]);
  return {
    BadRequest: problemAnswer(
      'The request cannot be run as given: an unknown column or parameter, a malformed filter or value, an exceeded limit or a cursor from another query.',
      problemExample(() => parseQuery([[typo, 'eq.1']], { view, plan: PLANS[PLANS.length - 1]! })),
    ),
    Unauthorized: {
      ...problemAnswer('No API key, or one that is unknown or revoked.'),
      headers: {
        'X-Request-Id': ref('headers', 'X-Request-Id'),
        'WWW-Authenticate': { description: 'Always `Bearer realm="activconnect-bridge"`.', schema: { type: 'string' } },
      },
    },
    Forbidden: problemAnswer(
      "The view or a column needs a higher plan than your key's; `required_plan` names it.",
      aboveBasePlan && problemExample(() => parseQuery([['select', aboveBasePlan.c.name]], { view: aboveBasePlan.v, plan: PLANS[0] })),
    ),
    NotFound: problemAnswer('No such view, route or format suffix.'),
    PayloadTooLarge: problemAnswer(`The query body is larger than ${LIMITS.maxQueryBodyBytes} bytes.`),
    UriTooLong: problemAnswer(`The URL is longer than ${LIMITS.maxUrlLength} characters; send the query to POST /v1/views/{view}/query.`),
    UnsupportedMediaType: problemAnswer('The body must be sent as `Content-Type: application/json`.'),
    NotAcceptable: problemAnswer(
      'The Accept header allows none of application/json, text/csv and application/x-ndjson, and neither `format=` nor a suffix names a format.',
    ),
    TooManyRequests: {
      ...problemAnswer(
        "The key passed its account's rate tier (requests per key per minute; a read with `Cache-Control: no-cache` counts twice), or the account already runs as many whole-view exports as its tier allows.",
      ),
      headers: {
        'X-Request-Id': ref('headers', 'X-Request-Id'),
        'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
      },
    },
    WarehouseError: problemAnswer('The warehouse could not run the query.'),
    WarehouseUnavailable: problemAnswer('The warehouse is unavailable for this account.'),
    NotModified: {
      description: 'The page is unchanged since the `ETag` sent in `If-None-Match`: no body, use the copy you have.',
      headers: { 'X-Request-Id': ref('headers', 'X-Request-Id'), ETag: ref('headers', 'ETag'), 'X-Cache': ref('headers', 'X-Cache') },
    },
  };
}

export function rowsResponse(view: ViewDef): Json {
  const content: Record<string, Json> = {};
  for (const format of FORMATS) {
    const type = mediaType(ENCODERS[format].contentType);
    if (content[type]) continue;
    if (type === 'application/json') {
      content[type] = {
        schema: {
          oneOf: [ref('schemas', `${view.name}Page`), ref('schemas', 'ValuesPage'), ref('schemas', 'DryRun')],
        },
      };
    } else if (format === 'ndjson') {
      content[type] = {
        schema: { type: 'string', description: `One JSON object per line, each a ${view.name}Row.` },
        'x-item-schema': ref('schemas', `${view.name}Row`),
      };
    } else {
      content[type] = {
        schema: {
          type: 'string',
          description: 'RFC 4180 CSV with a header row; nulls are empty fields and text that would read as a formula is neutralised.',
        },
      };
    }
  }
  return {
    description: `Rows of ${view.name} in the requested format.`,
    headers: {
      'X-Request-Id': ref('headers', 'X-Request-Id'),
      Link: ref('headers', 'Link'),
      'X-Next-Cursor': ref('headers', 'X-Next-Cursor'),
      'X-Row-Count': ref('headers', 'X-Row-Count'),
      ETag: ref('headers', 'ETag'),
      'X-Cache': ref('headers', 'X-Cache'),
    },
    content,
  };
}

export const queryErrors = {
  '400': ref('responses', 'BadRequest'),
  '401': ref('responses', 'Unauthorized'),
  '403': ref('responses', 'Forbidden'),
  '404': ref('responses', 'NotFound'),
  '406': ref('responses', 'NotAcceptable'),
  '414': ref('responses', 'UriTooLong'),
  '429': ref('responses', 'TooManyRequests'),
  '502': ref('responses', 'WarehouseError'),
  '503': ref('responses', 'WarehouseUnavailable'),
};

export function feedResponses(views: readonly ViewDef[]): Record<string, Json> {
  const unfollowable = views.find((v) => v.changeColumn === null);
  return {
    ChangesBadRequest: problemAnswer(
      `The poll cannot be run as given: a \`since\` that is not a value of the change column, \`limit\` outside 1 to ${CHANGES_LIMIT.max}, ` +
        `an unknown \`shape\`, a malformed \`poller\` or \`start\` (or \`since\` with \`poller\`), a /rows parameter that does not apply (${list(NOT_FOR_FEEDS)}), an aggregate, or a filter /rows would refuse.`,
      problemExample(() => feedLimit(String(CHANGES_LIMIT.max + 1))),
    ),
    HookRefused: problemAnswer(
      'The hook cannot be created as given: a missing or unknown field, a target URL that is not a public https:// address, ' +
        "a view without a change column, or a filter or select the view's /rows would refuse.",
      unfollowable && problemExample(() => requireChangeColumn(unfollowable)),
    ),
    HookNotFound: problemAnswer('No hook with this id in your account. GET /v1/hooks lists yours.'),
    TooManyHooks: problemAnswer(`The account already has ${MAX_HOOKS_PER_TENANT} hooks, the most it may have; delete unused ones first.`),
    HookEnded: problemAnswer('The target answered 410 Gone, so the hook ended for good (`unsubscribed`). Create a new hook instead.'),
    HookBodyTooLarge: problemAnswer(`The hook body is larger than ${MAX_HOOK_BODY_BYTES} bytes.`),
  };
}
