/**
 * @module simulation/control-plane/monte-carlo
 * Many control-plane trials, each over its own etcd trial, and the distribution of each capability's gap.
 * Trial i uses seed `Random.derive(seed, i)`, so a run is reproducible and any trial can be replayed alone.
 */
import type { EtcdServiceTimeline } from '../availability.js';
import type { Scenario } from '../scenario.js';
import { Random } from '../../random.js';
import { plural } from '../../text.js';
import { drawFaultTimesUs } from './faults.js';
import type { ControlPlaneModel } from './model.js';
import { capabilities, runControlPlaneTrial, type Capability, type ControlPlaneTrialResult } from './trial.js';
import { formatSeconds } from './timeline.js';
import { scenarioEndUs } from '../fault-targets.js';
import { WorkBudget } from '../work-budget.js';
import { expectTrialsFit } from './cost.js';
import { summarizeSamples, type PercentileName, type WithheldReason } from '../../statistics.js';

export interface GapDistribution {
  /** Trials behind every figure below. */
  trials: number;
  /**
   * Nearest-rank percentiles over all trials (statistics.ts); null when the rank falls on a trial still out at
   * the horizon, or when the trials are too few for it (a p90 needs 20, a p99 200): `withheld` says which.
   */
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  /** The longest gap; null when any trial had not recovered by the horizon. */
  maxUs: number | null;
  /** Trials in which the capability had not come back by the horizon (their gap is unbounded, counted as +∞). */
  unrecovered: number;
  /** Why each null percentile is null. */
  withheld: Partial<Record<PercentileName, WithheldReason>>;
}

/** The distribution of one capability's gap; `null` samples are trials that never recovered. */
export function gapDistribution(samplesUs: readonly (number | null)[]): GapDistribution {
  if (samplesUs.length === 0) throw new RangeError('a distribution needs at least one sample');
  const s = summarizeSamples(samplesUs);
  return {
    trials: s.trials,
    p50Us: s.p50,
    p90Us: s.p90,
    p99Us: s.p99,
    maxUs: s.max,
    unrecovered: s.censored,
    withheld: s.withheld,
  };
}

export interface EtcdTrialRequest {
  trial: number;
  /** This trial's seed (derived from the run's seed and the trial number). */
  seed: number;
  /** Fault moments drawn from the trial's seed; an etcd layer that draws its own returns those instead. */
  faultTimesUs: readonly number[];
}

/** The etcd layer's answer for one trial. */
export interface EtcdTrial {
  timeline: EtcdServiceTimeline;
  /** The fault moments the etcd layer used, if it drew its own; the control-plane layer then uses the same. */
  faultTimesUs?: readonly number[];
  /** Who led etcd at a moment, for `etcd-leader` targets that name control-plane components. */
  etcdLeaderAt?: (timeUs: number) => string | undefined;
}

export interface ControlPlaneMonteCarloInput {
  model: ControlPlaneModel;
  scenario: Scenario;
  trials: number;
  seed: number;
  /** Runs (or looks up) the etcd trial for these fault moments. */
  etcdTrial: (request: EtcdTrialRequest) => EtcdTrial;
  /** Every control-plane event is charged here (the etcd layer charges its own). Default: unlimited. */
  budget?: WorkBudget;
}

export interface ControlPlaneMonteCarloResult {
  trials: number;
  seed: number;
  gaps: Record<Capability, GapDistribution>;
  /** From the first fault until every capability is back (unrecovered trials rank as +∞). */
  fullRecovery: GapDistribution;
  /** The first trial, kept whole so its timeline can be shown. */
  example: ControlPlaneTrialResult;
  summary: string;
}

export function runControlPlaneMonteCarlo(input: ControlPlaneMonteCarloInput): ControlPlaneMonteCarloResult {
  if (!(Number.isInteger(input.trials) && input.trials >= 1))
    throw new RangeError(`trials must be a positive integer, got ${input.trials}`);
  const budget = input.budget ?? WorkBudget.unlimited();
  // The scenario's end with every fault at its latest moment bounds each trial's horizon.
  expectTrialsFit(input.model, scenarioEndUs(input.scenario), input.trials, budget);
  const gaps = Object.fromEntries(capabilities.map((c) => [c, [] as (number | null)[]])) as Record<
    Capability,
    (number | null)[]
  >;
  const recovery: (number | null)[] = [];
  let example: ControlPlaneTrialResult | undefined;
  for (let trial = 0; trial < input.trials; trial++) {
    const seed = Random.derive(input.seed, trial).nextUint32();
    const faultTimesUs = drawFaultTimesUs(input.scenario, Random.derive(seed, 'fault-times'));
    const etcd = input.etcdTrial({ trial, seed, faultTimesUs });
    const result = runControlPlaneTrial({
      model: input.model,
      scenario: input.scenario,
      etcd: etcd.timeline,
      seed,
      budget,
      estimateChecked: true,
      // Only the first trial is shown whole; the others feed the distributions.
      recordTimeline: trial === 0,
      faultTimesUs: etcd.faultTimesUs ?? faultTimesUs,
      ...(etcd.etcdLeaderAt ? { etcdLeaderAt: etcd.etcdLeaderAt } : {}),
    });
    example ??= result;
    for (const c of capabilities) gaps[c].push(stillOut(result, c) ? null : result.capabilities[c].gapUs);
    recovery.push(result.fullRecoveryUs);
  }
  const out: ControlPlaneMonteCarloResult = {
    trials: input.trials,
    seed: input.seed,
    gaps: Object.fromEntries(capabilities.map((c) => [c, gapDistribution(gaps[c])])) as Record<
      Capability,
      GapDistribution
    >,
    fullRecovery: gapDistribution(recovery),
    example: example!,
    summary: '',
  };
  out.summary = summarizeMonteCarlo(out);
  return out;
}

/** Whether the capability is still down or degraded when the trial ends. */
function stillOut(result: ControlPlaneTrialResult, c: Capability): boolean {
  const w = result.capabilities[c];
  const last = [...w.down, ...w.degraded].reduce((end, i) => Math.max(end, i.endUs), 0);
  return last >= result.horizonUs;
}

const sec = (us: number | null): string => (us === null ? 'not recovered' : `${formatSeconds(us)} s`);

/**
 * A sampled gap in words: "typically 1.300 s (p90 1.500 s, max 2.000 s)". The median is "typically"; a p90 or
 * p99 appears only where the trials support it (statistics.ts), and a figure that falls on an unrecovered
 * trial says so.
 */
export function typicalGap(
  d: Pick<GapDistribution, 'p50Us' | 'p90Us' | 'withheld'> & { p99Us?: number | null; maxUs?: number | null },
): string {
  const typical =
    d.p50Us === null
      ? 'typically not recovered by the horizon'
      : d.p50Us === 0
        ? 'typically not at all'
        : `typically ${sec(d.p50Us)}`;
  const extras: string[] = [];
  const tail = (name: 'p90' | 'p99', us: number | null | undefined): void => {
    if (us !== null && us !== undefined) {
      if (us > 0) extras.push(`${name} ${sec(us)}`);
    } else if (d.withheld[name] === 'censored' && d.p50Us !== null) extras.push(`${name} not recovered`);
  };
  tail('p90', d.p90Us);
  tail('p99', d.p99Us);
  if (d.maxUs !== null && d.maxUs !== undefined && d.maxUs !== d.p50Us) extras.push(`max ${sec(d.maxUs)}`);
  return extras.length > 0 ? `${typical} (${extras.join(', ')})` : typical;
}

/** Short names of the capabilities, for a list of figures in one sentence. */
const shortLabels: Record<Capability, string> = {
  etcdWrites: 'etcd writes',
  apiReads: 'API reads',
  apiWrites: 'API writes',
  controllerManagerLeader: 'controller-manager leadership',
  schedulerLeader: 'scheduler leadership',
};

/**
 * Many trials, answer first: when everything was typically back (with the percentiles the trial count
 * supports), then each capability's typical gap. `tails: false` leaves the percentiles to the fields, for a
 * summary that has a comparison to add.
 */
function summarizeMonteCarlo(
  r: ControlPlaneMonteCarloResult,
  detail: 'full' | 'no-tails' | 'headline' = 'full',
): string {
  const f = r.fullRecovery;
  const trials = `In ${plural(r.trials, 'simulated trial')}`;
  if (f.maxUs === 0) return `${trials}, nothing was interrupted.`;
  if (f.p50Us === null) return `${trials}, the control plane typically had not fully recovered by the horizon.`;
  const back = `${trials}, everything was typically back ${sec(f.p50Us)} after the first fault${detail === 'full' ? tailOf(f) : ''}.`;
  const unrecovered =
    f.unrecovered > 0 ? ` In ${f.unrecovered} of them not everything had recovered by the horizon.` : '';
  if (detail === 'headline') return back + unrecovered;
  const gaps = capabilities.map((c) => {
    const p50 = r.gaps[c].p50Us;
    return `${shortLabels[c]} ${p50 === 0 ? 'none' : sec(p50)}`;
  });
  return `${back} Typical gaps: ${gaps.join(', ')}.${unrecovered}`;
}

/** " (p90 1.5 s, p99 2.0 s)": what the trial count supports; a censored one says so. */
function tailOf(d: GapDistribution): string {
  const extras: string[] = [];
  for (const name of ['p90', 'p99'] as const) {
    const us = d[`${name}Us`];
    if (us !== null && us > 0) extras.push(`${name} ${sec(us)}`);
    else if (us === null && d.withheld[name] === 'censored') extras.push(`${name} not recovered`);
  }
  return extras.length > 0 ? ` (${extras.join(', ')})` : '';
}

/** The summary of a run with its topology comparison, within 400 characters: percentiles go first, then the list of gaps. */
export function summaryWithComparison(main: ControlPlaneMonteCarloResult, comparison: TopologyComparison): string {
  for (const detail of ['full', 'no-tails'] as const) {
    const text = `${summarizeMonteCarlo(main, detail)} ${comparison.summary}`;
    if (text.length <= 400) return text;
  }
  return `${summarizeMonteCarlo(main, 'headline')} ${comparison.summary}`;
}

export interface TopologyComparison {
  stacked: ControlPlaneMonteCarloResult;
  external: ControlPlaneMonteCarloResult;
  /** Per capability, external p50/p90 minus stacked p50/p90 (negative: external recovers sooner); null if either never recovered. */
  deltaUs: Record<Capability, { p50Us: number | null; p90Us: number | null }>;
  summary: string;
}

/** Stacked and external runs of the same failure, side by side. */
export function compareTopologies(
  stacked: ControlPlaneMonteCarloResult,
  external: ControlPlaneMonteCarloResult,
): TopologyComparison {
  const deltaUs = Object.fromEntries(
    capabilities.map((c) => [
      c,
      {
        p50Us: minus(external.gaps[c].p50Us, stacked.gaps[c].p50Us),
        p90Us: minus(external.gaps[c].p90Us, stacked.gaps[c].p90Us),
      },
    ]),
  ) as Record<Capability, { p50Us: number | null; p90Us: number | null }>;
  // The one capability whose typical gap differs most between the topologies; the rest are in deltaUs.
  let widest: Capability | undefined;
  for (const c of capabilities) {
    const d = deltaUs[c].p50Us;
    if (d !== null && d !== 0 && (widest === undefined || Math.abs(d) > Math.abs(deltaUs[widest].p50Us ?? 0)))
      widest = c;
  }
  const head = `Same failure by topology, ${plural(stacked.trials, 'trial')} each:`;
  const summary =
    widest === undefined
      ? `${head} every typical gap is the same stacked and external.`
      : `${head} the typical gaps differ most for ${shortLabels[widest]}, ${sec(stacked.gaps[widest].p50Us)} stacked vs ${sec(external.gaps[widest].p50Us)} external.`;
  return { stacked, external, deltaUs, summary };
}

function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}
