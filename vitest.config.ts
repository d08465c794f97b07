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
//   *.test-d.ts            type tests (expectTypeOf): not run, checked by tsc in `npm run typecheck`
//
// No download of request.cf sample data from workers.cloudflare.com: tests run offline.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';

// Tests must pass in any order: CI (.ci/run sets CI=true) runs files and the tests in each in a
// random order, and prints the seed; VITEST_SEED=N replays one order. Locally the order is fixed.
const shuffled = process.env.CI === 'true';
const seed = process.env.VITEST_SEED === undefined ? undefined : Number(process.env.VITEST_SEED);
const sequence = { shuffle: shuffled || seed !== undefined, ...(seed === undefined ? {} : { seed }) };

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    test: {
      sequence,
      projects: [
        {
          test: {
            name: 'node',
            sequence,
            include: ['test/node/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              // KEY_CACHE_SECONDS 0: tests change keys, plans and data versions straight in D1 and
              // expect the next request to see it. The key cache and its revocation delay are
              // tested with their own clock and setting (test/worker/api/auth.integration.test.ts).
              miniflare: { bindings: { ENVIRONMENT: 'test', KEY_CACHE_SECONDS: '0', TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: 'workers',
            sequence,
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
