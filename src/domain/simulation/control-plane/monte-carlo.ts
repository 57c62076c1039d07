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
import {
  capabilities,
  capabilityLabels,
  runControlPlaneTrial,
  type Capability,
  type ControlPlaneTrialResult,
} from './trial.js';
import { formatSeconds } from './timeline.js';

export interface GapDistribution {
  /** Nearest-rank percentiles over all trials; null when that rank falls on a trial still out at the horizon. */
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
  /** Trials in which the capability had not come back by the horizon (their gap is unbounded, counted as +∞). */
  unrecovered: number;
}

/**
 * Nearest-rank percentiles (the smallest sample with at least p of the samples at or below it); `null`
 * samples are trials that never recovered and rank above every number.
 */
export function gapDistribution(samplesUs: readonly (number | null)[]): GapDistribution {
  if (samplesUs.length === 0) throw new RangeError('a distribution needs at least one sample');
  const values = samplesUs.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const rank = (p: number): number | null => values[Math.max(0, Math.ceil(p * samplesUs.length) - 1)] ?? null;
  return {
    p50Us: rank(0.5),
    p90Us: rank(0.9),
    p99Us: rank(0.99),
    maxUs: rank(1),
    unrecovered: samplesUs.length - values.length,
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

export function summarizeMonteCarlo(r: ControlPlaneMonteCarloResult): string {
  const lines = capabilities.map((c) => {
    const d = r.gaps[c];
    const out = d.unrecovered > 0 ? ` (${d.unrecovered} of ${r.trials} trials not recovered by the horizon)` : '';
    return d.maxUs === 0
      ? `${capabilityLabels[c]}: no gap`
      : `${capabilityLabels[c]}: gap p50 ${sec(d.p50Us)}, p90 ${sec(d.p90Us)}, p99 ${sec(d.p99Us)}, max ${sec(d.maxUs)}${out}`;
  });
  const f = r.fullRecovery;
  lines.push(
    `full recovery: p50 ${sec(f.p50Us)}, p90 ${sec(f.p90Us)}, p99 ${sec(f.p99Us)}, max ${sec(f.maxUs)}` +
      (f.unrecovered > 0 ? ` (${f.unrecovered} of ${r.trials} trials not recovered by the horizon)` : ''),
  );
  return `Over ${r.trials} trials (seed ${r.seed}): ${lines.join('; ')}.`;
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
  const parts = capabilities.map(
    (c) =>
      `${capabilityLabels[c]} p50 ${sec(stacked.gaps[c].p50Us)} stacked vs ${sec(external.gaps[c].p50Us)} external (p90 ${sec(stacked.gaps[c].p90Us)} vs ${sec(external.gaps[c].p90Us)})`,
  );
  return { stacked, external, deltaUs, summary: `Same failure, gaps by topology: ${parts.join('; ')}.` };
}

function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}
