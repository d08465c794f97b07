import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two runtimes: code that runs in the Worker is tested inside workerd (real D1, Cache API,
// Queues); the definitions, scripts and the Sheets add-on are tested in Node.
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
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              // KEY_CACHE_SECONDS 0: tests change keys, plans and data versions straight in D1 and
              // expect the next request to see it. The key cache and its revocation delay are
              // tested with their own clock and setting (test/worker/api/auth.test.ts).
              miniflare: { bindings: { ENVIRONMENT: 'test', KEY_CACHE_SECONDS: '0', TEST_MIGRATIONS: migrations } },
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
