import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAddon, type BuildResult } from '../../../apps-script/build.ts';

let built: Promise<BuildResult> | null = null;

/**
 * The add-on as Apps Script would receive it, built once per test file into its own
 * directory (test files run in parallel; none may overwrite another's bundle).
 */
export function builtProject(): Promise<BuildResult> {
  if (!built) {
    const dir = mkdtempSync(join(tmpdir(), 'acb-sheets-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    built = buildAddon(join(dir, 'dist'));
  }
  return built;
}
