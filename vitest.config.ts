import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
// wrangler.toml's [assets] directory must exist before the Workers pool reads it.
import { copyDocsAssets } from './scripts/docs-assets.mjs';

copyDocsAssets();

// Two projects: everything that runs in the Worker is tested inside workerd (the Workers runtime);
// tests that drive real processes (etcd, the Node server) run under Node.
// Timeouts are hang guards, not speed checks (speed lives in `npm run bench`): generous enough that a busy
// 2-core machine running several suites at once does not fail a correct test.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ main: './src/index.ts', wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/node/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Real etcd processes on a shared loopback: a member-add or remove can race etcd's own health checks.
          // One retry keeps a rare race from failing CI; a real defect fails twice. (Flakes seen 2026-11-26:
          // etcd-cluster learner add, etcd-changes member remove; both pass on rerun. Root cause still open.)
          retry: 1,
        },
      },
    ],
  },
});
