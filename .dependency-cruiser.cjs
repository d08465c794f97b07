/**
 * The direction the layers point (npm run lint:deps, part of npm test). Routes are the edge:
 * only the app wires them, so a service, the OpenAPI document or the cache never reaches into
 * a route for a constant or a function. The view definitions in shared/ are the root that
 * every part reads and that reads none of them. Warehouses know only the query model.
 */
module.exports = {
  forbidden: [
    {
      name: 'routes-are-the-edge',
      comment: 'Only worker/app.ts and other routes import worker/routes/; move what is shared next to what it describes.',
      severity: 'error',
      from: { path: '^worker/', pathNot: '^worker/(routes/|app\\.ts$)' },
      to: { path: '^worker/routes/' },
    },
    {
      name: 'shared-is-the-root',
      comment: 'shared/ (the view definitions) imports nothing of the parts built on it.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(worker|apps-script|zapier|scripts|test|bench)/' },
    },
    {
      name: 'warehouses-know-the-query-model-only',
      comment: 'A warehouse turns a Query into rows; it does not know the demo data, the cache, hooks, routes or the API document.',
      severity: 'error',
      from: { path: '^worker/warehouse/' },
      to: { path: '^worker/(demo|routes|openapi|cache|hooks|mcp)/' },
    },
    {
      name: 'sheets-talks-http',
      comment: 'The Sheets add-on reaches the worker over HTTP, never by importing it.',
      severity: 'error',
      from: { path: '^apps-script/' },
      to: { path: '^worker/' },
    },
    {
      name: 'zapier-bundles-pure-modules-only',
      comment:
        "The Zapier app bundles a few pure worker modules (the signature check, the demo data its samples are built from; the query vocabulary it shares with the Worker is in shared/) and never the Worker's runtime.",
      severity: 'error',
      from: { path: '^zapier/' },
      to: { path: '^worker/(app\\.ts|index\\.ts|routes|http|cache|tenants|warehouse|mcp|openapi)' },
    },
    {
      name: 'product-never-imports-tests',
      severity: 'error',
      from: { path: '^(worker|shared|apps-script|zapier|scripts)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules|\\.generated\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
