/**
 * POST /v1/tunings end to end in the Workers runtime: the request becomes a Workflow instance (the real
 * binding from wrangler.toml), its steps run, the answer lands in KV and GET returns it. The answer is
 * compared with the same steps run in a plain loop here, so the Workflow (parallel batches, stored step
 * results, a retried step) adds nothing and loses nothing.
 */
import { env, introspectWorkflow } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { planSteps, runStep, summarize } from '../src/domain/tuning/index.js';
import { tuningInput, tuningStepLimits } from '../src/http/routes/tunings.js';
import type { TuningJob, TuningRequest } from '../src/http/schemas/tunings.js';
import { problemOf } from './helpers.js';

const request: TuningRequest = {
  cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
  disturbance: { lossProbability: 0.01, fsyncStalls: { perHour: 30, meanDurationMs: 300 } },
  objective: { failoverP99Ms: 5000, spuriousPerClusterYear: 1000 },
  // 400 ms is below etcd's 5 × heartbeat: refused, not simulated.
  grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [400, 500, 1000], preVote: [true] },
  failoverTrials: 30,
  steadyReplications: 2,
  steadyHoursPerReplication: 0.05,
  splittingEffort: 40,
  seed: 11,
};

function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://localhost${path}`, init));
}

function post(body: unknown): Promise<Response> {
  return call('/v1/tunings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function job(path: string): Promise<TuningJob> {
  const response = await call(path);
  expect(response.status).toBe(200);
  return (await response.json()) as TuningJob;
}

/** The answer computed without any Workflow: every step in order, then the summary. */
function plainAnswer(body: TuningRequest) {
  const input = tuningInput(body);
  return summarize(
    input,
    planSteps(input, tuningStepLimits).map((step) => runStep(input, step, tuningStepLimits)),
  );
}

describe('POST /v1/tunings on Workflows', () => {
  it('answers 202 with Location, runs the steps in a Workflow and serves the stored answer', async () => {
    await using introspector = await introspectWorkflow(env.TUNING_WORKFLOW);
    const accepted = await post(request);
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('Location')!;
    expect(location).toMatch(/^\/v1\/tunings\/[0-9a-f-]{36}$/);
    const created = (await accepted.json()) as TuningJob;
    expect(created.status).toMatch(/queued|running/);
    expect(created.answer).toBeNull();
    // 2 accepted points × (1 failover chunk + 2 steady replications); the refused point has no steps.
    expect(created.progress).toEqual({ stepsDone: 0, stepsTotal: 6 });

    const [instance] = introspector.get();
    await instance!.waitForStatus('complete');
    const done = await job(location);
    expect(done.status).toBe('complete');
    expect(done.progress).toEqual({ stepsDone: 6, stepsTotal: 6 });
    expect(done.answer).toEqual(plainAnswer(request));

    const [refused, fast, slow] = done.answer!.points;
    expect(refused!.etcdAccepts).toBe(false);
    expect(refused!.etcdFindings[0]!.code).toBe('ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT');
    expect(refused!.failover).toBeNull();
    for (const point of [fast!, slow!]) {
      expect(point.failover!.trials).toBe(30);
      expect(point.failover!.p50Ms!).toBeLessThanOrEqual(point.failover!.p90Ms!);
      expect(point.spuriousElections!.replications).toBe(2);
    }
    // A leader crash is noticed only after an election timeout: no failover beats it.
    expect(fast!.failover!.p50Ms!).toBeGreaterThan(500);
    expect(slow!.failover!.p50Ms!).toBeGreaterThan(1000);
  });

  it('gives the same answer when a step fails once and is retried', async () => {
    await using introspector = await introspectWorkflow(env.TUNING_WORKFLOW);
    await introspector.modifyAll(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'point-1-steady-0' }, new Error('planted: the step failed once'), 1);
    });
    const body = { ...request, seed: 12 };
    const accepted = await post(body);
    const [instance] = introspector.get();
    await instance!.waitForStatus('complete');
    const done = await job(accepted.headers.get('Location')!);
    expect(done.answer).toEqual(plainAnswer(body));
  });

  it('cancels a job with DELETE', async () => {
    await using introspector = await introspectWorkflow(env.TUNING_WORKFLOW);
    // The first step keeps failing, so the Workflow sits in its retry back-off when DELETE arrives.
    await introspector.modifyAll(async (m) => {
      await m.mockStepError({ name: 'point-1-failover-0' }, new Error('planted: the step keeps failing'));
    });
    const accepted = await post({ ...request, seed: 13 });
    const location = accepted.headers.get('Location')!;
    const cancelled = await call(location, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    const state = (await cancelled.json()) as TuningJob;
    expect(state.status).toBe('cancelled');
    expect(state.answer).toBeNull();
    expect((await job(location)).status).toBe('cancelled');
  });

  it('refuses a grid beyond maxTuningGridPoints, naming the limit and the field', async () => {
    const heartbeats = [10, 20, 30, 40, 50, 60, 70];
    const response = await post({
      ...request,
      grid: {
        heartbeatIntervalMs: heartbeats,
        electionTimeoutMs: heartbeats.map((h) => h * 10),
        preVote: [true, false],
      },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.[0]?.pointer).toBe('/grid');
    expect(problem.errors?.[0]?.detail).toContain('maxTuningGridPoints');
  });

  it('points at an invalid cluster field under /cluster', async () => {
    const response = await post({ ...request, cluster: { topology: 'stacked', controlPlane: { nodes: 0 } } });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.pointer).toBe('/cluster/controlPlane/nodes');
  });

  it('answers 404 for a job it does not know', async () => {
    const response = await call('/v1/tunings/00000000-0000-4000-8000-000000000000');
    expect(response.status).toBe(404);
    expect((await problemOf(response)).detail).toContain('tuningRetentionS');
  });
});
