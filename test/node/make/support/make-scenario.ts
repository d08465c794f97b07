/**
 * A stand-in for one run of a Make scenario, with the modules docs/make.md's polling recipe
 * uses. Make itself cannot run here; these are the rules of its documentation that the recipe
 * relies on, each where it is enforced:
 *
 * - Data store: records by key; Get a record answers the record or nothing, Add/replace a
 *   record overwrites the record with that key. https://help.make.com/data-stores
 * - HTTP › Make a request: sends the URL, method and headers as given; with Parse response,
 *   the JSON body is the module's `data`; with "Evaluate all states as errors (except for 2xx
 *   and 3xx)", any other status is an error. https://apps.make.com/http
 * - Router: routes run in their set order, one after another, each to completion before the
 *   next starts; a route runs only when its filter passes.
 *   https://www.make.com/en/help/modules/router
 * - Iterator: one bundle per item of the array, each through the modules after it.
 *   https://documentation.celonis.com/en/flow-control.html (Make's Flow Control modules)
 * - An error in a module with no error handler ends the run there: later modules and routes
 *   do not run. (The guide relies on this; the stored documentation does not state it on the
 *   pages above, so the stand-in takes the guide's word.)
 */

export class DataStore {
  private readonly records = new Map<string, Record<string, string>>();
  get(key: string): Record<string, string> | undefined {
    const record = this.records.get(key);
    return record && { ...record };
  }
  addOrReplace(key: string, record: Record<string, string>): void {
    this.records.set(key, { ...record });
  }
}

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET';
  readonly headers: Record<string, string>;
  readonly parseResponse: boolean;
  /** "Evaluate all states as errors (except for 2xx and 3xx)". */
  readonly evaluateAllStatesAsErrors: boolean;
}

export interface HttpOutput {
  readonly statusCode: number;
  readonly data: unknown;
}

export class ModuleError extends Error {
  constructor(
    readonly module: string,
    message: string,
  ) {
    super(`${module}: ${message}`);
  }
}

/** HTTP › Make a request. */
export async function makeARequest(request: HttpRequest): Promise<HttpOutput> {
  let res: Response;
  try {
    res = await fetch(request.url, { method: request.method, headers: request.headers });
  } catch (err) {
    throw new ModuleError('HTTP', `request failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  if (request.evaluateAllStatesAsErrors && !(res.status >= 200 && res.status < 400)) {
    throw new ModuleError('HTTP', `the server answered ${res.status}: ${text.slice(0, 200)}`);
  }
  let data: unknown = text;
  if (request.parseResponse && /json/.test(res.headers.get('content-type') ?? '')) data = JSON.parse(text);
  return { statusCode: res.status, data };
}

export interface Route {
  readonly filter?: () => boolean;
  readonly run: () => void | Promise<void>;
}

/** Flow Control › Router: routes in order, one at a time; an error ends the run. */
export async function router(routes: readonly Route[]): Promise<void> {
  for (const route of routes) {
    if (route.filter && !route.filter()) continue;
    await route.run();
  }
}

/** Flow Control › Iterator: the modules after it, once per item. */
export async function iterator<T>(array: unknown, each: (item: T) => void | Promise<void>): Promise<void> {
  if (array === undefined || array === null) return;
  if (!Array.isArray(array)) throw new ModuleError('Iterator', 'the mapped value is not an array');
  for (const item of array as T[]) await each(item);
}

/** Make's `map(array; key)`: the key's value from each item. */
export function map<T extends Record<string, unknown>>(array: readonly T[], key: string): unknown[] {
  return array.map((item) => item[key]);
}

/** Make's `last(array)`. */
export function last<T>(array: readonly T[]): T | undefined {
  return array[array.length - 1];
}
