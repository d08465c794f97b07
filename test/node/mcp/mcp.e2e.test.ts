// End to end: the MCP SDK's StreamableHTTPClientTransport over real HTTP to the bridge under
// wrangler dev, as an AI agent's client would connect to POST /mcp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, queryContent, type McpConnection } from '../../support/mcp-client.ts';
import { startLocalBridge, type LocalBridge } from '../../support/local-bridge.ts';

let bridge: LocalBridge;
let mcp: McpConnection;

beforeAll(async () => {
  bridge = await startLocalBridge({ endDate: '2026-11-20' });
  mcp = await connectMcp(bridge.url, bridge.keys.acme);
}, 240_000);

afterAll(async () => {
  await mcp?.close();
  await bridge?.stop();
});

describe('MCP under wrangler dev', () => {
  it('initializes and lists list_views, describe_view and query_view', async () => {
    expect(mcp.client.getServerVersion()?.name).toBe('activconnect-bridge');
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['describe_view', 'list_views', 'query_view']);
  });

  it('query_view returns the rows GET /rows returns for the same query', async () => {
    const content = queryContent(
      await mcp.call('query_view', {
        view: 'daily_user_summary',
        select: ['user_id', 'local_date'],
        order: [{ column: 'user_id' }, { column: 'local_date' }],
        limit: 2,
      }),
    );
    const res = await fetch(
      `${bridge.url}/v1/views/daily_user_summary/rows?select=user_id,local_date&order=user_id.asc,local_date.asc&limit=2`,
      {
        headers: { authorization: `Bearer ${bridge.keys.acme}` },
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Record<string, unknown>[] };
    expect(content.rows).toHaveLength(2);
    expect(content.rows).toEqual(body.rows);
  });
});
