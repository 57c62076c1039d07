/**
 * @module workflows/tuning-jobs
 * The job API behind /v1/tunings, whatever runs the steps: `TuningJobs` starts a job, reads its state and
 * cancels it. On Cloudflare the steps run in a Workflow (tuning-workflow.ts) and the job's record, progress
 * and answer live in Workers KV, each key expiring after the retention time; under Node a worker-threads pool
 * (src/node-tunings.ts) implements the same interface in memory.
 *
 * Keys: tuning:{id}:job (request and times), tuning:{id}:progress (steps done, written by the Workflow after
 * each batch), tuning:{id}:answer, tuning:{id}:cancelled. Every write for a job is idempotent: a retried
 * Workflow step writes the same value to the same key.
 */
import type { StepLimits, TuningAnswer, TuningInput } from '../domain/tuning/index.js';
import type { TuningJob } from '../http/schemas/tunings.js';

export interface TuningJobStart {
  id: string;
  input: TuningInput;
  stepsTotal: number;
  createdAt: string;
  expiresAt: string;
}

/**
 * Thrown by `start` when the runner holds as many unfinished jobs as it may (maxQueuedTuningJobs under Node):
 * the route answers 503 with Retry-After instead of queueing work without bound.
 */
export class TuningQueueFull extends Error {
  constructor(
    readonly unfinished: number,
    readonly limit: number,
    readonly limitName: string,
  ) {
    super(`${unfinished} tuning jobs are unfinished, the most this server runs at once (the limit ${limitName})`);
    this.name = 'TuningQueueFull';
  }
}

export interface TuningJobs {
  runner: TuningJob['runner'];
  /** Records and starts the job; answers its state right after. Throws TuningQueueFull when it cannot take more. */
  start(job: TuningJobStart): Promise<Omit<TuningJob, 'summary'>>;
  get(id: string): Promise<Omit<TuningJob, 'summary'> | null>;
  /** Stops the job if it still runs; the record stays (status cancelled) until it expires. */
  cancel(id: string): Promise<Omit<TuningJob, 'summary'> | null>;
}

/** What the Workflow receives: everything a step needs, so a step reads nothing else. */
export interface TuningWorkflowParams {
  id: string;
  input: TuningInput;
  stepLimits: StepLimits;
  parallelSteps: number;
  retentionS: number;
}

export interface TuningBindings {
  TUNING_WORKFLOW: Workflow<TuningWorkflowParams>;
  TUNINGS_KV: KVNamespace;
}

const key = (id: string, part: 'job' | 'progress' | 'answer' | 'cancelled') => `tuning:${id}:${part}`;

/** KV writes of one job: the Workflow's and the routes'. */
export class TuningStore {
  constructor(
    private readonly kv: KVNamespace,
    private readonly retentionS: number,
  ) {}

  putJob(job: TuningJobStart): Promise<void> {
    return this.kv.put(key(job.id, 'job'), JSON.stringify(job), { expirationTtl: this.retentionS });
  }
  putProgress(id: string, stepsDone: number): Promise<void> {
    return this.kv.put(key(id, 'progress'), JSON.stringify({ stepsDone }), { expirationTtl: this.retentionS });
  }
  putAnswer(id: string, answer: TuningAnswer): Promise<void> {
    return this.kv.put(key(id, 'answer'), JSON.stringify(answer), { expirationTtl: this.retentionS });
  }
  putCancelled(id: string): Promise<void> {
    return this.kv.put(key(id, 'cancelled'), '1', { expirationTtl: this.retentionS });
  }
  async read(id: string) {
    const [job, progress, answer, cancelled] = await Promise.all([
      this.kv.get<TuningJobStart>(key(id, 'job'), 'json'),
      this.kv.get<{ stepsDone: number }>(key(id, 'progress'), 'json'),
      this.kv.get<TuningAnswer>(key(id, 'answer'), 'json'),
      this.kv.get(key(id, 'cancelled')),
    ]);
    return { job, stepsDone: progress?.stepsDone ?? 0, answer, cancelled: cancelled !== null };
  }
}

/** The Workflow instance's own status, or null if the engine does not know it (yet, or any more). */
async function instanceStatus(env: TuningBindings, id: string): Promise<InstanceStatus | null> {
  try {
    const instance = await env.TUNING_WORKFLOW.get(id);
    try {
      return await instance.status();
    } finally {
      disposeStub(instance);
    }
  } catch {
    return null;
  }
}

async function terminate(env: TuningBindings, id: string): Promise<void> {
  try {
    const instance = await env.TUNING_WORKFLOW.get(id);
    try {
      await instance.terminate();
    } finally {
      disposeStub(instance);
    }
  } catch {
    // Already finished or terminated: the cancelled mark is what GET reads.
  }
}

/** Instance handles are RPC stubs; release them rather than wait for the garbage collector. */
function disposeStub(stub: object): void {
  (stub as { [Symbol.dispose]?: () => void })[Symbol.dispose]?.();
}

/** The Cloudflare runner: a Workflow instance per job (its id is the job id), state in KV. */
export function cloudflareTuningJobs(
  env: TuningBindings,
  retentionS: number,
  params: Omit<TuningWorkflowParams, 'id' | 'input' | 'retentionS'>,
): TuningJobs {
  const store = new TuningStore(env.TUNINGS_KV, retentionS);
  const jobs: TuningJobs = {
    runner: 'cloudflare-workflows',
    async start(job) {
      await store.putJob(job);
      const instance = await env.TUNING_WORKFLOW.create({
        id: job.id,
        params: { id: job.id, input: job.input, retentionS, ...params },
      });
      disposeStub(instance);
      return (await jobs.get(job.id))!;
    },
    async get(id) {
      const state = await store.read(id);
      if (!state.job) return null;
      let status: TuningJob['status'] = state.answer ? 'complete' : state.cancelled ? 'cancelled' : 'queued';
      let error: string | null = null;
      if (status === 'queued') {
        const instance = await instanceStatus(env, id);
        if (instance?.status === 'errored') {
          status = 'errored';
          error = instance.error?.message ?? 'the Workflow failed';
        } else if (instance?.status === 'terminated') status = 'cancelled';
        else if (state.stepsDone > 0 || instance?.status === 'running') status = 'running';
      }
      return {
        id,
        status,
        progress: {
          stepsDone: state.answer ? state.job.stepsTotal : state.stepsDone,
          stepsTotal: state.job.stepsTotal,
        },
        createdAt: state.job.createdAt,
        expiresAt: state.job.expiresAt,
        runner: 'cloudflare-workflows',
        answer: state.answer,
        error,
      };
    },
    async cancel(id) {
      const state = await store.read(id);
      if (!state.job) return null;
      if (!state.answer) {
        await store.putCancelled(id);
        await terminate(env, id);
      }
      return jobs.get(id);
    },
  };
  return jobs;
}
