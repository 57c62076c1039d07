/**
 * @module simulation/control-plane/monte-carlo
 * Many control-plane trials, each over its own etcd trial, and the distribution of each capability's gap.
 * Trial i uses seed `Random.derive(seed, i)`, so a run is reproducible and any trial can be replayed alone.
 */
import type { EtcdServiceTimeline } from '../availability.js';
import type { Scenario } from '../scenario.js';
import { Random } from '../../random.js';
import { drawFaultTimesUs } from './faults.js';
import type { ControlPlaneModel } from './model.js';
import { capabilities, capabilityLabels, runControlPlaneTrial, type Capability, type ControlPlaneTrialResult } from './trial.js';
import { formatSeconds } from './timeline.js';

export interface Distribution {
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/** Nearest-rank percentiles (the smallest sample with at least p of the samples at or below it). */
export function distribution(samplesUs: readonly number[]): Distribution {
  if (samplesUs.length === 0) throw new RangeError('a distribution needs at least one sample');
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { p50Us: rank(0.5), p90Us: rank(0.9), p99Us: rank(0.99), maxUs: sorted[sorted.length - 1]! };
}

export interface EtcdTrialRequest {
  trial: number;
  seed: number;
  /** The fault moments this trial uses; the etcd layer must apply the faults at exactly these. */
  faultTimesUs: readonly number[];
}

/** The etcd layer's answer for one trial, plus (optionally) who led etcd when, for `etcd-leader` targets. */
export interface EtcdTrial {
  timeline: EtcdServiceTimeline;
  etcdLeaderAt?: (timeUs: number) => string | undefined;
}

export interface MonteCarloInput {
  model: ControlPlaneModel;
  scenario: Scenario;
  trials: number;
  seed: number;
  /** Runs (or looks up) the etcd trial for these fault moments. */
  etcdTrial: (request: EtcdTrialRequest) => EtcdTrial;
}

export interface MonteCarloResult {
  trials: number;
  seed: number;
  gaps: Record<Capability, Distribution>;
  /** Trials that had not recovered fully by the horizon count as the horizon minus the first fault. */
  fullRecovery: Distribution;
  unrecoveredTrials: number;
  /** The first trial, kept whole so its timeline can be shown. */
  example: ControlPlaneTrialResult;
  summary: string;
}

export function runControlPlaneMonteCarlo(input: MonteCarloInput): MonteCarloResult {
  if (!(Number.isInteger(input.trials) && input.trials >= 1)) throw new RangeError(`trials must be a positive integer, got ${input.trials}`);
  const gaps = Object.fromEntries(capabilities.map((c) => [c, [] as number[]])) as Record<Capability, number[]>;
  const recovery: number[] = [];
  let unrecoveredTrials = 0;
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
      faultTimesUs,
      ...(etcd.etcdLeaderAt ? { etcdLeaderAt: etcd.etcdLeaderAt } : {}),
    });
    example ??= result;
    for (const c of capabilities) gaps[c].push(result.capabilities[c].gapUs);
    if (result.fullRecoveryUs === null) {
      unrecoveredTrials++;
      recovery.push(result.horizonUs - result.firstFaultUs);
    } else recovery.push(result.fullRecoveryUs);
  }
  const out: MonteCarloResult = {
    trials: input.trials,
    seed: input.seed,
    gaps: Object.fromEntries(capabilities.map((c) => [c, distribution(gaps[c])])) as Record<Capability, Distribution>,
    fullRecovery: distribution(recovery),
    unrecoveredTrials,
    example: example!,
    summary: '',
  };
  out.summary = summarizeMonteCarlo(out);
  return out;
}

const sec = (us: number): string => `${formatSeconds(us)} s`;

export function summarizeMonteCarlo(r: MonteCarloResult): string {
  const lines = capabilities.map((c) => {
    const d = r.gaps[c];
    return d.maxUs === 0 ? `${capabilityLabels[c]}: no gap` : `${capabilityLabels[c]}: gap p50 ${sec(d.p50Us)}, p90 ${sec(d.p90Us)}, p99 ${sec(d.p99Us)}, max ${sec(d.maxUs)}`;
  });
  const f = r.fullRecovery;
  lines.push(
    `full recovery: p50 ${sec(f.p50Us)}, p90 ${sec(f.p90Us)}, p99 ${sec(f.p99Us)}, max ${sec(f.maxUs)}` +
      (r.unrecoveredTrials > 0 ? ` (${r.unrecoveredTrials} of ${r.trials} trials not recovered by the horizon)` : ''),
  );
  return `Over ${r.trials} trials (seed ${r.seed}): ${lines.join('; ')}.`;
}

export interface TopologyComparison {
  stacked: MonteCarloResult;
  external: MonteCarloResult;
  /** Per capability, external p50/p90 minus stacked p50/p90 (negative: external recovers sooner). */
  deltaUs: Record<Capability, { p50Us: number; p90Us: number }>;
  summary: string;
}

/** Stacked and external runs of the same failure, side by side. */
export function compareTopologies(stacked: MonteCarloResult, external: MonteCarloResult): TopologyComparison {
  const deltaUs = Object.fromEntries(
    capabilities.map((c) => [c, { p50Us: external.gaps[c].p50Us - stacked.gaps[c].p50Us, p90Us: external.gaps[c].p90Us - stacked.gaps[c].p90Us }]),
  ) as Record<Capability, { p50Us: number; p90Us: number }>;
  const parts = capabilities.map(
    (c) => `${capabilityLabels[c]} p50 ${sec(stacked.gaps[c].p50Us)} stacked vs ${sec(external.gaps[c].p50Us)} external (p90 ${sec(stacked.gaps[c].p90Us)} vs ${sec(external.gaps[c].p90Us)})`,
  );
  return { stacked, external, deltaUs, summary: `Same failure, gaps by topology: ${parts.join('; ')}.` };
}
