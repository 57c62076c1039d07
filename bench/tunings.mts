/**
 * `npx tsx bench/tunings.ts` — the tuner's fan-out, measured locally (BENCHMARKS.md, "Tuner fan-out"):
 *   1. one thread running the job's steps in a loop (the reference rate);
 *   2. the Node worker-threads pool with 1 and 2 threads (N parallel steps);
 *   3. with --workflows: `wrangler dev` (its Workflows emulation, tuningParallelSteps steps at once) over HTTP.
 * Prints leader-crash trials per second, steady simulated hours per second and steps per second for each.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { planSteps, runStep, type StepResult } from '../src/domain/tuning/index.js';
import { limits } from '../src/http/limits.js';
import { tuningInput, tuningStepLimits } from '../src/http/routes/tunings.js';
import type { TuningJob, TuningRequest } from '../src/http/schemas/tunings.js';
import { nodeTuningJobs } from '../src/node-tunings.js';

const { values } = parseArgs({ options: { workflows: { type: 'boolean', default: false } } });

/** 3 stacked members, 3 election timeouts, the disturbance of the request example. */
const request: TuningRequest = {
  cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
  disturbance: {
    lossProbability: 0.001,
    latencySpikes: { perHour: 2, meanDurationMs: 300, extraMs: 200 },
    fsyncStalls: { perHour: 1, meanDurationMs: 400 },
  },
  objective: { failoverP99Ms: 3000, spuriousPerClusterYear: 1 },
  grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [500, 1000, 2000], preVote: [true] },
  failoverTrials: 1000,
  steadyReplications: 4,
  steadyHoursPerReplication: 2,
  splittingEffort: 500,
  seed: 1,
};
const input = tuningInput(request);
const steps = planSteps(input, tuningStepLimits);
const failoverTrials = 3 * request.failoverTrials!;
const steadyHours = 3 * request.steadyReplications! * request.steadyHoursPerReplication!;

function rates(label: string, seconds: number): void {
  console.log(
    `${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s   ${Math.round(failoverTrials / seconds)
      .toString()
      .padStart(6)} crash trials/s   ${(steadyHours / seconds).toFixed(1).padStart(6)} steady h/s   ${(
      steps.length / seconds
    ).toFixed(1)} steps/s`,
  );
}

function loop(): void {
  const started = performance.now();
  const results: StepResult[] = steps.map((step) => runStep(input, step, tuningStepLimits));
  const failoverMs = results.filter((r) => r.kind === 'failover').length;
  rates(
    `one thread, plain loop (${steps.length} steps, ${failoverMs} crash chunks)`,
    (performance.now() - started) / 1000,
  );
}

async function pool(threads: number): Promise<void> {
  const jobs = nodeTuningJobs({
    stepLimits: tuningStepLimits,
    parallelSteps: threads,
    retentionS: 600,
    threads,
  });
  const started = performance.now();
  const now = new Date().toISOString();
  await jobs.start({ id: `bench-${threads}`, input, stepsTotal: steps.length, createdAt: now, expiresAt: now });
  for (;;) {
    const job = await jobs.get(`bench-${threads}`);
    if (job?.status === 'complete') break;
    if (job?.status !== 'queued' && job?.status !== 'running') throw new Error(`job ${job?.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  rates(`Node pool, ${threads} thread(s)`, (performance.now() - started) / 1000);
  await jobs.pool.close();
}

async function workflows(): Promise<void> {
  const port = 8797;
  const dev = spawn('node_modules/.bin/wrangler', ['dev', '--ip', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error('wrangler dev did not answer within 60 s');
      if (
        await fetch(`${base}/healthz`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const started = performance.now();
    const accepted = await fetch(`${base}/v1/tunings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const location = accepted.headers.get('Location');
    for (;;) {
      const job = (await (await fetch(`${base}${location}`)).json()) as TuningJob;
      if (job.status === 'complete') break;
      if (job.status !== 'queued' && job.status !== 'running') throw new Error(`job ${job.status}: ${job.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    rates(`wrangler dev Workflow, ${limits.tuningParallelSteps} parallel steps`, (performance.now() - started) / 1000);
  } finally {
    if (dev.pid) process.kill(dev.pid, 'SIGTERM');
  }
}

console.log(
  `${steps.length} steps: ${failoverTrials} leader-crash trials, ${steadyHours} steady hours (+ splitting)\n`,
);
loop();
await pool(1);
await pool(2);
if (values.workflows) await workflows();
