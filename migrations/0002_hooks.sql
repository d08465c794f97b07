-- REST-hook subscriptions and their deliveries (worker/hooks/). Both live in D1, not in
-- memory or in the queue, so a subscription, its cursor and every pending delivery survive a
-- restart, a redeploy or a lost queue message.

CREATE TABLE IF NOT EXISTS hook_subscriptions (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- The key that subscribed: deliveries stop when it is revoked, and never show more columns
  -- than its plan (at the time, or the tenant's, whichever is lower) could read.
  key_id TEXT NOT NULL,
  plan TEXT NOT NULL CHECK (plan IN ('essentials', 'essentials_plus', 'professional')),
  view TEXT NOT NULL,
  target_url TEXT NOT NULL,
  -- The whsec_ signing secret. Shown to the subscriber once; needed here to sign every delivery.
  secret TEXT NOT NULL,
  -- JSON {column: "op.value" | ["op.value", ...]} and JSON [column, ...] or NULL for all columns,
  -- kept as the subscriber wrote them and re-validated by parseQuery on every run, so a plan
  -- downgrade or a removed column stops the hook with a reason instead of leaking a column.
  filters TEXT NOT NULL DEFAULT '{}',
  select_columns TEXT,
  -- JSON keyset position (change value, then the row key) of the last row known delivered;
  -- 'null' means before the first row. Only a 2xx moves it, and only forward.
  cursor TEXT NOT NULL DEFAULT 'null',
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing', 'disabled', 'unsubscribed')),
  status_reason TEXT,
  -- First failed attempt of the current run of failures; NULL while deliveries succeed.
  failing_since TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  -- Dead letters since the last successful delivery.
  dead_letters INTEGER NOT NULL DEFAULT 0,
  last_success_at TEXT,
  -- When the scheduler last looked at it: the least recently checked go first, so a long
  -- list of subscriptions is served fairly across runs.
  checked_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS hook_subscriptions_tenant ON hook_subscriptions (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS hook_subscriptions_due ON hook_subscriptions (status, checked_at);

CREATE TABLE IF NOT EXISTS hook_deliveries (
  -- Deterministic (subscription, first row, last row): a batch enqueued again after a crash
  -- carries the same webhook-id, so receivers can de-duplicate it.
  id TEXT PRIMARY KEY,
  subscription_id TEXT NOT NULL REFERENCES hook_subscriptions(id) ON DELETE CASCADE,
  -- Keyset positions (JSON): the cursor the batch was read after, and its last row. The
  -- subscription cursor moves from after_position to last_position when the batch lands.
  after_position TEXT NOT NULL,
  last_position TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  -- The exact JSON body, stored so every retry sends the same bytes under the same id, and
  -- so the queue message stays small. Cleared once it no longer needs sending.
  payload TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  -- Set when a scheduler run claims the delivery to put it on the queue; NULL means not on
  -- the queue (never sent, or the send failed), so the next run sends it.
  enqueued_at TEXT,
  last_attempt_at TEXT,
  finished_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS hook_deliveries_subscription ON hook_deliveries (subscription_id, created_at);
-- One live batch per starting position: what keeps the scheduler from enqueuing the same rows
-- again while a batch for them is pending.
CREATE UNIQUE INDEX IF NOT EXISTS hook_deliveries_live
  ON hook_deliveries (subscription_id, after_position) WHERE status <> 'cancelled';
