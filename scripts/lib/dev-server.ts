import { resolve } from 'node:path';

/**
 * wrangler.toml says ENVIRONMENT=production, so a plain `wrangler deploy` is safe by default;
 * local servers say development (plain-http hook targets on loopback, a built-in cursor key).
 */
export const DEVELOPMENT_VARS = ['--var', 'ENVIRONMENT:development'];

/**
 * Arguments of `wrangler dev` for `npm start`, on loopback over the local D1 state; tests and
 * benchmarks start the same server through local-worker.ts.
 */
export function devServerArgs(port: number, persistTo?: string): string[] {
  return [
    'dev',
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--local',
    ...(persistTo ? ['--persist-to', resolve(persistTo)] : []),
    '--show-interactive-dev-session=false',
    ...DEVELOPMENT_VARS,
  ];
}
