#!/usr/bin/env node
// Bundles the Worker (src/index.ts) into build/worker.js, which wrangler.toml's `main` names and wrangler
// then minifies and uploads; wrangler runs this first through [build] (deploy, dev, check startup).
//
// Why not let wrangler bundle src/index.ts itself: zod's `z` namespace object keeps every export of zod
// reachable when it is used as a value, and it was: @hono/zod-openapi imports `{ z }` (a re-exported
// namespace, which esbuild cannot split into its members) and hands it to `extendZodWithOpenApi(z)`, and our
// sources import `{ z }` from @hono/zod-openapi. So this build
// - imports zod as `import * as z from 'zod'` wherever src/ or @hono/zod-openapi imported `{ z }` (member
//   accesses on a namespace import are bound directly, so unused parts of zod drop out), and leaves out
//   @hono/zod-openapi's `extendZodWithOpenApi(z)` (`workerSources`, `packageEdits`);
// - swaps modules no code path here calls for small stand-ins (`standIns`): zod's 40 error-message locales
//   (English stays, the only one in use), its `z.compile` code generator, `z.fromJSONSchema`, and its JSON
//   Schema generator (`z.toJSONSchema`, `schema.toJSONSchema()`, and the per-type processors, but for
//   `aggregateChecks`, which getters such as `minLength` read: the OpenAPI document comes from
//   @asteasolutions/zod-to-openapi's own walk, at build time, and MCP's tool schemas from that document); the
//   stand-ins throw if ever called;
// - leaves the OpenAPI document's generation and text to the build (`writePrebuiltDocuments`, the
//   `workerSources` plugin, scripts/strip-api-docs.mjs, and the generators edited out of @hono/zod-openapi).
// Everything else is bundled as wrangler would. scripts/check-bundle.ts runs the result under Node against
// the source app (every documented example, /openapi.json, the MCP tool list: byte for byte) and checks its
// gzip size; BENCHMARKS.md › Bundle has what each part costs.
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { markPure, stripApiDocs } from './strip-api-docs.mjs';

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
  [join(zodDir, 'core/to-json-schema.js')]: throwingStandIn(join(zodDir, 'core/to-json-schema.js'), 'toJSONSchema()'),
  [join(zodDir, 'core/json-schema-processors.js')]: processorsStandIn(join(zodDir, 'core/json-schema-processors.js')),
};

/**
 * zod's JSON Schema processors: each schema class links its own (`processJSONSchema`), which only the JSON
 * Schema generator above calls, so they are throwing stand-ins; `aggregateChecks`, which getters such as
 * `minLength` read, stays as zod wrote it (the file's text up to the first processor).
 */
function processorsStandIn(file) {
  const text = readFileSync(file, 'utf8');
  const cut = text.indexOf('\nconst formatMap = {');
  if (cut < 0 || !text.slice(0, cut).includes('export function aggregateChecks('))
    throw new Error(`build-worker: ${file} no longer starts with aggregateChecks before formatMap`);
  const thrown = throwingStandIn(file, 'JSON Schema processing').split('\n');
  return [text.slice(0, cut), ...thrown.filter((line) => !line.includes(' aggregateChecks ='))].join('\n');
}

/** A module with the same exports as `file`, each a function that throws: for code that is linked, never run. */
function throwingStandIn(file, what) {
  const text = readFileSync(file, 'utf8');
  const names = new Set([
    ...[...text.matchAll(/^export (?:const|function|class) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) =>
      m[1].split(',').map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)
          .pop(),
      ),
    ),
  ]);
  names.delete('');
  return [
    `const leftOut = () => { throw new Error("zod ${what} is not in the Worker bundle (scripts/build-worker.mjs)"); };`,
    ...[...names].map((name) => `export const ${name} = leftOut;`),
  ].join('\n');
}

// The MCP SDK's Server links two classes our server never constructs: the experimental tasks API (made only by
// its `experimental` getter) and the Ajv validator (made only when no `jsonSchemaValidator` is passed; ours
// passes one, src/http/mcp/server.ts).
const mcpDir = realpathSync(join(root, 'node_modules/@modelcontextprotocol/sdk/dist/esm'));
const neverConstructed = (name, why) =>
  `export class ${name} { constructor() { throw new Error("${name} is not in the Worker bundle (scripts/build-worker.mjs): ${why}"); } }`;
standIns[join(mcpDir, 'experimental/tasks/server.js')] = neverConstructed(
  'ExperimentalServerTasks',
  'nothing reads server.experimental',
);
standIns[join(mcpDir, 'validation/ajv-provider.js')] = neverConstructed(
  'AjvJsonSchemaValidator',
  'pass a jsonSchemaValidator',
);

/** Replaces the modules above by path, wherever they are imported from. */
const zodStandIns = {
  name: 'stand-ins',
  setup(build) {
    build.onLoad({ filter: /node_modules[\\/](zod[\\/]v4|@modelcontextprotocol[\\/]sdk)[\\/]/ }, (args) =>
      args.path in standIns
        ? { contents: standIns[args.path], loader: 'js', resolveDir: dirname(args.path) }
        : undefined,
    );
  },
};

/**
 * Source edits to packages, by path: each [what, replacement] (`what` a string or a regular expression) must
 * match exactly once, or the build fails.
 */
const edits = {
  // `Hono` sets its default router (RegExpRouter and TrieRouter behind SmartRouter) unless given one, which links
  // all three; src/http/app.ts passes a TrieRouter, so OpenAPIHono extends the base class that takes it as is.
  // `extendZodWithOpenApi(z)` hands zod's whole `z` namespace over as a value, which keeps every export of zod
  // reachable; the function reads only `z.ZodType` (to add `.openapi()` to its prototype), so it gets just that.
  [realpathSync(join(root, 'node_modules/@hono/zod-openapi/dist/index.mjs'))]: [
    ['import { z } from "zod";', 'import * as z from "zod";'],
    // Members the app never calls: registering routes from a list, generating and serving the document (the
    // Worker serves the one generated at build time), mounting another OpenAPIHono, a base path.
    [
      /\topenapiRoutes = \(inputs\) => \{[\s\S]*?\n\tdoc31 = [\s\S]*?\n\t\};\n/,
      ['openapiRoutes', 'getOpenAPIDocument', 'getOpenAPI31Document', 'doc', 'doc31']
        .map((member) => `\t${member} = () => leftOut("${member}()")();\n`)
        .join(''),
    ],
    [
      /\troute\(path, app\) \{[\s\S]*?\n\t\}\n\tbasePath\(path\) \{[\s\S]*?\n\t\}\n\};\n/,
      '\troute() { leftOut("route()")(); }\n\tbasePath() { leftOut("basePath()")(); }\n};\n',
    ],
    [
      'import { Hono } from "hono";',
      `import { HonoBase as Hono } from ${JSON.stringify(realpathSync(join(root, 'node_modules/hono/dist/hono-base.js')))};`,
    ],
    // The Worker's sources call no `.openapi()` (scripts/strip-api-docs.mjs), so zod is not extended with it,
    // and zod-to-openapi's metadata code (read by `route()`, which the app does not use) stays out.
    ['extendZodWithOpenApi(z);', ''],
    // The Worker serves the document generated at build time (src/http/api-document.prebuilt.ts): the
    // generators stay out; constructing one throws.
    [
      'import { OpenAPIRegistry, OpenApiGeneratorV3, OpenApiGeneratorV31, extendZodWithOpenApi, getOpenApiMetadata } from "@asteasolutions/zod-to-openapi";',
      'import { OpenAPIRegistry, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";\n' +
        'const leftOut = (what) => () => { throw new Error(what + " is not in the Worker bundle (scripts/build-worker.mjs)"); };\n' +
        'class OpenApiGeneratorV3 { constructor() { leftOut("the OpenAPI generator")(); } }\n' +
        'const OpenApiGeneratorV31 = OpenApiGeneratorV3;\n' +
        'const getOpenApiMetadata = leftOut("zod-to-openapi metadata");',
    ],
  ],
};

// zod-to-openapi's registry: the app registers its routes (`registerPath`; the landing document lists them);
// `registerParameter`, which no code here calls, is the only part left that reads the metadata of `.openapi()`.
edits[realpathSync(join(root, 'node_modules/@asteasolutions/zod-to-openapi/dist/index.mjs'))] = [
  [
    '(_a = Metadata.getOpenApiMetadata(schemaWithRefId))',
    '(_a = (() => { throw new Error("registerParameter is not in the Worker bundle (scripts/build-worker.mjs)"); })())',
  ],
];

// hono's `mount()` (another framework's handler under a path) is one the app never calls.
edits[realpathSync(join(root, 'node_modules/hono/dist/hono-base.js'))] = [
  [
    /\tmount\(path, applicationHandler, options\) \{[\s\S]*?\n\t\}\n(?=\t#addRoute\()/,
    '\tmount() { throw new Error("mount() is not in the Worker bundle (scripts/build-worker.mjs)"); }\n',
  ],
];

// hono's validator reads cookies only for a `cookie` target, which no route declares.
edits[realpathSync(join(root, 'node_modules/hono/dist/validator/validator.js'))] = [
  [
    'import { getCookie } from "../helper/cookie/index.js";',
    'const getCookie = () => { throw new Error("cookie validation is not in the Worker bundle (scripts/build-worker.mjs)"); };',
  ],
];

/**
 * Package modules whose top-level constants are only built values (zod schemas), marked pure so that the ones
 * nothing uses drop out (scripts/strip-api-docs.mjs › markPure): the MCP SDK's message schemas, of which the
 * server uses perhaps a third; the package declares no `sideEffects`, so esbuild kept and built all of them.
 */
const pureConstants = new Set([join(mcpDir, 'types.js')]);

const packageEdits = {
  name: 'package-edits',
  setup(build) {
    build.onLoad({ filter: /node_modules[\\/]/ }, async (args) => {
      const changes = edits[args.path];
      if (!changes && !pureConstants.has(args.path)) return undefined;
      let contents = await readFile(args.path, 'utf8');
      for (const [what, replacement] of changes ?? []) {
        const found =
          typeof what === 'string'
            ? contents.split(what).length - 1
            : (contents.match(new RegExp(what, 'g')) ?? []).length;
        if (found !== 1) throw new Error(`build-worker: ${args.path} no longer has ${what} once`);
        contents = contents.replace(what, () => replacement);
      }
      if (pureConstants.has(args.path)) contents = markPure(contents, args.path);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * In src/: `import { …, z, … } from '@hono/zod-openapi'` becomes the same import without `z` plus
 * `import * as z from 'zod'` — the same module object (@hono/zod-openapi re-exports zod's), bound member by member.
 */
function zodNamespaceImports(text) {
  return text.replace(/^import \{([^}]*)\} from '@hono\/zod-openapi';$/gm, (line, specifiers) => {
    const names = specifiers
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    if (!names.includes('z')) return line;
    const rest = names.filter((n) => n !== 'z');
    return `${rest.length ? `import { ${rest.join(', ')} } from '@hono/zod-openapi'; ` : ''}import * as z from 'zod';`;
  });
}

const srcHttp = join(root, 'src/http');
/** The module that generates the OpenAPI document, and the Worker's stand-in that reads it from the assets. */
const documentModule = join(srcHttp, 'api-document.ts');
const prebuiltDocumentModule = join(srcHttp, 'api-document.prebuilt.ts');

/**
 * The sources as the Worker bundles them: zod imported member by member (above); in src/http, the OpenAPI
 * document's text left out (scripts/strip-api-docs.mjs) and the document read from the assets.
 */
const workerSources = {
  name: 'worker-sources',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const file = args.path === documentModule ? prebuiltDocumentModule : args.path;
      let contents = zodNamespaceImports(await readFile(file, 'utf8'));
      if (file.startsWith(srcHttp)) contents = stripApiDocs(contents, file);
      return { contents, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

/** Under public/: what src/http/api-document.prebuilt.ts reads (its `prebuiltPaths`), from what the app serves. */
export const prebuiltFiles = {
  '/static/api/openapi.json': 'JSON.stringify(await documents.document())',
  '/static/api/llms.txt': 'await documents.llmsText()',
  '/static/api/mcp-tools.json': 'JSON.stringify(await documents.mcpTools())',
  '/static/api/docs.html': "await (await app.request('/docs')).text()",
  '/static/api/planner.html': 'await documents.plannerPage()',
};

/**
 * The OpenAPI document, /llms.txt and the MCP tools as the source app computes them (src/http/api-document.ts),
 * generated now from src/ under Node (bundled by esbuild with the packages left to node_modules, then
 * imported), and written as the exact text the Worker serves or parses.
 */
export async function writePrebuiltDocuments() {
  const entry = join(root, 'build/api-documents.mjs');
  await esbuild.build({
    stdin: {
      contents: [
        "import { createApp } from './src/http/app.ts';",
        "import { apiDocuments } from './src/http/api-document.ts';",
        'const app = createApp();',
        'const documents = apiDocuments(app);',
        `export const files = { ${Object.entries(prebuiltFiles)
          .map(([path, text]) => `${JSON.stringify(path)}: ${text}`)
          .join(', ')} };`,
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    outfile: entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const { files } = await import(`${pathToFileURL(entry).href}?t=${Date.now()}`);
  for (const [path, text] of Object.entries(files)) {
    const target = join(root, 'public', path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return Object.keys(files);
}

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
    plugins: [zodStandIns, packageEdits, workerSources],
    metafile,
    sourcemap,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writePrebuiltDocuments();
  await buildWorker();
}
