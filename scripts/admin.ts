/**
 * `npm run admin -- <command>`: tenants and API keys, against the local D1 database
 * (default) or the deployed one (--remote). Keys are printed once and stored only hashed.
 *
 *   tenant add <id> --name "Acme" --plan professional [--warehouse d1|bigquery]
 *              [--project gcp-project --dataset activconnect_123 --location US]
 *              [--max-bytes-billed 10000000000] [--time-zone America/New_York]
 *   tenant list
 *   key create <tenant> [--label "Finance sheet"] [--plan essentials]
 *   key list [<tenant>]
 *   key revoke <key-id or prefix>
 *   cache purge <tenant>          (bumps the data version: every cached result is dropped)
 *   common: --remote | --persist-to DIR
 */
import { isPlan, type Plan } from '../shared/plans.ts';
import { bumpDataVersion, createKey, inline, revokeKey, tenantProblems, upsertTenant, type Statement } from '../worker/tenants/admin.ts';
import { applyLocalMigrations, persistArgs, wrangler } from './lib/wrangler.ts';

const USAGE = `usage: npm run admin -- tenant add <id> --name NAME --plan PLAN [options] | tenant list
       | key create <tenant> [--label L] [--plan P] | key list [<tenant>] | key revoke <id|prefix>
       | cache purge <tenant>        (add --remote for the deployed database)`;

interface Parsed {
  positional: string[];
  flags: Record<string, string | true>;
}

export function parseCommandLine(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    // Split at the first '=' only: `--name="Smith=Jones"` keeps its whole value.
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === 'remote') {
      // A value here would still read as true and reach the deployed database: refuse it.
      if (value !== undefined) throw new Error('--remote takes no value');
      flags[name] = true;
    } else if (value !== undefined) flags[name] = value;
    else {
      const next = argv[++i];
      if (next === undefined) throw new Error(`--${name} needs a value`);
      flags[name] = next;
    }
  }
  return { positional, flags };
}

function target(flags: Parsed['flags']): string[] {
  if (flags.remote) return ['--remote'];
  return ['--local', ...persistArgs(typeof flags['persist-to'] === 'string' ? { persistTo: flags['persist-to'] } : {})];
}

function execute(flags: Parsed['flags'], ...statements: Statement[]): unknown[] {
  const sql = statements.map(inline).join('; ');
  const out = wrangler(['d1', 'execute', 'DB', ...target(flags), '--json', '--command', sql], { quiet: true });
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as { results: unknown[] }[];
  return parsed.flatMap((r) => r.results);
}

function planFlag(value: string | true | undefined, fallback?: Plan): Plan {
  if (value === undefined && fallback) return fallback;
  if (typeof value !== 'string' || !isPlan(value)) throw new Error('--plan must be essentials, essentials_plus or professional');
  return value;
}

function str(value: string | true | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export async function admin(argv: string[]): Promise<void> {
  const { positional, flags } = parseCommandLine(argv);
  const [noun, verb, arg] = positional;
  if (!flags.remote) applyLocalMigrations(typeof flags['persist-to'] === 'string' ? { persistTo: flags['persist-to'] } : {});

  if (noun === 'tenant' && verb === 'add' && arg) {
    const maxBytes = str(flags['max-bytes-billed']);
    const input = {
      id: arg,
      name: str(flags.name) ?? arg,
      plan: planFlag(flags.plan),
      warehouse: (str(flags.warehouse) ?? 'd1') as 'd1' | 'bigquery',
      dataset: str(flags.dataset) ?? arg,
      bqProject: str(flags.project) ?? null,
      bqLocation: str(flags.location) ?? null,
      maxBytesBilled: maxBytes === undefined ? null : Number(maxBytes),
      timeZone: str(flags['time-zone']) ?? 'UTC',
    };
    if (input.warehouse !== 'd1' && input.warehouse !== 'bigquery') throw new Error('--warehouse must be d1 or bigquery');
    const problems = tenantProblems(input);
    if (problems.length) throw new Error(problems.join('; '));
    execute(flags, upsertTenant(input));
    console.log(
      `Tenant ${input.id} saved (${input.plan}, ${input.warehouse}${input.warehouse === 'bigquery' ? ` ${input.bqProject}.${input.dataset}` : ''}).`,
    );
    console.log(`Next: npm run admin -- key create ${input.id}${flags.remote ? ' --remote' : ''}`);
    return;
  }
  if (noun === 'tenant' && verb === 'list') {
    console.table(
      execute(flags, {
        sql: 'SELECT id, name, plan, warehouse, dataset, bq_project, max_bytes_billed, data_version FROM tenants ORDER BY id',
        params: [],
      }),
    );
    return;
  }
  if (noun === 'key' && verb === 'create' && arg) {
    const tenants = execute(flags, { sql: 'SELECT plan FROM tenants WHERE id = ?', params: [arg] }) as { plan: Plan }[];
    if (tenants.length === 0) throw new Error(`no tenant '${arg}'; create it with: npm run admin -- tenant add ${arg} --plan ...`);
    const plan = planFlag(flags.plan, tenants[0]!.plan);
    const created = await createKey(arg, plan, str(flags.label) ?? '');
    execute(flags, created.statement);
    console.log(`New API key for ${arg} (${plan}), id ${created.id}. It is shown only now; store it safely:\n\n  ${created.key}\n`);
    return;
  }
  if (noun === 'key' && verb === 'list') {
    const where = arg ? { sql: 'WHERE tenant_id = ?', params: [arg] } : { sql: '', params: [] };
    console.table(
      execute(flags, {
        sql: `SELECT id, tenant_id, prefix, label, plan, created_at, revoked_at, last_used_at FROM api_keys ${where.sql} ORDER BY tenant_id, created_at`,
        params: where.params,
      }),
    );
    return;
  }
  if (noun === 'key' && verb === 'revoke' && arg) {
    execute(flags, revokeKey(arg));
    const left = execute(flags, {
      sql: 'SELECT count(*) AS n FROM api_keys WHERE (id = ? OR prefix = ?) AND revoked_at IS NULL',
      params: [arg, arg],
    }) as { n: number }[];
    console.log(left[0]?.n === 0 ? `Revoked ${arg}.` : `Could not revoke ${arg}.`);
    return;
  }
  if (noun === 'cache' && verb === 'purge' && arg) {
    execute(flags, bumpDataVersion(arg));
    console.log(`Cached results of ${arg} will no longer be served (data version bumped).`);
    return;
  }
  throw new Error(USAGE);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  admin(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`admin: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
