/**
 * The Zapier app as Zapier runs it: built by zapier/build.mts into a directory of its own and
 * loaded with require, the way Zapier's wrapper loads index.js. The directory is under
 * node_modules so the bundle's require('zapier-platform-core') resolves as it does in zapier/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildZapierApp, type BuildResult } from '../../../../zapier/build.mts';
import type { App } from '../../../../zapier/src/app.ts';
import { ROOT } from '../../../../scripts/lib/wrangler.ts';

const require = createRequire(import.meta.url);

export interface BuiltApp {
  /** The loaded bundle: `module.exports` of dist/index.js, typed as the source it was built from. */
  readonly app: App;
  readonly build: BuildResult;
  /** The bundle's text, for checks on what ships. */
  readonly source: string;
  dispose(): void;
}

export async function builtApp(options: { apiUrl?: string } = {}): Promise<BuiltApp> {
  const cache = join(ROOT, 'node_modules', '.cache', 'activconnect-bridge');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'zapier-app-'));
  const build = await buildZapierApp({ outDir, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}) });
  return {
    app: require(build.outFile) as App,
    build,
    source: readFileSync(build.outFile, 'utf8'),
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
