import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { OFFLINE_ENV, ROOT } from './wrangler.ts';

/**
 * wrangler.toml says ENVIRONMENT=production, so a plain `wrangler deploy` is safe by default;
 * local servers say development (plain-http hook targets on loopback, a built-in cursor key).
 */
export const DEVELOPMENT_VARS = ['--var', 'ENVIRONMENT:development'];

export interface DevServerOptions {
  readonly port?: number;
  readonly persistTo?: string;
  /** Inherit stdio (npm start) instead of collecting it (tests, benchmarks). */
  readonly inheritOutput?: boolean;
}

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

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** What wrangler printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` over a local D1 state directory, resolved once /healthz answers. For tests
 * and benchmarks; `npm start` runs the same arguments in the foreground.
 */
export async function startDevServer(options: DevServerOptions = {}, timeoutMs = 60_000): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'wrangler'), devServerArgs(port, options.persistTo), {
    cwd: ROOT,
    env: OFFLINE_ENV,
    stdio: options.inheritOutput ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    detached: !options.inheritOutput,
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      // wrangler starts workerd as a child: signal the whole group so nothing is left listening.
      if (child.pid && !options.inheritOutput) process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(options.inheritOutput ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, port, process: child, output: () => log, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} within ${timeoutMs} ms:\n${log}`);
}
