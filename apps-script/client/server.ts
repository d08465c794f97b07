import type * as Server from '../server/index.ts';

/** The server module's functions, as google.script.run exposes them to the sidebar. */
export type ServerApi = typeof Server;

interface ScriptRun {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRun;
  withFailureHandler(handler: (error: { message?: string }) => void): ScriptRun;
  [name: string]: unknown;
}

const google = (globalThis as unknown as { google: { script: { run: ScriptRun } } }).google;

/**
 * Calls a server function and resolves with its result: typed from the server module, so a
 * renamed callback or a changed argument is a compile error here, not a silent failure in
 * the sidebar.
 * @example const state = await call('sidebarState');
 */
export function call<K extends keyof ServerApi>(name: K, ...args: Parameters<ServerApi[K]>): Promise<ReturnType<ServerApi[K]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[K]>))
      .withFailureHandler((error) => reject(new Error(error?.message || 'The request failed.')));
    (runner[name] as (...a: unknown[]) => void)(...args);
  });
}
