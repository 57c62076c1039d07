/**
 * The tuning job through MCP: `start_tuning` answers with the queued job, `get_tuning` reads it by id until
 * the Workflow has stored the answer; both give what the REST routes give.
 */
import { env, introspectWorkflow } from 'cloudflare:test';
import { env as workerEnv } from 'cloudflare:workers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { describe, expect, it } from 'vitest';
import type { TuningJob } from '../src/http/schemas/tunings.js';
import { app, get } from './helpers.js';

async function connect(): Promise<Client> {
  const client = new Client(
    { name: 'tunings-mcp-test', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  const transport = new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
    fetch: (url, init) => Promise.resolve(app.request(new Request(url, init), undefined, workerEnv)),
  });
  await client.connect(transport);
  return client;
}

describe('tuning jobs over MCP', () => {
  it('starts a job with start_tuning and reads its answer with get_tuning', async () => {
    await using introspector = await introspectWorkflow(env.TUNING_WORKFLOW);
    const client = await connect();
    const { tools } = await client.listTools();
    const start = tools.find((t) => t.name === 'start_tuning')!;
    expect(start.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    expect(tools.find((t) => t.name === 'get_tuning')!.inputSchema.required).toEqual(['id']);

    const started = (await client.callTool({
      name: 'start_tuning',
      arguments: {
        cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
        objective: { failoverP99Ms: 5000, spuriousPerClusterYear: 10 },
        grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [1000] },
        failoverTrials: 20,
        steadyReplications: 2,
        steadyHoursPerReplication: 0.05,
        splittingEffort: 20,
      },
    })) as CallToolResult;
    expect(started.isError ?? false).toBe(false);
    const job = started.structuredContent as TuningJob;
    expect(job.status).toMatch(/queued|running/);

    await introspector.get()[0]!.waitForStatus('complete');
    const read = (await client.callTool({ name: 'get_tuning', arguments: { id: job.id } })) as CallToolResult;
    expect(read.isError ?? false).toBe(false);
    const done = read.structuredContent as TuningJob;
    expect(done.status).toBe('complete');
    expect(done.answer!.points[0]!.failover!.trials).toBe(20);
    expect(done).toEqual(await (await get(`/v1/tunings/${job.id}`)).json());
    expect((read.content[0] as { text: string }).text).toBe(done.summary);
    await client.close();
  });

  it('get_tuning says which argument is missing', async () => {
    const client = await connect();
    const result = (await client.callTool({ name: 'get_tuning', arguments: {} })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain('id');
    await client.close();
  });
});
