// `npm run admin` as a user runs it: a Node process, wrangler and local D1 in a temporary
// persist directory, judged by exit code and output. The in-process contract is in
// admin.unit.test.ts; these are the reported cases, end to end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/wrangler.ts';

const state = mkdtempSync(join(tmpdir(), 'admin-e2e-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

function admin(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'admin.ts'), ...argv], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run admin, end to end', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout and exits 0', (flag) => {
    const result = admin(flag);
    expect(result.stdout).toMatch(/^usage: npm run admin -- <command> \[options\]/);
    expect(result.status).toBe(0);
  });

  it('with no arguments prints the usage on stderr and exits 1', () => {
    const result = admin();
    expect(result.stderr).toContain('usage: npm run admin -- <command> [options]');
    expect(result.status).toBe(1);
  });

  it('refuses a mistyped option with exit code 1 and creates no database', () => {
    const dir = join(state, 'typo');
    const result = admin(
      ...['tenant', 'add', 'typo', '--plan', 'professional', '--max-bytes-biled', '10000000000'],
      ...['--timezone', 'America/New_York', '--persist-to', dir],
    );
    expect(result.stderr).toContain('admin: unknown options --max-bytes-biled (did you mean --max-bytes-billed?), --timezone');
    expect(result.status).toBe(1);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('exits 1 with a message to act on for a missing key or tenant, a key plan above its account, or a bad project id', () => {
    const dir = join(state, 'flow');
    const added = admin('tenant', 'add', 'initech', '--plan', 'essentials', '--persist-to', dir);
    expect(added.stdout + added.stderr).toContain('Tenant initech saved (essentials, d1');
    expect(added.status).toBe(0);

    const cases: [string[], string][] = [
      [['key', 'revoke', 'nosuchkey'], "admin: no such key 'nosuchkey'"],
      [['cache', 'purge', 'nosuch'], "admin: no such tenant 'nosuch'. List the tenants with: npm run admin -- tenant list"],
      [['key', 'create', 'initech', '--plan', 'professional'], "admin: a key's plan cannot be above its account's"],
      [
        ['tenant', 'add', 'northwind', '--plan', 'professional', '--warehouse', 'bigquery', '--project', 'p'],
        "admin: project 'p' is not a valid Google Cloud project id",
      ],
    ];
    for (const [argv, message] of cases) {
      const result = admin(...argv, '--persist-to', dir);
      expect(result.stderr, argv.join(' ')).toContain(message);
      expect(result.status, argv.join(' ')).toBe(1);
    }
    const listed = admin('key', 'list', '--persist-to', dir);
    expect(listed.stdout).toContain('No keys yet.');
    expect(listed.status).toBe(0);
  });
});
