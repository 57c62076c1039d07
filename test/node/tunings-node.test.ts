/**
 * POST /v1/tunings under plain Node: src/node.ts on a loopback port runs the job on its worker-threads pool
 * (src/node-tunings.ts) behind the same routes; the answer equals the steps run in a plain loop here, as the
 * Workflow's does in the Workers pool (test/tunings.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSteps, runStep, summarize } from '../../src/domain/tuning/index.js';
import { tuningInput, tuningStepLimits } from '../../src/http/routes/tunings.js';
import type { TuningJob, TuningRequest } from '../../src/http/schemas/tunings.js';
import { startNodeServer } from './support/node-server.js';

let server: { base: string; stop: () => void };

beforeAll(async () => {
  server = await startNodeServer();
});

afterAll(() => {
  server?.stop();
});

const request: TuningRequest = {
  cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
  disturbance: { lossProbability: 0.01, fsyncStalls: { perHour: 30, meanDurationMs: 300 } },
  objective: { failoverP99Ms: 5000, spuriousPerClusterYear: 1000 },
  grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [500, 1000], preVote: [true, false] },
  failoverTrials: 30,
  steadyReplications: 2,
  steadyHoursPerReplication: 0.05,
  splittingEffort: 40,
  seed: 21,
};

async function poll(location: string): Promise<TuningJob> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const job = (await (await fetch(`${server.base}${location}`)).json()) as TuningJob;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the job did not finish within 60 s');
}

describe('tuning jobs under Node (worker threads)', () => {
  it('runs a job on the pool and answers as the plain loop does', async () => {
    const accepted = await fetch(`${server.base}/v1/tunings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(accepted.status).toBe(202);
    const created = (await accepted.json()) as TuningJob;
    expect(created.runner).toBe('node-worker-threads');
    const done = await poll(accepted.headers.get('Location')!);
    expect(done.status).toBe('complete');
    expect(done.progress).toEqual({ stepsDone: 12, stepsTotal: 12 });
    const input = tuningInput(request);
    const plain = summarize(
      input,
      planSteps(input, tuningStepLimits).map((step) => runStep(input, step, tuningStepLimits)),
    );
    expect(done.answer).toEqual(plain);
  });

  it('cancels with DELETE and forgets nothing else', async () => {
    const accepted = await fetch(`${server.base}/v1/tunings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...request, seed: 22, failoverTrials: 2000 }),
    });
    const location = accepted.headers.get('Location')!;
    const cancelled = (await (await fetch(`${server.base}${location}`, { method: 'DELETE' })).json()) as TuningJob;
    expect(cancelled.status).toBe('cancelled');
    expect((await poll(location)).status).toBe('cancelled');
    expect((await fetch(`${server.base}/v1/tunings/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});
