// First, so the environment is set before zapier-platform-core loads.
import { lookedUpHosts } from './support/offline-zapier.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import { VIEWS } from '../../../shared/views/index.ts';
import { quoteIdent } from '../../../worker/demo/schema.ts';
import { tableName } from '../../../worker/warehouse/d1/tables.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../../scripts/lib/webhook-receiver.ts';
import { BUILD_TIME } from '../../../zapier/src/build-time.ts';
import { zapierRow } from '../../../zapier/src/fields.ts';
import { DEDUPE_LIMIT, POLL_LIMIT } from '../../../zapier/src/triggers.ts';
import { appAgainstBridge } from './support/app-against-bridge.ts';

// The built app, run by zapier-platform-core's app tester, against the real Worker under
// `wrangler dev` over HTTP, on the seeded demo warehouse.

const local = appAgainstBridge();

type Tenant = 'acme' | 'globex' | 'initech';
const authData = (tenant: Tenant, key = local.bridge.keys[tenant]) => ({ api_url: local.bridge.url, api_key: key });
/** The parts of a bundle a test sets; the app tester fills in the rest, as Zapier would. */
const bundle = <R extends object>(tenant: Tenant, rest?: R) => ({ authData: authData(tenant), inputData: {}, ...rest });

/** A z.errors.Error carries its message, code and status as JSON in `message`. */
async function appError(promise: Promise<unknown>): Promise<{ name: string; message: string; code?: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const { name, message } = err as Error;
    try {
      return { name, ...(JSON.parse(message) as { message: string; code?: string; status?: number }) };
    } catch {
      return { name, message };
    }
  }
  throw new Error('expected the call to fail');
}

type Row = Record<string, unknown> & { id: string };

describe('authentication', () => {
  it('tests a good key against the catalog and labels the connection with its plan', async () => {
    const catalog = (await local.tester(local.built.app.authentication!.test, bundle('acme'))) as {
      plan: string;
      views: { name: string }[];
    };
    expect(catalog.plan).toBe('professional');
    expect(catalog.views.map((v) => v.name)).toContain('daily_group_benchmarks');
    const label = await local.tester(local.built.app.authentication!.connectionLabel, bundle('acme', { inputData: catalog }));
    expect(label).toBe(`Professional plan, ${new URL(local.bridge.url).host}`);
  });

  it("rejects a wrong key with the bridge's own words, as an expired connection to reconnect", async () => {
    const wrong = await appError(
      local.tester(local.built.app.authentication!.test, { authData: authData('acme', `acb_${'A'.repeat(32)}`) }),
    );
    expect(wrong.name).toBe('ExpiredAuthError');
    // The core appends what it was executing; the bridge's detail leads.
    expect(wrong.message.split('\n')[0]).toBe('The API key you supplied is incorrect.');
  });

  it('says so when the Bridge URL answers, but not as a bridge does', async () => {
    const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web site</html>'));
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    try {
      const { port } = site.address() as AddressInfo;
      const error = await appError(
        local.tester(local.built.app.authentication!.test, {
          authData: { api_url: `http://127.0.0.1:${port}/`, api_key: local.bridge.keys.acme },
        }),
      );
      expect(error).toMatchObject({ code: 'not-a-bridge', status: 200 });
      expect(error.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+ answered, but not as an ActivConnect bridge does\. Check the Bridge URL/);
    } finally {
      await new Promise((done) => site.close(done));
    }
  });
});

describe('polling triggers', () => {
  it('returns events newest first, each with a unique id, the first one being the sample', async () => {
    // As Zapier calls it when the Zap is turned on: the newest rows, for its de-duplication list.
    const rows = (await local.tester(
      local.built.app.triggers.new_events.operation.perform,
      bundle('acme', { meta: { isPopulatingDedupe: true } }),
    )) as Row[];
    expect(rows.length).toBeGreaterThan(POLL_LIMIT);
    expect(rows.length).toBeLessThanOrEqual(DEDUPE_LIMIT);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const times = rows.map((r) => r.utc_timestamp as string);
    expect(times).toEqual([...times].sort().reverse());
    expect(rows[0]).toEqual(zapierRow(BUILD_TIME.samples.events));
  });

  it('returns daily summaries the same way, the sample first', async () => {
    const rows = (await local.tester(local.built.app.triggers.new_daily_user_summary.operation.perform, bundle('acme'))) as Row[];
    expect(rows[0]).toEqual(zapierRow(BUILD_TIME.samples.daily_user_summary));
    expect(rows.every((r) => r.id === `${r.user_id as number}|${r.local_date as string}`)).toBe(true);
  });

  it('applies the "Only Rows Where" conditions and the chosen columns', async () => {
    const rows = (await local.tester(
      local.built.app.triggers.new_events.operation.perform,
      bundle('acme', {
        inputData: {
          filters: { productivity: 'Productive', duration_sec: 'gte.60' },
          select: ['user_name', 'productivity', 'duration_sec'],
        },
      }),
    )) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'user_name', 'productivity', 'duration_sec']);
      expect(row.productivity).toBe('Productive');
      expect(row.duration_sec as number).toBeGreaterThanOrEqual(60);
    }
  });

  it("shows the bridge's plan message when an Essentials key follows a Professional-only view", async () => {
    const error = await appError(local.tester(local.built.app.triggers.new_daily_group_benchmarks.operation.perform, bundle('initech')));
    expect(error).toMatchObject({
      message:
        'The daily_group_benchmarks view needs the Professional (formerly Premium) plan; your key is on Essentials (formerly Advanced).',
      code: 'plan-required',
      status: 403,
    });
  });

  it("shows the bridge's message for a column above the plan and for a misspelt one", async () => {
    const above = await appError(
      local.tester(
        local.built.app.triggers.new_daily_user_summary.operation.perform,
        bundle('initech', { inputData: { select: ['user_name', 'break_count'] } }),
      ),
    );
    expect(above.message).toBe(
      "Column 'break_count' in daily_user_summary needs the Professional (formerly Premium) plan; your key is on Essentials (formerly Advanced).",
    );
    const misspelt = await appError(
      local.tester(
        local.built.app.triggers.new_daily_user_summary.operation.perform,
        bundle('acme', { inputData: { filters: { usr_name: 'x' } } }),
      ),
    );
    expect(misspelt).toMatchObject({ code: 'unknown-column', status: 400 });
    expect(misspelt.message).toMatch(/^Unknown column.* 'usr_name' in daily_user_summary\. Did you mean 'user_name'\?$/);
  });
});

describe('instant triggers', () => {
  it('lists recent rows with performList, so a Zap can be tested before anything is delivered', async () => {
    const listed = (await local.tester(
      local.built.app.triggers.new_events_instant.operation.performList,
      bundle('acme', { meta: { isLoadingSample: true } }),
    )) as Row[];
    const polled = (await local.tester(
      local.built.app.triggers.new_events.operation.perform,
      bundle('acme', { meta: { isLoadingSample: true } }),
    )) as Row[];
    expect(listed).toHaveLength(10);
    expect(listed).toEqual(polled);
  });

  it("subscribes on the bridge with the Zap's target URL and conditions, and unsubscribes again", async () => {
    const targetUrl = 'https://hooks.zapier.com/hooks/standard/1234567/0123456789abcdef/';
    const input = { filters: { productivity: 'Productive' }, select: ['user_name', 'productivity'] };
    const sub = (await local.tester(
      local.built.app.triggers.new_events_instant.operation.performSubscribe,
      bundle('acme', { targetUrl, inputData: input }),
    )) as {
      id: string;
      secret: string;
    };
    expect(sub.id).toMatch(/^hook_[0-9a-f]{24}$/);
    expect(sub.secret).toMatch(/^whsec_/);

    const stored = await fetch(`${local.bridge.url}/v1/hooks/${sub.id}`, {
      headers: { authorization: `Bearer ${local.bridge.keys.acme}` },
    });
    expect(await stored.json()).toMatchObject({
      view: 'events',
      target_url: targetUrl,
      filters: { productivity: 'eq.Productive' },
      select: ['user_name', 'productivity'],
      status: 'active',
    });

    const unsubscribe = () =>
      local.tester(local.built.app.triggers.new_events_instant.operation.performUnsubscribe, bundle('acme', { subscribeData: sub }));
    expect(await unsubscribe()).toEqual({ id: sub.id, deleted: true });
    const gone = await fetch(`${local.bridge.url}/v1/hooks/${sub.id}`, { headers: { authorization: `Bearer ${local.bridge.keys.acme}` } });
    expect(gone.status).toBe(404);
    // Turning a Zap off must work even when the hook was already removed on the local.bridge.
    expect(await unsubscribe()).toEqual({ id: sub.id, deleted: false });
  });

  it('refuses to subscribe an Essentials key to a Professional-only view, with the plan message', async () => {
    const error = await appError(
      local.tester(
        local.built.app.triggers.new_daily_group_benchmarks_instant.operation.performSubscribe,
        bundle('initech', {
          targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/',
        }),
      ),
    );
    expect(error.message).toContain('needs the Professional (formerly Premium) plan');
  });

  describe('a real delivery', () => {
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await startWebhookReceiver({ keepBodies: true, answer: () => ({ status: 200 }) });
    });
    afterAll(() => receiver?.close());

    /** Copies globex's newest event to `times`, as new events arriving. */
    function newEvents(times: readonly string[]): void {
      const columns = leafColumns(VIEWS.events).map((c) => c.name);
      const table = quoteIdent(tableName('globex', 'events'));
      for (const time of times) {
        const values = columns.map((c) => (c === 'utc_timestamp' ? `'${time}'` : quoteIdent(c))).join(', ');
        local.bridge.sql(
          `INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) SELECT ${values} FROM ${table} ORDER BY "utc_timestamp" DESC LIMIT 1`,
        );
      }
    }

    it('is signed, split into one item per row, and refused once tampered with', async () => {
      const trigger = local.built.app.triggers.new_events_instant.operation;
      const sub = (await local.tester(trigger.performSubscribe, bundle('globex', { targetUrl: `${receiver.url}/zap` }))) as {
        id: string;
        secret: string;
      };
      try {
        newEvents(['2026-11-21T08:00:01Z', '2026-11-21T08:00:02Z']);
        // One cron run stores the batch and enqueues it; the queue consumer then posts it.
        await local.bridge.fireScheduled();
        const [delivery] = await receiver.delivered(1, 60_000);
        if (!delivery?.body) throw new Error('the bridge delivered nothing');

        // What Zapier hands perform: the raw request (headers prefixed "Http-") and the parsed body.
        const zapierBundle = (body: string) =>
          bundle('globex', {
            subscribeData: sub,
            cleanedRequest: JSON.parse(body) as unknown,
            rawRequest: {
              method: 'POST',
              content: body,
              headers: {
                'Http-Content-Type': 'application/json',
                'Http-Webhook-Id': delivery.webhookId,
                'Http-Webhook-Timestamp': delivery.webhookTimestamp,
                'Http-Webhook-Signature': delivery.webhookSignature,
              },
            },
          });

        const rows = (await local.tester(trigger.perform, zapierBundle(delivery.body))) as Row[];
        expect(rows.map((r) => r.utc_timestamp)).toEqual(['2026-11-21T08:00:01Z', '2026-11-21T08:00:02Z']);
        expect(rows.every((r) => typeof r.id === 'string' && r.id.endsWith(r.utc_timestamp as string))).toBe(true);

        const tampered = delivery.body.replace('2026-11-21T08:00:01Z', '2026-11-21T09:00:01Z');
        const error = await appError(local.tester(trigger.perform, zapierBundle(tampered)));
        expect(error).toMatchObject({ code: 'bad-signature', status: 401 });
        expect(error.message).toContain('not signed by the ActivConnect bridge');
      } finally {
        await local.tester(trigger.performUnsubscribe, bundle('globex', { subscribeData: sub }));
      }
    });
  });
});

describe('searches', () => {
  it('finds rows by condition and date range, newest first, with the ids the triggers use', async () => {
    const rows = (await local.tester(
      local.built.app.searches.find_daily_user_summary.operation.perform,
      bundle('acme', { inputData: { filters: { user_id: '210005' }, from: '2026-11-18T00:00:00-05:00', to: '2026-11-20', limit: '5' } }),
    )) as Row[];
    expect(rows.map((r) => r.id)).toEqual(['210005|2026-11-20', '210005|2026-11-19', '210005|2026-11-18']);
    expect(rows[0]).toEqual(zapierRow(BUILD_TIME.samples.daily_user_summary));
  });

  it('nests record fields and ids rows of a view no trigger can follow', async () => {
    const rows = (await local.tester(
      local.built.app.searches.find_users.operation.perform,
      bundle('acme', { inputData: { limit: 3 } }),
    )) as Row[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const agents = row.agents as { agent_id: number };
      expect(row.id).toBe(`${row.uid as number}|${agents.agent_id}`);
      expect(Object.keys(row)).not.toContain('agents.agent_id');
    }
  });

  it("shows the bridge's message for an Essentials key on a Professional-only view", async () => {
    const error = await appError(local.tester(local.built.app.searches.find_group_goals.operation.perform, bundle('initech')));
    expect(error).toMatchObject({ code: 'plan-required', status: 403 });
    expect(error.message).toBe(
      'The group_goals view needs the Professional (formerly Premium) plan; your key is on Essentials (formerly Advanced).',
    );
  });
});

describe('offline', () => {
  it('reached no host but the local bridge: nothing was looked up, so nothing went to Zapier', () => {
    expect(lookedUpHosts).toEqual([]);
  });
});
