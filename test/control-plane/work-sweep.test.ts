/**
 * Bounded work (issue 14 item 1): every duration and count field of a control-plane simulation and of the
 * plan's failover section, at its schema minimum and maximum (failover on), either answers or is refused
 * with a named problem, and never processes more simulated events than maxControlPlaneEvents (the routes' budget). Work is
 * counted in events, not wall time (the machine is shared).
 */
import { describe, expect, it } from 'vitest';
import { normalizeProposal } from '../../src/domain/normalize-proposal.js';
import {
  type ControlPlaneOptions,
  failoverSection,
  runFailoverMonteCarlo,
  UnrepresentableDurationError,
} from '../../src/domain/simulation/control-plane/index.js';
import type { Scenario } from '../../src/domain/simulation/scenario.js';
import { WorkBudget, WorkBudgetExceeded } from '../../src/domain/simulation/work-budget.js';
import { limits } from '../../src/http/limits.js';
import { postJson } from '../helpers.js';

const base = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } };
const horizonMax = limits.maxSimulationHorizonMs;
/** The schema's exclusive minimum 0 (`gt(0)`) in practice: the smallest positive value anyone would send. */
const tiny = 1e-9;

/** Proposal fields (body of POST /v1/plans, `cluster` of a simulation): name → body at that value. */
const proposalVariants: [string, Record<string, unknown>][] = [
  ['controlPlane.nodes min', { ...base, controlPlane: { nodes: 1, zones: ['a'] } }],
  ['controlPlane.nodes max', { ...base, controlPlane: { nodes: limits.maxControlPlaneNodes, zones: ['a', 'b', 'c'] } }],
  ['etcd.members min (external)', { ...base, topology: 'external', etcd: { members: 1 } }],
  ['etcd.members max (external)', { ...base, topology: 'external', etcd: { members: limits.maxEtcdMembers } }],
  ['etcd.heartbeatIntervalMs min', { ...base, etcd: { heartbeatIntervalMs: 0 } }],
  ['etcd.heartbeatIntervalMs max', { ...base, etcd: { heartbeatIntervalMs: limits.maxEtcdTimingMs } }],
  ['etcd.electionTimeoutMs min', { ...base, etcd: { electionTimeoutMs: 0 } }],
  ['etcd.electionTimeoutMs max', { ...base, etcd: { electionTimeoutMs: limits.maxEtcdTimingMs } }],
  ['etcd heartbeat 1 ms, election 10 ms', { ...base, etcd: { heartbeatIntervalMs: 1, electionTimeoutMs: 10 } }],
  ['etcd.diskSyncMs min', { ...base, etcd: { diskSyncMs: 0 } }],
  ['etcd.diskSyncMs max', { ...base, etcd: { diskSyncMs: limits.maxDiskSyncMs } }],
  ['network.intraZoneRttMs max', { ...base, network: { intraZoneRttMs: limits.maxRttMs } }],
  ['network.interZoneRttMs min', { ...base, network: { interZoneRttMs: 0 } }],
  ['network.interZoneRttMs max', { ...base, network: { interZoneRttMs: limits.maxRttMs } }],
  ['leaderElection all min', { ...base, leaderElection: { leaseDurationS: 0, renewDeadlineS: 0, retryPeriodS: 0 } }],
  [
    'leaderElection 1 µs retry',
    { ...base, leaderElection: { leaseDurationS: 3e-6, renewDeadlineS: 2e-6, retryPeriodS: 1e-6 } },
  ],
  [
    'leaderElection below 1 µs',
    { ...base, leaderElection: { leaseDurationS: 3e-7, renewDeadlineS: 2e-7, retryPeriodS: 1e-7 } },
  ],
  [
    'leaderElection all max',
    {
      ...base,
      leaderElection: { leaseDurationS: limits.maxLeaderElectionS, renewDeadlineS: 3599, retryPeriodS: 2999 },
    },
  ],
  ['loadBalancer intervals min', { ...base, loadBalancer: { healthCheckIntervalS: tiny, healthCheckTimeoutS: tiny } }],
  ['loadBalancer 1 µs checks', { ...base, loadBalancer: { healthCheckIntervalS: 1e-6, healthCheckTimeoutS: 1e-6 } }],
  ['issue 14 request', { ...base, loadBalancer: { healthCheckIntervalS: 1e-6, healthCheckTimeoutS: 1e-7 } }],
  [
    'loadBalancer intervals max',
    {
      ...base,
      loadBalancer: { healthCheckIntervalS: limits.maxHealthCheckS, healthCheckTimeoutS: limits.maxHealthCheckS },
    },
  ],
  ['loadBalancer thresholds min', { ...base, loadBalancer: { unhealthyThreshold: 1, healthyThreshold: 1 } }],
  [
    'loadBalancer thresholds max',
    {
      ...base,
      loadBalancer: {
        unhealthyThreshold: limits.maxHealthCheckThreshold,
        healthyThreshold: limits.maxHealthCheckThreshold,
      },
    },
  ],
];

const crash = (atMs: number, extra: Record<string, unknown> = {}) => ({
  type: 'crash',
  target: { kind: 'node', name: 'cp-1' },
  at: { atMs },
  ...extra,
});

/** Fields of the simulation request itself (kind control-plane). */
const simulationVariants: [string, Record<string, unknown>][] = [
  ['trials max', { trials: limits.maxControlPlaneTrials }],
  // The HTTP request runs both topologies under one budget; the domain run below counts one of them.
  [
    'trials max with compareTopologies',
    { trials: limits.maxControlPlaneTrials, controlPlaneOptions: { compareTopologies: true } },
  ],
  ['scenario.horizonMs min', { scenario: { faults: [crash(0)], horizonMs: tiny } }],
  ['scenario.horizonMs max', { scenario: { faults: [crash(0)], horizonMs: horizonMax } }],
  ['fault at.atMs max', { scenario: { faults: [crash(horizonMax)], horizonMs: horizonMax } }],
  [
    'fault at.withinMs max, restartAfterMs max',
    {
      scenario: {
        faults: [crash(horizonMax, { at: { atMs: horizonMax, withinMs: horizonMax }, restartAfterMs: horizonMax })],
        horizonMs: horizonMax,
      },
    },
  ],
  ['restartAfterMs min', { scenario: { faults: [crash(0, { restartAfterMs: 0 })] } }],
  [
    'faults max',
    {
      scenario: {
        faults: Array.from({ length: limits.maxSimulationFaults }, (_, i) =>
          crash(i * 1000, { restartAfterMs: 500, target: { kind: 'lease-holder', component: 'kube-scheduler' } }),
        ),
        horizonMs: horizonMax,
      },
    },
  ],
  [
    'partition healAfterMs min and max',
    {
      scenario: {
        faults: [
          { type: 'partition', groups: [['a']], at: { atMs: 0 }, healAfterMs: 0 },
          { type: 'partition', groups: [['b']], at: { atMs: 0 }, healAfterMs: horizonMax },
        ],
        horizonMs: horizonMax,
      },
    },
  ],
  [
    'controlPlaneOptions knobs min',
    { controlPlaneOptions: { requestLatencyMs: 0, componentRestartDelayMs: 0, etcdReconnectDelayMs: 0 } },
  ],
  [
    'controlPlaneOptions knobs below 1 µs',
    { controlPlaneOptions: { requestLatencyMs: 1e-7, componentRestartDelayMs: 1e-7 } },
  ],
  [
    'controlPlaneOptions knobs max',
    {
      controlPlaneOptions: {
        requestLatencyMs: 500,
        componentRestartDelayMs: horizonMax,
        etcdReconnectDelayMs: horizonMax,
      },
    },
  ],
  ['clockRates min and max', { controlPlaneOptions: { clockRates: { 'cp-1': 0.51, 'cp-2': 1.99 } } }],
];

/** Runs what the route runs, with the route's budget; returns the events used and how it ended. */
function runDomain(body: Record<string, unknown>, request: Record<string, unknown>, failover: boolean) {
  const normalized = normalizeProposal(body as never);
  if (!normalized.ok) return { events: 0, outcome: 'invalid' };
  const budget = new WorkBudget(limits.maxControlPlaneEvents, 'maxControlPlaneEvents');
  try {
    if (failover) failoverSection(normalized.proposal, { seed: 1, budget });
    else {
      const cp = (request.controlPlaneOptions ?? {}) as ControlPlaneOptions;
      const scenario = (request.scenario ?? {
        faults: [crash(1000, { at: { atMs: 1000, withinMs: 1000 } })],
        horizonMs: 30_000,
      }) as Scenario;
      runFailoverMonteCarlo({
        proposal: normalized.proposal,
        scenario: { ...scenario, horizonMs: scenario.horizonMs ?? 30_000 },
        seed: 1,
        trials: (request.trials as number | undefined) ?? 1,
        options: cp,
        engine: { maxEventsPerTrial: limits.maxSimulationEventsPerTrial },
        budget,
      });
    }
    return { events: budget.used, outcome: 'answered' };
  } catch (error) {
    if (error instanceof WorkBudgetExceeded || error instanceof UnrepresentableDurationError)
      return { events: budget.used, outcome: error.name };
    if (error instanceof RangeError) return { events: budget.used, outcome: 'refused' };
    throw error;
  }
}

describe('every duration and count field at its schema bounds finishes within maxControlPlaneEvents', () => {
  for (const [name, body] of proposalVariants) {
    it(`plan failover section: ${name}`, async () => {
      const { events } = runDomain(body, {}, true);
      // The charge that passes the limit throws at once, and the engine stops one event past what is left.
      expect(events).toBeLessThanOrEqual(limits.maxControlPlaneEvents + 1);
      const res = await postJson('/v1/plans', { ...body, failover: true });
      expect([200, 400], `${name}: ${await res.clone().text()}`).toContain(res.status);
    });
  }

  for (const [name, extra] of [
    ...proposalVariants.map(([n, b]) => [n, { cluster: b }] as const),
    ...simulationVariants,
  ]) {
    it(`control-plane simulation: ${name}`, async () => {
      const request: Record<string, unknown> = Object.assign({ kind: 'control-plane', seed: 1, cluster: base }, extra);
      const { events } = runDomain(request.cluster as Record<string, unknown>, request, false);
      expect(events).toBeLessThanOrEqual(limits.maxControlPlaneEvents + 1);
      const res = await postJson('/v1/simulations', request);
      expect([200, 400], `${name}: ${await res.clone().text()}`).toContain(res.status);
    });
  }
});
