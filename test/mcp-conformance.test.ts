/**
 * MCP tools keep their own promises: every tool has an output schema (MCP wants `type: object` at its root),
 * the schemas use only JSON Schema keywords (no OpenAPI `example`, which Ajv's strict mode rejects), every
 * result validates against the tool's output schema — checked with @cfworker/json-schema directly and by the
 * MCP SDK's Client, which refuses a result that does not match — and malformed calls get the JSON-RPC error
 * codes JSON-RPC defines (issue 14, item 6).
 */
import { Validator } from '@cfworker/json-schema';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import committed from '../openapi/openapi.json';
import { limits } from '../src/http/limits.js';
import { toolTexts } from '../src/http/mcp/tool-texts.js';
import { toolOperations } from '../src/http/mcp/tools.js';
import { operationKey } from '../src/http/operations.js';
import { app } from './helpers.js';

const operations = toolOperations(committed);

/**
 * Arguments for each tool from its operation's first documented example. The tuning-job tools need a job
 * (start_tuning, then get_tuning with its id): test/tunings-mcp.test.ts calls them through the SDK client,
 * which refuses a result that does not match the output schema.
 */
const exampleCalls = operations
  .filter((op) => !op.path.startsWith('/v1/tunings'))
  .map((op) => {
    const name = toolTexts[operationKey(op)]!.name;
    const args =
      op.method === 'GET'
        ? Object.fromEntries(
            op.parameters.filter((p) => p.schema.example !== undefined).map((p) => [p.name, p.schema.example]),
          )
        : (Object.values(op.bodyExamples)[0]!.value as Record<string, unknown>);
    return { name, args };
  });
const hostedConfig = { name: 'config', args: { topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } } };

let client: Client;
let tools: Tool[];
beforeAll(async () => {
  client = new Client(
    { name: 'conformance', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
      fetch: (url, init) => Promise.resolve(app.request(new Request(url, init))),
    }),
  );
  // Listing the tools is what makes the client check later results against their output schemas.
  tools = (await client.listTools()).tools;
});
afterAll(async () => {
  await client.close();
});

/** Keys used as schema keywords anywhere in a schema (not the names inside `properties` or `$defs`). */
function keywordsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywordsOf(item, out);
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      out.add(key);
      if (key === 'properties' || key === '$defs')
        for (const sub of Object.values(value as object)) keywordsOf(sub, out);
      else if (!['enum', 'const', 'default', 'examples', 'required'].includes(key)) keywordsOf(value, out);
    }
  }
  return out;
}

async function rpc(params: string): Promise<{ error?: { code: number; message: string }; result?: CallToolResult }> {
  const response = await app.request('/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${params}}`,
  });
  return response.json();
}

describe('MCP tool schemas and results', () => {
  it('every tool has an output schema with type object at its root', () => {
    expect(tools.length).toBeGreaterThanOrEqual(exampleCalls.length);
    for (const tool of tools) expect(tool.outputSchema?.type, tool.name).toBe('object');
  });

  it('tool schemas use no OpenAPI-only keyword (`example`, `nullable`) and compile as JSON Schema 2020-12', () => {
    for (const tool of tools) {
      for (const schema of [tool.inputSchema, tool.outputSchema]) {
        const keywords = keywordsOf(schema);
        expect(keywords.has('example'), tool.name).toBe(false);
        expect(keywords.has('nullable'), tool.name).toBe(false);
        expect(() => new Validator(schema as object, '2020-12')).not.toThrow();
      }
    }
  });

  it.each([...exampleCalls, hostedConfig].map((call) => [call.name, call] as const))(
    '%s: the result validates against the output schema (cfworker) and the SDK client accepts it',
    async (_name, call) => {
      // The SDK client throws (-32602) when structuredContent does not match the tool's output schema.
      const result = (await client.callTool({ name: call.name, arguments: call.args })) as CallToolResult;
      const text = result.content.map((c) => (c as { text?: string }).text ?? '').join('\n');
      // A job runner this host lacks (tunings in the Workers pool) is a documented 503, not a result to check.
      if (result.isError && text.includes('(503 ')) return;
      expect(result.isError ?? false, text).toBe(false);
      const tool = tools.find((t) => t.name === call.name)!;
      const verdict = new Validator(tool.outputSchema as object, '2020-12', false).validate(result.structuredContent);
      expect(verdict.errors.slice(0, 3)).toEqual([]);
    },
  );
});

describe('malformed MCP calls get JSON-RPC errors, not internal errors', () => {
  it('arguments that are not an object: -32602 invalid params, naming params.arguments', async () => {
    for (const args of ['5', '"x"', '[1]', 'true']) {
      const { error } = await rpc(`{"name":"quorum","arguments":${args}}`);
      expect(error?.code, args).toBe(-32602);
      expect(error?.message).toContain('params.arguments');
    }
  });

  it('arguments nested 5,000 levels: -32602 naming maxJsonDepth, no stack overflow', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const { error } = await rpc(`{"name":"plan","arguments":${deep}}`);
    expect(error?.code).toBe(-32602);
    expect(error?.message).toContain(`maxJsonDepth = ${limits.maxJsonDepth}`);
    expect(error?.message).not.toMatch(/call stack/i);
  });

  it('__proto__ inside arguments is refused as over REST (an unknown field), not silently dropped', async () => {
    const { result } = await rpc(
      '{"name":"plan","arguments":{"__proto__":{"x":1},"topology":"stacked","controlPlane":{"nodes":3}}}',
    );
    expect(result?.isError).toBe(true);
    expect(result?.content[0]).toMatchObject({ text: expect.stringContaining('/__proto__: Unknown field') });
    const rest = await app.request('/v1/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__":{"x":1},"topology":"stacked","controlPlane":{"nodes":3}}',
    });
    expect(rest.status).toBe(400);
  });

  it('quorum({}) says what the schema says: voters is a required whole number', async () => {
    const { result } = await rpc('{"name":"quorum","arguments":{}}');
    expect(result?.isError).toBe(true);
    const text = (result!.content[0] as { text: string }).text;
    expect(text).toContain('voters: Required: a whole number from 0 to 1001');
    expect(text).not.toContain('expected string');
  });
});
