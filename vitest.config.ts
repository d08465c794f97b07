import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two runtimes: code that runs in the Worker is tested inside workerd (real D1, Cache API,
// Queues); the definitions, scripts and the Sheets add-on are tested in Node.
//
// Test files sit in the folder of the feature they test and say in their name what they run:
//   *.unit.test.ts         one module in-process, no bindings, no servers
//   *.integration.test.ts  modules together over real bindings (D1, Cache API, Queues) in workerd,
//                          or the Node side against its real dependencies in-process
//   *.e2e.test.ts          the product as a user runs it: scripts, wrangler dev, real HTTP
//   *.browser.test.ts      a page in headless Chromium
//   *.test-d.ts            type tests (expectTypeOf), checked by tsc in the `types` project
// No download of request.cf sample data from workers.cloudflare.com: tests run offline.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    test: {
      projects: [
        {
          test: {
            name: 'node',
            include: ['test/node/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          test: {
            name: 'types',
            include: [],
            typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: { bindings: { ENVIRONMENT: 'test', TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: 'workers',
            include: ['test/worker/**/*.test.ts'],
            setupFiles: ['./test/worker/setup/migrations.ts'],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
