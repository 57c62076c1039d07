/**
 * @module simulation/monte-carlo
 * N seeded trials of one (config, scenario): trial i runs on Random.derive(seed, i), so any trial can be
 * replayed alone, and the summary is the same whatever order or machine runs them.
 */
import { Random } from '../random.js';
import { type SampleSummary, summarizeSorted } from '../statistics.js';
import type { ElectionConfig } from './election-config.js';
import { ElectionEngine, type TrialMetrics, type TrialResult } from './election-engine.js';
import type { Scenario } from './scenario.js';
import type { WorkBudget } from './work-budget.js';

export interface Distribution {
  /** Trials behind every figure below. */
  trials: number;
  /** Trials with a value; the others (no leader within the horizon) are `censored`. */
  count: number;
  censored: number;
  minUs: number | null;
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
  /** Mean over the trials with a value. */
  meanUs: number | null;
  /** Why a percentile is null: too few trials for it, or it falls on a censored trial. */
  withheld: SampleSummary['withheld'];
  /** Histogram: bins of equal width from 0 to the largest value (counts per bin). */
  histogram: { binWidthUs: number; counts: number[] };
  /** The CDF at chosen points: fraction of ALL trials (censored included) with a value ≤ atUs. */
  cdf: { atUs: number; fraction: number }[];
}

export interface MonteCarloResult {
  seed: number;
  trials: number;
  /** First fault → first new leader. */
  newLeader: Distribution;
  /** First fault → a leader that every live member follows (the paper's "downtime"). */
  allKnow: Distribution;
  /** Time without a leader able to commit, after the first fault. */
  unavailable: Distribution;
  /** Fraction of trials with at least one split vote. */
  splitVoteRate: number;
  /**
   * Fraction of trials whose new leader won in a term more than one above the highest term at the fault (a
   * failed election before it: a split vote, a lease-ignored vote, a stale log), over all trials.
   */
  multiTermShare: number;
  meanElectionRounds: number;
  meanTermsUsed: number | null;
  /** Trials that hit the per-trial event cap. */
  truncatedTrials: number;
  /** Trial 0 in full (timeline and service timeline) when asked for. */
  firstTrial?: TrialResult;
  /** One entry per trial, in trial order, when asked for (includeSamples). */
  samples?: TrialSample[];
}

/** One trial's outcome, for callers that want their own statistics. */
interface TrialSample {
  newLeaderAfterUs: number | null;
  allKnowAfterUs: number | null;
  unavailableUs: number;
  newLeader: string | null;
  termsUsed: number | null;
  electionRounds: number;
  splitVotes: number;
}

export interface MonteCarloOptions {
  trials: number;
  seed: number;
  maxEventsPerTrial?: number;
  /** The request's work budget: every trial's events are charged to it (WorkBudgetExceeded past it). */
  budget?: WorkBudget;
  /** Include trial 0 with its timeline and service timeline. */
  includeFirstTrial?: boolean;
  maxTimelineEntries?: number;
  /** Number of histogram bins. Default 20. */
  histogramBins?: number;
  /** Return every trial's outcome (`samples`). */
  includeSamples?: boolean;
}

/**
 * A distribution over `total` trials of which `values` are the ones with a value (the rest censored, ranked
 * above every value). Percentiles come from the one percentile function (statistics.ts): each carries the
 * trial count, and a p90 from fewer than 20 trials or a p99 from fewer than 200 is withheld (null, with why).
 */
function distribution(values: Float64Array, total: number, bins = 20): Distribution {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  const summary = summarizeSorted(sorted, total);
  const max = count > 0 ? sorted[count - 1]! : 0;
  const binWidthUs = count > 0 ? Math.max(1, Math.ceil((max + 1) / bins)) : 1;
  const counts = new Array<number>(count > 0 ? bins : 0).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor(v / binWidthUs))]!++;
  const cdf: { atUs: number; fraction: number }[] = [];
  if (count > 0) {
    let k = 0;
    for (let b = 1; b <= bins; b++) {
      const atUs = b * binWidthUs;
      while (k < count && sorted[k]! <= atUs) k++;
      cdf.push({ atUs, fraction: k / total });
    }
  }
  return {
    trials: total,
    count,
    censored: summary.censored,
    minUs: summary.min,
    p50Us: summary.p50,
    p90Us: summary.p90,
    p99Us: summary.p99,
    maxUs: summary.max,
    meanUs: summary.mean === null ? null : Math.round(summary.mean),
    withheld: summary.withheld,
    histogram: { binWidthUs, counts },
    cdf,
  };
}

/** The raw per-trial metrics, for scripts that want their own statistics (e.g. the paper's CDF). */
export function runTrials(config: ElectionConfig, scenario: Scenario, options: MonteCarloOptions): TrialMetrics[] {
  const engine = new ElectionEngine(config, scenario);
  const out: TrialMetrics[] = [];
  for (let t = 0; t < options.trials; t++) {
    out.push(
      engine.run(Random.derive(options.seed, t), {
        stopWhenSettled: true,
        metricsOnly: true,
        seed: options.seed,
        trialIndex: t,
        ...(options.maxEventsPerTrial !== undefined ? { maxEvents: options.maxEventsPerTrial } : {}),
      }).metrics,
    );
  }
  return out;
}

/** Trials run before the rest is projected from them (the estimate check of the work budget). */
const projectAfter = 20;

/**
 * The budget's estimate check, once the first trials ran: if the rest, at the events per trial seen so far
 * (trial 0 run in full to the horizon left out: it is not like the others), would need more than twice what
 * is left, refuse now rather than after spending the budget; a request that is merely close still runs and
 * the hard stop decides. Deterministic: it depends on seeded trials only.
 */
const etcdTrials = { what: 'the remaining etcd election trials (projected from the first ones, halved)' };

export function runMonteCarlo(
  config: ElectionConfig,
  scenario: Scenario,
  options: MonteCarloOptions,
): MonteCarloResult {
  const engine = new ElectionEngine(config, scenario);
  const trials = options.trials;
  const newLeader = new Float64Array(trials);
  const allKnow = new Float64Array(trials);
  const unavailable = new Float64Array(trials);
  let nNew = 0;
  let nAll = 0;
  let splitTrials = 0;
  let multiTermTrials = 0;
  let plainEvents = 0;
  let plainTrials = 0;
  const samples: TrialSample[] | undefined = options.includeSamples ? [] : undefined;
  let rounds = 0;
  let terms = 0;
  let termsCount = 0;
  let truncatedTrials = 0;
  let firstTrial: TrialResult | undefined;
  for (let t = 0; t < trials; t++) {
    const full = t === 0 && options.includeFirstTrial === true;
    const result = engine.run(Random.derive(options.seed, t), {
      // Trial 0 with its timelines runs to the horizon (its service timeline covers the whole scenario); the
      // metrics are the same as with an early stop.
      stopWhenSettled: !full,
      metricsOnly: !full,
      recordTimeline: full,
      recordService: full,
      ...(options.maxTimelineEntries !== undefined ? { maxTimelineEntries: options.maxTimelineEntries } : {}),
      seed: options.seed,
      trialIndex: t,
      ...(options.maxEventsPerTrial !== undefined ? { maxEvents: options.maxEventsPerTrial } : {}),
      ...(options.budget ? { budget: options.budget } : {}),
    });
    if (full) firstTrial = result;
    const m = result.metrics;
    if (!full) {
      plainEvents += m.events;
      plainTrials++;
    }
    if (options.budget && t + 1 === projectAfter && t + 1 < trials && plainTrials > 0)
      options.budget.expect((plainEvents / plainTrials) * (trials - t - 1) * 0.5, etcdTrials);
    if (m.newLeaderAfterUs !== null) newLeader[nNew++] = m.newLeaderAfterUs;
    if (m.allKnowAfterUs !== null) allKnow[nAll++] = m.allKnowAfterUs;
    unavailable[t] = m.unavailableUs;
    if (m.splitVotes > 0) splitTrials++;
    if (m.termsUsed !== null && m.termsUsed > 1) multiTermTrials++;
    samples?.push({
      newLeaderAfterUs: m.newLeaderAfterUs,
      allKnowAfterUs: m.allKnowAfterUs,
      unavailableUs: m.unavailableUs,
      newLeader: m.newLeader,
      termsUsed: m.termsUsed,
      electionRounds: m.electionRounds,
      splitVotes: m.splitVotes,
    });
    rounds += m.electionRounds;
    if (m.termsUsed !== null) {
      terms += m.termsUsed;
      termsCount++;
    }
    if (m.truncated) truncatedTrials++;
  }
  const bins = options.histogramBins ?? 20;
  return {
    seed: options.seed,
    trials,
    newLeader: distribution(newLeader.subarray(0, nNew), trials, bins),
    allKnow: distribution(allKnow.subarray(0, nAll), trials, bins),
    unavailable: distribution(unavailable, trials, bins),
    splitVoteRate: trials > 0 ? splitTrials / trials : 0,
    multiTermShare: trials > 0 ? multiTermTrials / trials : 0,
    meanElectionRounds: trials > 0 ? rounds / trials : 0,
    meanTermsUsed: termsCount > 0 ? terms / termsCount : null,
    truncatedTrials,
    ...(firstTrial ? { firstTrial } : {}),
    ...(samples ? { samples } : {}),
  };
}
