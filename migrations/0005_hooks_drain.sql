-- REST hooks, second step (worker/hooks/): headers a target requires, and when a delivery
-- that failed is tried next.

-- JSON {header-name: value} sent with every delivery, such as Make's `x-make-apikey`. Write-only:
-- accepted when the hook is created, never returned by any route or written to a log.
ALTER TABLE hook_subscriptions ADD COLUMN target_headers TEXT;

-- When the queue will hand a failed delivery back for its next attempt: the backoff, or the
-- target's own Retry-After (within HOOK_POLICY.retryAfterMaxSeconds). NULL while none is due.
ALTER TABLE hook_deliveries ADD COLUMN next_attempt_at TEXT;

-- The per-account ceiling on batches in flight counts a tenant's pending deliveries; this
-- index keeps that count and "the oldest waiting delivery of the account" cheap.
CREATE INDEX IF NOT EXISTS hook_deliveries_pending ON hook_deliveries (status, enqueued_at) WHERE status = 'pending';
