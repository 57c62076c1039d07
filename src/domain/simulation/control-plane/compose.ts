/**
 * @module simulation/control-plane/compose
 * Runs the two layers together: the etcd election engine for a trial, then the control-plane layer over its
 * report, with the same faults at the same moments.
 *
 * How the layers are kept in step:
 * - Fault moments: drawn once per trial here (from the trial's seed); the engine gets the scenario with those
 *   exact moments (no `withinMs` left to draw), the control-plane layer gets the same numbers.
 * - `lease-holder` targets: the engine cannot know lease holders, so they are rewritten to the holder's node
 *   (the holder at the trial's start: exact unless an earlier fault moved the lease) for both layers; in the
 *   stacked topology the node's etcd member then goes down with it.
 * - `etcd-leader` targets: the engine reports which member it hit; the control-plane layer looks it up.
 */
import type { Proposal } from '../../proposal.js';
import { Random } from '../../random.js';
import { electionConfigFromProposal } from '../election-config.js';
import { ElectionEngine, scenarioEndUs } from '../election-engine.js';
import { expectTrialsFit } from './cost.js';
import type { EtcdServiceTimeline, IntervalUs } from '../availability.js';
import type { Fault, Scenario } from '../scenario.js';
import type { TimelineEntry as EngineTimelineEntry } from '../timeline.js';
import { drawFaultTimesUs } from './faults.js';
import {
  buildModel,
  leaderElectionErrors,
  type ControlPlaneModel,
  type ControlPlaneOptions,
  type LeaseComponent,
} from './model.js';
import { planFailover, type DistributionStore, type FailoverPlan } from './failover-plan.js';
import {
  runControlPlaneMonteCarlo,
  type ControlPlaneMonteCarloResult,
  type EtcdTrial,
  type EtcdTrialRequest,
} from './monte-carlo.js';
import { resolveInitialHolders, runControlPlaneTrial, type ControlPlaneTrialResult } from './trial.js';
import { timingFindings, timingsStartable } from '../../timing-rules.js';
import { isProviderRun } from '../../hosted.js';
import { type CostDriver, WorkBudget } from '../work-budget.js';
import { percentileMinTrials } from '../../statistics.js';

const etcdDriver: CostDriver = { what: 'etcd election engine events' };

/** The scenario with lease-holder targets replaced by the holders' nodes. */
function resolveLeaseHolderTargets(scenario: Scenario, holders: Record<LeaseComponent, string>): Scenario {
  const faults = scenario.faults.map((fault): Fault => {
    if (fault.type === 'partition' || fault.target.kind !== 'lease-holder') return fault;
    return { ...fault, target: { kind: 'node', name: holders[fault.target.component] } };
  });
  return { ...scenario, faults };
}

/** The scenario with every fault at an exact moment (µs → ms, fractional), so a layer that draws draws nothing. */
function pinFaultTimes(scenario: Scenario, faultTimesUs: readonly number[]): Scenario {
  return {
    ...scenario,
    faults: scenario.faults.map((fault, i) => ({ ...fault, at: { atMs: faultTimesUs[i]! / 1000 } })),
  };
}

interface EngineLayerOptions {
  /** Per-trial event cap of the engine. */
  maxEventsPerTrial?: number;
  jitterFraction?: number;
  /**
   * Stop the engine once every fault has happened and etcd has settled, and carry its final state to the
   * horizon: the same report for far fewer events (not valid with message loss, which this layer never sets).
   */
  stopWhenSettled?: boolean;
  /**
   * Run the engine only this long after the last fault and carry its final state to the scenario's horizon
   * (etcd settles within seconds; the lease layers need tens). Only for scenarios whose faults are all over by
   * then and that cannot change afterwards (crashes without restart, as the plan's failover section uses).
   */
  etcdHorizonMs?: number;
  /** Keep the engine's own timeline (member states, votes) of the trial: the failover chart draws it. */
  recordTimeline?: boolean;
  /** Every engine event is charged here; the engine stops at what is left. Default: unlimited. */
  budget?: WorkBudget;
}

/** Carries a report that stopped early to the horizon: what was writable at its end stays writable. */
function extendReport(report: EtcdServiceTimeline, horizonUs: number): EtcdServiceTimeline {
  if (report.horizonUs >= horizonUs) return report;
  const extend = (list: IntervalUs[]): IntervalUs[] =>
    list.map((i) => (i.endUs === report.horizonUs ? { startUs: i.startUs, endUs: horizonUs } : i));
  const writableThrough: Record<string, IntervalUs[]> = {};
  for (const [member, list] of Object.entries(report.writableThrough)) writableThrough[member] = extend(list);
  return { horizonUs, writableThrough, clusterWritable: extend(report.clusterWritable) };
}

/**
 * The etcd layer for one scenario, as the control-plane Monte Carlo asks for it: each trial runs the election
 * engine on the proposal's etcd members with the trial's fault moments pinned.
 */
function engineEtcdLayer(
  proposal: Proposal,
  scenario: Scenario,
  options: EngineLayerOptions = {},
): (request: EtcdTrialRequest) => EtcdTrial & { events: number; memberTimeline?: EngineTimelineEntry[] } {
  const config = electionConfigFromProposal(proposal, { jitterFraction: options.jitterFraction ?? 0.1 });
  const budget = options.budget ?? WorkBudget.unlimited();
  return (request) => {
    const pinned = pinFaultTimes(scenario, request.faultTimesUs);
    const short =
      options.etcdHorizonMs !== undefined
        ? { ...pinned, horizonMs: Math.min(pinned.horizonMs, options.etcdHorizonMs) }
        : pinned;
    // The engine stops one event past what the budget has left, so the charge below is the hard stop.
    const maxEvents = Math.min(options.maxEventsPerTrial ?? Number.POSITIVE_INFINITY, budget.remaining + 1);
    const trial = new ElectionEngine(config, short).run(Random.derive(request.seed, 'etcd'), {
      recordService: true,
      recordTimeline: options.recordTimeline ?? false,
      stopWhenSettled: options.stopWhenSettled ?? false,
      ...(Number.isFinite(maxEvents) ? { maxEvents } : {}),
      seed: request.seed,
      trialIndex: request.trial,
    });
    budget.charge(trial.metrics.events, etcdDriver);
    const leaderHits = trial.faults.filter((f) => f.detail === 'the etcd leader' && f.members.length > 0);
    return {
      timeline: extendReport(trial.service!, scenarioEndUs(pinned)),
      faultTimesUs: request.faultTimesUs,
      etcdLeaderAt: (timeUs) => leaderHits.find((f) => f.timeUs === timeUs)?.members[0],
      events: trial.metrics.events,
      ...(trial.timeline ? { memberTimeline: trial.timeline } : {}),
    };
  };
}

/**
 * The etcd layer for a scenario whose faults hit no etcd member (an external cluster losing a control-plane
 * node): etcd keeps serving through every member, so the engine would simulate a steady cluster for nothing.
 */
function untouchedEtcdLayer(
  proposal: Proposal,
  scenario: Scenario,
): (request: EtcdTrialRequest) => EtcdTrial & { events: number } {
  return (request) => {
    const horizonUs = scenarioEndUs(pinFaultTimes(scenario, request.faultTimesUs));
    const always = (): IntervalUs[] => [{ startUs: 0, endUs: horizonUs }];
    const writableThrough: Record<string, IntervalUs[]> = {};
    for (const m of proposal.etcdMembers) if (!m.learner) writableThrough[m.name] = always();
    return { timeline: { horizonUs, writableThrough, clusterWritable: always() }, events: 0 };
  };
}

/** Whether any fault of the scenario (crashes and stops of nodes or zones only) takes an etcd member down. */
function hitsEtcd(proposal: Proposal, scenario: Scenario): boolean {
  return scenario.faults.some((fault) => {
    if (fault.type === 'partition') return true;
    const t = fault.target;
    if (t.kind === 'node') return proposal.etcdMembers.some((m) => m.host === t.name);
    if (t.kind === 'zone') return proposal.etcdMembers.some((m) => m.zone === t.name);
    return true;
  });
}

export interface FailoverSimulationInput {
  proposal: Proposal;
  scenario: Scenario;
  seed: number;
  options?: ControlPlaneOptions;
  engine?: EngineLayerOptions;
  /** One budget for both layers. Default: unlimited. */
  budget?: WorkBudget;
}

/** One trial of both layers: the control-plane result (timeline, windows, summary) over the engine's run. */
export function runFailoverTrial(input: FailoverSimulationInput): {
  model: ControlPlaneModel;
  scenario: Scenario;
  result: ControlPlaneTrialResult;
  etcdEvents: number;
  /** With engine.recordTimeline: the engine's timeline of this trial. */
  etcdTimeline?: EngineTimelineEntry[];
} {
  const model = buildModel(input.proposal, input.options);
  const holders = resolveInitialHolders(model, input.seed);
  const scenario = resolveLeaseHolderTargets(input.scenario, holders);
  const faultTimesUs = drawFaultTimesUs(scenario, Random.derive(input.seed, 'fault-times'));
  const budget = input.budget ?? WorkBudget.unlimited();
  // The control-plane estimate first: refusing it costs nothing, the etcd trial does not.
  expectTrialsFit(model, scenarioEndUs(scenario), 1, budget);
  const layer = engineEtcdLayer(input.proposal, scenario, { ...input.engine, budget });
  const etcd = layer({ trial: 0, seed: input.seed, faultTimesUs });
  const result = runControlPlaneTrial({
    model,
    scenario,
    etcd: etcd.timeline,
    seed: input.seed,
    budget,
    estimateChecked: true,
    faultTimesUs,
    ...(etcd.etcdLeaderAt ? { etcdLeaderAt: etcd.etcdLeaderAt } : {}),
  });
  return {
    model,
    scenario,
    result,
    etcdEvents: etcd.events,
    ...(etcd.memberTimeline ? { etcdTimeline: etcd.memberTimeline } : {}),
  };
}

/**
 * Monte Carlo over both layers. Lease holders are fixed for the run (given in options, or drawn once from the
 * seed) so that `lease-holder` targets name one node for every trial.
 */
export function runFailoverMonteCarlo(input: FailoverSimulationInput & { trials: number }): {
  scenario: Scenario;
  result: ControlPlaneMonteCarloResult;
  etcdEvents: number;
} {
  const draft = buildModel(input.proposal, input.options);
  const holders = resolveInitialHolders(draft, input.seed);
  const model = buildModel(input.proposal, { ...input.options, initialHolders: holders });
  const scenario = resolveLeaseHolderTargets(input.scenario, holders);
  const budget = input.budget ?? WorkBudget.unlimited();
  const layer = engineEtcdLayer(input.proposal, scenario, { ...input.engine, budget });
  let etcdEvents = 0;
  const result = runControlPlaneMonteCarlo({
    model,
    scenario,
    trials: input.trials,
    seed: input.seed,
    budget,
    etcdTrial: (request) => {
      const answer = layer(request);
      etcdEvents += answer.events;
      return answer;
    },
  });
  return { scenario, result, etcdEvents };
}

/** Trials per loss case of the plan's failover section: the fewest that support a p90 (statistics.ts). */
export const failoverTrialsPerCase = percentileMinTrials.p90;

/**
 * The plan answer's failover section with the real etcd engine: `trialsPerCase` trials (default 20, enough for a
 * p90) for every distinct single-node and single-zone loss. The engine runs until etcd has settled (10 election
 * timeouts, at least 5 s, after the loss) and its final state is carried to the horizon. Null when the control
 * plane cannot be simulated (hosted platform, invalid leader-election settings, timings that never start).
 * Throws WorkBudgetExceeded when the section does not fit the budget, and UnrepresentableDuration for timings
 * finer than the simulation's clock. `store` keeps distributions by canonical simulation input across sections.
 */
export function failoverSection(
  proposal: Proposal,
  input: { seed: number; trialsPerCase?: number; horizonMs?: number; budget?: WorkBudget; store?: DistributionStore },
): FailoverPlan | null {
  if (isProviderRun(proposal) || proposal.controlPlaneNodes.length === 0 || proposal.etcdMembers.length === 0)
    return null;
  if (leaderElectionErrors(proposal.leaderElection).length > 0) return null;
  // A cluster whose etcd or client-go would refuse these timings never starts, so it has no failover to simulate.
  if (!timingsStartable(timingFindings(proposal))) return null;
  if (proposal.loadBalancer.healthCheckTimeoutS > proposal.loadBalancer.healthCheckIntervalS) return null;
  const etcdHorizonMs = Math.max(5000, 10 * proposal.etcd.electionTimeoutMs);
  const budget = input.budget ?? WorkBudget.unlimited();
  return planFailover({
    proposal,
    trialsPerCase: input.trialsPerCase ?? failoverTrialsPerCase,
    seed: input.seed,
    budget,
    ...(input.horizonMs !== undefined ? { horizonMs: input.horizonMs } : {}),
    ...(input.store ? { store: input.store } : {}),
    etcdTrialFor: (scenario, simulated) =>
      hitsEtcd(simulated, scenario)
        ? engineEtcdLayer(simulated, scenario, { etcdHorizonMs, budget })
        : untouchedEtcdLayer(simulated, scenario),
  });
}
