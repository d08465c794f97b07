/**
 * `npm start`: the whole API on http://localhost:8787 over the demo warehouse, with no
 * account, login or network. Seeds the warehouse on first run, says which days its data
 * covers, prints the demo keys, then runs `wrangler dev`. `npm start -- --help` lists the options.
 */
import { describeDemoData, PERSIST_OPTION, printDemoKeys, seedCommand } from './seed.ts';
import { devServerArgs } from './lib/dev-server.ts';
import { optionKinds, parseArgs, usage, wantsHelp, type OptionSpecs } from './lib/args.ts';
import { spawnWrangler } from './lib/wrangler.ts';

const START_OPTIONS = {
  port: { value: 'N', help: 'serve on this port (default $PORT, else 8787)' },
  'persist-to': PERSIST_OPTION,
  help: { help: 'this text' },
} as const satisfies OptionSpecs;

try {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    console.log(
      usage(
        'npm start -- [options]',
        'Serves the API over the local demo warehouse, seeding it first when it is missing (`npm run seed` rebuilds it).',
        START_OPTIONS,
      ),
    );
    process.exit(0);
  }
  const args = parseArgs(argv, optionKinds(START_OPTIONS));
  const port = (args.port as string | undefined) ?? process.env.PORT ?? '8787';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535)
    throw new Error(`--port must be a number from 1 to 65535, not '${port}'`);
  const local: { persistTo?: string } = args['persist-to'] ? { persistTo: args['persist-to'] as string } : {};
  const range = await seedCommand({ ...local, ifMissing: true });
  console.log(describeDemoData(range));
  await printDemoKeys();
  console.log(
    `\nTry it:\n  curl -H "Authorization: Bearer <key>" http://localhost:${port}/v1/views\n  open http://localhost:${port}/docs\n`,
  );
  const child = spawnWrangler(devServerArgs(Number(port), local.persistTo));
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
} catch (err) {
  console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
