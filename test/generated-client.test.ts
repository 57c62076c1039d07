/**
 * A client generated from the committed openapi/openapi.json (openapi-typescript → test/generated/openapi.d.ts,
 * made by `npm run client:generate`, which scripts/test-all.sh runs before the typecheck) calls every operation
 * through openapi-fetch, with fetch routed into the app. The typecheck proves the generated types fit the calls;
 * the tests prove the answers fit the types.
 *
 * When an operation lands: add its entry to `calls` (the typecheck fails until you do, since the record is keyed
 * by every operationId in the spec, and the first test fails at run time too).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import createClient from 'openapi-fetch';
import type { operations, paths } from './generated/openapi.js';
import committed from '../openapi/openapi.json';
import { listOperations } from '../src/http/operations.js';
import { app } from './helpers.js';

const client = createClient<paths>({
  baseUrl: 'http://local',
  fetch: (request) => Promise.resolve(app.request(request, undefined, env)),
});

type OperationId = keyof operations;
type Outcome = { data?: unknown; error?: unknown; response: Response };

/** A small tuning job (its Workflow runs in the background; these calls only need its id). */
const startTuning = () =>
  client.POST('/v1/tunings', {
    body: {
      cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
      objective: { failoverP99Ms: 3000, spuriousPerClusterYear: 1 },
      grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [1000] },
      failoverTrials: 10,
      steadyReplications: 2,
      steadyHoursPerReplication: 0.01,
      splittingEffort: 10,
    },
  });

/** The documented example `q` of a GET chart operation (the POST body, deflate-raw and base64url). */
function chartQuery(path: '/charts/plan.svg' | '/charts/simulation.svg'): string {
  type GetOperation = { get: { parameters: { name: string; schema: { example?: string } }[] } };
  const operation = (committed.paths as unknown as Record<string, GetOperation>)[path]!;
  return operation.get.parameters.find((p) => p.name === 'q')!.schema.example!;
}

/** One typed call per operation, with a documented example input. */
const calls: { [K in OperationId]: () => Promise<Outcome> } = {
  getHealth: () => client.GET('/healthz'),
  getQuorum: () => client.GET('/v1/quorum', { params: { query: { voters: 5, learners: 1, etcdVersion: '3.5' } } }),
  getQuorumTable: () => client.GET('/v1/quorum/table', { params: { query: { max: 5 } } }),
  createPlan: () =>
    client.POST('/v1/plans', {
      body: {
        topology: 'external',
        controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
        etcd: { members: 5 },
      },
    }),
  createRecommendations: () =>
    client.POST('/v1/recommendations', {
      body: { nodeFailures: 1, zoneLoss: true, zones: ['zone-a', 'zone-b', 'zone-c'] },
    }),
  generateConfig: () => client.POST('/v1/config', { body: { topology: 'stacked', controlPlane: { nodes: 3 } } }),
  postTuning: startTuning,
  getTuning: async () => {
    const { data } = await startTuning();
    return client.GET('/v1/tunings/{id}', { params: { path: { id: data!.id } } });
  },
  cancelTuning: async () => {
    const { data } = await startTuning();
    return client.DELETE('/v1/tunings/{id}', { params: { path: { id: data!.id } } });
  },
  createChangePlan: () =>
    client.POST('/v1/changes', {
      body: {
        current: { topology: 'stacked', controlPlane: { nodes: 3 } },
        target: { topology: 'stacked', controlPlane: { nodes: 5 } },
      },
    }),
  getPlanChart: () =>
    client.GET('/charts/plan.svg', { params: { query: { q: chartQuery('/charts/plan.svg') } }, parseAs: 'text' }),
  getSimulationChart: () =>
    client.GET('/charts/simulation.svg', {
      params: { query: { q: chartQuery('/charts/simulation.svg') } },
      parseAs: 'text',
    }),
  postSimulation: () =>
    client.POST('/v1/simulations', {
      body: { members: 3, scenario: { faults: [{ type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0 } }] } },
    }),
};

describe('a client generated from openapi/openapi.json', () => {
  it('has a call for exactly the operations of the spec', () => {
    const inSpec = listOperations(committed).map((op) => op.operationId);
    expect(Object.keys(calls).sort()).toEqual(inSpec.sort());
  });

  it.each(Object.keys(calls) as OperationId[])('%s answers 2xx with its body', async (operationId) => {
    const { data, error, response } = await calls[operationId]();
    expect(error).toBeUndefined();
    // 202: POST /v1/tunings accepts a job.
    expect(response.status).toBe(operationId === 'postTuning' ? 202 : 200);
    // The chart operations answer an SVG document; every other operation a JSON object.
    if (operationId === 'getPlanChart' || operationId === 'getSimulationChart') expect(data).toMatch(/^<svg /);
    else expect(data).toBeTypeOf('object');
  });

  it('types the answer: 5 voters → quorum 3, 2 tolerable failures (etcd FAQ)', async () => {
    const { data } = await client.GET('/v1/quorum', { params: { query: { voters: 5 } } });
    // Typed fields: a typo here would not compile.
    const answer: { quorum: number; tolerableFailures: number; summary: string } | undefined = data;
    expect(answer?.quorum).toBe(3);
    expect(answer?.tolerableFailures).toBe(2);
  });

  it('types the error: a value over a limit is a problem+json naming the parameter', async () => {
    const { data, error, response } = await client.GET('/v1/quorum', { params: { query: { voters: 5000 } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(error?.status).toBe(400);
    expect(error?.errors?.[0]?.pointer).toBe('voters');
    expect(error?.errors?.[0]?.detail).toContain('maxQuorumVoters');
  });

  it('types a POST answer: 5 external voters over 3 zones → quorum 3, tolerates 2 (etcd FAQ)', async () => {
    const { data, error } = await client.POST('/v1/plans', {
      body: {
        topology: 'external',
        controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
        etcd: { members: 5 },
      },
    });
    expect(error).toBeUndefined();
    // The 200 also declares image/svg+xml (Accept negotiation), so the type admits a string: narrow it.
    const plan = typeof data === 'string' ? undefined : data;
    expect(plan?.quorum).toBe(3);
    expect(plan?.tolerableFailures).toBe(2);
  });

  it('types a POST error: a misspelt field is a problem+json with its JSON pointer', async () => {
    const { error, response } = await client.POST('/v1/config', {
      // @ts-expect-error the generated type rejects the typo before the server does
      body: { topology: 'stacked', controlPlane: { nodes: 3 }, etdc: {} },
    });
    expect(response.status).toBe(400);
    expect(error?.errors?.map((e) => e.pointer)).toContain('/etdc');
  });
});
