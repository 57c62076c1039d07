/**
 * One body, one meaning (issue 11, point 6): every recommendation's proposal goes as is to /v1/config and
 * /v1/plans, and as {"cluster": proposal} to /v1/simulations, and each answer agrees with the recommendation's
 * own plan (quorum, tolerance, summary). The MCP tools answer the same body as the REST operations do.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { describe, expect, it } from 'vitest';
import { app, postJson } from './helpers.js';

interface Recommendation {
  proposal: Record<string, unknown>;
  plan: { quorum: number; tolerableFailures: number; summary: string; voters: number };
}

const requests = [
  { nodeFailures: 1, zones: ['a', 'b', 'c'] },
  { nodeFailures: 1, zoneLoss: true, zones: ['a', 'b', 'c'], topology: 'external' },
  { nodeFailures: 2, zones: ['a', 'b', 'c'], network: { interZoneRttMs: 30 } },
  { nodeFailures: 1, zoneLoss: true, zones: ['a', 'b'] },
];

async function json(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await postJson(path, body);
  expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('every recommendation round-trips: recommendation → config → plan → simulation', () => {
  it.each(requests)(
    '%o',
    async (request) => {
      const answer = (await json('/v1/recommendations', request)) as {
        recommendations: Recommendation[];
        alternatives: { recommendation: Recommendation }[];
      };
      const all = [...answer.recommendations, ...answer.alternatives.map((a) => a.recommendation)];
      expect(all.length).toBeGreaterThan(0);
      for (const r of all) {
        const config = await json('/v1/config', r.proposal);
        expect([config.quorum, config.tolerableFailures, config.voters]).toEqual([
          r.plan.quorum,
          r.plan.tolerableFailures,
          r.plan.voters,
        ]);
        expect(config.startable).toBe(true);
        const plan = await json('/v1/plans', r.proposal);
        expect(plan.summary).toBe(r.plan.summary);
        const simulation = await json('/v1/simulations', { cluster: r.proposal, trials: 1, seed: 7 });
        const cluster = simulation.cluster as { voters: number; quorum: number };
        expect([cluster.voters, cluster.quorum]).toEqual([r.plan.voters, r.plan.quorum]);
        const controlPlane = await json('/v1/simulations', { kind: 'control-plane', cluster: r.proposal, seed: 7 });
        expect(controlPlane.topology).toBe(r.proposal.topology);
      }
    },
    120_000,
  );
});

describe('the MCP tools answer a body as the REST operations do', () => {
  it('plan and config', async () => {
    const client = new Client(
      { name: 'one-body-test', version: '1.0.0' },
      { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
        fetch: (url, init) => Promise.resolve(app.request(new Request(url, init))),
      }),
    );
    try {
      const bodies = [
        { topology: 'stacked', controlPlane: { nodes: 2 } },
        { topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } },
        {
          topology: 'external',
          controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] },
          etcd: { members: 5, diskSyncMs: 40 },
        },
      ];
      for (const body of bodies) {
        for (const [tool, path] of [
          ['plan', '/v1/plans'],
          ['config', '/v1/config'],
        ] as const) {
          const result = (await client.callTool({ name: tool, arguments: body })) as CallToolResult;
          const rest = await json(path, body);
          const structured = result.structuredContent as Record<string, unknown>;
          for (const key of ['quorum', 'tolerableFailures', 'summary', 'startable']) {
            expect(structured[key], `${tool} ${key}`).toEqual(rest[key]);
          }
        }
      }
    } finally {
      await client.close();
    }
  }, 60_000);
});
