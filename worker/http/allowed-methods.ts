/**
 * Which methods a path answers to, from the app's own route table, so a wrong method gets
 * 405 with an Allow header instead of a 404 that suggests the path does not exist.
 */
export interface RouteEntry {
  readonly method: string;
  readonly path: string;
}

function patternOf(path: string): RegExp {
  let source = '';
  for (const part of path.split(/(:[A-Za-z_][A-Za-z0-9_]*(?:\{[^}]*\})?)/)) {
    if (part.startsWith(':')) source += '[^/]+?';
    else source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}/?$`);
}

export function allowedMethods(routes: readonly RouteEntry[]): (path: string) => string[] {
  const table = routes
    .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
    .map((r) => ({ method: r.method, pattern: patternOf(r.path) }));
  return (path) => {
    const methods = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
