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
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { apiVersion } from '../openapi-config.js';
import { operationKey, type JsonObject } from '../operations.js';
import { chartContent } from './chart-content.js';
import type { McpTool } from './tools.js';
import { depthMessage, type TooDeepResponder } from '../middleware/json-body.js';
import { jsonPointer } from '../validation.js';

const mcpInstructions =
  'Quorum Planner answers questions about Kubernetes control planes and their etcd clusters: quorum and tolerable ' +
  'failures, which node or zone losses a design survives, stacked vs external etcd, recommended layouts, ready-to-use ' +
  'flags and kubeadm YAML, and simulated failover timelines. Every tool is read-only and deterministic. Each answer ' +
  'has a `summary` written to be quoted to the user as is, and `findings` (stable codes, severity, fix).';

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
  // Path parameters go into the path (e.g. the job id of get_tuning), the rest into the query or the body.
  let path = operation.path;
  const inPath = new Set(operation.pathParameters.map((p) => p.name));
  for (const name of inPath) {
    const value = args[name];
    if (typeof value !== 'string' && typeof value !== 'number')
      return problemResult(tool.name, 400, {
        detail: `The argument ${name} is required.`,
        errors: [{ pointer: name, detail: 'Required.' }],
      });
    path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
  }
  const rest = Object.fromEntries(Object.entries(args).filter(([name]) => !inPath.has(name)));
  let url = `http://mcp.internal${path}`;
  let init: RequestInit = { method: operation.method, headers };
  if (operation.method === 'GET') {
    const known = new Set(operation.parameters.map((p) => p.name));
    const unknown = Object.keys(rest).filter((name) => !known.has(name));
    if (unknown.length) {
      return problemResult(tool.name, 400, {
        detail: `Unknown argument(s): ${unknown.join(', ')}. This tool takes: ${[...known].join(', ')}.`,
        errors: unknown.map((name) => ({ pointer: name, detail: 'Not an argument of this tool.' })),
      });
    }
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(rest)) {
      if (value !== undefined && value !== null)
        query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    if ([...query.keys()].length) url += `?${query}`;
  } else {
    headers['content-type'] = 'application/json';
    init = { ...init, body: JSON.stringify(rest) };
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

/** The id of a JSON-RPC message, or null when it has none that could be echoed. */
function messageId(message: unknown): string | number | null {
  const id = (message as JsonObject | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** A JSON-RPC error answer, as the SDK's transport sends its own (HTTP 200 for a request it could read). */
function jsonRpcError(c: Context, id: string | number | null, code: number, message: string): Response {
  return c.json({ jsonrpc: '2.0', id, error: { code, message } }, 200);
}

/** JSON-RPC's "invalid params" and "invalid request" codes. */
const invalidParams = -32602;
const invalidRequest = -32600;

/** For the json-body middleware on /mcp: a body nested past maxJsonDepth is a JSON-RPC error, not a problem. */
export const mcpTooDeep: TooDeepResponder = (c, body, path) => {
  const inParams = path[0] === 'params';
  return jsonRpcError(
    c,
    messageId(body),
    inParams ? invalidParams : invalidRequest,
    `Invalid ${inParams ? 'params' : 'request'}: ${jsonPointer(path)}: ${depthMessage}`,
  );
};

/**
 * A tools/call whose params the SDK cannot read (`arguments: 5`) would reach it as a parse failure and come
 * back as -32603 "internal error"; JSON-RPC calls that -32602 "invalid params", with the field named.
 */
function invalidToolCall(c: Context, message: unknown): Response | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  if ((message as JsonObject).method !== 'tools/call') return undefined;
  const parsed = CallToolRequestSchema.safeParse(message);
  if (parsed.success) return undefined;
  const issues = parsed.error.issues.map((issue) => {
    const where = issue.path.join('.') || '(the message)';
    const hint = where === 'params.arguments' ? ' (the tool arguments are an object: name → value)' : '';
    return `${where}: ${issue.message}${hint}`;
  });
  return jsonRpcError(c, messageId(message), invalidParams, `Invalid params: ${issues.join('; ')}.`);
}

/**
 * The arguments exactly as sent. The SDK's parse of the message rebuilds them and silently drops an own
 * `__proto__` key; taken from the parsed body, such a key reaches the route and is refused there, as over REST.
 */
function sentArguments(body: unknown, id: string | number): Record<string, unknown> | undefined {
  const messages = Array.isArray(body) ? body : [body];
  const call = messages.find((m) => m && typeof m === 'object' && (m as JsonObject).id === id) as JsonObject;
  const args = call?.params?.arguments;
  return args && typeof args === 'object' && !Array.isArray(args) ? args : undefined;
}

/** The handler for POST /mcp. `toolsOf` gives the app's tools (built once per app, see ../api-document.ts). */
export function mcpHandler(app: OpenAPIHono<AppEnv>, toolsOf: (env: unknown) => Promise<McpTool[]>) {
  return async (c: Context<AppEnv>) => {
    const tools = await toolsOf(c.env);
    const byName = new Map(tools.map((t) => [t.tool.name, t]));
    // The json-body middleware has already parsed (and size- and depth-checked) the body; hand it over.
    const parsedBody: unknown = await c.req.json();
    const refused = invalidToolCall(c, parsedBody);
    if (refused) return refused;

    const server = new Server(
      { name: 'quorum-planner', title: 'Quorum Planner', version: apiVersion },
      { capabilities: { tools: {} }, instructions: mcpInstructions, jsonSchemaValidator: noValidator },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map((t) => t.tool) }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const entry = byName.get(request.params.name);
      if (!entry) {
        return {
          isError: true,
          content: [
            { type: 'text', text: `No tool named ${request.params.name}. Tools: ${[...byName.keys()].join(', ')}.` },
          ],
        };
      }
      const args = sentArguments(parsedBody, extra.requestId) ?? request.params.arguments ?? {};
      return callThroughRoute(app, c, entry, args);
    });

    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody });
  };
}
