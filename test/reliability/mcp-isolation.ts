/**
 * Isolation over POST /mcp, as isolation.ts checks /rows: random query_view calls, the same
 * arguments sent with every tenant's key and twice (the second from the cache), every row's
 * account number the caller's. Then the refusals an agent meets at the edge of its key:
 * another tenant's cursor, a column above the key's plan, a revoked or unknown key.
 */
import { leafColumns } from '../../shared/columns.ts';
import { VIEWS } from '../../shared/views/index.ts';
import { DEMO_TENANTS, type DemoTenantId } from '../../worker/demo/tenants.ts';
import { readableByAll, targets, type Target } from './isolation.ts';
import { checkProblem } from './support/problem.ts';
import { checkToolAnswer, postMcp, rpcMessages, toolCall, toolProblem, type McpAnswer, type ToolResult } from './support/json-rpc.ts';
import type { Random, Tally } from './support/tally.ts';

export interface McpIsolationOptions {
  readonly url: string;
  readonly keys: Record<DemoTenantId, string>;
  /** A key of acme's, revoked. */
  readonly revokedKey: string;
  /** A key of acme's (professional) limited to essentials. */
  readonly essentialsKey: string;
  readonly rnd: Random;
  readonly tally: Tally;
  readonly queries: number;
}

/** Random query_view arguments over a target, as an agent would write them. */
function randomArguments(rnd: Random, t: Target): Record<string, unknown> {
  const columns = readableByAll(t.view).filter((c) => c !== t.accountColumn);
  const args: Record<string, unknown> = { view: t.view.name };
  if (rnd.chance(0.2)) {
    args['group_by'] = [t.accountColumn];
    args['select'] = [t.accountColumn, 'count()'];
  } else {
    args['select'] = [t.accountColumn, ...rnd.sample(columns, rnd.int(0, 4))];
    if (rnd.chance(0.3)) args['order'] = [{ column: rnd.pick([t.accountColumn, ...t.view.rowKey]), direction: rnd.pick(['asc', 'desc']) }];
  }
  if (t.view.dateColumn && rnd.chance(0.3)) args['from'] = `2026-0${rnd.int(1, 3)}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
  // Sometimes name another tenant's account outright: the answer must be empty, not theirs.
  if (rnd.chance(0.15)) args['filters'] = [{ column: t.accountColumn, op: 'eq', value: rnd.pick(DEMO_TENANTS).accountId }];
  args['limit'] = rnd.int(1, 300);
  return args;
}

/** The one tool result of an answer, or null with the answer's failure reason. */
function resultOf(answer: McpAnswer): { result: ToolResult | null; reason: string } {
  const reason = checkToolAnswer(answer, 'any');
  if (reason) return { result: null, reason };
  return { result: rpcMessages(answer)?.[0]?.result ?? null, reason: '' };
}

export async function runMcpIsolation(opts: McpIsolationOptions): Promise<void> {
  const { url, keys, rnd, tally } = opts;
  const all = targets();
  let leaks = 0;
  let rowsSeen = 0;
  let hits = 0;
  for (let q = 0; q < opts.queries; q++) {
    const t = rnd.pick(all);
    const args = randomArguments(rnd, t);
    const label = `query_view ${JSON.stringify(args)}`;
    for (const round of [1, 2]) {
      for (const tenant of rnd.sample(DEMO_TENANTS, DEMO_TENANTS.length)) {
        const answer = await postMcp(url, keys[tenant.id], toolCall('query_view', args));
        tally.requests++;
        const { result, reason } = resultOf(answer);
        if (!tally.check(`${tenant.id} ${label} answers a tool result`, result !== null, reason)) continue;
        if (!tally.check(`${tenant.id} ${label} succeeds`, result?.isError !== true, result?.content?.[0]?.text ?? '')) continue;
        const content = result?.structuredContent as { rows?: Record<string, unknown>[]; cache?: string } | undefined;
        const rows = content?.rows ?? [];
        if (round === 2 && content?.cache === 'HIT') hits++;
        rowsSeen += rows.length;
        const foreign = rows.filter((r) => String(r[t.accountColumn]) !== String(tenant.accountId));
        if (foreign.length > 0) {
          leaks += foreign.length;
          tally.check(
            `${tenant.id} sees only its own rows in ${label}`,
            false,
            `${foreign.length} rows with ${t.accountColumn}=${foreign
              .slice(0, 3)
              .map((r) => String(r[t.accountColumn]))
              .join(',')}`,
          );
        }
      }
    }
  }
  tally.rowsChecked += rowsSeen;
  tally.inputsTried += opts.queries * DEMO_TENANTS.length * 2;
  tally.check('MCP: no row of another tenant, directly or from the cache', leaks === 0, `${leaks} foreign rows`);
  tally.check('MCP: the repeated round was served from the cache at least sometimes', hits > 0, `${hits} cache hits`);
  console.log(
    `   ${opts.queries} query_view calls x ${DEMO_TENANTS.length} tenants x 2 rounds, ${rowsSeen.toLocaleString('en-US')} rows checked, ${hits} cache hits in round 2`,
  );
  await refusals(opts);
}

/** The answers at the edge of a key: each a tool error with the API's status, or a 401. */
async function refusals(opts: McpIsolationOptions): Promise<void> {
  const { url, keys, tally } = opts;
  const call = async (key: string | null, name: string, args: unknown) => {
    tally.requests++;
    tally.inputsTried++;
    return postMcp(url, key, toolCall(name, args));
  };
  const refused = (name: string, answer: McpAnswer, status: number, type: string) => {
    const reason = checkToolAnswer(answer, 'error');
    if (!tally.check(`${name}: an isError tool result`, reason === '', reason)) return;
    const problem = toolProblem(rpcMessages(answer)?.[0]?.result ?? {});
    tally.check(
      `${name}: ${status} ${type}`,
      problem?.status === status && problem.type === type,
      `got ${JSON.stringify(problem ?? null)}`,
    );
  };

  // Every tenant's cursor, presented by every other tenant.
  const pageArgs = { view: 'daily_user_summary', select: ['user_id', 'local_date'], limit: 3 };
  const cursors = new Map<DemoTenantId, string>();
  for (const tenant of DEMO_TENANTS) {
    const { result, reason } = resultOf(await call(keys[tenant.id], 'query_view', pageArgs));
    const cursor = (result?.structuredContent as { next_cursor?: string | null } | undefined)?.next_cursor;
    if (tally.check(`${tenant.id} gets a next_cursor from query_view`, typeof cursor === 'string', reason || 'no next_cursor'))
      cursors.set(tenant.id, cursor!);
  }
  for (const [owner, cursor] of cursors) {
    for (const tenant of DEMO_TENANTS) {
      if (tenant.id === owner) continue;
      refused(
        `${tenant.id} presents ${owner}'s cursor`,
        await call(keys[tenant.id], 'query_view', { ...pageArgs, cursor }),
        400,
        'invalid-cursor',
      );
    }
  }

  // A column and a view above the key's plan: the tool says which plan, as /rows does with 403.
  const proColumn = leafColumns(VIEWS.events).find((c) => c.minPlan === 'professional')?.name;
  if (proColumn) {
    const name = `an essentials-limited key selects ${proColumn}`;
    refused(name, await call(opts.essentialsKey, 'query_view', { view: 'events', select: [proColumn], limit: 1 }), 403, 'plan-required');
    refused(
      `an essentials-limited key filters on ${proColumn}`,
      await call(opts.essentialsKey, 'query_view', { view: 'events', filters: [{ column: proColumn, op: 'is', value: null, not: true }] }),
      403,
      'plan-required',
    );
  }
  const proView = Object.values(VIEWS).find((v) => leafColumns(v).every((c) => c.minPlan === 'professional'));
  if (proView) {
    refused(
      `an essentials-limited key queries ${proView.name}`,
      await call(opts.essentialsKey, 'query_view', { view: proView.name, limit: 1 }),
      403,
      'plan-required',
    );
  }

  // No key, a wrong key, a revoked key: 401 problem+json before any JSON-RPC is read.
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'reliability', version: '1' } },
  });
  for (const [name, key] of [
    ['a revoked key', opts.revokedKey],
    ['an unknown key of the right form', 'acb_0000000000000000000000000000000'],
    ['no key', null],
  ] as const) {
    for (const [what, body] of [
      ['initialize', initialize],
      ['query_view', toolCall('query_view', { view: 'daily_user_summary', limit: 1 })],
    ] as const) {
      tally.requests++;
      tally.inputsTried++;
      const answer = await postMcp(url, key, body);
      const p = checkProblem(answer.status, answer.contentType, answer.body, (s) => s === 401);
      tally.check(`MCP ${what} with ${name} is a 401 problem`, p.ok, p.reason);
    }
  }
}
