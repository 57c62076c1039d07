/**
 * @module tuning/tuning-job
 * A tuning job as plain data: what was asked (TuningInput, JSON all the way so it can travel through a
 * Workflow's event and a worker thread's message), the grid points it expands to, and the steps that do the
 * work. Every step is a pure function of (input, step): seeded by the job's seed and the step's own label,
 * so a retried or re-run step returns the same result, whatever machine runs it and in whatever order.
 */
import { normalizeProposal } from '../normalize-proposal.js';
import type { Proposal } from '../proposal.js';
import type { ProposalInput } from '../proposal-input.js';
import { electionConfigFromProposal } from '../simulation/election-config.js';
import { ElectionEngine } from '../simulation/election-engine.js';
import type { Scenario } from '../simulation/scenario.js';
import { Random } from '../random.js';
import { timingFindings, timingsStartable } from '../timing-rules.js';
import { zoneRttMs } from '../proposal.js';
import type { Disturbance } from './disturbance.js';
import { estimateBySplitting, type SplittingResult } from './splitting.js';
import type { SteadyClusterConfig } from './steady-cluster.js';

interface TuningObjective {
  /** Failover (leader crash → new leader) p99 at most this, ms. */
  failoverP99Ms: number;
  /** Spurious elections per cluster-year at most this (judged on the upper confidence bound). */
  spuriousPerClusterYear: number;
}

export interface TuningGrid {
  heartbeatIntervalMs: number[];
  electionTimeoutMs: number[];
  preVote: boolean[];
}

export interface TuningInput {
  cluster: ProposalInput;
  disturbance: Disturbance;
  objective: TuningObjective;
  grid: TuningGrid;
  /** Leader-crash trials per grid point. */
  failoverTrials: number;
  /** Independent steady replications per grid point (each its own tick phases and timeouts). */
  steadyReplications: number;
  /** Steady time simulated directly per replication, hours (splitting then climbs from there). */
  steadyHoursPerReplication: number;
  /** Restarts per splitting level. */
  splittingEffort: number;
  seed: number;
}

export interface GridPoint {
  index: number;
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  preVote: boolean;
}

/** Grid points in a fixed order: heartbeat, then election timeout, then pre-vote (false before true). */
export function gridPoints(grid: TuningGrid): GridPoint[] {
  const points: GridPoint[] = [];
  const preVotes = [...new Set(grid.preVote)].sort((a, b) => Number(a) - Number(b));
  const heartbeats = [...new Set(grid.heartbeatIntervalMs)].sort((a, b) => a - b);
  const elections = [...new Set(grid.electionTimeoutMs)].sort((a, b) => a - b);
  for (const heartbeatIntervalMs of heartbeats)
    for (const electionTimeoutMs of elections)
      for (const preVote of preVotes)
        points.push({ index: points.length, heartbeatIntervalMs, electionTimeoutMs, preVote });
  return points;
}

/** The cluster with a grid point's flags on every member. */
export function proposalAt(input: TuningInput, point: GridPoint): Proposal {
  const result = normalizeProposal({
    ...input.cluster,
    etcd: {
      ...input.cluster.etcd,
      heartbeatIntervalMs: point.heartbeatIntervalMs,
      electionTimeoutMs: point.electionTimeoutMs,
      preVote: point.preVote,
    },
  });
  if (!result.ok) throw new RangeError(`the cluster does not normalize: ${result.errors[0]?.detail}`);
  const proposal = result.proposal;
  // Per-member overrides would hide the grid point's values; the tuner sets them cluster-wide.
  return {
    ...proposal,
    etcdMembers: proposal.etcdMembers.map(({ heartbeatIntervalMs: _h, electionTimeoutMs: _e, ...m }) => m),
  };
}

/** etcd's own verdict on the flags (timing-rules.ts): refused at start, or the tuning guide's warnings. */
export function etcdVerdict(proposal: Proposal): { accepts: boolean; findings: { code: string; message: string }[] } {
  const findings = timingFindings(proposal).filter((f) => f.code.startsWith('ETCD_'));
  return {
    accepts: timingsStartable(findings),
    findings: findings.map(({ code, message }) => ({ code, message })),
  };
}

export type TuningStep =
  | { kind: 'failover'; point: number; first: number; count: number }
  | { kind: 'steady'; point: number; replication: number };

export type StepResult =
  | { kind: 'failover'; point: number; first: number; count: number; newLeaderUs: (number | null)[]; events: number }
  | ({ kind: 'steady'; point: number; replication: number } & SplittingResult);

export interface StepLimits {
  failoverTrialsPerStep: number;
  maxEventsPerStep: number;
}

/** The steps of a job: for each point etcd accepts, its failover chunks, then its steady replications. */
export function planSteps(input: TuningInput, stepLimits: StepLimits): TuningStep[] {
  const steps: TuningStep[] = [];
  for (const point of gridPoints(input.grid)) {
    if (!etcdVerdict(proposalAt(input, point)).accepts) continue;
    for (let first = 0; first < input.failoverTrials; first += stepLimits.failoverTrialsPerStep)
      steps.push({
        kind: 'failover',
        point: point.index,
        first,
        count: Math.min(stepLimits.failoverTrialsPerStep, input.failoverTrials - first),
      });
    for (let replication = 0; replication < input.steadyReplications; replication++)
      steps.push({ kind: 'steady', point: point.index, replication });
  }
  return steps;
}

/** A step's name, unique in its job: the Workflow step name and the storage key. */
export function stepName(step: TuningStep): string {
  return step.kind === 'failover'
    ? `point-${step.point}-failover-${step.first}`
    : `point-${step.point}-steady-${step.replication}`;
}

/** Runs one step. Pure: the same (input, step) gives the same result. */
export function runStep(input: TuningInput, step: TuningStep, stepLimits: StepLimits): StepResult {
  const point = gridPoints(input.grid)[step.point];
  if (!point) throw new RangeError(`no grid point ${step.point}`);
  const proposal = proposalAt(input, point);
  if (step.kind === 'failover') return runFailoverStep(input, proposal, point, step, stepLimits);
  const result = estimateBySplitting(steadyClusterConfig(input, proposal, point), {
    seed: input.seed,
    label: `steady:${step.point}:${step.replication}`,
    horizonUs: input.steadyHoursPerReplication * 3_600_000_000,
    effort: input.splittingEffort,
    maxEvents: stepLimits.maxEventsPerStep,
  });
  return { kind: 'steady', point: step.point, replication: step.replication, ...result };
}

/** A leader crash at a uniformly random moment within one heartbeat, on a steady cluster (the engine). */
function runFailoverStep(
  input: TuningInput,
  proposal: Proposal,
  point: GridPoint,
  step: Extract<TuningStep, { kind: 'failover' }>,
  stepLimits: StepLimits,
): StepResult {
  const d = input.disturbance;
  const config = electionConfigFromProposal(proposal, {
    jitterFraction: d.jitterFraction,
    lossProbability: d.lossProbability,
    diskSyncMs: d.diskSyncMs,
    preVote: point.preVote,
  });
  config.network.diskSyncJitterUs = Math.round(d.diskSyncJitterMs * 1000);
  const scenario: Scenario = {
    faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: point.heartbeatIntervalMs } }],
    horizonMs: failoverHorizonMs(point),
  };
  const engine = new ElectionEngine(config, scenario);
  const newLeaderUs: (number | null)[] = [];
  const maxEvents = Math.max(1, Math.floor(stepLimits.maxEventsPerStep / Math.max(1, step.count)));
  let events = 0;
  for (let t = step.first; t < step.first + step.count; t++) {
    const seed = input.seed;
    const trial = engine.run(Random.derive(seed, `failover:${step.point}:${t}`), {
      stopWhenSettled: true,
      metricsOnly: true,
      maxEvents,
      seed,
      trialIndex: t,
    });
    events += trial.metrics.events;
    newLeaderUs.push(trial.metrics.newLeaderAfterUs);
  }
  return { kind: 'failover', point: step.point, first: step.first, count: step.count, newLeaderUs, events };
}

/** Long enough for many election rounds: 20 election timeouts, at least 10 s. */
export function failoverHorizonMs(point: GridPoint): number {
  return Math.max(10_000, 20 * point.electionTimeoutMs);
}

/** The steady model's view of the cluster: its voters (the first one leads) and their one-way latencies. */
function steadyClusterConfig(input: TuningInput, proposal: Proposal, point: GridPoint): SteadyClusterConfig {
  const voters = proposal.etcdMembers.filter((m) => !m.learner);
  return {
    oneWayUs: voters.map((a) =>
      voters.map((b) => (a === b ? 0 : Math.round((zoneRttMs(proposal.network, a.zone, b.zone) * 1000) / 2))),
    ),
    heartbeatIntervalMs: point.heartbeatIntervalMs,
    electionTimeoutMs: point.electionTimeoutMs,
    preVote: point.preVote,
    disturbance: input.disturbance,
  };
}
