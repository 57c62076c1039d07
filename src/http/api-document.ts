/**
 * @module api-document
 * The app's OpenAPI document and what is derived from it alone: /openapi.json, /llms.txt and the MCP tools.
 * Here they are generated from the routes' zod schemas, once per app, as under Node, in the tests and in
 * openapi/generate.ts.
 *
 * The Worker build (scripts/build-worker.mjs) swaps this module for ./api-document.prebuilt.ts: the same three,
 * computed from the same sources by this module when the Worker is built and served from its static assets, so
 * the Worker carries neither the generator nor the descriptions and examples it reads (BENCHMARKS.md › Bundle).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { llmsTxt } from './llms-txt.js';
import { mcpTools, type McpTool } from './mcp/tools.js';
import { openApiConfig } from './openapi-config.js';
import type { JsonObject } from './operations.js';

/** Each takes the request's bindings (unused here; the Worker's stand-in reads its static assets). */
export type ApiDocuments = {
  document(env: unknown): Promise<JsonObject>;
  llmsText(env: unknown): Promise<string>;
  mcpTools(env: unknown): Promise<McpTool[]>;
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
  };
}
