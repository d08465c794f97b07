import { createApp } from '../../../worker/app.ts';
import type { Env } from '../../../worker/env.ts';
import { testEnv } from './demo.ts';

/**
 * The Worker's app called in-process with an env of the test's choosing (a setting, an
 * ADMIN_TOKEN, a wrapped binding) and an ExecutionContext whose waitUntil promises the test
 * can await: what a request leaves running after its answer (usage writes, lease releases)
 * is then finished before the test looks, with no waiting on the clock.
 */
export function appWith(overrides: Partial<Env> = {}) {
  const app = createApp();
  const pending: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (p: Promise<unknown>) => void pending.push(p),
    passThroughOnException: () => undefined,
    props: {},
  } as unknown as ExecutionContext;
  const env = { ...(testEnv as unknown as Env), ...overrides };
  return {
    env,
    request(path: string, key?: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
      return Promise.resolve(app.request(`http://bridge.test${path}`, { ...init, headers }, env, ctx));
    },
    /** Every waitUntil promise so far, settled. */
    async settle(): Promise<void> {
      while (pending.length) await Promise.allSettled(pending.splice(0));
    },
  };
}
