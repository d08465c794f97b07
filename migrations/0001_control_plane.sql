-- Control plane: tenants (one per ActivTrak account) and their API keys.
-- The demo warehouse's data tables are created by the seeder, not here, because they are
-- generated from the view definitions (worker/demo/schema.ts).
CREATE TABLE IF NOT EXISTS tenants (
  id TEXT PRIMARY KEY CHECK (id GLOB '[a-z]*' AND length(id) <= 31),
  name TEXT NOT NULL,
  plan TEXT NOT NULL CHECK (plan IN ('essentials', 'essentials_plus', 'professional')),
  warehouse TEXT NOT NULL DEFAULT 'd1' CHECK (warehouse IN ('d1', 'bigquery')),
  -- D1: the table prefix of the tenant's demo tables. BigQuery: the dataset name.
  dataset TEXT NOT NULL,
  bq_project TEXT,
  bq_location TEXT,
  max_bytes_billed INTEGER,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  -- Bumped to invalidate every cached result of the tenant at once.
  data_version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- SHA-256 of the key; the key itself is shown once and never stored.
  key_hash TEXT NOT NULL UNIQUE,
  -- The first characters, so an admin can tell keys apart in a listing.
  prefix TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  -- A key may be limited to a plan below its tenant's; the lower of the two applies.
  plan TEXT NOT NULL CHECK (plan IN ('essentials', 'essentials_plus', 'professional')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id);
