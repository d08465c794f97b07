// One naming convention for test files (vitest.config.ts says what each kind runs): a file whose
// name does not say whether it is a unit, integration, e2e, browser or type test is refused here,
// so the convention cannot drift back.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/wrangler.ts';

const KINDS = /\.(unit|integration|e2e|browser)\.test\.ts$|\.test-d\.ts$/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.test(-d)?\.ts$/.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

describe('test file names', () => {
  const files = testFiles(join(ROOT, 'test'));

  it('finds the test files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('say what kind of test each file is', () => {
    expect(files.filter((file) => !KINDS.test(file))).toEqual([]);
  });
});
