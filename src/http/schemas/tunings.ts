/**
 * @module schemas/tunings
 * POST /v1/tunings (a cluster, a disturbance model, an objective and a grid of etcd timings) and the job
 * resource GET /v1/tunings/{id} answers: status, progress and, when done, the answer (domain/tuning).
 */
import { z } from '@hono/zod-openapi';
import { limits, type LimitName } from '../limits.js';
import { ProposalInputSchema } from './proposal.js';

const atMost = (name: LimitName) => `Must be at most ${limits[name]} (the limit ${name}).`;
const count = (min: number, name: LimitName) =>
  z.number().int('Must be a whole number.').min(min, `Must be at least ${min}.`).max(limits[name], atMost(name));
const nonNegative = (max: number) => z.number().min(0, 'Must be at least 0.').max(max, `Must be at most ${max}.`);

const EpisodeSchema = z
  .object({
    perHour: nonNegative(3600).openapi({ description: 'Mean episodes per hour (Poisson). 0 disables them.' }),
    meanDurationMs: nonNegative(60_000).openapi({ description: 'Mean duration, ms (exponentially distributed).' }),
  })
  .strict();

const DisturbanceSchema = z
  .object({
    jitterFraction: nonNegative(10)
      .optional()
      .openapi({ description: 'Each message takes an extra uniform [0, f × one-way latency]. Default 0.1.' }),
    lossProbability: nonNegative(0.5).optional().openapi({ description: 'Probability a message is lost. Default 0.' }),
    latencySpikes: EpisodeSchema.extend({
      extraMs: nonNegative(limits.maxRttMs).openapi({ description: 'Extra one-way latency during a spike, ms.' }),
    })
      .strict()
      .optional()
      .openapi({
        description: 'Per directed link: episodes during which every message takes extraMs more. Default none.',
      }),
    diskSyncMs: nonNegative(limits.maxDiskSyncMs).optional().openapi({ description: 'WAL fsync, ms. Default 1.' }),
    diskSyncJitterMs: nonNegative(limits.maxDiskSyncMs)
      .optional()
      .openapi({ description: 'Extra uniform [0, x] ms per fsync. Default 0.' }),
    fsyncStalls: EpisodeSchema.optional().openapi({
      description:
        "Per member: episodes during which its raft loop is blocked on the WAL (no ticks, no heartbeats sent or handled) — etcd's 'leader failed to send out heartbeat on time'. Default none.",
    }),
  })
  .strict()
  .openapi('TuningDisturbance', {
    description:
      'What disturbs a healthy cluster. Failover trials use jitter, loss and fsync; spikes and stalls (episodes per hour) matter over steady horizons.',
  });

const timingList = (description: string, example: number[]) =>
  z
    .array(z.number().gt(0, 'Must be greater than 0.').max(limits.maxEtcdTimingMs, atMost('maxEtcdTimingMs')))
    .min(1, 'List at least one value.')
    .max(limits.maxTuningGridPoints, atMost('maxTuningGridPoints'))
    .openapi({ description, example });

export const TuningRequestSchema = z
  .object({
    cluster: ProposalInputSchema.openapi({
      description:
        'The cluster (members, zones, RTTs), as the body of POST /v1/plans; its etcd timings are replaced by the grid.',
    }),
    disturbance: DisturbanceSchema.optional(),
    objective: z
      .object({
        failoverP99Ms: z.number().gt(0, 'Must be greater than 0.').max(600_000, 'Must be at most 600000.').openapi({
          description: 'Failover (leader crash → new leader) p99 at most this, ms.',
          example: 3000,
        }),
        spuriousPerClusterYear: nonNegative(1e9).openapi({
          description: 'Spurious elections per cluster-year at most this, judged on the 95% upper bound.',
          example: 1,
        }),
      })
      .strict(),
    grid: z
      .object({
        heartbeatIntervalMs: timingList('Heartbeat intervals to try, ms.', [50, 100]),
        electionTimeoutMs: timingList('Election timeouts to try, ms.', [500, 1000, 2000]),
        preVote: z
          .array(z.boolean())
          .min(1, 'List at least one value.')
          .max(2, 'List at most 2 values.')
          .optional()
          .openapi({ description: 'Pre-vote settings to try. Default [true] (etcd 3.5 and later).' }),
      })
      .strict(),
    failoverTrials: count(1, 'maxTuningFailoverTrials')
      .optional()
      .openapi({ description: 'Leader-crash trials per grid point. Default 1000.' }),
    steadyReplications: count(2, 'maxTuningSteadyReplications')
      .optional()
      .openapi({ description: 'Independent steady replications per grid point (≥ 2 for an interval). Default 8.' }),
    steadyHoursPerReplication: z
      .number()
      .gt(0, 'Must be greater than 0.')
      .max(limits.maxTuningSteadyHours, atMost('maxTuningSteadyHours'))
      .optional()
      .openapi({ description: 'Steady time simulated directly per replication, hours. Default 2.' }),
    splittingEffort: count(10, 'maxTuningSplittingEffort')
      .optional()
      .openapi({ description: 'Restarts per splitting level. Default 500.' }),
    seed: z
      .number()
      .int('Must be a whole number.')
      .min(0, 'Must be at least 0.')
      .max(4294967295, 'Must be at most 4294967295.')
      .optional()
      .openapi({ description: 'Seed of the job; equal requests and seeds give byte-identical answers. Default 1.' }),
  })
  .strict()
  .openapi('TuningRequest');

export const tuningRequestExample = {
  cluster: { topology: 'external', controlPlane: { nodes: 3 }, etcd: { members: 3 }, network: { intraZoneRttMs: 1 } },
  disturbance: {
    lossProbability: 0.001,
    latencySpikes: { perHour: 2, meanDurationMs: 300, extraMs: 200 },
    fsyncStalls: { perHour: 1, meanDurationMs: 400 },
  },
  objective: { failoverP99Ms: 3000, spuriousPerClusterYear: 1 },
  grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [500, 1000], preVote: [true] },
  failoverTrials: 200,
  steadyReplications: 4,
  seed: 1,
} satisfies z.input<typeof TuningRequestSchema>;

const RateIntervalSchema = z.object({ value: z.number(), lower: z.number(), upper: z.number() });

const PointSummarySchema = z
  .object({
    index: z.number().int(),
    heartbeatIntervalMs: z.number(),
    electionTimeoutMs: z.number(),
    preVote: z.boolean(),
    etcdAccepts: z.boolean().openapi({ description: 'Whether etcd starts with these flags (its Config.Validate).' }),
    etcdFindings: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .openapi({ description: "etcd's refusal, or its tuning guide's warnings for the cluster's RTTs." }),
    failover: z
      .object({
        trials: z.number().int(),
        noLeaderTrials: z.number().int(),
        p50Ms: z.number().nullable(),
        p90Ms: z.number().nullable(),
        p99Ms: z.number().nullable().openapi({
          description: 'null below 200 trials, or when more than 1% of trials found no leader (see withheld).',
        }),
        withheld: z
          .object({
            p50: z.enum(['too-few-trials', 'censored']).optional(),
            p90: z.enum(['too-few-trials', 'censored']).optional(),
            p99: z.enum(['too-few-trials', 'censored']).optional(),
          })
          .openapi({ description: 'Why a percentile is null: a p90 needs 20 trials, a p99 200.' }),
        horizonMs: z.number(),
      })
      .nullable()
      .openapi({
        description: 'Leader crash → first new leader, over `trials` seeded trials (null if not simulated).',
      }),
    spuriousElections: z
      .object({
        perClusterYear: z.number(),
        lower: z.number(),
        upper: z.number(),
        confidence: z.literal(0.95),
        method: z.literal('splitting'),
        replications: z.number().int(),
        steadyHours: z.number(),
        directElections: z.number().int(),
        directPerClusterYear: RateIntervalSchema,
        truncated: z.boolean(),
      })
      .nullable()
      .openapi({
        description:
          'Elections a healthy cluster starts for nothing, per cluster-year: multilevel splitting over steady replications, with a 95% interval over them; the direct count of the same steady time beside it.',
      }),
    meetsObjective: z.boolean().nullable(),
    misses: z.array(z.string()),
  })
  .openapi('TuningPoint');

const TuningAnswerSchema = z
  .object({
    seed: z.number().int(),
    points: z.array(PointSummarySchema),
    frontier: z.array(z.number().int()).openapi({
      description: 'Indexes of the points no other point beats on both failover p99 and spurious rate, fastest first.',
    }),
    recommendation: z.object({ point: z.number().int().nullable(), reason: z.string() }),
  })
  .openapi('TuningAnswer');

export const TuningJobSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'complete', 'cancelled', 'errored']),
    progress: z
      .object({ stepsDone: z.number().int(), stepsTotal: z.number().int() })
      .openapi({ description: 'Steps finished of the job (each a chunk of trials or one steady replication).' }),
    createdAt: z.string().openapi({ description: 'When the job was accepted (RFC 3339).' }),
    expiresAt: z.string().openapi({ description: 'When the job and its answer are deleted (tuningRetentionS).' }),
    runner: z.enum(['cloudflare-workflows', 'node-worker-threads']),
    answer: TuningAnswerSchema.nullable().openapi({ description: 'The answer once status is complete.' }),
    error: z.string().nullable(),
    summary: z.string().openapi({ description: 'A short paragraph from the fields above, to quote as is.' }),
  })
  .openapi('TuningJob');

export type TuningJob = z.infer<typeof TuningJobSchema>;
export type TuningRequest = z.infer<typeof TuningRequestSchema>;

const exampleId = '3f1c9b7e-8a41-4e49-9d2e-3c8f2b1a6d10';

/** A job just accepted (the 202 body). */
export const queuedJobExample: TuningJob = {
  id: exampleId,
  status: 'queued',
  progress: { stepsDone: 0, stepsTotal: 10 },
  createdAt: '2026-11-26T12:00:00.000Z',
  expiresAt: '2026-12-03T12:00:00.000Z',
  runner: 'cloudflare-workflows',
  answer: null,
  error: null,
  summary: `Tuning job ${exampleId} is queued: 0 of 10 steps done. Poll GET /v1/tunings/${exampleId}.`,
};

/** A complete job with one grid point (figures from a run of the request example, trimmed). */
export const completeJobExample: TuningJob = {
  ...queuedJobExample,
  status: 'complete',
  progress: { stepsDone: 5, stepsTotal: 5 },
  answer: {
    seed: 1,
    points: [
      {
        index: 0,
        heartbeatIntervalMs: 100,
        electionTimeoutMs: 1000,
        preVote: true,
        etcdAccepts: true,
        etcdFindings: [],
        failover: {
          trials: 200,
          noLeaderTrials: 0,
          p50Ms: 1337,
          p90Ms: 2318,
          p99Ms: 2741,
          withheld: {},
          horizonMs: 20000,
        },
        spuriousElections: {
          perClusterYear: 0.12,
          lower: 0,
          upper: 0.41,
          confidence: 0.95,
          method: 'splitting',
          replications: 4,
          steadyHours: 8,
          directElections: 0,
          directPerClusterYear: { value: 0, lower: 0, upper: 4042 },
          truncated: false,
        },
        meetsObjective: true,
        misses: [],
      },
    ],
    frontier: [0],
    recommendation: {
      point: 0,
      reason:
        'heartbeat 100 ms, election timeout 1000 ms, pre-vote on: the fastest failover (p99 2740 ms over 200 leader crashes) of the one point that meets the objective, with 0.12 spurious elections per cluster-year (95% interval 0–0.41, 4 replications).',
    },
  },
  // What the route writes for it (tuningAnswerSummary; test/summary-style.test.ts checks they are equal).
  summary: `Tuning job ${exampleId} is complete and recommends heartbeat 100 ms, election timeout 1000 ms, pre-vote on: failover p99 2740 ms in 200 leader crashes, 0.12 spurious elections per cluster-year. 1 grid point in all, 1 meeting the objective, 1 on the speed-vs-stability frontier.`,
};
