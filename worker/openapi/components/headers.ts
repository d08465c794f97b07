import type { CacheStatus } from '../../cache/entry.ts';
import { type Json } from '../json.ts';
import { notes } from '../words.ts';

/** What each X-Cache value means; `satisfies` makes a new cache status fail to compile until it is documented. */
const CACHE_STATUS_NOTES = {
  HIT: 'served from the cache, fresh',
  MISS: 'read from the warehouse just now',
  STALE:
    'served from the cache past its freshness while it is refreshed, or because the warehouse failed (`X-Cache-Stale-Reason` says which)',
  REVALIDATED: 'the cached page was checked against the warehouse and is unchanged',
  BYPASS: 'not cached: a streamed csv or ndjson export',
} satisfies Record<CacheStatus, string>;

/** The response headers the paths refer to by name. */
export function sharedHeaders(): Record<string, Json> {
  return {
    'X-Request-Id': { description: 'Identifies the request in logs; quote it to support.', schema: { type: 'string' } },
    Link: {
      description:
        '`<url>; rel="next"` while more rows remain: the next page as a `GET /rows` URL, for GET and POST queries alike (the same URL as `next`).',
      schema: { type: 'string' },
    },
    'X-Next-Cursor': { description: 'The cursor of the next page while more rows remain.', schema: { type: 'string' } },
    'X-Row-Count': { description: 'Rows in this page (paged responses).', schema: { type: 'integer' } },
    ETag: {
      description: 'Identifies this page; send it back as `If-None-Match` to get a 304 while the page is unchanged.',
      schema: { type: 'string' },
    },
    'X-Cache': {
      description: `How this answer was served:\n${notes(CACHE_STATUS_NOTES)}`,
      schema: { type: 'string', enum: Object.keys(CACHE_STATUS_NOTES) },
    },
    Location: { description: 'The URL of what was created.', schema: { type: 'string', format: 'uri' } },
  };
}
