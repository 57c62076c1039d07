/**
 * The MCP server under plain Node over real HTTP: src/node.ts on a loopback port, the MCP SDK's Client with its
 * own StreamableHTTPClientTransport and Node's fetch (the workerd side is test/mcp.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startNodeServer } from './support/node-server.js';

let server: { base: string; stop: () => void };
let client: Client;

beforeAll(async () => {
  server = await startNodeServer();
  client = new Client({ name: 'mcp-node-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)));
});

afterAll(async () => {
  await client?.close();
  server?.stop();
});

describe('MCP under Node', () => {
  it('lists the tools and answers a call (etcd FAQ: 7 members tolerate 3 failures)', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('quorum');
    const result = (await client.callTool({ name: 'quorum', arguments: { voters: 7 } })) as CallToolResult;
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toMatchObject({ voters: 7, quorum: 4, tolerableFailures: 3 });
  });

  it('a bad argument is a tool error naming the field', async () => {
    const result = (await client.callTool({ name: 'quorum_table', arguments: { max: 0 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.content.map((c) => ('text' in c ? c.text : '')).join('\n')).toMatch(/max: Must be at least 1/);
  });
});
