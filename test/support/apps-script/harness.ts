import type { DemoTenantId } from '../../../worker/demo/tenants.ts';
import type { TestApi } from './worker-server.ts';
import { AppsScriptWorld, type WorldOptions } from './world.ts';
import { fetchRetryingStaleSocket } from '../stale-socket.ts';

/**
 * Worlds for one test file: each test gets its own spreadsheet, stores and clock, and all
 * of them are closed after the test.
 */
export class Worlds {
  private readonly open: AppsScriptWorld[] = [];

  private readonly projectDir: () => string;

  constructor(projectDir: () => string) {
    this.projectDir = projectDir;
  }

  create(options: Partial<WorldOptions> = {}): AppsScriptWorld {
    const world = new AppsScriptWorld({ projectDir: this.projectDir(), ...options });
    this.open.push(world);
    return world;
  }

  /** A world whose owner went through ActivTrak > Connect with a demo tenant's key. */
  connected(api: TestApi, tenant: DemoTenantId = 'acme', options: Partial<WorldOptions> = {}): AppsScriptWorld {
    const world = this.create(options);
    const result = world.sidebarCall('sidebarConnect', [api.url, api.keys[tenant]]);
    if (result.error !== undefined) throw new Error(`connecting failed: ${result.error}`);
    world.fetches.length = 0;
    return world;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((w) => w.close()));
  }
}

/** A Date's calendar day in a zone, for asserting on dates written to cells. */
export function dayIn(value: unknown, timeZone: string): string {
  if (Object.prototype.toString.call(value) !== '[object Date]') throw new Error(`not a date: ${String(value)}`);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(value as Date);
}

/** The API's own answer, fetched directly, to compare what reached the sheet with. */
export async function apiValues(
  api: TestApi,
  tenant: DemoTenantId,
  view: string,
  body: Record<string, unknown>,
): Promise<{ status: number; values: unknown[][]; detail?: string }> {
  const res = await fetchRetryingStaleSocket(`${api.url}/v1/views/${view}/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.keys[tenant]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'values', limit: 10_000, ...body }),
  });
  const json = (await res.json()) as { values?: unknown[][]; detail?: string };
  return { status: res.status, values: json.values ?? [], ...(json.detail ? { detail: json.detail } : {}) };
}
