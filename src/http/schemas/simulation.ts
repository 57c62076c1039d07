/**
 * @module schemas/simulation
 * POST /v1/simulations: the request (a cluster, a timing model, a fault scenario, trials and a seed) and the
 * answer (a timeline, or distributions over seeded trials). The request carries a `kind` so that other
 * simulation layers (the control plane above etcd) can add their own kinds without changing this one.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { defaultClassicTimerJitterMs, minDurationMs } from '../../domain/simulation/election-setup.js';
import { presetNames } from '../../domain/simulation/presets.js';
import { timelineKinds } from '../../domain/simulation/timeline.js';
import { limits, type LimitName } from '../limits.js';
import { ProposalInputSchema } from './proposal.js';

function atMost(name: LimitName): string {
  return `Must be at most ${limits[name]} (the limit ${name}).`;
}

const whole = (min: number, max: number, maxName?: LimitName) =>
  z
    .number()
    .int('Must be a whole number.')
    .min(min, `Must be at least ${min}.`)
    .max(max, maxName ? atMost(maxName) : `Must be at most ${max}.`);

/** A duration the engine must represent: at least one microsecond (its clock counts whole µs). */
const duration = (maxName: LimitName) =>
  z
    .number()
    .min(minDurationMs, `Must be at least ${minDurationMs} ms: the simulation clock counts whole microseconds.`)
    .max(limits[maxName], atMost(maxName));

const ms = (maxName: LimitName) => z.number().min(0, 'Must be at least 0.').max(limits[maxName], atMost(maxName));

const NameRefSchema = z
  .string()
  .min(1, 'Must not be empty.')
  .max(limits.maxNameLength, `Must be at most ${limits.maxNameLength} characters (the limit maxNameLength).`);

const FaultTimeSchema = z
  .object({
    atMs: ms('maxSimulationHorizonMs').openapi({
      description: 'When, in ms from the start of the fault schedule (a steady cluster).',
      example: 0,
    }),
    withinMs: ms('maxSimulationHorizonMs').optional().openapi({
      description:
        'Spread the moment uniformly over [atMs, atMs + withinMs), drawn per trial — e.g. one heartbeat interval.',
      example: 100,
    }),
  })
  .strict()
  .openapi('FaultTime');

const FaultTargetSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('member'), name: NameRefSchema }).strict(),
    z.object({ kind: z.literal('node'), name: NameRefSchema }).strict(),
    z.object({ kind: z.literal('zone'), name: NameRefSchema }).strict(),
    z.object({ kind: z.literal('etcd-leader') }).strict(),
    z
      .object({ kind: z.literal('lease-holder'), component: z.enum(['kube-controller-manager', 'kube-scheduler']) })
      .strict()
      .openapi({
        description: 'kind control-plane only: the node whose component holds its lease when the trial starts.',
      }),
  ])
  .openapi('FaultTarget', {
    description:
      'An etcd member, a host (node) with everything on it, every host of a zone, whichever member leads etcd at that moment, or (kind control-plane) the node holding a lease.',
    example: { kind: 'etcd-leader' },
  });

const restartAfterMs = ms('maxSimulationHorizonMs')
  .optional()
  .openapi({ description: 'Restart the hit members this many ms later.' });

const components = z
  .array(z.enum(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']))
  .min(1, 'Name at least one component, or leave `components` out for everything on the host.')
  .max(4, 'Must be at most 4.')
  .optional()
  .openapi({
    description:
      'Only these processes of the target host (e.g. an apiserver-only crash). Default: everything on it (a member or etcd-leader target: etcd only).',
  });

const FaultSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('crash').openapi({ description: 'SIGKILL / power loss: no leadership transfer.' }),
        target: FaultTargetSchema,
        at: FaultTimeSchema,
        components,
        restartAfterMs,
      })
      .strict(),
    z
      .object({
        type: z
          .literal('stop')
          .openapi({ description: 'SIGTERM: a leader first transfers leadership to the longest-connected voter.' }),
        target: FaultTargetSchema,
        at: FaultTimeSchema,
        components,
        restartAfterMs,
      })
      .strict(),
    z
      .object({
        type: z.literal('partition'),
        groups: z
          .array(
            z
              .array(NameRefSchema)
              .min(1, 'A group needs at least one name.')
              .max(limits.maxSimulationMembers, atMost('maxSimulationMembers')),
          )
          .min(1, 'Give at least one group; the members not named form one more group.')
          .max(limits.maxSimulationMembers, atMost('maxSimulationMembers'))
          .openapi({
            description:
              'Groups of member, node or zone names; members not named form one more group. No traffic between groups.',
            example: [['etcd-1']],
          }),
        at: FaultTimeSchema,
        healAfterMs: ms('maxSimulationHorizonMs')
          .optional()
          .openapi({ description: 'Heal the partition this many ms later.' }),
        oneWay: z.boolean().optional().openapi({
          description: 'Drop only messages from the first group to the others (default false: both ways).',
        }),
      })
      .strict(),
  ])
  .openapi('Fault');

const ScenarioSchema = z
  .object({
    faults: z.array(FaultSchema).max(limits.maxSimulationFaults, atMost('maxSimulationFaults')).openapi({
      description:
        'The fault schedule. Empty with `start: "bootstrap"` simulates a fresh cluster electing its first leader.',
    }),
    horizonMs: z
      .number()
      .gt(0, 'Must be greater than 0.')
      .max(limits.maxSimulationHorizonMs, atMost('maxSimulationHorizonMs'))
      .optional()
      .openapi({
        description:
          'Simulated time after the last possible fault moment (restarts and heals included), in ms. Default max(10 s, 10 election timeouts).',
      }),
    start: z.enum(['steady', 'bootstrap']).optional().openapi({
      description:
        "`steady` (default): a leader every member follows; `bootstrap`: a fresh cluster at time 0, with etcd's initial election tick advance.",
    }),
  })
  .strict()
  .openapi('Scenario', {
    description:
      'Faults on a schedule. Default: crash the etcd leader at a uniformly random moment within one heartbeat interval.',
  });

const ClassicTimingSchema = z
  .object({
    electionTimeoutMinMs: duration('maxEtcdTimingMs').openapi({ example: 150 }),
    electionTimeoutMaxMs: duration('maxEtcdTimingMs').openapi({ example: 300 }),
    heartbeatIntervalMs: duration('maxEtcdTimingMs')
      .optional()
      .openapi({ description: 'Default: half the minimum election timeout.' }),
    voteRetryMs: duration('maxEtcdTimingMs')
      .optional()
      .openapi({ description: 'Resend unanswered RequestVotes this often while a candidate. Default: never.' }),
    preVote: z.boolean().optional().openapi({ description: 'Default false.' }),
    checkQuorum: z.boolean().optional().openapi({ description: 'Default false.' }),
    leaderLease: z.boolean().optional().openapi({ description: 'Default false.' }),
    timerJitterMs: ms('maxEtcdTimingMs')
      .optional()
      .openapi({
        description: `Each election timer fires up to this many ms late, uniformly (OS timer and scheduling variation: what breaks lock-step ties between equal timeouts). Default ${defaultClassicTimerJitterMs}.`,
      }),
    syncBeforeVoteRequest: z.boolean().optional().openapi({
      description:
        'true (default, as etcd): a candidate persists its new term and self-vote before sending RequestVote; false: in parallel with its own disk write.',
    }),
  })
  .strict()
  .openapi('ClassicTiming', {
    description: 'Classic Raft as in the paper: continuous uniform timeouts in [min, max] ms; no ticks.',
  });

export const SimulationRequestSchema = z
  .object({
    kind: z.enum(['etcd-election', 'control-plane']).optional().openapi({
      description:
        "What to simulate. `etcd-election` (default): etcd's Raft leader election. `control-plane`: the same etcd engine plus, over its result, kube-apiserver readiness, the load balancer's health checks and client-go lease elections of kube-controller-manager and kube-scheduler (needs `cluster`).",
    }),
    controlPlaneOptions: z
      .object({
        requestLatencyMs: z
          .number()
          .min(0, 'Must be at least 0.')
          .max(500, 'Must be at most 500.')
          .optional()
          .openapi({ description: 'One lease request through the apiserver to etcd, when its path works. Default 2.' }),
        componentRestartDelayMs: ms('maxSimulationHorizonMs').optional().openapi({
          description:
            'A controller-manager or scheduler that lost its lease exits; it runs again (new identity) this much later. Default 2000.',
        }),
        etcdReconnectDelayMs: ms('maxSimulationHorizonMs').optional().openapi({
          description:
            "External etcd: how long an apiserver's etcd client keeps a failing endpoint before moving to the next. Default 1000.",
        }),
        clockRates: z
          .record(NameRefSchema, z.number().min(0.51, 'Must be at least 0.51.').max(1.99, 'Must be at most 1.99.'))
          .optional()
          .openapi({
            description:
              'Clock rate per control-plane node (1 = exact, 1.05 = 5% fast): client-go times leases on local clocks.',
            example: { 'cp-2': 1.05 },
          }),
        initialHolders: z
          .object({ 'kube-controller-manager': NameRefSchema.optional(), 'kube-scheduler': NameRefSchema.optional() })
          .strict()
          .optional()
          .openapi({ description: 'The node holding each lease at the start. Default: drawn from the seed.' }),
        compareTopologies: z.boolean().optional().openapi({
          description:
            'Also run the same faults on the other topology (stacked ↔ external, same zones) and compare the gaps. Default false.',
        }),
      })
      .strict()
      .optional()
      .openapi({
        description: 'kind control-plane only: settings of the control-plane layer (formerly `controlPlane`).',
      }),
    cluster: ProposalInputSchema.optional().openapi({
      description: 'The proposed cluster, as the body of POST /v1/plans. Alternative to `members`.',
    }),
    members: whole(1, limits.maxSimulationMembers, 'maxSimulationMembers').optional().openapi({
      description: 'Alternative to `cluster`: this many voting members (etcd-1, …) in one zone. Default 3.',
      example: 5,
    }),
    learners: whole(0, limits.maxSimulationMembers, 'maxSimulationMembers')
      .optional()
      .openapi({ description: 'With `members`: learners added after the voters. Default 0.' }),
    etcd: z
      .object({
        version: z.enum(etcdVersions).optional().openapi({ description: 'Decides the pre-vote default. Default 3.5.' }),
        heartbeatIntervalMs: duration('maxEtcdTimingMs').optional().openapi({ description: 'Default 100.' }),
        electionTimeoutMs: duration('maxEtcdTimingMs').optional().openapi({ description: 'Default 1000.' }),
        preVote: z.boolean().optional(),
        diskSyncMs: ms('maxDiskSyncMs').optional().openapi({
          description: 'fsync delay before a non-leader sends a vote, an ack or a vote request, ms. Default 1.',
        }),
      })
      .strict()
      .optional()
      .openapi({ description: 'With `members`: etcd flags (with `cluster`, set them there).' }),
    rttMs: ms('maxRttMs')
      .optional()
      .openapi({ description: 'With `members`: round trip between any two members, in ms. Default 0.5 (one zone).' }),
    model: z.enum(['etcd', 'classic']).optional().openapi({
      description:
        "`etcd` (default): etcd's tick-based Raft; `classic`: the Raft paper's continuous timeouts (give `classic`).",
    }),
    classic: ClassicTimingSchema.optional(),
    networkModel: z
      .object({
        jitterFraction: z
          .number()
          .min(0, 'Must be at least 0.')
          .max(10, 'Must be at most 10.')
          .optional()
          .openapi({ description: 'Each message takes an extra uniform [0, f × one-way latency]. Default 0.1.' }),
        lossProbability: z
          .number()
          .min(0, 'Must be at least 0.')
          .max(0.5, 'Must be at most 0.5.')
          .optional()
          .openapi({ description: 'Probability that a message is lost. Default 0.' }),
        diskSyncJitterMs: ms('maxDiskSyncMs').optional().openapi({
          description: 'Each fsync takes an extra uniform [0, diskSyncJitterMs] ms (fsync latency varies). Default 0.',
        }),
        diskSyncSpread: z.number().min(0, 'Must be at least 0.').max(3, 'Must be at most 3.').optional().openapi({
          description:
            'fsync time is log-normal: `etcd.diskSyncMs` is its median and this the standard deviation of its logarithm (0: every fsync takes diskSyncMs); the same spread applies to the 0.5 ms a stopping leader takes to start its handover. Default 1.4, fitted to real etcd (docs/CALIBRATION.md): it makes a graceful stop a distribution (3 members, 1 ms fsync, loopback: p50 3.2 ms, p90 10.6, p99 37).',
          example: 1.4,
        }),
        diskSyncTailMs: ms('maxDiskSyncMs').optional().openapi({
          description:
            "Each fsync takes an extra exponentially distributed delay with this mean, ms (capped at 20× the mean): fsync's long tail under load, which makes a graceful stop's handover a distribution (docs/CALIBRATION.md fits it to real etcd). Default 0.",
        }),
      })
      .strict()
      .optional()
      .openapi({
        description:
          'Message jitter and loss, and fsync variation (echoed as `cluster.networkModel`; formerly `network`).',
      }),
    memberLogs: z
      .record(
        NameRefSchema,
        z
          .object({
            lastLogTerm: whole(0, 1_000_000).optional(),
            lastLogIndex: whole(0, 1_000_000_000).optional(),
          })
          .strict(),
      )
      .optional()
      .openapi({
        description:
          "Members' log positions (last term and index) at the first fault, e.g. the newest entries reached only some members: those behind cannot win (the Raft paper's differing logs). Default: every log equals the leader's.",
        example: { 'etcd-4': { lastLogIndex: 10 }, 'etcd-5': { lastLogIndex: 10 } },
      }),
    scenario: ScenarioSchema.optional(),
    trials: whole(1, limits.maxSimulationTrials, 'maxSimulationTrials').optional().openapi({
      description: '1 (default): one trial with its timeline; more: distributions over seeded trials.',
      example: 1000,
    }),
    seed: whole(0, 4294967295).optional().openapi({
      description:
        'Seed of the run (trial i uses Random.derive(seed, i)). Default: derived from the request, so equal requests give equal answers.',
    }),
    includeTimeline: z.boolean().optional().openapi({
      description: 'With trials > 1: also return trial 0 in full (timeline and service timeline). Default false.',
    }),
    includeSamples: z
      .boolean()
      .optional()
      .openapi({
        description: `With trials > 1: also return every trial's outcome (\`distribution.samples\`), for at most ${limits.maxSimulationSamples} trials (the limit maxSimulationSamples). Default false.`,
      }),
    preset: z.enum(presetNames).optional().openapi({
      description:
        "`raft-paper-figure16`: the Raft paper's §9.3 leader-crash experiment (5 servers, classic timing); combine with `presetTimeoutMs` and `trials`.",
    }),
    presetTimeoutMs: z
      .object({
        minMs: z
          .number()
          .min(minDurationMs, `Must be at least ${minDurationMs} ms: the simulation clock counts whole microseconds.`)
          .max(10_000, 'Must be at most 10000.'),
        maxMs: z
          .number()
          .min(minDurationMs, `Must be at least ${minDurationMs} ms: the simulation clock counts whole microseconds.`)
          .max(10_000, 'Must be at most 10000.'),
      })
      .strict()
      .optional()
      .openapi({ description: "The preset's election timeout range. Default 150–300 ms." }),
  })
  .strict()
  .openapi('SimulationRequest');

const IntervalSchema = z.object({ startUs: z.number().int(), endUs: z.number().int() }).openapi('IntervalUs');

const TimelineEntrySchema = z
  .object({
    timeUs: z.number().int().openapi({ description: 'µs from the start of the fault schedule (negative: warm-up).' }),
    member: z.string().openapi({ description: 'The member, or "-" for a network event.' }),
    kind: z.enum(timelineKinds),
    term: z.number().int(),
    peer: z.string().optional(),
    detail: z.string().optional().openapi({ description: "Why: a rejection's reason, a step-down's cause." }),
  })
  .openapi('TimelineEntry');

const nullableUs = z.number().int().nullable();

const TrialMetricsSchema = z
  .object({
    faultAtUs: z.number().int(),
    newLeaderAfterUs: nullableUs.openapi({ description: 'First fault → first member to become leader after it.' }),
    allKnowAfterUs: nullableUs.openapi({ description: 'First fault → a leader that every live member follows.' }),
    unavailableUs: z
      .number()
      .int()
      .openapi({ description: 'Time after the first fault with no leader able to commit.' }),
    newLeader: z.string().nullable(),
    newLeaderTerm: z.number().int().nullable(),
    electionRounds: z.number().int(),
    preVoteRounds: z.number().int(),
    splitVotes: z.number().int(),
    failedElections: z.number().int(),
    termsUsed: z.number().int().nullable(),
    endUs: z.number().int(),
    events: z.number().int(),
    truncated: z.boolean(),
  })
  .openapi('TrialMetrics');

const TrialSchema = z
  .object({
    seed: z.number().int().optional(),
    trialIndex: z.number().int().optional(),
    faults: z.array(
      z.object({
        type: z.enum(['crash', 'stop', 'partition']),
        timeUs: z.number().int(),
        members: z.array(z.string()),
        detail: z.string(),
      }),
    ),
    metrics: TrialMetricsSchema,
    timeline: z.array(TimelineEntrySchema).optional(),
    timelineTruncated: z
      .boolean()
      .optional()
      .openapi({
        description: `true when the timeline stopped at ${limits.maxSimulationTimelineEntries} entries (the limit maxSimulationTimelineEntries); the metrics cover the whole trial.`,
      }),
    service: z
      .object({
        horizonUs: z.number().int(),
        writableThrough: z.record(z.string(), z.array(IntervalSchema)),
        clusterWritable: z.array(IntervalSchema),
      })
      .optional()
      .openapi('EtcdServiceTimeline', {
        description: 'Per member, when a write sent through it commits; and when any leader can commit.',
      }),
  })
  .openapi('Trial');

const DistributionSchema = z
  .object({
    trials: z.number().int().openapi({ description: 'Trials behind every figure of this distribution.' }),
    count: z.number().int(),
    censored: z
      .number()
      .int()
      .openapi({ description: 'Trials without a value within the horizon (percentiles count them as +∞).' }),
    minUs: nullableUs,
    p50Us: nullableUs,
    p90Us: nullableUs,
    p99Us: nullableUs,
    maxUs: nullableUs,
    meanUs: nullableUs,
    withheld: z
      .object({
        p50: z.enum(['too-few-trials', 'censored']).optional(),
        p90: z.enum(['too-few-trials', 'censored']).optional(),
        p99: z.enum(['too-few-trials', 'censored']).optional(),
      })
      .openapi({
        description:
          'Why a percentile is null: `too-few-trials` (a p90 needs at least 20 trials, a p99 at least 200) or `censored` (it falls on a trial without a value by the horizon).',
      }),
    histogram: z.object({ binWidthUs: z.number().int(), counts: z.array(z.number().int()) }),
    cdf: z.array(z.object({ atUs: z.number().int(), fraction: z.number() })),
  })
  .openapi('Distribution');

export const SimulationAnswerSchema = z
  .object({
    kind: z.literal('etcd-election'),
    seed: z.number().int().openapi({ description: 'The seed used (given or derived); send it back to replay.' }),
    trials: z.number().int(),
    model: z.enum(['etcd', 'classic']),
    preset: z.enum(presetNames).optional(),
    presetFields: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        'With `preset`: the public request fields the preset stands for (send them without `preset` to rerun it, or change one).',
    }),
    cluster: z.object({
      members: z.array(z.object({ name: z.string(), zone: z.string(), learner: z.boolean() })),
      voters: z.number().int(),
      quorum: z.number().int(),
      timing: z
        .record(z.string(), z.union([z.number(), z.boolean(), z.string()]))
        .openapi({ description: 'The timing the engine ran: etcd ticks or classic timeouts.' }),
      diskSyncMs: z.number(),
      networkModel: z
        .object({
          oneWayMs: z.object({ min: z.number(), max: z.number() }),
          jitterFraction: z.number(),
          lossProbability: z.number(),
          diskSyncMs: z.number(),
          diskSyncJitterMs: z.number(),
          diskSyncTailMs: z.number(),
          diskSyncSpread: z.number(),
        })
        .openapi('NetworkModel', {
          description:
            'The network the engine ran: one-way latency per link (RTT / 2), plus uniform [0, jitterFraction × one-way] per message; loss; fsync: log-normal with median diskSyncMs and log-spread diskSyncSpread, + uniform [0, diskSyncJitterMs] + exponential with mean diskSyncTailMs, one per member per batch of messages.',
        }),
    }),
    scenario: z.object({ faults: z.array(FaultSchema), horizonMs: z.number(), start: z.enum(['steady', 'bootstrap']) }),
    trial: TrialSchema.optional().openapi({ description: 'With trials = 1, or includeTimeline: trial 0 in full.' }),
    distribution: z
      .object({
        newLeader: DistributionSchema,
        allKnow: DistributionSchema,
        unavailable: DistributionSchema,
        splitVoteRate: z.number(),
        multiTermShare: z.number().openapi({
          description:
            'Fraction of trials whose new leader won more than one term above the term at the fault (a failed election first: split vote, ignored or rejected votes).',
        }),
        meanElectionRounds: z.number(),
        meanTermsUsed: z.number().nullable(),
        truncatedTrials: z.number().int(),
        samples: z
          .array(
            z.object({
              newLeaderAfterUs: nullableUs,
              allKnowAfterUs: nullableUs,
              unavailableUs: z.number().int(),
              newLeader: z.string().nullable(),
              termsUsed: z.number().int().nullable(),
              electionRounds: z.number().int(),
              splitVotes: z.number().int(),
            }),
          )
          .optional()
          .openapi({ description: 'With includeSamples: every trial in order (trial i used Random.derive(seed, i)).' }),
      })
      .optional(),
    summary: z.string().openapi({ description: 'The result in one paragraph, to quote as is.' }),
  })
  .openapi('SimulationAnswer');

export type SimulationRequest = z.infer<typeof SimulationRequestSchema>;

const capabilityKeys = ['etcdWrites', 'apiReads', 'apiWrites', 'controllerManagerLeader', 'schedulerLeader'] as const;
const perCapability = <T extends z.ZodTypeAny>(schema: T) =>
  z.object(Object.fromEntries(capabilityKeys.map((k) => [k, schema])) as Record<(typeof capabilityKeys)[number], T>);
const perComponent = <T extends z.ZodTypeAny>(schema: T) =>
  z.object({ 'kube-controller-manager': schema, 'kube-scheduler': schema });

/** Why a percentile is null: too few trials behind it, or its rank falls on a trial without a value. */
const WithheldSchema = z
  .object({
    p50: z.enum(['too-few-trials', 'censored']).optional(),
    p90: z.enum(['too-few-trials', 'censored']).optional(),
    p99: z.enum(['too-few-trials', 'censored']).optional(),
  })
  .openapi('WithheldPercentiles', {
    description:
      'For each null percentile, why: `too-few-trials` (a p90 needs at least 20 trials, a p99 at least 200) or `censored` (its nearest rank falls on a trial that had not recovered by the horizon).',
    example: { p99: 'too-few-trials' },
  });

const GapDistributionSchema = z
  .object({
    trials: z.number().int().openapi({ description: 'Trials behind every figure of this distribution.' }),
    p50Us: nullableUs.openapi({ description: 'Nearest-rank median over all trials.' }),
    p90Us: nullableUs.openapi({ description: 'Nearest-rank p90; null below 20 trials (see `withheld`).' }),
    p99Us: nullableUs.openapi({ description: 'Nearest-rank p99; null below 200 trials (see `withheld`).' }),
    maxUs: nullableUs.openapi({ description: 'The longest gap; null when any trial had not recovered.' }),
    unrecovered: z.number().int().openapi({
      description:
        'Trials in which it had not come back by the horizon (ranked as +∞; a percentile landing on one is null).',
    }),
    withheld: WithheldSchema,
  })
  .openapi('GapDistribution');

const CapabilityWindowsSchema = z
  .object({
    down: z.array(IntervalSchema).openapi({ description: 'No request succeeds / nobody leads.' }),
    degraded: z.array(IntervalSchema).openapi({
      description: 'Some requests fail: the load balancer still sends a share of them to a backend that cannot serve.',
    }),
    gapUs: z.number().int().openapi({ description: 'Time down or degraded from the first fault to the horizon.' }),
  })
  .openapi('CapabilityWindows');

const ControlPlaneTrialSchema = z
  .object({
    faultTimesUs: z.array(z.number().int()),
    initialHolders: perComponent(z.string()),
    timeline: z.array(
      z
        .object({
          timeUs: z.number().int(),
          layer: z.enum([
            'fault',
            'etcd',
            'kube-apiserver',
            'load-balancer',
            'kube-controller-manager',
            'kube-scheduler',
          ]),
          subject: z.string().optional(),
          text: z.string(),
        })
        .openapi('ControlPlaneTimelineEntry'),
    ),
    timelineText: z.string().openapi({ description: 'The timeline as aligned text, one event a line.' }),
    capabilities: perCapability(CapabilityWindowsSchema),
    rotation: z
      .record(z.string(), z.array(IntervalSchema))
      .openapi({ description: 'Per backend, when the load balancer sent it traffic.' }),
    lbRemovalsUs: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'Per backend taken out of rotation: how long after the first fault.' }),
    leadership: perComponent(
      z.array(
        z.object({
          node: z.string(),
          identity: z.string(),
          startUs: z.number().int(),
          endUs: z.number().int(),
          endedBy: z.enum(['renew-deadline', 'crash', 'stop', 'horizon']),
        }),
      ),
    ),
    dualLeadership: perComponent(z.array(IntervalSchema)).openapi({
      description: 'Moments when two processes believed they led (clock-rate skew).',
    }),
    fullRecoveryUs: nullableUs.openapi({
      description: 'First fault → every capability fully back; null if not within the horizon.',
    }),
    summary: z.string(),
  })
  .openapi('ControlPlaneTrial');

const ControlPlaneDistributionSchema = z
  .object({ gaps: perCapability(GapDistributionSchema), fullRecovery: GapDistributionSchema, summary: z.string() })
  .openapi('ControlPlaneDistribution');

export const ControlPlaneSimulationAnswerSchema = z
  .object({
    kind: z.literal('control-plane'),
    seed: z.number().int().openapi({ description: 'The seed used (given or derived); send it back to replay.' }),
    trials: z.number().int(),
    topology: z.enum(['stacked', 'external']),
    scenario: z
      .object({ faults: z.array(FaultSchema), horizonMs: z.number() })
      .openapi({ description: 'The scenario run, lease-holder targets resolved to nodes.' }),
    trial: ControlPlaneTrialSchema.optional().openapi({
      description: 'With trials = 1, or includeTimeline: trial 0 in full.',
    }),
    distribution: ControlPlaneDistributionSchema.optional(),
    comparison: z
      .object({
        stacked: ControlPlaneDistributionSchema,
        external: ControlPlaneDistributionSchema,
        deltaUs: perCapability(z.object({ p50Us: nullableUs, p90Us: nullableUs })).openapi({
          description: 'External minus stacked.',
        }),
        summary: z.string(),
      })
      .optional(),
    summary: z.string().openapi({ description: 'The result in one paragraph, to quote as is.' }),
  })
  .openapi('ControlPlaneSimulationAnswer');
