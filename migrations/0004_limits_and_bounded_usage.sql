-- Limits (worker/http/rate-limit.ts, worker/tenants/export-leases.ts) and a bounded usage table.

-- Which rate-limit tier an account is on: each tier is one [[ratelimits]] binding in
-- wrangler.toml, because a binding's limit and period are fixed per namespace. 'standard'
-- for every account unless an admin chooses otherwise (`npm run admin -- tenant update`).
ALTER TABLE tenants ADD COLUMN rate_tier TEXT NOT NULL DEFAULT 'standard'
  CHECK (rate_tier IN ('restricted', 'standard', 'high', 'unmetered'));

-- query_usage was keyed on the whole canonical query text, so a query with a large in() list
-- stored kilobytes per row, unbounded, in the database that also authenticates. It is now
-- keyed on a hash, keeps the query text only when it is short enough to replay
-- (worker/cache/usage.ts), and is pruned by the cron (worker/cache/prune.ts). Its rows are
-- popularity counts that rebuild themselves within a day, so the old table is dropped.
DROP TABLE IF EXISTS query_usage;
CREATE TABLE query_usage (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  plan TEXT NOT NULL,
  key_id TEXT NOT NULL,
  view TEXT NOT NULL,
  -- SHA-256 (hex) of the canonical query string.
  query_hash TEXT NOT NULL CHECK (length(query_hash) = 64),
  -- The canonical query string, at most 2048 characters.
  query TEXT NOT NULL CHECK (length(query) <= 2048),
  origin TEXT NOT NULL CHECK (length(origin) <= 255),
  uses INTEGER NOT NULL DEFAULT 0,
  last_used_at TEXT NOT NULL,
  last_warmed_at TEXT,
  PRIMARY KEY (tenant_id, plan, view, query_hash, origin)
);
CREATE INDEX IF NOT EXISTS query_usage_recent ON query_usage (last_used_at);

-- Whole-view exports running now, one row each, so an account's concurrent exports can be
-- capped across every isolate. A lease that was never released (the isolate died) stops
-- counting at expires_at.
CREATE TABLE IF NOT EXISTS export_leases (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  view TEXT NOT NULL,
  started_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS export_leases_tenant ON export_leases (tenant_id, expires_at);
