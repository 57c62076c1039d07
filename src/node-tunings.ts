/**
 * @module node-tunings
 * Tuning jobs under plain Node: the same job API as the Workflow (TuningJobs), with the steps run by a pool of
 * worker threads and the jobs kept in memory for the retention time. The steps and the summary are the same
 * pure functions, so a job's answer is byte-identical to the Workflow's for the same request. Memory is not
 * durable: a restarted server forgets its jobs (GET answers 404), which the Node server documents.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  planSteps,
  type StepLimits,
  type StepResult,
  summarize,
  type TuningAnswer,
  type TuningStep,
} from './domain/tuning/index.js';
import { limits } from './http/limits.js';
import { tuningStepLimits } from './http/routes/tunings.js';
import type { TuningJob } from './http/schemas/tunings.js';
import { type TuningJobStart, type TuningJobs, TuningQueueFull } from './workflows/tuning-jobs.js';
import type { StepMessage } from './node-tunings-worker.js';

interface Job {
  start: TuningJobStart;
  status: TuningJob['status'];
  stepsDone: number;
  answer: TuningAnswer | null;
  error: string | null;
}

type Pending = { resolve: (result: StepResult) => void; reject: (error: Error) => void };

class StepSkipped extends Error {}

/** A fixed set of threads taking steps from one queue. */
export class StepPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { message: StepMessage; pending: Pending; skip: () => boolean }[] = [];
  private readonly inFlight = new Map<number, Pending>();
  private nextTicket = 0;

  constructor(readonly threads: number) {
    // Under tsx (npm run start:node) a thread does not inherit tsx's loader: it registers it itself, then loads
    // the TypeScript module. Built JavaScript is loaded directly.
    const typescript = import.meta.url.endsWith('.ts');
    const url = new URL(`./node-tunings-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
    for (let i = 0; i < threads; i++) {
      const worker = typescript ? new Worker(bootstrap, { eval: true }) : new Worker(url);
      worker.unref();
      worker.on('message', (reply: { ticket: number; result?: StepResult; error?: string }) => {
        const pending = this.inFlight.get(reply.ticket);
        this.inFlight.delete(reply.ticket);
        if (reply.error !== undefined) pending?.reject(new Error(reply.error));
        else pending?.resolve(reply.result!);
        this.idle.push(worker);
        this.dispatch();
      });
      // A thread that dies fails what it was running (the job is then errored), not the server.
      worker.on('error', (error) => {
        for (const [ticket, pending] of this.inFlight) {
          this.inFlight.delete(ticket);
          pending.reject(error);
        }
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs a step on the next free thread; `skip` is asked when its turn comes (a cancelled job's steps). */
  run(message: Omit<StepMessage, 'ticket'>, skip: () => boolean = () => false): Promise<StepResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { ...message, ticket: this.nextTicket++ }, pending: { resolve, reject }, skip });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const { message, pending, skip } = this.queue.shift()!;
      if (skip()) {
        this.idle.push(worker);
        pending.reject(new StepSkipped());
        continue;
      }
      this.inFlight.set(message.ticket, pending);
      worker.postMessage(message);
    }
  }
}

export interface NodeTuningOptions {
  stepLimits: StepLimits;
  parallelSteps: number;
  retentionS: number;
  /** Threads; default min(parallelSteps, cores − 1), at least 1. */
  threads?: number;
  /** Unfinished jobs (queued or running) held at once; `start` throws TuningQueueFull beyond. Default maxQueuedTuningJobs. */
  maxQueuedJobs?: number;
}

export function nodeTuningJobs(options: NodeTuningOptions): TuningJobs & { pool: StepPool } {
  const threads = options.threads ?? Math.max(1, Math.min(options.parallelSteps, availableParallelism() - 1));
  const pool = new StepPool(threads);
  const jobs = new Map<string, Job>();
  const maxQueuedJobs = options.maxQueuedJobs ?? limits.maxQueuedTuningJobs;
  // Jobs whose steps are not all done or skipped yet: what the pool still holds for them. A cancelled job stays
  // here until its queued steps are skipped and the one running finishes.
  let unfinished = 0;

  const view = (job: Job): Omit<TuningJob, 'summary'> => ({
    id: job.start.id,
    status: job.status,
    progress: { stepsDone: job.stepsDone, stepsTotal: job.start.stepsTotal },
    createdAt: job.start.createdAt,
    expiresAt: job.start.expiresAt,
    runner: 'node-worker-threads',
    answer: job.answer,
    error: job.error,
  });

  /** Runs every step of the job; settles only when none is queued or running any more (the slot is then free). */
  async function run(job: Job, steps: TuningStep[]): Promise<void> {
    const { input } = job.start;
    const results: StepResult[] = [];
    // A cancelled or failed job's queued steps are skipped when their turn comes.
    const stopped = () => job.status === 'cancelled' || job.status === 'errored';
    // Steps go out in order; each result lands in its slot, so completion order does not matter.
    await Promise.allSettled(
      steps.map(async (step, k) => {
        try {
          const result = await pool.run({ input, step, stepLimits: options.stepLimits }, stopped);
          if (stopped()) return;
          job.status = 'running';
          results[k] = result;
          job.stepsDone++;
        } catch (error) {
          if (error instanceof StepSkipped || stopped()) return;
          job.status = 'errored';
          job.error = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (stopped()) return;
    job.answer = summarize(input, results);
    job.status = 'complete';
  }

  return {
    runner: 'node-worker-threads',
    pool,
    async start(start) {
      if (unfinished >= maxQueuedJobs) throw new TuningQueueFull(unfinished, maxQueuedJobs, 'maxQueuedTuningJobs');
      const job: Job = { start, status: 'queued', stepsDone: 0, answer: null, error: null };
      jobs.set(start.id, job);
      setTimeout(() => jobs.delete(start.id), options.retentionS * 1000).unref();
      unfinished++;
      run(job, planSteps(start.input, options.stepLimits))
        .catch((error: unknown) => {
          // summarize() failing: the steps are done, the answer is not.
          job.status = 'errored';
          job.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => unfinished--);
      return view(job);
    },
    async get(id) {
      const job = jobs.get(id);
      return job ? view(job) : null;
    },
    async cancel(id) {
      const job = jobs.get(id);
      if (!job) return null;
      // Steps already queued still run (a thread cannot be interrupted mid-step); their results are dropped.
      if (job.status === 'queued' || job.status === 'running') job.status = 'cancelled';
      return view(job);
    },
  };
}

/** The env entry the Node server passes to the app: POST /v1/tunings runs on this pool. */
export function nodeTuningEnv(): { TUNING_JOBS: TuningJobs } {
  return {
    TUNING_JOBS: nodeTuningJobs({
      stepLimits: tuningStepLimits,
      parallelSteps: limits.tuningParallelSteps,
      retentionS: limits.tuningRetentionS,
    }),
  };
}
