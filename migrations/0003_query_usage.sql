-- Which first pages each account asks for most, so the cron can pre-warm them (scheduled
-- sheet refreshes and triggers then hit a warm cache). Only the canonical query string is
-- kept: it carries no key and no cursor.
CREATE TABLE IF NOT EXISTS query_usage (
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  plan TEXT NOT NULL,
  key_id TEXT NOT NULL,
  view TEXT NOT NULL,
  query TEXT NOT NULL,
  origin TEXT NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  last_used_at TEXT NOT NULL,
  last_warmed_at TEXT,
  PRIMARY KEY (tenant_id, plan, view, query, origin)
);
CREATE INDEX IF NOT EXISTS query_usage_recent ON query_usage (last_used_at);
