-- Where each polling client of /changes is in a view's change feed (worker/hooks/poll-positions.ts).
-- Zapier's polling triggers keep no state between polls and take at most 100 new items per
-- poll, so the bridge keeps the position for them: a poll hands out the next page past it.
-- One row per (key, view, poller name, query), so two Zaps on different conditions or columns
-- each have their own position.
CREATE TABLE IF NOT EXISTS poll_positions (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key_id TEXT NOT NULL,
  view TEXT NOT NULL,
  poller TEXT NOT NULL,
  -- Hash of the feed query (view, plan, filters, select), not the query text: nothing a
  -- subscriber wrote is kept here.
  query_hash TEXT NOT NULL,
  -- JSON keyset positions (change value, then the row key); 'null' means before the first row.
  -- The last page handed out is the rows after page_start up to and including page_end.
  page_start TEXT NOT NULL,
  page_end TEXT NOT NULL,
  page_rows INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (tenant_id, key_id, view, poller, query_hash)
);
