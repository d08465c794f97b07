// Review (Node): `npm run admin` reads its flags without losing or inventing anything.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../scripts/admin.ts';

describe('npm run admin flags', () => {
  it('keeps a --flag=value whole when the value itself contains "="', () => {
    const { flags } = parseCommandLine(['tenant', 'add', 'smith', '--name=Smith=Jones & Co', '--label=q=1']);
    expect(flags).toMatchObject({ name: 'Smith=Jones & Co', label: 'q=1' });
  });

  it('refuses --remote=false rather than reading it as --remote and writing to the deployed database', () => {
    expect(() => parseCommandLine(['cache', 'purge', 'acme', '--remote=false'])).toThrow(/--remote/);
    expect(parseCommandLine(['cache', 'purge', 'acme', '--remote']).flags.remote).toBe(true);
  });
});
