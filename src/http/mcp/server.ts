/**
 * @module mcp/server
 * The MCP server at /mcp: streamable HTTP, stateless (a fresh server and transport per request, JSON
 * responses, no sessions), so it runs the same in workerd, under Node and behind any load balancer.
 *
 * One definition, two surfaces: every tool IS a REST route. Its input schema is the JSON Schema that the
 * route's own zod schema generates for the OpenAPI document, and a call is executed by sending the arguments
 * through the route with `app.request` — so the route's zod schema validates them (same limits, same
 * messages naming the field), the same handler answers, and the tool can never drift from the REST
 * operation. We use the SDK's low-level `Server` rather than `McpServer.registerTool(zodSchema)` because the
 * query routes' zod schemas accept strings (that is what a query string carries): their generated OpenAPI
 * parameter schemas say `integer`, which is what a model should be shown.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { apiVersion } from '../openapi-config.js';
import {
  capabilityOperations,
  operationKey,
  standaloneSchema,
  type JsonObject,
  type Operation,
} from '../operations.js';
import { chartContent } from './chart-content.js';
import { toolTexts } from './tool-texts.js';

export const mcpInstructions =
  'Quorum Planner answers questions about Kubernetes control planes and their etcd clusters: quorum and tolerable ' +
  'failures, which node or zone losses a design survives, stacked vs external etcd, recommended layouts, ready-to-use ' +
  'flags and kubeadm YAML, and simulated failover timelines. Every tool is read-only and deterministic. Each answer ' +
  'has a `summary` written to be quoted to the user as is, and `findings` (stable codes, severity, fix).';

export type McpTool = { operation: Operation; tool: Tool };

/** The tools for an app: one per /v1 operation of its OpenAPI document. */
export function mcpTools(document: JsonObject): McpTool[] {
  return capabilityOperations(document).map((operation) => {
    const text = toolTexts[operationKey(operation)];
    const inputSchema =
      operation.method === 'GET'
        ? {
            type: 'object' as const,
            properties: Object.fromEntries(
              operation.parameters.map((p) => [
                p.name,
                { ...p.schema, ...(p.description ? { description: p.description } : {}) },
              ]),
            ),
            required: operation.parameters.filter((p) => p.required).map((p) => p.name),
            additionalProperties: false,
          }
        : (standaloneSchema(operation.bodySchema ?? { type: 'object' }, document) as Tool['inputSchema']);
    const outputSchema = operation.answerSchema
      ? (standaloneSchema(operation.answerSchema, document) as Tool['outputSchema'])
      : undefined;
    return {
      operation,
      tool: {
        // Without curated text (a test insists on it) the route's own summary and description stand in.
        name: text?.name ?? defaultToolName(operation.operationId),
        title: text?.title ?? operation.summary,
        description: `${text?.description ?? `${operation.summary}. ${operation.description}`} (REST: ${operationKey(operation)})`,
        inputSchema,
        ...(outputSchema?.type === 'object' ? { outputSchema } : {}),
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false, destructiveHint: false },
      },
    };
  });
}

function defaultToolName(operationId: string): string {
  return operationId
    .replace(/^(get|post|create|run|generate)(?=[A-Z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Elicitation is the only server-side use of a JSON Schema validator, and we never elicit: skip Ajv. */
const noValidator: jsonSchemaValidator = {
  getValidator: () => () => ({
    valid: false,
    data: undefined,
    errorMessage: 'This server does not validate client-side schemas.',
  }),
};

/** A tool result for a problem+json answer: the field-by-field errors, in words a model can act on. */
function problemResult(toolName: string, status: number, problem: JsonObject): CallToolResult {
  const fields = Array.isArray(problem.errors)
    ? (problem.errors as { pointer: string; detail: string }[])
        .map((e) => `- ${e.pointer || '(the arguments)'}: ${e.detail}`)
        .join('\n')
    : '';
  const lead =
    status === 400
      ? `Invalid arguments for ${toolName}; fix the named field(s) and call again.`
      : `${toolName} failed (${status} ${problem.title ?? ''}).`;
  // The per-field list when there is one (the detail repeats it in one line), else the detail.
  const text = [lead, fields || problem.detail].filter(Boolean).join('\n');
  // No structuredContent: clients check it against the tool's outputSchema, which describes the answer.
  return { isError: true, content: [{ type: 'text', text }] };
}

/** Runs one tool call through its REST route. */
async function callThroughRoute(
  app: OpenAPIHono<AppEnv>,
  c: Context<AppEnv>,
  { operation, tool }: McpTool,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': c.get('requestId') };
  let url = `http://mcp.internal${operation.path}`;
  let init: RequestInit = { method: operation.method, headers };
  if (operation.method === 'GET') {
    const known = new Set(operation.parameters.map((p) => p.name));
    const unknown = Object.keys(args).filter((name) => !known.has(name));
    if (unknown.length) {
      return problemResult(tool.name, 400, {
        detail: `Unknown argument(s): ${unknown.join(', ')}. This tool takes: ${[...known].join(', ')}.`,
        errors: unknown.map((name) => ({ pointer: name, detail: 'Not an argument of this tool.' })),
      });
    }
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(args)) {
      if (value !== undefined && value !== null)
        query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    if ([...query.keys()].length) url += `?${query}`;
  } else {
    headers['content-type'] = 'application/json';
    init = { ...init, body: JSON.stringify(args) };
  }
  const response = await app.request(url, init, c.env);
  const body = (await response.json().catch(() => ({ detail: 'The answer was not JSON.' }))) as JsonObject;
  if (!response.ok) return problemResult(tool.name, response.status, body);
  const summary = typeof body.summary === 'string' ? body.summary : `${tool.name} answered.`;
  const chart = await chartContent(app, c, operationKey(operation), url, args);
  return {
    content: [
      { type: 'text', text: summary },
      ...chart,
      // For clients that pass only `content` to the model: the whole structured answer, as JSON.
      { type: 'text', text: JSON.stringify(body) },
    ],
    structuredContent: body,
  };
}

/** Tools per app, built once: the document and the schemas do not change while the app lives. */
const toolCache = new WeakMap<object, McpTool[]>();

/** The handler for POST /mcp. `documentOf` gives the app's OpenAPI document (asked once per app). */
export function mcpHandler(app: OpenAPIHono<AppEnv>, documentOf: () => JsonObject) {
  return async (c: Context<AppEnv>) => {
    let tools = toolCache.get(app);
    if (!tools) {
      tools = mcpTools(documentOf());
      toolCache.set(app, tools);
    }
    const byName = new Map(tools.map((t) => [t.tool.name, t]));

    const server = new Server(
      { name: 'quorum-planner', title: 'Quorum Planner', version: apiVersion },
      { capabilities: { tools: {} }, instructions: mcpInstructions, jsonSchemaValidator: noValidator },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => t.tool) }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const entry = byName.get(request.params.name);
      if (!entry) {
        return {
          isError: true,
          content: [
            { type: 'text', text: `No tool named ${request.params.name}. Tools: ${[...byName.keys()].join(', ')}.` },
          ],
        };
      }
      return callThroughRoute(app, c, entry, (request.params.arguments ?? {}) as Record<string, unknown>);
    });

    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    // The json-body middleware has already parsed (and size-checked) the body; hand it over.
    const parsedBody: unknown = await c.req.json();
    return transport.handleRequest(c.req.raw, { parsedBody });
  };
}
