/**
 * What each `npm run admin` command does, and the arguments and options it takes, as data:
 * the usage text, the check for unknown options and the check for missing arguments are all
 * derived from these definitions (scripts/admin.ts).
 */
import { isPlan, PLANS, type Plan } from '../../shared/plans.ts';
import {
  bumpDataVersion,
  createKey,
  keyPlanProblem,
  revokeKey,
  tenantProblems,
  upsertTenant,
  type Statement,
  type TenantInput,
} from '../../worker/tenants/admin.ts';
import { DEFAULT_KEY_CACHE_SECONDS } from '../../worker/tenants/key-cache.ts';
import { hashApiKey, KEY_PREFIX } from '../../worker/tenants/keys.ts';
import { DEFAULT_RATE_TIER, RATE_TIER_NAMES, RATE_TIERS, type RateTierName } from '../../worker/tenants/rate-tiers.ts';
import { effectivePlan } from '../../worker/tenants/tenants.ts';

export type Row = Record<string, unknown>;

/** Runs statements in order against the chosen database, and returns each one's rows. */
type Execute = (...statements: Statement[]) => Promise<Row[][]>;

export interface CommandContext {
  /** The arguments after the command's words: `acme` in `key create acme`. */
  readonly args: readonly string[];
  /** Only options the command declares (or the common ones): the rest were refused. */
  readonly options: Readonly<Record<string, string | true>>;
  readonly execute: Execute;
  readonly log: (text: string) => void;
  readonly table: (rows: readonly Row[]) => void;
  /** A command line to suggest, against the same database: `npm run admin -- tenant list --remote`. */
  readonly suggest: (command: string) => string;
}

interface OptionSpec {
  /** What the value is, for the usage text (`PLAN`). */
  readonly value: string;
  readonly help: string;
  readonly required?: boolean;
}

export interface AdminCommand {
  /** The words that select it: `tenant add`. */
  readonly name: string;
  readonly args: readonly { readonly name: string; readonly optional?: boolean }[];
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly run: (ctx: CommandContext) => Promise<void>;
}

const PLAN_LIST = `${PLANS.slice(0, -1).join(', ')} or ${PLANS.at(-1)}`;

function text(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * An optional setting `tenant update` can also remove: `none` clears it (null), since an empty
 * value is refused as a forgotten one. Undefined when the option is not given.
 */
function clearable(ctx: CommandContext, name: string): string | null | undefined {
  const value = text(ctx, name);
  return value?.toLowerCase() === 'none' ? null : value;
}

function planOption(ctx: CommandContext): Plan | undefined {
  const value = text(ctx, 'plan');
  if (value === undefined) return undefined;
  if (!isPlan(value)) throw new Error(`--plan '${value}' is not a plan: use ${PLAN_LIST}`);
  return value;
}

function rateTierOption(ctx: CommandContext): RateTierName | undefined {
  const value = text(ctx, 'rate-tier');
  if (value === undefined) return undefined;
  const tier = RATE_TIER_NAMES.find((name) => name === value);
  if (!tier)
    throw new Error(`--rate-tier '${value}' is not a tier: use ${RATE_TIER_NAMES.slice(0, -1).join(', ')} or ${RATE_TIER_NAMES.at(-1)}`);
  return tier;
}

async function findTenant(ctx: CommandContext, id: string, orElse = ''): Promise<{ id: string; plan: Plan }> {
  const [rows = []] = await ctx.execute({ sql: 'SELECT id, plan FROM tenants WHERE id = ?', params: [id] });
  const plan = rows[0]?.plan;
  if (!isPlan(plan)) throw new Error(noSuchTenant(ctx, id, orElse));
  return { id, plan };
}

function noSuchTenant(ctx: CommandContext, id: string, orElse = ''): string {
  return `no such tenant '${id}'. List the tenants with: ${ctx.suggest('tenant list')}${orElse}`;
}

const TENANT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  plan: { value: 'PLAN', help: `the account's ActivTrak plan: ${PLAN_LIST}` },
  name: { value: 'NAME', help: 'display name (default: the id)' },
  warehouse: { value: 'd1|bigquery', help: 'where its data is (default d1, the demo warehouse)' },
  project: { value: 'ID', help: 'BigQuery: the Google Cloud project id' },
  dataset: { value: 'NAME', help: 'BigQuery: the dataset; D1: the table prefix (default: the id)' },
  location: { value: 'LOCATION', help: "BigQuery: the dataset's location, such as US; `none` clears it" },
  'max-bytes-billed': {
    value: 'BYTES',
    help: 'BigQuery: per-query cost guard, such as 10000000000 (10 GB); `none` removes the guard',
  },
  'time-zone': { value: 'ZONE', help: 'IANA time zone, such as America/New_York (default UTC)' },
  'rate-tier': {
    value: 'TIER',
    help: `requests per key and exports at once: ${RATE_TIER_NAMES.map((name) => {
      const tier = RATE_TIERS[name];
      return `${name} (${tier.limit === null ? 'no request limit' : `${tier.limit}/${tier.period} s`}, ${tier.concurrentExports})`;
    }).join(', ')}; default ${DEFAULT_RATE_TIER}`,
  },
};

/** The options given, over `base`: what `tenant add` creates and `tenant update` changes. */
function tenantInput(ctx: CommandContext, base: TenantInput): TenantInput {
  const warehouse = text(ctx, 'warehouse') ?? base.warehouse ?? 'd1';
  if (warehouse !== 'd1' && warehouse !== 'bigquery') throw new Error(`--warehouse '${warehouse}' must be d1 or bigquery`);
  // Moving an account to D1 drops its BigQuery settings, which a D1 account cannot hold.
  const bigquery: Partial<TenantInput> = warehouse === 'bigquery' && base.warehouse === 'bigquery' ? base : {};
  const maxBytes = clearable(ctx, 'max-bytes-billed');
  const location = clearable(ctx, 'location');
  return {
    id: base.id,
    name: text(ctx, 'name') ?? base.name,
    plan: planOption(ctx) ?? base.plan,
    warehouse,
    dataset: text(ctx, 'dataset') ?? (warehouse === base.warehouse ? base.dataset : undefined) ?? base.id,
    bqProject: text(ctx, 'project') ?? bigquery.bqProject ?? null,
    bqLocation: location === undefined ? (bigquery.bqLocation ?? null) : location,
    maxBytesBilled: maxBytes === undefined ? (bigquery.maxBytesBilled ?? null) : maxBytes === null ? null : Number(maxBytes),
    timeZone: text(ctx, 'time-zone') ?? base.timeZone ?? 'UTC',
    rateTier: rateTierOption(ctx) ?? base.rateTier ?? DEFAULT_RATE_TIER,
  };
}

async function saveTenant(ctx: CommandContext, input: TenantInput): Promise<void> {
  const problems = tenantProblems(input);
  if (problems.length) throw new Error(problems.join('; '));
  await ctx.execute(upsertTenant(input));
  const guard = input.maxBytesBilled == null ? '' : `, at most ${input.maxBytesBilled} bytes billed per query`;
  const where = input.warehouse === 'bigquery' ? `bigquery ${input.bqProject}.${input.dataset}${guard}` : 'd1';
  ctx.log(
    `Tenant ${input.id} saved (${input.plan}, ${where}, time zone ${input.timeZone}, rate tier ${input.rateTier ?? DEFAULT_RATE_TIER}).`,
  );
}

async function storedTenant(ctx: CommandContext, id: string): Promise<TenantInput | null> {
  const [rows = []] = await ctx.execute({
    sql: 'SELECT id, name, plan, warehouse, dataset, bq_project, bq_location, max_bytes_billed, time_zone, rate_tier FROM tenants WHERE id = ?',
    params: [id],
  });
  const row = rows[0];
  if (!row || !isPlan(row.plan)) return null;
  return {
    id,
    name: String(row.name),
    plan: row.plan,
    warehouse: row.warehouse === 'bigquery' ? 'bigquery' : 'd1',
    dataset: String(row.dataset),
    bqProject: typeof row.bq_project === 'string' ? row.bq_project : null,
    bqLocation: typeof row.bq_location === 'string' ? row.bq_location : null,
    maxBytesBilled: typeof row.max_bytes_billed === 'number' ? row.max_bytes_billed : null,
    timeZone: String(row.time_zone),
    rateTier: RATE_TIER_NAMES.find((name) => name === row.rate_tier) ?? DEFAULT_RATE_TIER,
  };
}

const tenantAdd: AdminCommand = {
  name: 'tenant add',
  args: [{ name: 'id' }],
  summary: 'create an account',
  options: { ...TENANT_OPTIONS, plan: { ...TENANT_OPTIONS.plan!, required: true } },
  async run(ctx) {
    const id = ctx.args[0]!;
    // Re-adding would reset every setting left out (a BigQuery account's project and cost guard).
    if (await storedTenant(ctx, id)) {
      throw new Error(`tenant '${id}' already exists. Change its settings with: ${ctx.suggest(`tenant update ${id} --OPTION VALUE`)}`);
    }
    // --plan is required: scripts/admin.ts refuses the command line without it.
    await saveTenant(ctx, tenantInput(ctx, { id, name: id, plan: planOption(ctx)! }));
    ctx.log(`Next: ${ctx.suggest(`key create ${id}`)}`);
  },
};

const tenantUpdate: AdminCommand = {
  name: 'tenant update',
  args: [{ name: 'id' }],
  summary: "change some of an account's settings; the ones left out stay as they are",
  options: TENANT_OPTIONS,
  async run(ctx) {
    const id = ctx.args[0]!;
    const stored = await storedTenant(ctx, id);
    if (!stored) throw new Error(noSuchTenant(ctx, id, `; create it with: ${ctx.suggest(`tenant add ${id} --plan PLAN`)}`));
    if (!Object.keys(ctx.options).some((name) => name in TENANT_OPTIONS)) {
      throw new Error(
        `tenant update needs at least one setting to change: ${Object.keys(TENANT_OPTIONS)
          .map((o) => `--${o}`)
          .join(', ')}`,
      );
    }
    await saveTenant(ctx, tenantInput(ctx, stored));
  },
};

const tenantList: AdminCommand = {
  name: 'tenant list',
  args: [],
  summary: 'list the accounts',
  options: {},
  async run(ctx) {
    const [rows = []] = await ctx.execute({
      sql: 'SELECT id, name, plan, warehouse, dataset, bq_project, max_bytes_billed, time_zone, rate_tier, data_version FROM tenants ORDER BY id',
      params: [],
    });
    if (rows.length) ctx.table(rows);
    else ctx.log(`No tenants yet. Add one with: ${ctx.suggest('tenant add <id> --plan PLAN')}`);
  },
};

const keyCreate: AdminCommand = {
  name: 'key create',
  args: [{ name: 'tenant' }],
  summary: 'make a new API key for an account; it is printed once and stored only hashed',
  options: {
    label: { value: 'TEXT', help: 'what the key is for, such as "Finance sheet"' },
    plan: { value: 'PLAN', help: "limit the key to a plan below its account's (default: the account's plan)" },
  },
  async run(ctx) {
    const tenantId = ctx.args[0]!;
    const requested = planOption(ctx);
    const tenant = await findTenant(ctx, tenantId, `; create it with: ${ctx.suggest(`tenant add ${tenantId} --plan PLAN`)}`);
    const plan = requested ?? tenant.plan;
    const problem = keyPlanProblem(tenant, plan);
    if (problem) throw new Error(problem);
    const created = await createKey(tenantId, plan, text(ctx, 'label') ?? '');
    await ctx.execute(created.statement);
    ctx.log(`New API key for ${tenantId} (${plan}), id ${created.id}. It is shown only now; store it safely:\n\n  ${created.key}\n`);
  },
};

const keyList: AdminCommand = {
  name: 'key list',
  args: [{ name: 'tenant', optional: true }],
  summary: "list keys (their prefixes, never the keys), all or one account's, with the plan each gets",
  options: {},
  async run(ctx) {
    const tenantId = ctx.args[0];
    const keys: Statement = {
      sql: `SELECT k.id, k.tenant_id, k.prefix, k.label, k.plan AS key_plan, t.plan AS account_plan, k.created_at, k.revoked_at, k.last_used_at
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            ${tenantId ? 'WHERE k.tenant_id = ?' : ''} ORDER BY k.tenant_id, k.created_at`,
      params: tenantId ? [tenantId] : [],
    };
    const tenant: Statement[] = tenantId ? [{ sql: 'SELECT id FROM tenants WHERE id = ?', params: [tenantId] }] : [];
    const [rows = [], tenantRows = []] = await ctx.execute(keys, ...tenant);
    // An empty listing for a mistyped tenant would read as "this tenant has no keys".
    if (tenantId && !tenantRows.length) throw new Error(noSuchTenant(ctx, tenantId));
    if (rows.length) ctx.table(rows.map(listedKey));
    else
      ctx.log(`No keys${tenantId ? ` for ${tenantId}` : ''} yet. Create one with: ${ctx.suggest(`key create ${tenantId ?? '<tenant>'}`)}`);
  },
};

/**
 * A key as listed: `plan` is the one the API gives it (effectivePlan, the function the API
 * uses), and `key_plan` what was stored for it, which an account's later downgrade caps.
 */
function listedKey(row: Row): Row {
  const { key_plan, account_plan, ...rest } = row;
  const plan = isPlan(account_plan) ? effectivePlan(account_plan, key_plan) : key_plan;
  return { id: rest.id, tenant_id: rest.tenant_id, prefix: rest.prefix, label: rest.label, plan, key_plan, ...rest };
}

/** Shorter than this, a "prefix" is more likely a slip than a choice. */
const MIN_KEY_PREFIX = 6;

const describeKey = (key: Row) =>
  `${String(key.id)} (${String(key.prefix)}..., ${String(key.tenant_id)}${key.label ? `, "${String(key.label)}"` : ''})`;

const keyRevoke: AdminCommand = {
  name: 'key revoke',
  args: [{ name: 'key id, prefix or key' }],
  summary: `stop a key from working: any unambiguous start of its id (key_...) or prefix (acb_...), or the key itself`,
  options: {},
  async run(ctx) {
    const given = ctx.args[0]!.trim();
    const listed = `as listed by: ${ctx.suggest('key list')}`;
    if (given.length < MIN_KEY_PREFIX) {
      throw new Error(`'${given}' is too short to name one key: give at least ${MIN_KEY_PREFIX} characters of its id or prefix, ${listed}`);
    }
    const hash = given.startsWith(KEY_PREFIX) ? await hashApiKey(given) : '';
    const [matches = []] = await ctx.execute({
      sql: `SELECT id, tenant_id, prefix, label, revoked_at FROM api_keys
            WHERE substr(id, 1, length(?)) = ? OR substr(prefix, 1, length(?)) = ? OR key_hash = ? ORDER BY id`,
      params: [given, given, given, given, hash],
    });
    if (matches.length === 0) {
      throw new Error(`no such key '${given}': give a key id (key_...) or prefix (acb_...) ${listed}`);
    }
    const active = matches.filter((key) => key.revoked_at === null);
    if (active.length > 1) {
      // Revoking every match would cut off keys nobody named.
      throw new Error(
        `'${given}' matches ${active.length} active keys: ${active.map(describeKey).join(', ')}. Give more of the id, or the whole id, to revoke one`,
      );
    }
    const key = active[0];
    if (!key) {
      // Already in the state asked for: say so, and succeed, so re-running a revocation is safe.
      const revoked = matches[0]!;
      ctx.log(
        `Key ${String(revoked.id)} of ${String(revoked.tenant_id)} was already revoked at ${String(revoked.revoked_at)}; nothing changed.`,
      );
      return;
    }
    await ctx.execute(revokeKey(String(key.id)));
    const how = key.id === given ? 'its id' : hash && !String(key.prefix).startsWith(given) ? 'the key itself' : `'${given}'`;
    ctx.log(
      `Revoked ${describeKey(key)}, matched by ${how}. Running Workers refuse it within KEY_CACHE_SECONDS ` +
        `(${DEFAULT_KEY_CACHE_SECONDS} s unless wrangler.toml says otherwise); POST /admin/keys/${String(key.id)}/revoke also refuses it at once in the isolate that serves it.`,
    );
  },
};

const cachePurge: AdminCommand = {
  name: 'cache purge',
  args: [{ name: 'tenant' }],
  summary: 'drop every cached result of an account (bumps its data version)',
  options: {},
  async run(ctx) {
    const tenantId = ctx.args[0]!;
    const [, rows = []] = await ctx.execute(bumpDataVersion(tenantId), {
      sql: 'SELECT data_version FROM tenants WHERE id = ?',
      params: [tenantId],
    });
    if (!rows.length) throw new Error(noSuchTenant(ctx, tenantId));
    ctx.log(`Cached results of ${tenantId} will no longer be served (data version now ${String(rows[0]!.data_version)}).`);
  },
};

/** Every command, in the order the usage text lists them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [tenantAdd, tenantUpdate, tenantList, keyCreate, keyList, keyRevoke, cachePurge];
