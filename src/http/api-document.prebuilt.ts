/**
 * @module api-document.prebuilt
 * The Worker's stand-in for ./api-document.ts (scripts/build-worker.mjs swaps it in): the OpenAPI document,
 * /llms.txt, the MCP tools, the /docs page and the planner page exactly as ./api-document.ts computed them from the sources when
 * the Worker was built, read once per isolate from the static assets (`[assets]` binding ASSETS in wrangler.toml), where the
 * build writes them. The document and the tools are stored as the JSON text the source app serialises, so
 * parsing and serialising them again gives the same bytes; scripts/check-bundle.ts compares the answers.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDocuments } from './api-document.js';
import type { AppEnv } from './app-env.js';
import type { McpTool } from './mcp/tools.js';
import type { JsonObject } from './operations.js';

/** Under public/, kept in step with scripts/build-worker.mjs (prebuiltFiles), which writes them. */
export const prebuiltPaths = {
  document: '/static/api/openapi.json',
  llmsText: '/static/api/llms.txt',
  mcpTools: '/static/api/mcp-tools.json',
  docsPage: '/static/api/docs.html',
  plannerPage: '/static/api/planner.html',
} as const;

type AssetsBinding = { fetch(request: Request): Promise<Response> };

export function openApiDocument(_app: OpenAPIHono<AppEnv>): JsonObject {
  throw new Error('the Worker serves the OpenAPI document generated at build time (src/http/api-document.ts)');
}

export function apiDocuments(_app: OpenAPIHono<AppEnv>): ApiDocuments {
  const docsPage = once((env) => asset(env, prebuiltPaths.docsPage).then((r) => r.text()));
  return {
    document: once((env) => asset(env, prebuiltPaths.document).then((r) => r.json() as Promise<JsonObject>)),
    llmsText: once((env) => asset(env, prebuiltPaths.llmsText).then((r) => r.text())),
    mcpTools: once((env) => asset(env, prebuiltPaths.mcpTools).then((r) => r.json() as Promise<McpTool[]>)),
    docsPage: async (c) => c.html(await docsPage(c.env)),
    plannerPage: once((env) => asset(env, prebuiltPaths.plannerPage).then((r) => r.text())),
  };
}

/** The first successful read is kept for the isolate's life; a failed one is tried again by the next request. */
function once<T>(read: (env: unknown) => Promise<T>): (env: unknown) => Promise<T> {
  let value: Promise<T> | undefined;
  return (env) => {
    value ??= read(env).catch((error) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

async function asset(env: unknown, path: string): Promise<Response> {
  const assets = (env as { ASSETS?: AssetsBinding } | undefined)?.ASSETS;
  if (!assets) throw new Error(`no ASSETS binding to read ${path} from (wrangler.toml [assets])`);
  const response = await assets.fetch(new Request(`https://assets.invalid${path}`));
  if (!response.ok) throw new Error(`the prebuilt ${path}: ${response.status}`);
  return response;
}
