/**
 * The MCP tools and the REST operations never contradict each other (issue 11, summary truth): over 300
 * generated bodies (stacked, external and hosted; 1–7 voters; learners; odd etcd and lease timings), the
 * `plan`, `config`, `simulate` and `quorum` tools and POST /v1/plans, /v1/config, /v1/simulations and
 * GET /v1/quorum give the same quorum, tolerance, startability and applicability for the same body. The
 * expected quorum is recomputed here (a majority of the voters the body lists), not read from the code.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app, get, postJson } from './helpers.js';

type Json = Record<string, unknown>;

const body = fc
  .record({
    topology: fc.constantFrom('stacked', 'external'),
    platform: fc.constantFrom('self-managed', 'self-managed', 'self-managed', 'hosted', 'local'),
    count: fc.integer({ min: 1, max: 7 }),
    learner: fc.boolean(),
    version: fc.constantFrom('3.4', '3.5', '3.6'),
    kubernetesVersion: fc.constantFrom(undefined, '1.25', '1.30', '1.36'),
    heartbeatIntervalMs: fc.constantFrom(undefined, 100, 50, 300),
    electionTimeoutMs: fc.constantFrom(undefined, 1000, 400, 1050, 60_000),
    lease: fc.constantFrom<[number, number] | undefined>(undefined, [15, 10], [10, 10], [9, 10]),
    zones: fc.constantFrom(['a'], ['a', 'b'], ['a', 'b', 'c']),
  })
  .map((g) => {
    const members = Array.from({ length: g.count }, (_, i) => ({
      name: `etcd-${i + 1}`,
      ...(g.learner && i === g.count - 1 && g.count > 1 ? { learner: true } : {}),
    }));
    return {
      topology: g.topology,
      ...(g.platform === 'self-managed' ? {} : { platform: g.platform }),
      ...(g.kubernetesVersion ? { kubernetesVersion: g.kubernetesVersion } : {}),
      controlPlane: { nodes: g.topology === 'stacked' ? g.count : 2, zones: g.zones },
      etcd: {
        ...(g.topology === 'external' ? { members } : {}),
        version: g.version,
        ...(g.heartbeatIntervalMs ? { heartbeatIntervalMs: g.heartbeatIntervalMs } : {}),
        ...(g.electionTimeoutMs ? { electionTimeoutMs: g.electionTimeoutMs } : {}),
      },
      ...(g.lease ? { leaderElection: { leaseDurationS: g.lease[0], renewDeadlineS: g.lease[1] } } : {}),
    };
  });

let client: Client;

beforeAll(async () => {
  client = new Client(
    { name: 'agreement-test', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
      fetch: (url, init) => Promise.resolve(app.request(new Request(url, init))),
    }),
  );
});

afterAll(async () => {
  await client.close();
});

/** A tool's structured answer, or its error text. */
async function tool(name: string, args: Json): Promise<{ ok: true; answer: Json } | { ok: false; text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) return { ok: false, text: (result.content[0] as { text: string }).text };
  return { ok: true, answer: result.structuredContent as Json };
}

async function rest(path: string, args: Json): Promise<{ status: number; answer: Json }> {
  const response = await postJson(path, args);
  return { status: response.status, answer: (await response.json()) as Json };
}

describe('MCP tools and REST operations agree on 300 generated bodies', () => {
  it('quorum, tolerance, startability and applicability', async () => {
    let hosted = 0;
    let unstartable = 0;
    let simulated = 0;
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const plan = await rest('/v1/plans', input);
        const config = await rest('/v1/config', input);
        expect(plan.status).toBe(200);
        expect(config.status).toBe(200);
        const planTool = await tool('plan', input);
        const configTool = await tool('config', input);
        expect(planTool.ok && configTool.ok).toBe(true);
        if (!planTool.ok || !configTool.ok) return;
        // The same answer over both surfaces.
        for (const key of ['quorum', 'tolerableFailures', 'voters', 'summary', 'platform']) {
          expect(planTool.answer[key], `plan ${key}`).toEqual(plan.answer[key]);
        }
        for (const key of ['quorum', 'tolerableFailures', 'voters', 'startable', 'summary']) {
          expect(configTool.answer[key], `config ${key}`).toEqual(config.answer[key]);
        }
        const members = input.topology === 'stacked' ? input.controlPlane.nodes : input.etcd.members!.length;
        const learners = input.topology === 'external' ? input.etcd.members!.filter((m) => 'learner' in m).length : 0;
        const voters = (members as number) - learners;
        const providerRuns = input.platform === 'hosted';
        // Applicability: on a hosted platform nothing is sized as if the user ran etcd; elsewhere a majority.
        const expectedQuorum = providerRuns ? null : Math.floor(voters / 2) + 1;
        const expectedTolerance = providerRuns ? null : voters - (Math.floor(voters / 2) + 1);
        for (const answer of [plan.answer, config.answer]) {
          expect(answer.quorum).toBe(expectedQuorum);
          expect(answer.tolerableFailures).toBe(expectedTolerance);
        }
        // Startable: config's flag is the plan's refusals, and the control-plane simulation refuses exactly then.
        const startable = config.answer.startable as boolean | null;
        const simulation = await rest('/v1/simulations', { kind: 'control-plane', cluster: input, seed: 1 });
        const simulateTool = await tool('simulate', { kind: 'control-plane', cluster: input, seed: 1 });
        if (providerRuns) {
          hosted++;
          expect(startable).toBeNull();
          expect(simulation.status).toBe(400);
          expect(simulateTool.ok).toBe(false);
          expect(JSON.stringify(simulation.answer)).toContain('/cluster/platform');
        } else {
          expect(startable).toBe(
            !(plan.answer.findings as { code: string; severity: string }[]).some(
              (f) => f.severity === 'error' && /NOT_POSITIVE|BELOW_5X|TOO_LONG|NOT_ABOVE/.test(f.code),
            ),
          );
          if (!startable) unstartable++;
          expect(simulation.status === 200, JSON.stringify(simulation.answer).slice(0, 300)).toBe(startable);
          expect(simulateTool.ok).toBe(startable);
          if (simulation.status === 200 && simulateTool.ok) {
            simulated++;
            expect(simulateTool.answer.summary).toBe(simulation.answer.summary);
          }
          // The etcd election simulation of the same cluster counts the same voters and quorum.
          const election = await rest('/v1/simulations', { cluster: input, seed: 1 });
          // etcd's own refusals (not client-go's, which stop the controllers, not etcd) leave no election to simulate.
          const etcdRefuses = (plan.answer.findings as { code: string; severity: string }[]).some(
            (f) =>
              f.severity === 'error' && f.code.startsWith('ETCD_') && /NOT_POSITIVE|BELOW_5X|TOO_LONG/.test(f.code),
          );
          expect(election.status, JSON.stringify(election.answer).slice(0, 300)).toBe(etcdRefuses ? 400 : 200);
          if (election.status === 200) {
            const cluster = election.answer.cluster as { voters: number; quorum: number };
            expect([cluster.voters, cluster.quorum]).toEqual([voters, expectedQuorum]);
          }
        }
        // The quorum tool and GET /v1/quorum for the same voters and learners.
        const query = { voters, learners, etcdVersion: input.etcd.version };
        const quorumTool = await tool('quorum', query);
        const quorumRest = (await (
          await get(`/v1/quorum?voters=${voters}&learners=${learners}&etcdVersion=${input.etcd.version}`)
        ).json()) as Json;
        expect(quorumTool.ok && quorumTool.answer.quorum).toBe(quorumRest.quorum);
        expect(quorumRest.quorum).toBe(Math.floor(voters / 2) + 1);
        expect(quorumRest.tolerableFailures).toBe(voters - (Math.floor(voters / 2) + 1));
        if (!providerRuns) expect(quorumRest.quorum).toBe(plan.answer.quorum);
      }),
      { numRuns: 300, seed: 21 },
    );
    // The generator reaches every branch.
    expect(hosted).toBeGreaterThan(20);
    expect(unstartable).toBeGreaterThan(20);
    expect(simulated).toBeGreaterThan(50);
  }, 600_000);
});
