/**
 * @module routes/tunings
 * POST /v1/tunings (202 Accepted, Location: the job), GET /v1/tunings/{id} (status, progress, answer) and
 * DELETE /v1/tunings/{id} (cancel). The work runs wherever `tuningJobsOf(env)` finds a runner: a Workflow and
 * KV on Cloudflare, the worker-threads pool under Node.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { quietDisturbance, planSteps, type TuningInput } from '../../domain/tuning/index.js';
import { tuningAnswerSummary } from '../../domain/tuning/summarize.js';
import {
  cloudflareTuningJobs,
  type TuningBindings,
  type TuningJobs,
  TuningQueueFull,
} from '../../workflows/tuning-jobs.js';
import type { AppEnv } from '../app-env.js';
import { limits } from '../limits.js';
import { checkProposal } from '../parse-proposal.js';
import { ProblemSchema, problemContentType, problemResponse } from '../problem.js';
import { validationDetail } from '../validation.js';
import { errorResponses, getErrorStatuses, postErrorStatuses } from '../schemas/common.js';
import {
  type TuningJob,
  TuningJobSchema,
  completeJobExample,
  queuedJobExample,
  TuningRequestSchema,
  tuningRequestExample,
  type TuningRequest,
} from '../schemas/tunings.js';

/** The step limits every runner applies (named in limits.ts). */
export const tuningStepLimits = {
  failoverTrialsPerStep: limits.tuningFailoverTrialsPerStep,
  maxEventsPerStep: limits.maxTuningEventsPerStep,
};

/** A runner the Node server puts in env (see src/node-tunings.ts), else the Cloudflare bindings, else none. */
function tuningJobsOf(env: unknown): TuningJobs | null {
  const e = (env ?? {}) as Partial<TuningBindings> & { TUNING_JOBS?: TuningJobs };
  if (e.TUNING_JOBS) return e.TUNING_JOBS;
  if (e.TUNING_WORKFLOW && e.TUNINGS_KV)
    return cloudflareTuningJobs(e as TuningBindings, limits.tuningRetentionS, {
      stepLimits: tuningStepLimits,
      parallelSteps: limits.tuningParallelSteps,
    });
  return null;
}

/** The request with every default filled in: what the steps read, and all they read. */
export function tuningInput(body: TuningRequest): TuningInput {
  const d = body.disturbance ?? {};
  return {
    cluster: body.cluster as TuningInput['cluster'],
    disturbance: {
      jitterFraction: d.jitterFraction ?? quietDisturbance.jitterFraction,
      lossProbability: d.lossProbability ?? 0,
      latencySpikes: d.latencySpikes ?? { perHour: 0, meanDurationMs: 0, extraMs: 0 },
      diskSyncMs: d.diskSyncMs ?? quietDisturbance.diskSyncMs,
      diskSyncJitterMs: d.diskSyncJitterMs ?? 0,
      fsyncStalls: d.fsyncStalls ?? { perHour: 0, meanDurationMs: 0 },
    },
    objective: body.objective,
    grid: {
      heartbeatIntervalMs: body.grid.heartbeatIntervalMs,
      electionTimeoutMs: body.grid.electionTimeoutMs,
      preVote: body.grid.preVote ?? [true],
    },
    failoverTrials: body.failoverTrials ?? 1000,
    steadyReplications: body.steadyReplications ?? 8,
    steadyHoursPerReplication: body.steadyHoursPerReplication ?? 2,
    splittingEffort: body.splittingEffort ?? 500,
    seed: body.seed ?? 1,
  };
}

const IdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, 'Must be a job id as returned in Location (a UUID).')
    .openapi({ param: { name: 'id', in: 'path' }, example: '3f1c9b7e-8a41-4e49-9d2e-3c8f2b1a6d10' }),
});

const jobContent = (example: TuningJob) => ({ 'application/json': { schema: TuningJobSchema, example } });

const unavailableResponse = {
  503: {
    description: 'No job runner here (neither the Workflow and KV bindings nor the Node pool).',
    content: { [problemContentType]: { schema: ProblemSchema } },
  },
};

const postUnavailableResponse = {
  503: {
    description:
      'No job runner here (neither the Workflow and KV bindings nor the Node pool), or, under Node, the server already holds ' +
      `maxQueuedTuningJobs (${limits.maxQueuedTuningJobs}) unfinished jobs: then Retry-After says when to try again ` +
      `(tuningRetryAfterS, ${limits.tuningRetryAfterS} s) and the detail names the limit.`,
    headers: z.object({
      'Retry-After': z
        .string()
        .optional()
        .openapi({
          description: 'Seconds to wait before retrying, when the job queue is full.',
          example: String(limits.tuningRetryAfterS),
        }),
    }),
    content: { [problemContentType]: { schema: ProblemSchema } },
  },
};

const postTuningRoute = createRoute({
  method: 'post',
  path: '/v1/tunings',
  operationId: 'postTuning',
  tags: ['Tunings'],
  summary: 'Start a timing-tuning job: failover speed vs spurious elections over a grid of etcd timings',
  description:
    'Runs, for each grid point (heartbeat × election timeout × pre-vote) etcd accepts, leader-crash trials (failover p50/p90/p99) and ' +
    'steady replications under the disturbance model (spurious elections per cluster-year, by multilevel splitting, with a 95% interval), ' +
    'then the speed-vs-stability frontier and a recommendation. Too much work for one request: answers 202 Accepted at once with the ' +
    'job in the body and its URL in Location; poll GET /v1/tunings/{id}. Steps are seeded: equal requests give equal answers.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: TuningRequestSchema,
          examples: {
            threeMembersTwoTimeouts: {
              summary: '3 members, loss, latency spikes and fsync stalls; two election timeouts',
              value: tuningRequestExample,
            },
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: 'Accepted: the job, queued. Location is its URL.',
      headers: z.object({
        Location: z.string().openapi({ example: '/v1/tunings/3f1c9b7e-8a41-4e49-9d2e-3c8f2b1a6d10' }),
      }),
      content: jobContent(queuedJobExample),
    },
    ...errorResponses(...postErrorStatuses),
    ...postUnavailableResponse,
  },
});

const getTuningRoute = createRoute({
  method: 'get',
  path: '/v1/tunings/{id}',
  operationId: 'getTuning',
  tags: ['Tunings'],
  summary: 'A tuning job: status, progress and, when complete, the answer',
  description:
    'The job resource POST /v1/tunings created. `answer` is null until status is `complete`; then it holds every grid point, the frontier ' +
    `and the recommendation. Jobs are kept ${limits.tuningRetentionS} s (tuningRetentionS), then 404.`,
  request: { params: IdParamSchema },
  responses: {
    200: { description: 'The job.', content: jobContent(completeJobExample) },
    ...errorResponses(...getErrorStatuses),
    ...unavailableResponse,
  },
});

const deleteTuningRoute = createRoute({
  method: 'delete',
  path: '/v1/tunings/{id}',
  operationId: 'cancelTuning',
  tags: ['Tunings'],
  summary: 'Cancel a tuning job',
  description: 'Stops the job if it still runs (a complete job keeps its answer); the record stays until it expires.',
  request: { params: IdParamSchema },
  responses: {
    200: {
      description: 'The job after cancelling.',
      content: jobContent({
        ...queuedJobExample,
        status: 'cancelled',
        summary: `Tuning job ${queuedJobExample.id} was cancelled after 0 of 10 steps done.`,
      }),
    },
    ...errorResponses(...getErrorStatuses),
    ...unavailableResponse,
  },
});

/** One paragraph from the job's structured state only, to quote as is. */
function tuningSummary(job: Omit<TuningJob, 'summary'>): string {
  const progress = `${job.progress.stepsDone} of ${job.progress.stepsTotal} steps done`;
  if (job.status === 'errored') return `Tuning job ${job.id} failed (${job.error ?? 'no detail'}) after ${progress}.`;
  if (job.status === 'cancelled') return `Tuning job ${job.id} was cancelled after ${progress}.`;
  if (job.status !== 'complete' || !job.answer)
    return `Tuning job ${job.id} is ${job.status}: ${progress}. Poll GET /v1/tunings/${job.id}.`;
  return tuningAnswerSummary(job.id, job.answer);
}

function withSummary(job: Omit<TuningJob, 'summary'>): TuningJob {
  return { ...job, summary: tuningSummary(job) };
}

function noRunner(c: Context) {
  return problemResponse(
    c,
    'unavailable',
    503,
    'Tuning jobs need a runner: on Cloudflare the TUNING_WORKFLOW and TUNINGS_KV bindings (wrangler.toml), under Node `npm run start:node`.',
  );
}

function queueFull(c: Context, error: TuningQueueFull) {
  return problemResponse(
    c,
    'unavailable',
    503,
    `This server already holds ${error.unfinished} unfinished tuning jobs, the most it takes at once (the limit ${error.limitName} = ${error.limit}). ` +
      `Retry after ${limits.tuningRetryAfterS} s, or cancel a job you no longer need (DELETE /v1/tunings/{id}).`,
    { headers: { 'Retry-After': String(limits.tuningRetryAfterS) } },
  );
}

function notFound(c: Context, id: string) {
  return problemResponse(
    c,
    'notFound',
    404,
    `No tuning job ${id}: it never existed or is older than tuningRetentionS (${limits.tuningRetentionS} s).`,
  );
}

export function registerTuningRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postTuningRoute, async (c) => {
    const body = c.req.valid('json');
    const checked = checkProposal(body.cluster, '/cluster');
    if (!checked.ok)
      return problemResponse(c, 'validation', 400, validationDetail(checked.errors), {
        errors: checked.errors,
      }) as never;
    const input = tuningInput(body);
    const pointCount =
      new Set(input.grid.heartbeatIntervalMs).size *
      new Set(input.grid.electionTimeoutMs).size *
      new Set(input.grid.preVote).size;
    if (pointCount > limits.maxTuningGridPoints) {
      const errors = [
        {
          pointer: '/grid',
          location: 'body' as const,
          detail: `The grid has ${pointCount} points (heartbeats × election timeouts × pre-vote); it must have at most ${limits.maxTuningGridPoints} (the limit maxTuningGridPoints).`,
        },
      ];
      return problemResponse(c, 'validation', 400, validationDetail(errors), { errors }) as never;
    }
    const jobs = tuningJobsOf(c.env);
    if (!jobs) return noRunner(c) as never;
    const id = crypto.randomUUID();
    const now = Date.now();
    const job = {
      id,
      input,
      stepsTotal: planSteps(input, tuningStepLimits).length,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + limits.tuningRetentionS * 1000).toISOString(),
    };
    let state: Awaited<ReturnType<TuningJobs['start']>>;
    try {
      state = await jobs.start(job);
    } catch (error) {
      if (error instanceof TuningQueueFull) return queueFull(c, error) as never;
      throw error;
    }
    return c.json(withSummary(state), 202, { Location: `/v1/tunings/${state.id}` }) as never;
  });

  app.openapi(getTuningRoute, async (c) => {
    const { id } = c.req.valid('param');
    const jobs = tuningJobsOf(c.env);
    if (!jobs) return noRunner(c) as never;
    const job = await jobs.get(id);
    return (job ? c.json(withSummary(job), 200) : notFound(c, id)) as never;
  });

  app.openapi(deleteTuningRoute, async (c) => {
    const { id } = c.req.valid('param');
    const jobs = tuningJobsOf(c.env);
    if (!jobs) return noRunner(c) as never;
    const job = await jobs.cancel(id);
    return (job ? c.json(withSummary(job), 200) : notFound(c, id)) as never;
  });
}
