/**
 * @module simulation
 * The election engine's public surface (see docs/election-engine.md). Layers above etcd (the control plane)
 * consume `TrialResult.service`, an `EtcdServiceTimeline`, and share the fault vocabulary of scenario.ts.
 *
 * @example
 *   const config = electionConfigFromProposal(proposal);
 *   const scenario: Scenario = { faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }], horizonMs: 10_000 };
 *   const one = runTrial(config, scenario, Random.derive(seed, 0), { recordTimeline: true, recordService: true });
 *   const many = runMonteCarlo(config, scenario, { trials: 10_000, seed });
 */
export {
  ElectionEngine,
  InvariantViolation,
  runTrial,
  scenarioEndUs,
  maxSimMembers,
  describeTarget,
} from './election-engine.js';
export type { AppliedFault, TrialMetrics, TrialOptions, TrialResult } from './election-engine.js';
export { runMonteCarlo, runTrials, distribution, percentile, SimulationBudgetExceeded } from './monte-carlo.js';
export type { Distribution, MonteCarloOptions, MonteCarloResult } from './monte-carlo.js';
export { electionConfigFromProposal, uniformNetwork, plainMembers, msToUs } from './election-config.js';
export type { ClassicTiming, ElectionConfig, EtcdTiming, SimMember, SimNetwork, Timing } from './election-config.js';
export { raftPaperConfig, raftPaperScenario, raftPaperTimeoutRangesMs, presetNames } from './presets.js';
export { runElectionSimulation, formatDuration } from './run-simulation.js';
export { timelineToText, timelineKinds, formatMs } from './timeline.js';
export type { TimelineEntry, TimelineKind } from './timeline.js';
export { covers } from './availability.js';
export type { EtcdServiceTimeline, IntervalUs } from './availability.js';
export type { Component, Fault, FaultTarget, FaultTime, Scenario } from './scenario.js';
