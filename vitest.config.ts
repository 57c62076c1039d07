import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
// wrangler.toml's [assets] directory must exist before the Workers pool reads it.
import { copyDocsAssets } from './scripts/docs-assets.mjs';

copyDocsAssets();

// Two projects: everything that runs in the Worker is tested inside workerd (the Workers runtime);
// tests that drive real processes (etcd, the Node server) run under Node.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ main: './src/index.ts', wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/node/**'],
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // Starting real processes (the Node server and its worker threads, etcd) on a loaded machine.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
