import { Hono, type Context } from 'hono';
import { type AppEnv } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { formatFromAccept } from '../format/encoders.ts';
import { FORMATS, type Format } from '../query/model.ts';
import { answerRows } from '../rows/answer.ts';
import { bodyEntries } from './query-body.ts';

type Ctx = Context<AppEnv>;

/**
 * `rows.csv` → csv; the suffix wins over Accept, `format=` wins over both. An Accept header
 * that rules out every format is a 406 only when nothing else names one.
 */
function impliedFormat(c: Ctx, suffix: string | undefined, entries: readonly (readonly [string, string])[]): Format | undefined {
  if (suffix !== undefined) {
    const f = FORMATS.find((x) => x === suffix.toLowerCase());
    if (!f) throw new ApiError(404, 'not-found', `No format '.${suffix.slice(0, 20)}'. Use .json, .csv, .ndjson or .values.`);
    return f;
  }
  const accepted = formatFromAccept(c.req.header('accept'));
  if (accepted === null && !entries.some(([key]) => key === 'format')) {
    throw new ApiError(
      406,
      'not-acceptable',
      'The Accept header allows none of the formats served here: application/json, text/csv or application/x-ndjson. Add one of them to Accept, or ask by name with format= or a .csv/.ndjson/.values suffix.',
    );
  }
  return accepted ?? undefined;
}

function handle(c: Ctx, entries: Iterable<readonly [string, string]>, format: Format | undefined): Promise<Response> {
  return answerRows({
    env: c.env,
    caller: c.get('caller'),
    viewName: c.req.param('view') ?? '',
    entries,
    format,
    origin: new URL(c.req.url).origin,
    ifNoneMatch: c.req.header('if-none-match'),
    waitUntil: (p) => c.executionCtx.waitUntil(p),
    head: c.req.method === 'HEAD',
    cacheControl: c.req.header('cache-control'),
    pragma: c.req.header('pragma'),
  });
}

export const rows = new Hono<AppEnv>()
  .get('/:view/rows', (c) => {
    const entries = [...new URL(c.req.url).searchParams];
    return handle(c, entries, impliedFormat(c, undefined, entries));
  })
  .get('/:view/rows.:format', (c) => {
    const entries = [...new URL(c.req.url).searchParams];
    return handle(c, entries, impliedFormat(c, c.req.param('format'), entries));
  })
  .post('/:view/query', async (c) => {
    const entries = await bodyEntries(c);
    return handle(c, entries, impliedFormat(c, undefined, entries));
  });
