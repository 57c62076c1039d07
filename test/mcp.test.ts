/**
 * The MCP server at /mcp, driven by the MCP SDK's own Client over streamable HTTP, with fetch routed into the
 * app (inside workerd). The tool list is derived from the committed OpenAPI document, so a new operation is
 * called here without editing this file.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import committed from '../openapi/openapi.json';
import { operationKey } from '../src/http/operations.js';
import { toolOperations } from '../src/http/mcp/tools.js';
import { toolTexts } from '../src/http/mcp/tool-texts.js';
import { app, postJson } from './helpers.js';

const operations = toolOperations(committed);
/**
 * Operations on tuning jobs: each call starts a new job or reads one by id, so the same input does not give the
 * same answer twice; test/tunings-mcp.test.ts drives them (start, then read).
 */
const jobOperation = (op: (typeof operations)[number]) => op.path.startsWith('/v1/tunings');

async function connect(): Promise<Client> {
  // workerd forbids code generation, so the client's output-schema checks use the cfworker validator, not Ajv.
  const client = new Client(
    { name: 'mcp-test', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  const transport = new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
    fetch: (url, init) => Promise.resolve(app.request(new Request(url, init), undefined, env)),
  });
  await client.connect(transport);
  return client;
}

let client: Client;
beforeAll(async () => {
  client = await connect();
});
afterAll(async () => {
  await client.close();
});

function textOf(result: CallToolResult): string[] {
  return result.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text);
}

/** Arguments for a tool call, from the operation's own documented examples. */
function exampleArguments(op: (typeof operations)[number]): Record<string, unknown> {
  if (op.method === 'GET') {
    return Object.fromEntries(
      op.parameters.filter((p) => p.schema.example !== undefined).map((p) => [p.name, p.schema.example]),
    );
  }
  const first = Object.values(op.bodyExamples)[0];
  expect(first, `${operationKey(op)} has a request example`).toBeTruthy();
  return first!.value as Record<string, unknown>;
}

describe('MCP at /mcp', () => {
  it('initializes as a stateless tools server with instructions', () => {
    expect(client.getServerVersion()?.name).toBe('quorum-planner');
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getInstructions()).toMatch(/etcd/);
  });

  it('lists one closed-world tool per /v1 operation, read-only and idempotent unless its text says otherwise', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      operations.map((op) => toolTexts[operationKey(op)]?.name ?? `(no text for ${operationKey(op)})`).sort(),
    );
    for (const tool of tools) {
      const text = Object.values(toolTexts).find((t) => t.name === tool.name);
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
        openWorldHint: false,
        ...text?.annotations,
      });
      expect(tool.description!.length, tool.name).toBeGreaterThan(80);
      expect(tool.inputSchema.type).toBe('object');
    }
  });

  it('every /v1 operation has curated tool text (add it to src/http/mcp/tool-texts.ts when a route lands)', () => {
    const missing = operations.map(operationKey).filter((key) => !toolTexts[key]);
    expect(missing).toEqual([]);
  });

  it('shows the quorum tool its query parameters as integers, with the limits', async () => {
    const { tools } = await client.listTools();
    const quorum = tools.find((t) => t.name === 'quorum')!;
    expect(quorum.inputSchema.required).toEqual(['voters']);
    expect(quorum.inputSchema.properties?.voters).toMatchObject({ type: 'integer', minimum: 0, maximum: 1001 });
  });

  it.each(operations.filter((op) => !jobOperation(op)).map((op) => [operationKey(op), op] as const))(
    'calls the tool for %s with its documented example',
    async (_key, op) => {
      const name = toolTexts[operationKey(op)]?.name;
      expect(name).toBeTruthy();
      const result = (await client.callTool({ name: name!, arguments: exampleArguments(op) })) as CallToolResult;
      expect(result.isError ?? false, textOf(result).join('\n')).toBe(false);
      const answer = result.structuredContent as Record<string, unknown>;
      // The same answer as the REST route gives for the same input.
      const rest =
        op.method === 'GET'
          ? await app.request(
              `${op.path}?${new URLSearchParams(Object.entries(exampleArguments(op)).map(([k, v]) => [k, String(v)]))}`,
            )
          : await postJson(op.path, exampleArguments(op));
      expect(answer).toEqual(await rest.json());
      expect(typeof answer.summary).toBe('string');
      expect(textOf(result)[0]).toBe(answer.summary);
    },
  );

  it('answers the etcd FAQ row for 5 voters through the quorum tool', async () => {
    // etcd FAQ: 5 members → majority 3, failure tolerance 2.
    const result = (await client.callTool({ name: 'quorum', arguments: { voters: 5 } })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ voters: 5, quorum: 3, tolerableFailures: 2 });
    expect(textOf(result)[0]).toContain('3');
  });

  it('a value over a limit is a tool error naming the field and the limit, not a transport failure', async () => {
    const result = (await client.callTool({ name: 'quorum', arguments: { voters: 5000 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    const text = textOf(result).join('\n');
    expect(text).toContain('voters');
    expect(text).toContain('maxQuorumVoters');
  });

  it('a wrongly typed or unknown argument is a tool error naming it', async () => {
    const typed = (await client.callTool({ name: 'quorum', arguments: { voters: 'three' } })) as CallToolResult;
    expect(typed.isError).toBe(true);
    expect(textOf(typed).join('\n')).toMatch(/voters: Must be a whole number/);
    const unknown = (await client.callTool({ name: 'quorum_table', arguments: { maximum: 5 } })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown).join('\n')).toContain('maximum');
  });

  it.each(operations.filter((op) => op.method === 'POST').map((op) => [operationKey(op), op] as const))(
    '%s: a misspelt field is a tool error naming it',
    async (_key, op) => {
      const name = toolTexts[operationKey(op)]!.name;
      const result = (await client.callTool({
        name,
        arguments: { ...exampleArguments(op), topologyy: 'stacked' },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result).join('\n')).toContain('topologyy');
    },
  );

  it('an unknown tool is a tool error listing the tools', async () => {
    const result = (await client.callTool({ name: 'nope', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)[0]).toContain('quorum');
  });

  it('GET /mcp is 405 (stateless: no server-initiated stream), with Allow: POST', async () => {
    const response = await app.request('/mcp');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
