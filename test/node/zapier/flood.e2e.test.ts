// First, so the environment is set before zapier-platform-core loads.
import './support/offline-zapier.ts';
import { describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { quoteIdent } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { appAgainstBridge } from './support/app-against-bridge.ts';
import { DEMO_END_DATE } from './support/local-bridge.ts';
import { NEW_ITEMS_PER_POLL, ZapierPoller, type PollMeta } from './support/zapier-poller.ts';

// Zapier's flood rules against the built app, run by zapier-platform-core's app tester, and the
// real Worker under `wrangler dev`: a day of 1,000 new rows must reach the Zap 100 per poll at
// most, every row once, none held. ZapierPoller stands in for Zapier's de-duplication and flood
// protection (its rules and their documentation are in support/zapier-poller.ts).

const local = appAgainstBridge();

const NEW_DAY = new Date(Date.parse(`${DEMO_END_DATE}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * A new day for `count` users, as a large account's nightly build adds it: copies of the tenant's
 * newest row with user ids from `firstUser` up, all on one local_date.
 */
function addDay(tenant: Tenant, date: string, count: number, firstUser: number): string[] {
  const columns = leafColumns(VIEWS.daily_user_summary).map((c) => c.name);
  const table = quoteIdent(tableName(tenant, 'daily_user_summary'));
  const values = columns.map((c) => (c === 'user_id' ? `${firstUser - 1} + n.i` : c === 'local_date' ? `'${date}'` : `t.${quoteIdent(c)}`));
  local.bridge.sql(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) ` +
      `INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) ` +
      `SELECT ${values.join(', ')} FROM n, (SELECT * FROM ${table} ORDER BY "local_date" DESC, "user_id" DESC LIMIT 1) AS t`,
  );
  return Array.from({ length: count }, (_, i) => `${firstUser + i}|${date}`);
}

// Each test has its own account, so neither sees the other's new rows, in whichever order they run.
type Tenant = 'acme' | 'globex';

const perform = (tenant: Tenant, meta: PollMeta) =>
  local.tester(local.built.app.triggers.new_daily_user_summary.operation.perform, {
    authData: { api_url: local.bridge.url, api_key: local.bridge.keys[tenant] },
    inputData: {},
    meta,
  });

/** One Zap on New Daily User Summary Row, its polls run through the app local.tester. */
function zap(tenant: Tenant): ZapierPoller {
  return new ZapierPoller({
    perform: (meta) => perform(tenant, meta),
    timeOf: (item) => String(item.local_date),
  });
}

describe('a day of 1,000 new rows on a polling trigger', () => {
  it('reaches the Zap at most 100 new rows per poll, every row exactly once, none held', async () => {
    const poller = zap('acme');
    expect(await poller.turnOn()).toBeGreaterThan(0);
    const day = addDay('acme', NEW_DAY, 1000, 700000);

    const perPoll: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { triggered } = await poller.poll();
      perPoll.push(triggered.length);
      if (triggered.length === 0) break;
    }
    expect(perPoll).toEqual([...Array<number>(10).fill(NEW_ITEMS_PER_POLL), 0]);
    expect(poller.held).toEqual([]);
    expect(poller.emails).toBe(0);
    const ids = poller.triggered.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...day].sort());
  });

  it('loses nothing when Zapier never got an answer: the next poll brings those rows again', async () => {
    const poller = zap('globex');
    await poller.turnOn();
    const day = addDay('globex', NEW_DAY, 150, 720000);
    // A poll whose answer was lost on the way (Zapier timed out): the bridge moved on, Zapier saw nothing.
    await perform('globex', {});
    const afterLoss = await poller.poll();
    // The lost page and the next one: 150 new to Zapier, so flood protection holds 50 for the user.
    expect(afterLoss.triggered.length + afterLoss.held.length).toBe(150);
    expect(afterLoss.held).toHaveLength(50);
    const ids = [...poller.triggered, ...poller.held].map((item) => item.id);
    expect([...ids].sort()).toEqual([...day].sort());
  });
});
