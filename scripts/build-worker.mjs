#!/usr/bin/env node
// Bundles the Worker (src/index.ts) into build/worker.js, which wrangler.toml's `main` names and wrangler
// then minifies and uploads; wrangler runs this first through [build] (deploy, dev, check startup).
//
// Why not let wrangler bundle src/index.ts itself: zod's `z` namespace object (which @hono/zod-openapi
// re-exports) keeps every export of zod reachable, so the bundle carried zod's 40 error-message locales,
// its `z.compile` code generator and `z.fromJSONSchema` — 300 KiB minified, a third of the Worker — that no
// code path here calls. This build swaps those three modules for small stand-ins (English stays the only
// locale, as it was the only one in use; the other two throw if ever called). Everything else is bundled
// as wrangler would; scripts/check-bundle.mjs runs the result under Node and checks its gzip size.
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const workerBundle = join(root, 'build/worker.js');

// The real path: esbuild resolves symlinks (a worktree's node_modules may be a link to another checkout's).
const zodDir = realpathSync(join(root, 'node_modules/zod/v4'));
const standIns = {
  [join(zodDir, 'locales/index.js')]: `export { default as en } from ${JSON.stringify(join(zodDir, 'locales/en.js'))};`,
  [join(zodDir, 'core/compile.js')]: [
    'export const INVALID = Symbol.for("zod.compile.invalid");',
    'const leftOut = () => { throw new Error("zod compile() is not in the Worker bundle (scripts/build-worker.mjs)"); };',
    'export class ZodCompileAsyncError extends Error {}',
    'export class ZodCompileUnsupportedError extends Error {}',
    'export const compile = leftOut;',
    'export const withParser = leftOut;',
    'export const compileFn = leftOut;',
  ].join('\n'),
  [join(zodDir, 'classic/from-json-schema.js')]:
    'export const fromJSONSchema = () => { throw new Error("zod fromJSONSchema() is not in the Worker bundle (scripts/build-worker.mjs)"); };',
};

/** Replaces the modules above by path, wherever zod imports them from. */
const zodStandIns = {
  name: 'zod-stand-ins',
  setup(build) {
    build.onLoad({ filter: /node_modules[\\/]zod[\\/]v4[\\/]/ }, (args) =>
      args.path in standIns
        ? { contents: standIns[args.path], loader: 'js', resolveDir: dirname(args.path) }
        : undefined,
    );
  },
};

export async function buildWorker({
  metafile = false,
  minify = false,
  sourcemap = false,
  outfile = workerBundle,
} = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  return esbuild.build({
    entryPoints: [join(root, 'src/index.ts')],
    outfile,
    minify,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    // As wrangler resolves for Workers.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    // The MCP SDK imports Ajv for a validator our server never constructs (see src/http/mcp/ajv-stub.ts).
    alias: { ajv: './src/http/mcp/ajv-stub.ts', 'ajv-formats': './src/http/mcp/ajv-stub.ts' },
    absWorkingDir: root,
    plugins: [zodStandIns],
    metafile,
    sourcemap,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWorker();
}
