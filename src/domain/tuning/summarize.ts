/**
 * @module tuning/summarize
 * A job's answer from its step results: per grid point the failover percentiles after a leader crash (with
 * their trial counts), the spurious-election rate with its interval, etcd's verdict on the flags and whether
 * the point meets the objective; the speed-vs-stability frontier; and the recommended point with its reason.
 * Pure and order-independent: step results are sorted before use, so any completion order gives the same
 * answer, byte for byte.
 */
import { plural } from '../text.js';
import { type PercentileName, summarizeSamples, type WithheldReason, withheldText } from '../statistics.js';
import { type SpuriousRate, spuriousRate } from './spurious-rate.js';
import {
  etcdVerdict,
  failoverHorizonMs,
  gridPoints,
  type GridPoint,
  proposalAt,
  type StepResult,
  type TuningInput,
} from './tuning-job.js';

interface FailoverSummary {
  /** Leader-crash trials run; percentiles are over all of them (a trial with no leader ranks above all). */
  trials: number;
  /** Trials with no new leader within the horizon. */
  noLeaderTrials: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /** Why a percentile is null (statistics.ts: p90 needs 20 trials, p99 200; or it falls on a censored trial). */
  withheld: Partial<Record<PercentileName, WithheldReason>>;
  horizonMs: number;
}

export interface PointSummary extends Omit<GridPoint, 'index'> {
  index: number;
  etcdAccepts: boolean;
  etcdFindings: { code: string; message: string }[];
  failover: FailoverSummary | null;
  spuriousElections: SpuriousRate | null;
  /** null when etcd refuses the flags (nothing was simulated). */
  meetsObjective: boolean | null;
  /** Why it misses the objective, one line per reason. */
  misses: string[];
}

export interface TuningAnswer {
  seed: number;
  points: PointSummary[];
  /** Indexes of the points no other point beats on both failover p99 and spurious rate, fastest first. */
  frontier: number[];
  recommendation: { point: number | null; reason: string };
}

/** The project's nearest-rank percentiles (statistics.ts) of crash → new leader, in ms. */
function failoverSummary(results: Extract<StepResult, { kind: 'failover' }>[], horizonMs: number): FailoverSummary {
  const s = summarizeSamples(results.flatMap((r) => r.newLeaderUs));
  const ms = (us: number | null) => (us === null ? null : us / 1000);
  return {
    trials: s.trials,
    noLeaderTrials: s.censored,
    p50Ms: ms(s.p50),
    p90Ms: ms(s.p90),
    p99Ms: ms(s.p99),
    withheld: s.withheld,
    horizonMs,
  };
}

export function summarize(input: TuningInput, results: readonly StepResult[]): TuningAnswer {
  const points = gridPoints(input.grid).map((point) => summarizePoint(input, point, results));
  const frontier = paretoFrontier(points);
  return { seed: input.seed, points, frontier, recommendation: recommend(input, points) };
}

function summarizePoint(input: TuningInput, point: GridPoint, results: readonly StepResult[]): PointSummary {
  const verdict = etcdVerdict(proposalAt(input, point));
  const summary: PointSummary = {
    ...point,
    etcdAccepts: verdict.accepts,
    etcdFindings: verdict.findings,
    failover: null,
    spuriousElections: null,
    meetsObjective: null,
    misses: [],
  };
  if (!verdict.accepts) {
    summary.misses.push('etcd refuses these flags at start');
    return summary;
  }
  const failovers = results
    .filter((r): r is Extract<StepResult, { kind: 'failover' }> => r.kind === 'failover' && r.point === point.index)
    .sort((a, b) => a.first - b.first);
  const steady = results
    .filter((r): r is Extract<StepResult, { kind: 'steady' }> => r.kind === 'steady' && r.point === point.index)
    .sort((a, b) => a.replication - b.replication);
  summary.failover = failoverSummary(failovers, failoverHorizonMs(point));
  summary.spuriousElections = steady.length > 0 ? spuriousRate(steady) : null;
  const p99 = summary.failover.p99Ms;
  const objective = input.objective;
  const failover = summary.failover;
  if (p99 === null)
    summary.misses.push(`failover ${withheldText('p99', failover.withheld.p99 ?? 'censored', failover.trials)}`);
  else if (p99 > objective.failoverP99Ms)
    summary.misses.push(`failover p99 ${fmt(p99)} ms is above the objective's ${fmt(objective.failoverP99Ms)} ms`);
  const upper = summary.spuriousElections?.upper ?? Number.POSITIVE_INFINITY;
  if (upper > objective.spuriousPerClusterYear)
    summary.misses.push(
      `spurious elections could be up to ${fmt(upper)} per cluster-year (95% upper bound), above the objective's ${fmt(objective.spuriousPerClusterYear)}`,
    );
  summary.meetsObjective = summary.misses.length === 0;
  return summary;
}

/** Points etcd accepts, with both figures, that no other such point beats on both (fastest first). */
export function paretoFrontier(points: readonly PointSummary[]): number[] {
  const scored = points
    .filter((p) => p.etcdAccepts && p.failover?.p99Ms != null && p.spuriousElections)
    .map((p) => ({ index: p.index, speed: p.failover!.p99Ms!, rate: p.spuriousElections!.perClusterYear }));
  return scored
    .filter(
      (a) =>
        !scored.some(
          (b) =>
            b.index !== a.index && b.speed <= a.speed && b.rate <= a.rate && (b.speed < a.speed || b.rate < a.rate),
        ),
    )
    .sort((a, b) => a.speed - b.speed || a.rate - b.rate || a.index - b.index)
    .map((a) => a.index);
}

/** The fastest failover among the points that meet the objective; ties go to the fewer spurious elections. */
function recommend(input: TuningInput, points: readonly PointSummary[]): TuningAnswer['recommendation'] {
  const meeting = points
    .filter((p) => p.meetsObjective)
    .sort(
      (a, b) =>
        a.failover!.p99Ms! - b.failover!.p99Ms! ||
        a.spuriousElections!.perClusterYear - b.spuriousElections!.perClusterYear ||
        a.index - b.index,
    );
  const best = meeting[0];
  if (!best) {
    const accepted = points.filter((p) => p.etcdAccepts).length;
    return {
      point: null,
      reason:
        accepted === 0
          ? 'No grid point has flags etcd accepts; widen the grid (etcd needs an election timeout of at least 5 heartbeats and at most 50 s).'
          : `${accepted === 1 ? 'The one point etcd accepts does not meet' : `None of the ${accepted} points etcd accepts meets`} the objective (failover p99 ≤ ${fmt(input.objective.failoverP99Ms)} ms and at most ${fmt(input.objective.spuriousPerClusterYear)} spurious elections per cluster-year); see each point's misses and the frontier.`,
    };
  }
  const rate = best.spuriousElections!;
  return {
    point: best.index,
    reason:
      `heartbeat ${fmt(best.heartbeatIntervalMs)} ms, election timeout ${fmt(best.electionTimeoutMs)} ms, pre-vote ${best.preVote ? 'on' : 'off'}: ` +
      `the fastest failover (p99 ${fmt(best.failover!.p99Ms!)} ms over ${best.failover!.trials} leader crashes) of the ${meeting.length === 1 ? 'one point that meets' : `${meeting.length} points that meet`} the objective, ` +
      `with ${fmt(rate.perClusterYear)} spurious elections per cluster-year (95% interval ${fmt(rate.lower)}–${fmt(rate.upper)}, ${rate.replications} replications).`,
  };
}

/** Numbers for sentences: three significant digits, no exponent below 1e-6. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

/**
 * The finished job in one paragraph, answer first (the recommended flags and why), from the answer's fields
 * only; the interval of the spurious rate and each point's misses stay in the fields.
 */
export function tuningAnswerSummary(id: string, answer: TuningAnswer): string {
  const meeting = answer.points.filter((p) => p.meetsObjective).length;
  const grid = `${plural(answer.points.length, 'grid point')} in all, ${meeting} meeting the objective, ${answer.frontier.length} on the speed-vs-stability frontier.`;
  const best = answer.recommendation.point === null ? undefined : answer.points[answer.recommendation.point];
  if (!best?.failover || !best.spuriousElections)
    return `Tuning job ${id} is complete and recommends no grid point: ${answer.recommendation.reason} ${grid}`;
  return (
    `Tuning job ${id} is complete and recommends heartbeat ${fmt(best.heartbeatIntervalMs)} ms, election timeout ${fmt(best.electionTimeoutMs)} ms, ` +
    `pre-vote ${best.preVote ? 'on' : 'off'}: failover p99 ${fmt(best.failover.p99Ms!)} ms in ${plural(best.failover.trials, 'leader crash', 'leader crashes')}, ` +
    `${fmt(best.spuriousElections.perClusterYear)} spurious elections per cluster-year. ${grid}`
  );
}
