// `npm run admin` reads its flags without losing or inventing anything.
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../../support/admin-harness.ts';

describe('npm run admin flags', () => {
  it('keeps a --flag=value whole when the value itself contains "="', async () => {
    const admin = adminHarness();
    await admin.run('tenant', 'add', 'smith', '--name=Smith=Jones & Co', '--plan=essentials');
    await admin.run('key', 'create', 'smith', '--label=q=1');
    expect(admin.query('SELECT name FROM tenants')).toEqual([{ name: 'Smith=Jones & Co' }]);
    expect(admin.query('SELECT label FROM api_keys')).toEqual([{ label: 'q=1' }]);
  });

  it('refuses --remote=false rather than reading it as --remote and writing to the deployed database', async () => {
    const admin = adminHarness();
    await expect(admin.run('cache', 'purge', 'acme', '--remote=false')).rejects.toThrow('--remote takes no value');
    expect(admin.targets).toEqual([]);
    await admin.run('tenant', 'add', 'acme', '--plan', 'essentials', '--remote');
    await admin.run('cache', 'purge', 'acme', '--remote');
    expect(admin.targets.every((target) => target.remote)).toBe(true);
  });
});
