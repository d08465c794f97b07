// `npm run seed -- --help` and `npm start -- --help` print their usage and do nothing else, as
// `npm run admin -- --help` does; a wrong option stops them before anything is seeded or served.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFLINE_ENV, ROOT } from '../../../scripts/lib/wrangler.ts';

const script = (name: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', name), ...args], { cwd: ROOT, env: OFFLINE_ENV, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe.each([
  ['seed.ts', 'npm run seed -- [options]', ['--size', '--seed', '--end-date', '--persist-to', '--if-missing', '--help']],
  ['start.ts', 'npm start -- [options]', ['--port', '--persist-to', '--help']],
])('scripts/%s', (name, synopsis, options) => {
  it.each(['--help', '-h'])('%s prints the usage with every option and exits 0 without seeding or serving', (flag) => {
    const run = script(name, '--port', '1', flag);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`usage: ${synopsis}`);
    for (const option of options) expect(lines.some((line) => line.trimStart().startsWith(option))).toBe(true);
    expect(run.stdout).not.toMatch(/Seeding|Demo API keys|Starting local server/);
  });

  it('refuses an unknown option with exit code 1, the nearest name and the list', () => {
    const run = script(name, '--persist-too', '/tmp/x');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown option --persist-too (did you mean --persist-to?)');
    expect(run.stdout).toBe('');
  });
});
