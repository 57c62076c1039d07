/**
 * @module routes/simulations
 * POST /v1/simulations: runs the election engine on a cluster and a fault scenario. The request's `kind` picks
 * a handler from `simulationKinds`; each kind turns the validated body into engine inputs and an answer, so a
 * new layer (the control plane above etcd) adds one entry and its schema fields, and touches nothing else.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { isProviderRun } from '../../domain/hosted.js';
import { refusedAtStartCodes, timingFindings } from '../../domain/timing-rules.js';
import type { Proposal } from '../../domain/proposal.js';
import { hashString } from '../../domain/random.js';
import type { ElectionConfig } from '../../domain/simulation/election-config.js';
import {
  type ElectionSetup,
  electionSetup,
  plainClusterProposal,
  type SetupError,
} from '../../domain/simulation/election-setup.js';
import { presetSetup, raftPaperFields, raftPaperScenario } from '../../domain/simulation/presets.js';
import { runElectionSimulation } from '../../domain/simulation/run-simulation.js';
import { WorkBudget, WorkBudgetExceeded } from '../../domain/simulation/work-budget.js';
import { targetNameErrors } from '../../domain/simulation/target-names.js';
import type { Fault, Scenario } from '../../domain/simulation/scenario.js';
import type { AppEnv } from '../app-env.js';
import { limits } from '../limits.js';
import { normalizationProblemErrors, parseProposal } from '../parse-proposal.js';
import { problemResponse, type ProblemError } from '../problem.js';
import { requestBudget } from '../request-work.js';
import { errorResponses, jsonWithLazyExample, postErrorStatuses } from '../schemas/common.js';
import {
  ControlPlaneSimulationAnswerSchema,
  SimulationAnswerSchema,
  SimulationRequestSchema,
  type SimulationRequest,
} from '../schemas/simulation.js';
import { validationDetail } from '../validation.js';
import { simulationAnswerResponse } from '../render/answer-response.js';
import { svgContent, svgNegotiationNote } from '../render/negotiate.js';
import { controlPlaneSimulation, hostedSimulationRefusal } from './simulations-control-plane.js';

/** JSON with sorted keys: the canonical form of a request, hashed into its default seed. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The seed of a request without one: a hash of the canonical request, so equal requests get equal answers. */
function derivedSeed(body: SimulationRequest): number {
  const { seed: _seed, ...rest } = body;
  return hashString(canonicalJson(rest));
}

function invalid(c: Context, errors: ProblemError[]): Response {
  return problemResponse(c, 'validation', 400, validationDetail(errors), { errors });
}

const err = (pointer: string, detail: string): ProblemError => ({ pointer, location: 'body', detail });

const setupErrors = (errors: readonly SetupError[]): ProblemError[] => errors.map((e) => err(e.pointer, e.detail));

/** The cluster and timing the engine runs (domain: election-setup.ts, presets.ts), or the 400 that prevents it. */
function buildConfig(
  c: Context,
  body: SimulationRequest,
): (ElectionSetup & { ok: true }) | { ok: false; response: Response } {
  if (body.preset !== undefined) {
    const setup = presetSetup(body);
    return setup.ok ? setup : { ok: false, response: invalid(c, setupErrors(setup.errors)) };
  }
  let proposal: Proposal;
  if (body.cluster !== undefined) {
    const simple = (['members', 'learners', 'etcd', 'rttMs'] as const).filter((k) => body[k] !== undefined);
    if (simple.length > 0)
      return {
        ok: false,
        response: invalid(
          c,
          simple.map((k) =>
            err(
              `/${k}`,
              'Give either `cluster` or `members` (with learners, etcd, rttMs), not both; with `cluster`, set these inside it.',
            ),
          ),
        ),
      };
    const parsed = parseProposal(c, body.cluster, '/cluster');
    if (!parsed.ok) return parsed;
    proposal = parsed.proposal;
    // Issue 11: the provider runs a hosted cluster's etcd, so its elections are not simulated as if the user ran it.
    if (isProviderRun(proposal))
      return { ok: false, response: invalid(c, [err('/cluster/platform', hostedSimulationRefusal)]) };
    // Flags etcd refuses at start: /v1/config calls this cluster unstartable, so there is no election to simulate.
    // (The `members` form stays an engine experiment and may run timings etcd's flags cannot express.)
    const refused = timingFindings(proposal, '/cluster').filter(
      (finding) => refusedAtStartCodes.has(finding.code) && finding.code.startsWith('ETCD_'),
    );
    if (refused.length > 0)
      return {
        ok: false,
        response: invalid(
          c,
          refused.map((finding) => err(finding.pointers[0] ?? '/cluster/etcd', finding.message)),
        ),
      };
    if (proposal.etcdMembers.length > limits.maxSimulationMembers) {
      return {
        ok: false,
        response: invalid(c, [
          err(
            '/cluster',
            `The cluster has ${proposal.etcdMembers.length} etcd members; a simulation takes at most ${limits.maxSimulationMembers} (the limit maxSimulationMembers).`,
          ),
        ]),
      };
    }
  } else {
    if ((body.members ?? 3) + (body.learners ?? 0) > limits.maxSimulationMembers) {
      return {
        ok: false,
        response: invalid(c, [
          err(
            '/learners',
            `members + learners must be at most ${limits.maxSimulationMembers} (the limit maxSimulationMembers).`,
          ),
        ]),
      };
    }
    const result = plainClusterProposal(body);
    if (!result.ok) return { ok: false, response: invalid(c, normalizationProblemErrors(result.errors)) };
    proposal = result.proposal;
  }
  const setup = electionSetup(proposal, body, body.cluster !== undefined ? '/cluster/etcd' : '/etcd');
  return setup.ok ? setup : { ok: false, response: invalid(c, setupErrors(setup.errors)) };
}

/** The scenario with its defaults, or errors naming the fault fields that refer to nothing. */
function buildScenario(
  c: Context,
  body: SimulationRequest,
  config: ElectionConfig,
): { ok: true; scenario: Scenario } | { ok: false; response: Response } {
  const timing = config.timing;
  const heartbeatMs = timing.heartbeatIntervalMs;
  const electionMs = timing.model === 'etcd' ? timing.electionTimeoutMs : timing.electionTimeoutMaxMs;
  if (body.preset === 'raft-paper-figure16' && body.scenario === undefined) {
    return { ok: true, scenario: raftPaperScenario(body.presetTimeoutMs?.minMs ?? 150, 10_000) };
  }
  // Within one heartbeat, but no later than any fault may be (a heartbeat of minutes would break the answer's schema).
  const withinMs = Math.min(heartbeatMs, limits.maxSimulationHorizonMs);
  const faults: Fault[] = body.scenario?.faults ?? [
    { type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs } },
  ];
  const horizonMs =
    body.scenario?.horizonMs ?? Math.min(limits.maxSimulationHorizonMs, Math.max(10_000, 10 * electionMs));
  // The cluster of this kind is its etcd members: their names, their hosts and their zones.
  const names = {
    members: config.members.map((m) => m.name),
    hosts: config.members.map((m) => m.host),
    zones: config.members.map((m) => m.zone),
  };
  const errors = targetNameErrors(names, faults).map((e) => err(`/scenario/faults/${e.path.join('/')}`, e.message));
  if (errors.length > 0) return { ok: false, response: invalid(c, errors) };
  return { ok: true, scenario: { faults, horizonMs } };
}

/** Runs the engine and shapes the answer (shared by the handler and the documented example). */
function electionAnswer(input: {
  setup: ElectionSetup & { ok: true };
  scenario: Scenario;
  seed: number;
  trials: number;
  includeTimeline: boolean;
  includeSamples: boolean;
  start: 'steady' | 'bootstrap';
  preset?: SimulationRequest['preset'];
  presetTimeoutMs?: SimulationRequest['presetTimeoutMs'];
  budget?: WorkBudget;
}) {
  const { setup, scenario, seed, trials, start } = input;
  const config = setup.config;
  const output = runElectionSimulation({
    config,
    scenario,
    trials,
    seed,
    includeTimeline: input.includeTimeline,
    includeSamples: input.includeSamples,
    maxEventsPerTrial: limits.maxSimulationEventsPerTrial,
    budget: input.budget ?? new WorkBudget(limits.maxSimulationEvents),
    maxTimelineEntries: limits.maxSimulationTimelineEntries,
  });
  const timing = config.timing;
  return {
    kind: 'etcd-election' as const,
    seed,
    trials,
    model: timing.model,
    ...(input.preset
      ? {
          preset: input.preset,
          presetFields: raftPaperFields(input.presetTimeoutMs?.minMs ?? 150, input.presetTimeoutMs?.maxMs ?? 300),
        }
      : {}),
    cluster: {
      members: config.members.map((m) => ({ name: m.name, zone: m.zone, learner: m.learner })),
      voters: setup.voters,
      quorum: setup.quorum,
      timing:
        timing.model === 'etcd'
          ? {
              model: 'etcd',
              heartbeatIntervalMs: timing.heartbeatIntervalMs,
              electionTimeoutMs: timing.electionTimeoutMs,
              electionTicks: Math.floor(timing.electionTimeoutMs / timing.heartbeatIntervalMs),
              preVote: timing.preVote,
              checkQuorum: true,
            }
          : { ...timing },
      diskSyncMs: config.network.diskSyncUs / 1000,
      networkModel: setup.network,
    },
    scenario: { faults: scenario.faults, horizonMs: scenario.horizonMs, start },
    ...output,
  };
}

/** The documented example: the default request for 3 members (one trial, seed 1). */
function exampleAnswer() {
  const request = { members: 3 };
  const proposal = plainClusterProposal(request);
  if (!proposal.ok) throw new Error('the example proposal must normalize');
  const setup = electionSetup(proposal.proposal, request, '/etcd');
  if (!setup.ok) throw new Error('the example must set up');
  const scenario: Scenario = {
    faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }],
    horizonMs: 3000,
  };
  return electionAnswer({
    setup,
    scenario,
    seed: 1,
    trials: 1,
    includeTimeline: false,
    includeSamples: false,
    start: 'steady',
  });
}

/** Handlers per simulation kind: each gets the validated body and answers. */
const simulationKinds = {
  'etcd-election': (c: Context, body: SimulationRequest): Response => {
    const cpOnly: ProblemError[] = [];
    if (body.controlPlaneOptions !== undefined)
      cpOnly.push(err('/controlPlaneOptions', 'Only with kind "control-plane".'));
    body.scenario?.faults.forEach((f, i) => {
      if (f.type !== 'partition' && f.target.kind === 'lease-holder')
        cpOnly.push(err(`/scenario/faults/${i}/target`, 'Lease holders exist only in kind "control-plane".'));
    });
    if (cpOnly.length > 0) return invalid(c, cpOnly);
    const built = buildConfig(c, body);
    if (!built.ok) return built.response;
    const config = built.config;
    const scen = buildScenario(c, body, config);
    if (!scen.ok) return scen.response;
    const start = body.scenario?.start ?? 'steady';
    config.start = start;
    const scenario = scen.scenario;
    const seed = body.seed ?? derivedSeed(body);
    const trials = body.trials ?? (body.preset ? 1000 : 1);
    if (body.includeSamples === true && trials > limits.maxSimulationSamples)
      return invalid(c, [
        err(
          '/includeSamples',
          `Per-trial samples come with at most ${limits.maxSimulationSamples} trials (the limit maxSimulationSamples); this request has ${trials}. Ask for fewer trials or leave out includeSamples.`,
        ),
      ]);
    let answer: ReturnType<typeof electionAnswer>;
    try {
      answer = electionAnswer({
        setup: built,
        scenario,
        seed,
        trials,
        includeTimeline: body.includeTimeline === true,
        includeSamples: body.includeSamples === true,
        start,
        ...(body.preset ? { preset: body.preset, presetTimeoutMs: body.presetTimeoutMs } : {}),
        budget: requestBudget(c),
      });
    } catch (error) {
      if (error instanceof WorkBudgetExceeded) {
        return invalid(c, [
          err(
            '/trials',
            `This simulation needs more than ${error.limit} simulated events (the limit ${error.limitName}; ${error.phase === 'estimate' ? `projected from its first trials, it would need about ${2 * error.events} in all` : `it stopped after ${error.events}`}). Ask for fewer trials, a shorter horizonMs or fewer members.`,
          ),
        ]);
      }
      throw error;
    }
    return simulationAnswerResponse(c, answer);
  },
  'control-plane': (c: Context, body: SimulationRequest): Response => controlPlaneSimulation(c, body, derivedSeed),
} as const;

const exampleRequest = { members: 5, etcd: { version: '3.5' }, trials: 1000 };

const postSimulationRoute = createRoute({
  method: 'post',
  path: '/v1/simulations',
  operationId: 'postSimulation',
  tags: ['Simulation'],
  summary:
    "Simulate etcd's Raft election, or the whole control plane's failover, under faults: one timeline, or distributions over seeded trials",
  description:
    "A deterministic discrete-event simulation of etcd's Raft election (etcd-io/raft with etcd's settings: ticks of the heartbeat interval on " +
    'independent phases, randomized timeouts of [ET, 2ET−1] ticks, pre-vote per version, CheckQuorum, the leader lease, log up-to-dateness, ' +
    'learners, leadership transfer on a graceful stop, initial election tick advance) or of classic Raft (`model: "classic"`). ' +
    'Give a cluster (`cluster`, the body of POST /v1/plans) or a member count (`members`), and a fault `scenario` (default: crash the leader ' +
    'at a random moment within one heartbeat interval). `trials: 1` returns the timeline with every vote and its reason; more trials return ' +
    'p50/p90/p99 distributions of the time to a new leader. The `seed` is echoed; without one it is derived from the request, so equal ' +
    'requests give byte-identical answers. `preset: "raft-paper-figure16"` reruns the Raft paper\'s §9.3 experiment. Work is bounded by ' +
    `maxSimulationMembers (${limits.maxSimulationMembers}), maxSimulationTrials (${limits.maxSimulationTrials}), maxSimulationHorizonMs (${limits.maxSimulationHorizonMs}), ` +
    `maxSimulationFaults (${limits.maxSimulationFaults}) and maxSimulationEvents (${limits.maxSimulationEvents}, checked while running; ` +
    `maxControlPlaneTrials (${limits.maxControlPlaneTrials}) and maxControlPlaneEvents (${limits.maxControlPlaneEvents}) for kind control-plane). ` +
    '`kind: "control-plane"` (with `cluster`) runs the same engine and, over its per-member write availability, kube-apiserver readiness, the ' +
    "load balancer's health checks (interval, timeout, fall/rise) and client-go lease elections of kube-controller-manager and kube-scheduler " +
    "(jittered retries, lease expiry on the candidate's own clock, RenewDeadline, ReleaseOnCancel for the scheduler): one cross-layer " +
    'timeline, per-capability availability windows (etcd writes, API reads and writes through the load balancer, each leadership), time to ' +
    `full recovery, p50/p90/p99/max gaps over trials (at most maxControlPlaneTrials = ${limits.maxControlPlaneTrials}), and stacked vs external compared.` +
    `${svgNegotiationNote}: one trial draws the failover timeline (a lane per etcd member and per capability, outages with their durations, the faults marked); more trials draw the distributions (histogram and CDF with p50/p90/p99 and the trial count; for kind control-plane the gaps per capability). GET /charts/simulation.svg gives the same picture for a URL.`,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: SimulationRequestSchema,
          examples: {
            leaderCrash: { summary: 'Crash the leader of 5 members, 1000 trials', value: exampleRequest },
            timeline: {
              summary: 'One timeline: graceful stop of the leader (leadership transfer)',
              value: {
                members: 3,
                scenario: { faults: [{ type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0 } }] },
              },
            },
            minorityLeader: {
              summary: 'Cut the leader off with one follower for 5 s (check-quorum step-down)',
              value: {
                members: 5,
                scenario: {
                  faults: [{ type: 'partition', groups: [['etcd-1', 'etcd-2']], at: { atMs: 0 }, healAfterMs: 5000 }],
                },
              },
            },
            controlPlane: {
              summary:
                'Control plane: crash the node holding the controller-manager lease (stacked, 3 zones), one timeline',
              value: {
                kind: 'control-plane',
                cluster: { topology: 'stacked', controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] } },
              },
            },
            controlPlaneCompare: {
              summary: 'Control plane: lose zone-a, 200 trials, stacked vs external',
              value: {
                kind: 'control-plane',
                cluster: { topology: 'stacked', controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] } },
                scenario: {
                  faults: [
                    { type: 'crash', target: { kind: 'zone', name: 'zone-a' }, at: { atMs: 1000, withinMs: 1000 } },
                  ],
                },
                trials: 200,
                controlPlaneOptions: {
                  compareTopologies: true,
                  initialHolders: { 'kube-controller-manager': 'cp-1', 'kube-scheduler': 'cp-1' },
                },
              },
            },
            paper: {
              summary: 'The Raft paper, Figure 16, 150–155 ms',
              value: { preset: 'raft-paper-figure16', presetTimeoutMs: { minMs: 150, maxMs: 155 }, trials: 1000 },
            },
          },
        },
      },
    },
  },
  responses: {
    200: {
      description:
        'The simulation result (its `kind` says which shape); with `Accept: image/svg+xml`, its chart: the failover timeline of one trial, or the distributions over many.',
      content: {
        'application/json': jsonWithLazyExample(
          z.union([SimulationAnswerSchema, ControlPlaneSimulationAnswerSchema]),
          exampleAnswer,
        ),
        ...svgContent('etcd failover: 3 members, one trial'),
      },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

/** The answer to a validated simulation body (POST /v1/simulations and GET /charts/simulation.svg). */
export function simulationResponse(c: Context, body: SimulationRequest): Response {
  return simulationKinds[body.kind ?? 'etcd-election'](c, body);
}

export function registerSimulationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postSimulationRoute, (c) => simulationResponse(c, c.req.valid('json')) as never);
}
