/**
 * @module tuning/spurious-rate
 * A grid point's spurious-election rate from its steady replications. Each replication is one draw of what a
 * cluster fixes once (tick phases, randomized timeouts) with its splitting estimate; the rate is their mean
 * (the expected count per year of a cluster whose draw is random), with a Student-t 95% interval over the
 * replications — it carries both the splitting noise and how much the draw matters. When no replication saw
 * a single success at some level, the upper bound is the rule of three on the pooled restarts of that level.
 * The direct count of the same runs (elections seen while simulating steady time) is given beside it, with an
 * exact Poisson (Garwood) interval, for checking where the rate is large enough to count.
 */
import { usPerYear } from './disturbance.js';
import type { SplittingResult } from './splitting.js';

export interface SpuriousRate {
  /** Spurious elections per cluster-year: the splitting estimate. */
  perClusterYear: number;
  lower: number;
  upper: number;
  confidence: 0.95;
  method: 'splitting';
  replications: number;
  /** Steady time simulated directly over all replications, and the elections counted in it. */
  steadyHours: number;
  directElections: number;
  directPerClusterYear: { value: number; lower: number; upper: number };
  /** Some replication stopped at its event budget before its steady horizon or effort. */
  truncated: boolean;
}

/** Two-sided 97.5% Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
const t975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** One replication's rate, per µs: λ₁ · Π p_k. */
export function replicationRatePerUs(r: SplittingResult): number {
  if (r.exposureUs <= 0) return 0;
  let rate = r.entrances / r.exposureUs;
  for (const stage of r.stages) rate *= stage.tries > 0 ? stage.successes / stage.tries : 0;
  if (r.levels.length === 0) return r.directElections / r.exposureUs;
  return rate;
}

export function spuriousRate(replications: readonly SplittingResult[]): SpuriousRate {
  const b = replications.length;
  const rates = replications.map((r) => replicationRatePerUs(r) * usPerYear);
  const mean = rates.reduce((s, x) => s + x, 0) / Math.max(1, b);
  const variance = b > 1 ? rates.reduce((s, x) => s + (x - mean) ** 2, 0) / (b - 1) : 0;
  const half = b > 1 ? (t975[b - 2] ?? 1.96) * Math.sqrt(variance / b) : Number.POSITIVE_INFINITY;
  let upper = mean + half;
  if (mean === 0) upper = ruleOfThreeUpper(replications);
  const exposureUs = replications.reduce((s, r) => s + r.exposureUs, 0);
  const directElections = replications.reduce((s, r) => s + r.directElections, 0);
  const years = exposureUs / usPerYear;
  const direct = poissonInterval(directElections);
  return {
    perClusterYear: mean,
    lower: Math.max(0, mean - half),
    upper,
    confidence: 0.95,
    method: 'splitting',
    replications: b,
    steadyHours: exposureUs / 3_600_000_000,
    directElections,
    directPerClusterYear: {
      value: years > 0 ? directElections / years : 0,
      lower: years > 0 ? direct.lower / years : 0,
      upper: years > 0 ? direct.upper / years : Number.POSITIVE_INFINITY,
    },
    truncated: replications.some((r) => r.truncated),
  };
}

/** Pooled over replications: λ₁ · Π_{k<j} p_k · 3 / tries_j, j the first level nobody passed. */
function ruleOfThreeUpper(replications: readonly SplittingResult[]): number {
  const exposureUs = replications.reduce((s, r) => s + r.exposureUs, 0);
  const entrances = replications.reduce((s, r) => s + r.entrances, 0);
  if (exposureUs <= 0) return Number.POSITIVE_INFINITY;
  // No entrance at all: at most 3 over the exposure (nothing passed even ℓ₁).
  let rate = Math.max(entrances, 3) / exposureUs;
  if (entrances === 0) return (3 / exposureUs) * usPerYear;
  const stages = replications[0]?.stages.length ?? 0;
  for (let k = 0; k < stages; k++) {
    const tries = replications.reduce((s, r) => s + (r.stages[k]?.tries ?? 0), 0);
    const successes = replications.reduce((s, r) => s + (r.stages[k]?.successes ?? 0), 0);
    if (tries === 0) break;
    if (successes === 0) return rate * (3 / tries) * usPerYear;
    rate *= successes / tries;
  }
  return rate * usPerYear;
}

/**
 * Exact (Garwood) 95% interval for a Poisson mean from a count: the χ² quantiles, found by bisection on the
 * Poisson CDF (no special-function library).
 */
export function poissonInterval(count: number): { lower: number; upper: number } {
  // Beyond a few hundred, e^(−μ) underflows; the Wilson–Hilferty cube-root approximation is exact to < 0.1%.
  if (count > 300) {
    const z = 1.959964;
    const wh = (k: number, sign: number) => k * (1 - 1 / (9 * k) + (sign * z) / (3 * Math.sqrt(k))) ** 3;
    return { lower: wh(count, -1), upper: wh(count + 1, 1) };
  }
  const cdf = (k: number, mu: number): number => {
    // P(X ≤ k) for X ~ Poisson(mu), summed in log space term by term.
    let term = Math.exp(-mu);
    let sum = term;
    for (let i = 1; i <= k; i++) {
      term *= mu / i;
      sum += term;
    }
    return Math.min(1, sum);
  };
  const solve = (k: number, target: number): number => {
    let lo = 0;
    let hi = Math.max(10, 3 * (k + 10));
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(k, mid) > target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const upper = solve(count, 0.025);
  const lower = count === 0 ? 0 : solve(count - 1, 0.975);
  return { lower, upper };
}
