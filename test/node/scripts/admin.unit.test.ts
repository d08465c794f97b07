// `npm run admin` (scripts/admin.ts) in-process over SQLite with the D1 migrations: what each
// command accepts, refuses and writes. test/node/scripts/admin.e2e.test.ts runs the real
// command (wrangler, exit codes) for the reported cases.
import { describe, expect, it } from 'vitest';
import { usage } from '../../../scripts/admin.ts';
import { ADMIN_COMMANDS } from '../../../scripts/lib/admin-commands.ts';
import { createKey, inline } from '../../../worker/tenants/admin.ts';
import { adminHarness } from '../../support/admin-harness.ts';

describe('unknown options', () => {
  it('refuses a mistyped option before writing anything, naming the nearest option and every valid one', async () => {
    const admin = adminHarness();
    const typo = admin.run(
      'tenant',
      'add',
      'typo',
      '--plan',
      'professional',
      '--max-bytes-biled',
      '10000000000',
      '--timezone',
      'America/New_York',
    );
    await expect(typo).rejects.toThrow(
      'unknown options --max-bytes-biled (did you mean --max-bytes-billed?), --timezone (did you mean --time-zone?); ' +
        'options for tenant add: --plan, --name, --warehouse, --project, --dataset, --location, --max-bytes-billed, --time-zone, --rate-tier, --remote, --persist-to',
    );
    expect(admin.targets).toEqual([]);
    expect(admin.query('SELECT id FROM tenants')).toEqual([]);
  });

  it.each(ADMIN_COMMANDS.map((command) => [command.name, command] as const))(
    '%s refuses an option it does not take and lists the ones it does',
    async (name, command) => {
      const admin = adminHarness();
      const args = command.args.filter((arg) => !arg.optional).map(() => 'acme');
      const run = admin.run(...name.split(' '), ...args, '--bogus', 'x');
      const valid = [...Object.keys(command.options), 'remote', 'persist-to'].map((option) => `--${option}`).join(', ');
      await expect(run).rejects.toThrow(`unknown option --bogus; options for ${name}: ${valid}`);
      expect(admin.targets).toEqual([]);
    },
  );

  it("refuses another command's option: --label belongs to key create, not tenant add", async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', 'acme', '--plan', 'essentials', '--label', 'x')).rejects.toThrow('unknown option --label;');
  });

  it('refuses a word left over from an unquoted value instead of dropping it', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', 'acme', '--name', 'Acme', 'Corp', '--plan', 'essentials')).rejects.toThrow(
      "unexpected argument 'Corp' (quote a value that has spaces)",
    );
    expect(admin.targets).toEqual([]);
  });

  it('refuses an option whose value is missing rather than taking the next option as its value', async () => {
    const admin = adminHarness();
    await expect(admin.run('key', 'create', 'acme', '--label', '--remote')).rejects.toThrow(
      "--label needs a value (to give one that starts with '-', write --label=--remote)",
    );
  });

  it('refuses --remote together with --persist-to, which names a local database', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'list', '--remote', '--persist-to', '/tmp/state')).rejects.toThrow('give one of them');
    expect(admin.targets).toEqual([]);
  });
});

describe('help and usage', () => {
  it.each([['--help'], ['-h'], ['help'], ['key', 'create', 'acme', '--help']])('%s prints the usage and succeeds', async (...argv) => {
    const admin = adminHarness();
    await admin.run(...argv);
    expect(admin.printed).toEqual([usage()]);
    expect(admin.targets).toEqual([]);
  });

  it('lists every command and every option in the usage', () => {
    for (const command of ADMIN_COMMANDS) {
      expect(usage()).toContain(command.name);
      for (const option of Object.keys(command.options)) expect(usage()).toContain(`--${option}`);
    }
  });

  it('fails with the usage when no command is given', async () => {
    await expect(adminHarness().run()).rejects.toThrow(`no command given.\n\n${usage()}`);
  });

  it('names the commands when given one that does not exist', async () => {
    await expect(adminHarness().run('tenant', 'remove', 'acme')).rejects.toThrow(
      "'tenant remove' is not a command. Commands: tenant add, tenant update, tenant list, key create, key list, key revoke, cache purge",
    );
  });

  it('says which argument and which required option are missing', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', '--plan', 'essentials')).rejects.toThrow('tenant add needs <id>');
    await expect(admin.run('tenant', 'add', 'acme')).rejects.toThrow('tenant add needs --plan PLAN');
    await expect(admin.run('key', 'revoke')).rejects.toThrow('key revoke needs <key id, prefix or key>');
  });
});

describe('tenant add', () => {
  it('stores the cost guard and time zone it is given', async () => {
    const admin = adminHarness();
    await admin.run(
      ...['tenant', 'add', 'northwind', '--plan', 'professional', '--warehouse', 'bigquery', '--project', 'my-gcp-project'],
      ...['--dataset', 'activconnect_417001', '--max-bytes-billed', '10000000000', '--time-zone', 'America/New_York'],
    );
    expect(admin.query('SELECT bq_project, dataset, max_bytes_billed, time_zone FROM tenants')).toEqual([
      { bq_project: 'my-gcp-project', dataset: 'activconnect_417001', max_bytes_billed: 10000000000, time_zone: 'America/New_York' },
    ]);
    expect(admin.printed[0]).toBe(
      'Tenant northwind saved (professional, bigquery my-gcp-project.activconnect_417001, ' +
        'at most 10000000000 bytes billed per query, time zone America/New_York, rate tier standard).',
    );
  });

  it('says a given --project is not a valid project id, and what one looks like', async () => {
    const admin = adminHarness();
    await expect(
      admin.run('tenant', 'add', 'northwind', '--plan', 'professional', '--warehouse', 'bigquery', '--project', 'p'),
    ).rejects.toThrow(
      "project 'p' is not a valid Google Cloud project id: 6-30 lowercase letters, digits or hyphens, starting with a letter " +
        'and not ending with a hyphen, such as my-gcp-project',
    );
    await expect(admin.run('tenant', 'add', 'northwind', '--plan', 'professional', '--warehouse', 'bigquery')).rejects.toThrow(
      'a BigQuery tenant needs --project',
    );
    expect(admin.query('SELECT id FROM tenants')).toEqual([]);
  });

  it('refuses BigQuery settings on a D1 tenant, where they would be ignored', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', 'northwind', '--plan', 'professional', '--project', 'my-gcp-project')).rejects.toThrow(
      '--project only applies to BigQuery tenants: add --warehouse bigquery',
    );
  });

  it('refuses a time zone that is not an IANA name', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', 'acme', '--plan', 'essentials', '--time-zone', 'America/NewYork')).rejects.toThrow(
      "time zone 'America/NewYork' is not an IANA time zone name",
    );
  });
});

describe('tenant update', () => {
  const northwind = [
    ...['tenant', 'add', 'northwind', '--plan', 'professional', '--warehouse', 'bigquery', '--project', 'my-gcp-project'],
    ...['--dataset', 'activconnect_417001', '--max-bytes-billed', '10000000000', '--time-zone', 'America/New_York'],
  ];
  const settings = 'SELECT plan, warehouse, bq_project, dataset, max_bytes_billed, time_zone FROM tenants';

  it('refuses to add an account twice, since adding again would reset what it leaves out', async () => {
    const admin = adminHarness();
    await admin.run(...northwind);
    await expect(admin.run('tenant', 'add', 'northwind', '--plan', 'essentials')).rejects.toThrow(
      "tenant 'northwind' already exists. Change its settings with: npm run admin -- tenant update northwind --OPTION VALUE",
    );
    expect(admin.query('SELECT plan FROM tenants')).toEqual([{ plan: 'professional' }]);
  });

  it('changes only the settings it is given: a new plan keeps the project and the cost guard', async () => {
    const admin = adminHarness();
    await admin.run(...northwind);
    await admin.run('tenant', 'update', 'northwind', '--plan', 'essentials_plus');
    expect(admin.query(settings)).toEqual([
      {
        plan: 'essentials_plus',
        warehouse: 'bigquery',
        bq_project: 'my-gcp-project',
        dataset: 'activconnect_417001',
        max_bytes_billed: 10000000000,
        time_zone: 'America/New_York',
      },
    ]);
  });

  it('drops the BigQuery settings when an account moves to the demo warehouse', async () => {
    const admin = adminHarness();
    await admin.run(...northwind);
    await admin.run('tenant', 'update', 'northwind', '--warehouse', 'd1');
    expect(admin.query(settings)).toEqual([
      {
        plan: 'professional',
        warehouse: 'd1',
        bq_project: null,
        dataset: 'northwind',
        max_bytes_billed: null,
        time_zone: 'America/New_York',
      },
    ]);
  });

  it('removes the cost guard and the location when given `none`, keeping the rest', async () => {
    const admin = adminHarness();
    await admin.run(...northwind, '--location', 'EU');
    await admin.run('tenant', 'update', 'northwind', '--max-bytes-billed', 'none', '--location', 'None');
    expect(admin.query('SELECT bq_project, bq_location, max_bytes_billed FROM tenants')).toEqual([
      { bq_project: 'my-gcp-project', bq_location: null, max_bytes_billed: null },
    ]);
  });

  it('refuses an account that does not exist, and an update with nothing to change', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'update', 'nosuch', '--plan', 'essentials')).rejects.toThrow("no such tenant 'nosuch'");
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
    await expect(admin.run('tenant', 'update', 'acme')).rejects.toThrow('tenant update needs at least one setting to change');
  });
});

describe('key create', () => {
  it("refuses a key plan above the account's plan, and stores no key", async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'initech', '--plan', 'essentials');
    await expect(admin.run('key', 'create', 'initech', '--plan', 'professional')).rejects.toThrow(
      "a key's plan cannot be above its account's: initech is on essentials, so --plan can be essentials (or leave it out)",
    );
    expect(admin.query('SELECT id FROM api_keys')).toEqual([]);
  });

  it("limits a key to a plan below its account's, or gives it the account's plan by default", async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'professional');
    await admin.run('key', 'create', 'acme', '--plan', 'essentials', '--label', 'limited');
    await admin.run('key', 'create', 'acme', '--label', 'full');
    expect(admin.query('SELECT label, plan FROM api_keys ORDER BY label')).toEqual([
      { label: 'full', plan: 'professional' },
      { label: 'limited', plan: 'essentials' },
    ]);
  });

  it('refuses a tenant that does not exist and says how to create it', async () => {
    const admin = adminHarness();
    await expect(admin.run('key', 'create', 'nosuch')).rejects.toThrow(
      "no such tenant 'nosuch'. List the tenants with: npm run admin -- tenant list; create it with: npm run admin -- tenant add nosuch --plan PLAN",
    );
  });
});

describe('key revoke', () => {
  async function withKeys(...keys: string[]) {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'professional');
    const created = await Promise.all(keys.map((key) => createKey('acme', 'professional', '', key)));
    for (const { statement } of created) admin.query(inline(statement));
    return { admin, ids: created.map((c) => c.id) };
  }

  it('fails on a key that does not exist, naming key list, and revokes nothing', async () => {
    const { admin } = await withKeys('acb_AAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaa');
    await expect(admin.run('key', 'revoke', 'nosuchkey')).rejects.toThrow(
      "no such key 'nosuchkey': give a key id (key_...) or prefix (acb_...) as listed by: npm run admin -- key list",
    );
    expect(admin.query('SELECT revoked_at FROM api_keys')).toEqual([{ revoked_at: null }]);
  });

  it('revokes one key by its full id or its full prefix, and says which key matched and how', async () => {
    const { admin, ids } = await withKeys('acb_AAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaa', 'acb_BBBBBBBBbbbbbbbbbbbbbbbbbbbbbbbb');
    await admin.run('key', 'revoke', ids[0]!);
    await admin.run('key', 'revoke', 'acb_BBBBBBBB');
    expect(admin.printed.at(-2)).toMatch(new RegExp(`^Revoked ${ids[0]} \\(acb_AAAAAAAA\\.\\.\\., acme\\), matched by its id\\. `));
    expect(admin.printed.at(-1)).toMatch(new RegExp(`^Revoked ${ids[1]} \\(acb_BBBBBBBB\\.\\.\\., acme\\), matched by 'acb_BBBBBBBB'\\. `));
    expect(admin.printed.at(-1)).toMatch(/refuse it within KEY_CACHE_SECONDS \(30 s/);
    expect(admin.query('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).toEqual([{ n: 0 }]);
  });

  it('revokes by any unambiguous start of the id or the prefix, or by the key itself', async () => {
    const keys = ['acb_CCCCCCCCcccccccccccccccccccccccc', 'acb_DDDDDDDDdddddddddddddddddddddddd', 'acb_EEEEEEEEeeeeeeeeeeeeeeeeeeeeeeee'];
    const { admin, ids } = await withKeys(...keys);
    // Random ids can share a start; the shortest start of ids[0] that no other id has.
    const idStart = Array.from({ length: 17 }, (_, n) => ids[0]!.slice(0, 4 + n)).find(
      (start) => start.length >= 6 && ids.filter((id) => id.startsWith(start)).length === 1,
    )!;
    await admin.run('key', 'revoke', idStart);
    await admin.run('key', 'revoke', 'acb_DDD');
    await admin.run('key', 'revoke', keys[2]!);
    expect(admin.printed.at(-3)).toMatch(new RegExp(`^Revoked ${ids[0]} .*, matched by '${idStart}'\\.`));
    expect(admin.printed.at(-2)).toMatch(new RegExp(`^Revoked ${ids[1]} .*, matched by 'acb_DDD'\\.`));
    expect(admin.printed.at(-1)).toMatch(new RegExp(`^Revoked ${ids[2]} .*, matched by the key itself\\.`));
    expect(admin.query('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).toEqual([{ n: 0 }]);
  });

  it('refuses a start too short to mean one key, before reading anything', async () => {
    const { admin } = await withKeys('acb_AAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaa');
    await expect(admin.run('key', 'revoke', 'key_')).rejects.toThrow("'key_' is too short to name one key: give at least 6 characters");
    expect(admin.query('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).toEqual([{ n: 1 }]);
  });

  it('succeeds without change on a key already revoked, and says when it was revoked', async () => {
    const { admin, ids } = await withKeys('acb_AAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaa');
    await admin.run('key', 'revoke', ids[0]!);
    await admin.run('key', 'revoke', ids[0]!);
    expect(admin.printed.at(-1)).toMatch(new RegExp(`^Key ${ids[0]} of acme was already revoked at \\d{4}-.+Z; nothing changed\\.$`));
  });

  it('refuses a prefix shared by two active keys rather than revoking both, listing the candidates', async () => {
    const { admin, ids } = await withKeys('acb_SAMEPREFaaaaaaaaaaaaaaaaaaaaaaaa', 'acb_SAMEPREFbbbbbbbbbbbbbbbbbbbbbbbb');
    await expect(admin.run('key', 'revoke', 'acb_SAME')).rejects.toThrow(
      `'acb_SAME' matches 2 active keys: ${[...ids]
        .sort()
        .map((id) => `${id} (acb_SAMEPREF..., acme)`)
        .join(', ')}. Give more of the id, or the whole id, to revoke one`,
    );
    expect(admin.query('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).toEqual([{ n: 2 }]);
  });
});

describe('tenant-targeted commands on a tenant that does not exist', () => {
  it('cache purge fails with "no such tenant", naming tenant list, and changes nothing', async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
    await expect(admin.run('cache', 'purge', 'nosuch')).rejects.toThrow(
      "no such tenant 'nosuch'. List the tenants with: npm run admin -- tenant list",
    );
    expect(admin.query('SELECT data_version FROM tenants')).toEqual([{ data_version: 1 }]);
  });

  it('cache purge of an existing tenant bumps its data version and says to what', async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
    await admin.run('cache', 'purge', 'acme');
    expect(admin.printed.at(-1)).toBe('Cached results of acme will no longer be served (data version now 2).');
  });

  it('key list <tenant> fails with "no such tenant" instead of an empty listing', async () => {
    const admin = adminHarness();
    await expect(admin.run('key', 'list', 'nosuch')).rejects.toThrow("no such tenant 'nosuch'");
  });

  it('suggests the next command against the same database the command used', async () => {
    const admin = adminHarness();
    await expect(admin.run('cache', 'purge', 'nosuch', '--remote')).rejects.toThrow('npm run admin -- tenant list --remote');
    await expect(admin.run('cache', 'purge', 'nosuch', '--persist-to', 'state')).rejects.toThrow(
      'npm run admin -- tenant list --persist-to state',
    );
  });
});

describe('listings', () => {
  it('say there is nothing to list, and how to add some, instead of printing an empty table', async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'list');
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
    await admin.run('key', 'list', 'acme');
    expect(admin.tables).toEqual([]);
    expect(admin.printed).toContain('No tenants yet. Add one with: npm run admin -- tenant add <id> --plan PLAN');
    expect(admin.printed).toContain('No keys for acme yet. Create one with: npm run admin -- key create acme');
  });

  it("list one tenant's keys without the key itself", async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials');
    await admin.run('tenant', 'add', 'globex', '--plan', 'essentials');
    await admin.run('key', 'create', 'acme', '--label', 'a');
    await admin.run('key', 'create', 'globex', '--label', 'g');
    await admin.run('key', 'list', 'acme');
    expect(admin.tables.at(-1)).toEqual([expect.objectContaining({ tenant_id: 'acme', label: 'a', plan: 'essentials' })]);
    expect(Object.keys(admin.tables.at(-1)![0]!)).not.toContain('key_hash');
  });

  it("shows the plan a key gets, its account's when the account was moved below the key's own", async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'professional');
    await admin.run('key', 'create', 'acme', '--label', 'full');
    await admin.run('key', 'create', 'acme', '--label', 'limited', '--plan', 'essentials');
    await admin.run('tenant', 'update', 'acme', '--plan', 'essentials_plus');
    await admin.run('key', 'list', 'acme');
    const listed = admin.tables.at(-1)!.map(({ label, plan, key_plan }) => ({ label, plan, key_plan }));
    expect(listed).toEqual([
      { label: 'full', plan: 'essentials_plus', key_plan: 'professional' },
      { label: 'limited', plan: 'essentials', key_plan: 'essentials' },
    ]);
  });
});

describe('rate tiers', () => {
  it('puts a new account on the standard tier, and tenant update moves it while keeping its other settings', async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'acme', '--plan', 'professional', '--time-zone', 'Europe/Paris');
    expect(admin.query('SELECT rate_tier FROM tenants')).toEqual([{ rate_tier: 'standard' }]);
    await admin.run('tenant', 'update', 'acme', '--rate-tier', 'high');
    await admin.run('tenant', 'update', 'acme', '--plan', 'essentials');
    expect(admin.query('SELECT rate_tier, plan, time_zone FROM tenants')).toEqual([
      { rate_tier: 'high', plan: 'essentials', time_zone: 'Europe/Paris' },
    ]);
  });

  it('refuses a tier that does not exist, naming the ones that do', async () => {
    const admin = adminHarness();
    await expect(admin.run('tenant', 'add', 'acme', '--plan', 'essentials', '--rate-tier', 'gold')).rejects.toThrow(
      "--rate-tier 'gold' is not a tier: use restricted, standard, high or unmetered",
    );
    expect(admin.query('SELECT id FROM tenants')).toEqual([]);
  });
});
