/**
 * Offline `zapier-platform validate`: builds the app, then runs what the Zapier CLI runs locally (the
 * app handler's `validate` command: zapier-platform-schema's validateAppDefinition and its
 * functional constraints, on the compiled app) and this app's own checks (src/checks.ts).
 * The CLI's second half, Zapier's server-side style checks, needs Zapier's servers; run
 * `npm run zapier-platform -- validate` (the pinned CLI, zapier/README.md) for it before a push.
 *
 *   node zapier/validate.mts [--no-build]
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildZapierApp, DEFAULT_OUT_DIR, ZAPIER_DIR } from './build.mts';
import { runChecks, type CheckedApp } from './src/checks.ts';

const require = createRequire(join(ZAPIER_DIR, 'package.json'));

/** One schema violation, as zapier-platform-schema reports it. */
export interface SchemaError {
  readonly property: string;
  readonly message: string;
  readonly stack?: string;
}

interface SchemaTools {
  prepareApp(app: unknown): unknown;
  validateApp(compiled: unknown): SchemaError[];
}

/** Core's own tools, the ones its `validate` command calls, rather than a copy of their steps. */
function schemaTools(): SchemaTools {
  return require('zapier-platform-core/src/tools/schema') as SchemaTools;
}

export interface Validation {
  readonly schema: readonly SchemaError[];
  readonly checks: readonly string[];
}

export function validateApp(app: unknown): Validation {
  const tools = schemaTools();
  return { schema: tools.validateApp(tools.prepareApp(app)), checks: runChecks(app as CheckedApp) };
}

/** Loads a built bundle afresh, so a rebuild in the same process is seen. */
export function loadBuiltApp(outFile = join(DEFAULT_OUT_DIR, 'index.js')): unknown {
  delete require.cache[require.resolve(outFile)];
  return require(outFile);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outFile = process.argv.includes('--no-build') ? join(DEFAULT_OUT_DIR, 'index.js') : (await buildZapierApp()).outFile;
  const { schema, checks } = validateApp(loadBuiltApp(outFile));
  for (const error of schema) console.error(`schema: ${error.property} ${error.message}`);
  for (const problem of checks) console.error(`check: ${problem}`);
  if (schema.length + checks.length > 0) {
    console.error(`\n${schema.length} schema error(s), ${checks.length} check problem(s).`);
    process.exit(1);
  }
  console.log("The Zapier app is valid: schema and checks pass (Zapier's server-side style checks are not run offline).");
}
