/**
 * `npm start`: the whole API on http://localhost:8787 over the demo warehouse, with no
 * account, login or network. Seeds the warehouse on first run, prints the demo keys, then
 * runs `wrangler dev`.
 */
import { printDemoKeys, seedCommand } from './seed.ts';
import { devServerArgs } from './lib/dev-server.ts';
import { parseArgs } from './lib/args.ts';
import { spawnWrangler } from './lib/wrangler.ts';

try {
  const args = parseArgs(process.argv.slice(2), { port: 'string', 'persist-to': 'string' });
  const port = (args.port as string | undefined) ?? process.env.PORT ?? '8787';
  const local: { persistTo?: string } = args['persist-to'] ? { persistTo: args['persist-to'] as string } : {};
  await seedCommand({ ...local, ifMissing: true });
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
