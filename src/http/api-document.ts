/**
 * @module api-document
 * The app's OpenAPI document and the surfaces that depend on nothing else: /openapi.json, /llms.txt, the MCP
 * tools, the /docs page and the planner page. Here they are generated from the routes' zod schemas, once per app, as under Node,
 * in the tests and in openapi/generate.ts.
 *
 * The Worker build (scripts/build-worker.mjs) swaps this module for ./api-document.prebuilt.ts: the same, as
 * this module computed them from the same sources when the Worker was built, served from its static assets, so
 * the Worker carries neither the generator nor the descriptions and examples it reads, nor Scalar's page
 * template and the planner page's HTML (BENCHMARKS.md › Bundle).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { scalarBundlePath } from './docs-assets.js';
import { plannerHtml } from './planner-page.js';
import { llmsTxt } from './llms-txt.js';
import { mcpTools, type McpTool } from './mcp/tools.js';
import { openApiConfig } from './openapi-config.js';
import type { JsonObject } from './operations.js';

/** Each takes the request's bindings (unused here; the Worker's stand-in reads its static assets). */
export type ApiDocuments = {
  document(env: unknown): Promise<JsonObject>;
  llmsText(env: unknown): Promise<string>;
  mcpTools(env: unknown): Promise<McpTool[]>;
  /** GET /docs. */
  docsPage: MiddlewareHandler;
  /** The planner page's HTML (GET / for browsers). */
  plannerPage(env: unknown): Promise<string>;
};

/** The OpenAPI 3.1 document of an app, as served at /openapi.json and committed under openapi/. */
export function openApiDocument(app: OpenAPIHono<AppEnv>): JsonObject {
  return app.getOpenAPI31Document(openApiConfig);
}

export function apiDocuments(app: OpenAPIHono<AppEnv>): ApiDocuments {
  let document: JsonObject | undefined;
  let text: string | undefined;
  let tools: McpTool[] | undefined;
  const documentOf = () => (document ??= openApiDocument(app));
  return {
    document: async () => documentOf(),
    llmsText: async () => (text ??= llmsTxt(documentOf())),
    mcpTools: async () => (tools ??= mcpTools(documentOf())),
    // Offline-ready: Scalar's bundle from our own static assets, system fonts, and none of the hosted-service
    // buttons (AI agent, MCP generator, developer tools) that need Scalar's cloud.
    docsPage: Scalar({
      url: '/openapi.json',
      pageTitle: 'Quorum Planner API',
      cdn: scalarBundlePath,
      withDefaultFonts: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: 'never',
      defaultOpenAllTags: true,
      hideClientButton: true,
    } as Parameters<typeof Scalar>[0]),
    plannerPage: async () => plannerHtml,
  };
}
