/**
 * The Node tuning pool holds at most maxQueuedTuningJobs unfinished jobs (issue 14): one more POST /v1/tunings
 * is a 503 problem naming the limit, with Retry-After, and a slot frees once a job's steps are all done or
 * skipped. Real worker threads (src/node-tunings.ts) behind the real routes, with a limit of 2 so the test is short.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { limits } from '../../src/http/limits.js';
import { tuningStepLimits } from '../../src/http/routes/tunings.js';
import type { TuningJob, TuningRequest } from '../../src/http/schemas/tunings.js';
import { nodeTuningJobs } from '../../src/node-tunings.js';

const jobs = nodeTuningJobs({
  stepLimits: tuningStepLimits,
  parallelSteps: 1,
  retentionS: 600,
  threads: 1,
  maxQueuedJobs: 2,
});
const env = { TUNING_JOBS: jobs };
const app = createApp();

afterAll(async () => {
  await jobs.pool.close();
});

/** A job of many steps (2,000 crash trials per point, 8 points), so it is still unfinished when the next POST comes. */
const longJob = (seed: number): TuningRequest => ({
  cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
  objective: { failoverP99Ms: 5000, spuriousPerClusterYear: 1000 },
  grid: { heartbeatIntervalMs: [100, 200], electionTimeoutMs: [1000, 2000], preVote: [true, false] },
  failoverTrials: 2000,
  steadyReplications: 2,
  steadyHoursPerReplication: 0.05,
  splittingEffort: 40,
  seed,
});

const post = (body: unknown) =>
  app.request(
    '/v1/tunings',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    env,
  );

describe('Node tuning pool: maxQueuedTuningJobs', () => {
  it('answers 503 with Retry-After beyond the limit, and takes jobs again once a slot is free', async () => {
    const first = await post(longJob(1));
    const second = await post(longJob(2));
    expect([first.status, second.status]).toEqual([202, 202]);

    const refused = await post(longJob(3));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe(String(limits.tuningRetryAfterS));
    const problem = (await refused.json()) as { status: number; detail: string };
    expect(problem.status).toBe(503);
    expect(problem.detail).toMatch(/already holds 2 unfinished tuning jobs.*the limit maxQueuedTuningJobs = 2/);

    // Cancelling frees the slot once the job's running step ends and its queued steps are skipped.
    const id = ((await first.json()) as TuningJob).id;
    expect((await app.request(`/v1/tunings/${id}`, { method: 'DELETE' }, env)).status).toBe(200);
    let accepted: Response | undefined;
    for (let attempt = 0; attempt < 600 && accepted === undefined; attempt++) {
      const again = await post(longJob(4));
      if (again.status === 202) accepted = again;
      else {
        expect(again.status).toBe(503);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(accepted?.status).toBe(202);
    // Leave nothing running behind the test.
    for (const r of [second, accepted!]) {
      const job = (await r.json()) as TuningJob;
      await app.request(`/v1/tunings/${job.id}`, { method: 'DELETE' }, env);
    }
  });
});
