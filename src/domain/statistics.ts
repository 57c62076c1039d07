/**
 * @module statistics
 * The one place that turns per-trial samples into percentiles, for every simulation layer (etcd elections,
 * the control plane, the plan's failover section). Nearest-rank percentiles, each carried with the number of
 * trials behind it and withheld (null, with the reason) where the trials cannot support it:
 *
 * - nearest rank: the p-th percentile of n trials is the value of rank ⌈p·n⌉ (1-based) in ascending order, so it
 *   is always an observed value (no interpolation);
 * - trials without a value (no leader elected, a capability not back by the horizon) are *censored*: they rank
 *   above every value, so a percentile whose rank lands on one is unknown (null, reason `censored`), as is the
 *   maximum when any trial is censored;
 * - a p90 needs at least 20 trials and a p99 at least 200 (`percentileMinTrials`): below that the rank is the
 *   largest or second-largest sample, which says little about the 90th or 99th percentile (null, reason
 *   `too-few-trials`).
 */

export type PercentileName = 'p50' | 'p90' | 'p99';

/** The fewest trials behind each percentile: at 20 trials the p90 has two samples above it, at 200 the p99. */
export const percentileMinTrials: Readonly<Record<PercentileName, number>> = { p50: 1, p90: 20, p99: 200 };

const percents: Readonly<Record<PercentileName, number>> = { p50: 50, p90: 90, p99: 99 };

/** Why a percentile is null. */
export type WithheldReason = 'too-few-trials' | 'censored';

export interface SampleSummary {
  /** Trials behind every figure below (with and without a value). */
  trials: number;
  /** Trials with a value. */
  count: number;
  /** Trials without a value; they rank above every value. */
  censored: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** The largest value; null when any trial is censored (the true maximum is unknown). */
  max: number | null;
  /** Mean over the trials with a value (not rounded). */
  mean: number | null;
  /** For each percentile that is null, why. */
  withheld: Partial<Record<PercentileName, WithheldReason>>;
}

/**
 * The 1-based nearest rank of the `percent`-th percentile (a whole number in 1..100) among n ≥ 1 trials:
 * ⌈percent·n / 100⌉. Whole-number arithmetic, so no rounding error moves a rank (0.9·n can land just above an
 * integer in floating point).
 */
export function nearestRank(percent: number, n: number): number {
  if (!(Number.isInteger(percent) && percent >= 1 && percent <= 100))
    throw new RangeError(`a percentile must be a whole number in 1..100, got ${percent}`);
  return Math.max(1, Math.ceil((percent * n) / 100));
}

/**
 * Summarizes `sorted` (the values, ascending) out of `trials` trials; the trials beyond `sorted.length` are
 * censored. Hot-path form: no copy, no sort.
 */
export function summarizeSorted(sorted: ArrayLike<number>, trials: number): SampleSummary {
  const count = sorted.length;
  if (!(Number.isInteger(trials) && trials >= count))
    throw new RangeError(`trials (${trials}) must be a whole number at least the number of values (${count})`);
  const withheld: Partial<Record<PercentileName, WithheldReason>> = {};
  const at = (name: PercentileName): number | null => {
    if (trials < percentileMinTrials[name]) {
      withheld[name] = 'too-few-trials';
      return null;
    }
    const rank = nearestRank(percents[name], trials);
    if (rank > count) {
      withheld[name] = 'censored';
      return null;
    }
    return sorted[rank - 1]!;
  };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i]!;
  const p50 = at('p50');
  const p90 = at('p90');
  const p99 = at('p99');
  return {
    trials,
    count,
    censored: trials - count,
    min: count > 0 ? sorted[0]! : null,
    p50,
    p90,
    p99,
    max: count > 0 && count === trials ? sorted[count - 1]! : null,
    mean: count > 0 ? sum / count : null,
    withheld,
  };
}

/** Summarizes one sample per trial; `null` marks a censored trial. */
export function summarizeSamples(samples: readonly (number | null)[]): SampleSummary {
  const values = samples.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return summarizeSorted(values, samples.length);
}

/** Plain words for a withheld percentile, e.g. "p90 needs at least 20 trials (6 run)". */
export function withheldText(name: PercentileName, reason: WithheldReason, trials: number): string {
  return reason === 'too-few-trials'
    ? `${name} needs at least ${percentileMinTrials[name]} trials (${trials} run)`
    : `${name} falls on a trial without a value by the horizon`;
}
