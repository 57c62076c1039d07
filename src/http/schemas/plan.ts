/**
 * @module schemas/plan
 * The plan answer (POST /v1/plans) and the recommendation answer (POST /v1/recommendations), described for
 * the OpenAPI document. The shapes are produced by src/domain/plan; these schemas document them.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { FindingSchema, orNull } from './common.js';
import { ProposalInputSchema } from './proposal.js';

const CapabilitiesSchema = z
  .object({
    etcdQuorum: z
      .boolean()
      .openapi({ description: 'A quorum of etcd voters is up: a leader can be elected and writes commit.' }),
    apiServer: z.boolean().openapi({
      description:
        'At least one kube-apiserver can serve through the load balancer. Stacked: its node is up and its local etcd member is an up voter on the quorum side; external: it is up and the etcd quorum is up.',
    }),
    controllerLeaders: z.boolean().openapi({
      description:
        "A kube-controller-manager and kube-scheduler leader is possible: some up control-plane node's local apiserver serves.",
    }),
  })
  .openapi('Capabilities');

const ToleranceSchema = z
  .object({
    tolerated: z.number().int().nullable().openapi({
      description:
        'Largest k such that every set of k failed hosts keeps the capability; null if it is down even with every host up.',
    }),
    smallestFailingSet: z
      .array(z.string())
      .openapi({ description: 'One smallest set of hosts whose loss takes it down.' }),
  })
  .openapi('Tolerance');

const HostLossSchema = z
  .object({
    host: z.string(),
    zone: z.string(),
    runs: z.array(z.string()).openapi({ description: 'What losing this host takes down (its blast radius).' }),
    coupled: z
      .boolean()
      .openapi({ description: 'It runs an etcd voter and a control-plane instance: one failure costs both.' }),
    survives: CapabilitiesSchema,
    pointer: z.string().openapi({ description: 'The request field the host came from.' }),
  })
  .openapi('HostLoss');

const ZoneLossSchema = z
  .object({
    zone: z.string(),
    hosts: z.array(z.string()),
    votersInZone: z.number().int(),
    votersLeft: z.number().int(),
    quorum: z.number().int(),
    controlPlaneNodesLeft: z.number().int(),
    survives: CapabilitiesSchema,
  })
  .openapi('ZoneLoss');

const TopologySideSchema = z
  .object({
    topology: z.enum(['stacked', 'external']),
    proposed: z.boolean(),
    derivation: z.string(),
    hostCount: z.number().int(),
    controlPlaneHosts: z.number().int(),
    etcdHosts: z.number().int(),
    voters: z.number().int(),
    tolerates: z.object({
      etcdHostFailures: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'etcd hosts that may fail with a quorum left.' }),
      controlPlaneNodeFailures: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'Control-plane nodes that may fail (nothing else) with an apiserver still serving.' }),
      anyHostFailures: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'Hosts of any kind that may fail with everything still working.' }),
    }),
    survivesAnyZoneLoss: z.boolean(),
    coupledFailure: z.boolean(),
    blastRadius: z.array(z.object({ host: z.string(), zone: z.string(), takesDown: z.array(z.string()) })),
    writeLatencyMs: z.object({ best: z.number(), worst: z.number() }).nullable(),
  })
  .openapi('TopologySide');

const WriteLatencySchema = z
  .object({
    bestMs: z.number(),
    worstMs: z.number(),
    bestLeader: z.string(),
    worstLeader: z.string(),
    byLeader: z.array(z.object({ leader: z.string(), zone: z.string(), writeMs: z.number(), quorumRttMs: z.number() })),
    throughApiServer: z.object({ bestMs: z.number(), worstMs: z.number(), bestHopMs: z.number() }).nullable().openapi({
      description:
        "The floor of a write through the API: an apiserver's round trip to the leader (0 when a stacked apiserver's own member leads) plus the commit; best and worst over the apiservers and leaders, and the hop in the best case.",
    }),
    assumption: z.string(),
  })
  .openapi('WriteLatency', {
    description:
      'The floor the placement sets on a write: round trip from the leader to the nearest quorum plus one disk sync, for each voter as leader.',
  });

/** One gap of the plan's failover section: median and p90 with the trials behind them. */
const FailoverGapSchema = z
  .object({
    trials: z.number().int().openapi({ description: 'Trials behind these figures.' }),
    p50Us: z.number().int().nullable().openapi({ description: 'Nearest-rank median, µs.' }),
    p90Us: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Nearest-rank p90, µs; null below 20 trials or when it falls on an unrecovered trial.' }),
    unrecovered: z.number().int().openapi({ description: 'Trials in which it had not come back by the horizon.' }),
    withheld: z
      .object({
        p50: z.enum(['too-few-trials', 'censored']).optional(),
        p90: z.enum(['too-few-trials', 'censored']).optional(),
      })
      .openapi({ description: 'For each null percentile, why.' }),
  })
  .openapi('FailoverGap');

export const PlanSchema = z
  .object({
    topology: z.enum(['stacked', 'external']),
    platform: z.enum(['local', 'self-managed', 'hosted']),
    sizingApplies: z
      .boolean()
      .openapi({ description: 'False on a hosted platform: the provider sizes etcd, and the figures are null.' }),
    etcdVersion: z.enum(etcdVersions),
    voters: z.number().int(),
    learners: z.number().int(),
    learnerLimit: z.number().int(),
    quorum: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Votes needed: floor(voters/2)+1. Null on a hosted platform.' }),
    tolerableFailures: z.number().int().nullable().openapi({
      description:
        'etcd voters that can be lost while etcd keeps quorum: voters − quorum. Not the same as the host failures the whole cluster (etcd, apiservers, controllers) survives, which is failureDomains.arbitraryHostFailures.cluster.tolerated; the summary states both. Null on a hosted platform.',
    }),
    placement: z.object({
      zones: z.array(
        z.object({
          zone: z.string(),
          controlPlaneNodes: z.array(z.string()),
          etcdVoters: z.array(z.string()),
          etcdLearners: z.array(z.string()),
        }),
      ),
      controlPlaneNodes: z.array(
        z.object({
          name: z.string(),
          zone: z.string(),
          address: z.string().optional(),
          etcdMember: z.string().optional(),
        }),
      ),
      etcdMembers: z.array(
        z.object({
          name: z.string(),
          zone: z.string(),
          host: z.string(),
          learner: z.boolean(),
          address: z.string().optional(),
        }),
      ),
    }),
    failureDomains: z
      .object({
        hosts: z.array(HostLossSchema),
        zones: z.array(ZoneLossSchema),
        worstZoneLoss: orNull(ZoneLossSchema),
        arbitraryHostFailures: z.object({
          hostCount: z.number().int().openapi({ description: 'How many hosts (failureDomains.hosts lists them).' }),
          byCapability: z.object({
            etcdQuorum: ToleranceSchema,
            apiServer: ToleranceSchema,
            controllerLeaders: ToleranceSchema,
          }),
          cluster: ToleranceSchema,
          setsExamined: z.number().int(),
          exact: z.boolean(),
        }),
      })
      .nullable(),
    comparison: z.object({ stacked: TopologySideSchema, external: TopologySideSchema, note: z.string() }).nullable(),
    writeLatency: orNull(WriteLatencySchema),
    findings: z.array(FindingSchema),
    summary: z.string().openapi({ description: 'A few sentences with the numbers, to quote as is.' }),
    failover: z
      .object({
        seed: z.number().int().openapi({
          description:
            "The section's base seed (the same for every plan): each case's trials are seeded from it and the case's canonical simulation input, so equal losses get equal figures.",
        }),
        trialsPerCase: z.number().int().openapi({
          description:
            'Seeded trials behind each case: 20, the fewest that support a p90; every gap repeats it as `trials`.',
        }),
        horizonMs: z.number(),
        assumptions: z.array(z.string()),
        cases: z.array(
          z
            .object({
              loss: z.enum(['node', 'zone']),
              name: z.string(),
              hosts: z.array(z.string()),
              gaps: z.object(
                Object.fromEntries(
                  ['etcdWrites', 'apiReads', 'apiWrites', 'controllerManagerLeader', 'schedulerLeader'].map((k) => [
                    k,
                    FailoverGapSchema,
                  ]),
                ),
              ),
              fullRecovery: FailoverGapSchema,
              summary: z.string(),
            })
            .openapi('FailoverCase'),
        ),
      })
      .nullable()
      .optional()
      .openapi({
        description:
          'POST /v1/plans unless `"failover": false`: for each single-node and single-zone loss, the expected gaps (p50/p90, µs) of etcd writes, API reads and writes through the load balancer and both leaderships, from 20 seeded trials per distinct loss of etcd and the control plane, each gap with the trials behind it (POST /v1/simulations with kind control-plane for more trials and the timelines). Losses that are the same up to names (identical hosts in identical zones, a zone with one host and that host) share one simulation and its figures. Null with `"failover": false`, on a hosted platform, when the timings would keep etcd or client-go from starting, and, when `failover` is left out, when the section would exceed maxFailoverSectionEvents or a load-balancer or leader-election duration is finer than the 1 µs clock of the simulation; with `"failover": true` those two are a 400 naming the field or the limit.',
      }),
    links: z
      .object({
        config: z
          .string()
          .openapi({ example: '/v1/config', description: 'POST the same body here for the configuration.' }),
        simulations: z.string().openapi({
          example: '/v1/simulations',
          description:
            'POST the same body here wrapped as `cluster`, {"cluster": <this body>}, for simulated failover timelines (add `kind`, `faults`, `trials` beside it).',
        }),
      })
      .openapi({
        description:
          'Where this body goes next: as is to /v1/config; as {"cluster": <this body>} to /v1/simulations (its own fields, such as kind and faults, sit beside cluster).',
      }),
  })
  .openapi('Plan');

const RecommendationSchema = z
  .object({
    rank: z.number().int(),
    topology: z.enum(['stacked', 'external']),
    voters: z.number().int(),
    controlPlaneNodeCount: z.number().int().openapi({
      description: 'How many control-plane nodes (the plan lists them in plan.placement.controlPlaneNodes).',
    }),
    hostCount: z.number().int().openapi({ description: 'Control-plane nodes plus dedicated etcd hosts.' }),
    placement: z.array(
      z
        .object({ zone: z.string(), etcdVoterCount: z.number().int(), controlPlaneNodeCount: z.number().int() })
        .openapi({
          description:
            'Counts per zone. The plan (plan.placement.zones) lists the same members by name in etcdVoters and controlPlaneNodes.',
        }),
    ),
    etcd: z.object({
      heartbeatIntervalMs: z.number().int(),
      electionTimeoutMs: z.number().int(),
      maxVoterRttMs: z.number(),
      withinGuide: z.boolean(),
      rationale: z.string(),
    }),
    rationale: z.string(),
    proposal: ProposalInputSchema.openapi({
      description:
        'The proposal as a request body: POST it as is to /v1/plans or /v1/config; for /v1/simulations send it as `cluster`: {"cluster": <this proposal>}.',
    }),
    plan: PlanSchema.omit({ links: true }),
  })
  .openapi('Recommendation');

export const RecommendationAnswerSchema = z
  .object({
    feasible: z.boolean(),
    recommendations: z.array(RecommendationSchema).openapi({
      description: 'Ranked: fewest hosts, then lowest worst-case write latency, then stacked before external.',
    }),
    reasons: z
      .array(z.object({ code: z.string(), message: z.string() }))
      .openapi({ description: 'Why nothing fits (empty when feasible).' }),
    alternatives: z
      .array(
        z.object({
          relaxes: z.enum(['zoneLoss', 'zones', 'maxHosts', 'nodeFailures', 'topology']),
          description: z.string(),
          recommendation: RecommendationSchema,
        }),
      )
      .openapi({ description: 'When nothing fits: the closest proposals, each relaxing one requirement.' }),
    summary: z.string(),
  })
  .openapi('RecommendationAnswer');
