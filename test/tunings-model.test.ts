/**
 * The tuner's statistics and models, checked against independent references: published Poisson intervals,
 * hand-computed intervals and frontiers, the election engine's own steady runs (the steady model must elect
 * for nothing as often as the engine does where that is frequent), and direct counting (splitting must agree
 * with it where elections are frequent enough to count).
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../src/domain/random.js';
import { plainMembers, uniformNetwork } from '../src/domain/simulation/election-config.js';
import { ElectionEngine } from '../src/domain/simulation/election-engine.js';
import { type Disturbance, quietDisturbance, usPerYear } from '../src/domain/tuning/disturbance.js';
import { estimateBySplitting, type SplittingResult, splittingLevels } from '../src/domain/tuning/splitting.js';
import { poissonInterval, replicationRatePerUs, spuriousRate } from '../src/domain/tuning/spurious-rate.js';
import { countSpuriousDirectly, SteadyCluster } from '../src/domain/tuning/steady-cluster.js';
import { type PointSummary, paretoFrontier } from '../src/domain/tuning/summarize.js';
import { gridPoints } from '../src/domain/tuning/tuning-job.js';

const oneWay = (n: number, us: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : us)));
const hour = 3_600_000_000;

describe('Poisson (Garwood) intervals', () => {
  it('match the published exact 95% limits', () => {
    // Garwood 1936 / the standard table (e.g. Ulm 1990): 0 → [0, 3.689], 1 → [0.0253, 5.572], 10 → [4.795, 18.39].
    const zero = poissonInterval(0);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(3.689, 2);
    const one = poissonInterval(1);
    expect(one.lower).toBeCloseTo(0.0253, 3);
    expect(one.upper).toBeCloseTo(5.572, 2);
    const ten = poissonInterval(10);
    expect(ten.lower).toBeCloseTo(4.795, 2);
    expect(ten.upper).toBeCloseTo(18.39, 1);
  });

  it('stay continuous where the large-count approximation takes over (300 → 301)', () => {
    const below = poissonInterval(300);
    const above = poissonInterval(301);
    expect(above.lower - below.lower).toBeGreaterThan(0.5);
    expect(above.lower - below.lower).toBeLessThan(1.5);
    // Normal approximation as a sanity bound: 301 ± 1.96·√301 ≈ [267, 335].
    expect(above.lower).toBeGreaterThan(265);
    expect(above.upper).toBeLessThan(340);
  });
});

describe('spurious rate from replications', () => {
  const replication = (entrances: number, stages: [number, number][]): SplittingResult => ({
    levels: stages.map((_, k) => k + 2),
    exposureUs: hour,
    directElections: 0,
    entrances,
    stages: stages.map(([successes, tries]) => ({ successes, tries })),
    processed: 0,
    truncated: false,
  });

  it('is λ₁ · Π p_k per replication, averaged, with a Student-t interval', () => {
    // 100 entrances per hour × 0.5 × 0.1 = 5 per hour; 200 × 0.5 × 0.1 = 10 per hour.
    const a = replication(100, [
      [50, 100],
      [10, 100],
    ]);
    const b = replication(200, [
      [50, 100],
      [10, 100],
    ]);
    expect(replicationRatePerUs(a) * hour).toBeCloseTo(5, 10);
    const rate = spuriousRate([a, b]);
    const perYear = (perHour: number) => (perHour * usPerYear) / hour;
    expect(rate.perClusterYear).toBeCloseTo(perYear(7.5), 6);
    // Two replications: sd = √((2.5² + 2.5²)/1) = 3.5355 per hour, se = 2.5, t(0.975, 1) = 12.706.
    expect(rate.upper).toBeCloseTo(perYear(7.5 + 12.706 * 2.5), 3);
    expect(rate.lower).toBe(0);
  });

  it('bounds a rate nobody reached by the rule of three on the first empty level', () => {
    const a = replication(10, [
      [5, 50],
      [0, 50],
    ]);
    const rate = spuriousRate([a, a]);
    expect(rate.perClusterYear).toBe(0);
    // Pooled: 20 entrances in 2 h, × 10/100, × 3/100.
    expect(rate.upper).toBeCloseTo(((20 / (2 * hour)) * 0.1 * 0.03 * usPerYear) as number, 6);
  });
});

describe('grid and frontier', () => {
  it('orders grid points by heartbeat, election timeout, pre-vote, without duplicates', () => {
    const points = gridPoints({
      heartbeatIntervalMs: [100, 50, 100],
      electionTimeoutMs: [1000, 500],
      preVote: [true, false],
    });
    expect(points.map((p) => [p.heartbeatIntervalMs, p.electionTimeoutMs, p.preVote])).toEqual([
      [50, 500, false],
      [50, 500, true],
      [50, 1000, false],
      [50, 1000, true],
      [100, 500, false],
      [100, 500, true],
      [100, 1000, false],
      [100, 1000, true],
    ]);
  });

  it('keeps exactly the points no other point beats on both speed and stability', () => {
    const point = (index: number, p99Ms: number, perClusterYear: number, etcdAccepts = true) =>
      ({
        index,
        etcdAccepts,
        failover: { p99Ms },
        spuriousElections: { perClusterYear },
      }) as unknown as PointSummary;
    // 0 fast/unstable, 1 slow/stable, 2 dominated by 3, 3 in between, 4 refused by etcd (never on it).
    const frontier = paretoFrontier([
      point(0, 500, 10),
      point(1, 3000, 0.1),
      point(2, 2000, 5),
      point(3, 1500, 1),
      point(4, 100, 0, false),
    ]);
    expect(frontier).toEqual([0, 3, 1]);
  });
});

describe('the steady model against the election engine', () => {
  /** Fraction of fresh steady clusters that elect for nothing within 60 s, in the engine and in the model. */
  function firstMinute(
    n: number,
    electionTimeoutMs: number,
    lossProbability: number,
    preVote: boolean,
    trials: number,
  ) {
    const members = plainMembers(n);
    const engine = new ElectionEngine(
      {
        members,
        timing: {
          model: 'etcd',
          heartbeatIntervalMs: 100,
          electionTimeoutMs,
          preVote,
          initialElectionTickAdvance: true,
        },
        network: uniformNetwork(n, 1, { diskSyncMs: 1, lossProbability }),
        start: 'steady',
      },
      // A partition with every member on one side cuts nothing: it only starts the engine's clock of "after
      // the fault", so newLeaderAfterUs is the first election of a healthy cluster.
      { faults: [{ type: 'partition', groups: [members.map((m) => m.name)], at: { atMs: 0 } }], horizonMs: 60_000 },
    );
    let engineElected = 0;
    for (let t = 0; t < trials; t++)
      if (engine.run(Random.derive(5, t), { metricsOnly: true }).metrics.newLeaderAfterUs !== null) engineElected++;
    const disturbance: Disturbance = { ...quietDisturbance, lossProbability };
    let modelElected = 0;
    for (let t = 0; t < trials; t++) {
      const cluster = new SteadyCluster(
        { oneWayUs: oneWay(n, 500), heartbeatIntervalMs: 100, electionTimeoutMs, preVote, disturbance },
        Random.derive(6, t),
      );
      while (cluster.nowUs < 60_000_000 && !cluster.fired) cluster.step();
      if (cluster.fired) modelElected++;
    }
    return { engine: engineElected / trials, model: modelElected / trials };
  }

  /** Two-proportion z statistic. */
  const z = (p1: number, p2: number, n: number) => {
    const p = (p1 + p2) / 2;
    return Math.abs(p1 - p2) / Math.sqrt((2 * p * (1 - p)) / n);
  };

  it.each([
    [3, 500, 0.2, false],
    [3, 500, 0.3, true],
  ] as const)(
    '%i members, election %i ms, loss %f, pre-vote %s: same first-minute election share',
    (n, et, loss, preVote) => {
      const trials = 300;
      const { engine, model } = firstMinute(n, et, loss, preVote, trials);
      // Both frequent enough to compare (tens of elections in 300 trials), and within 3 standard errors.
      expect(engine).toBeGreaterThan(0.05);
      expect(model).toBeGreaterThan(0.05);
      expect(z(engine, model, trials)).toBeLessThan(3);
    },
  );
});

describe('splitting against direct counting', () => {
  const config = (preVote: boolean, disturbance: Disturbance, n: number, electionTimeoutMs: number) => ({
    oneWayUs: oneWay(n, 500),
    heartbeatIntervalMs: 100,
    electionTimeoutMs,
    preVote,
    disturbance,
  });

  it.each([
    ['pre-vote, 30% loss', config(true, { ...quietDisturbance, lossProbability: 0.3 }, 3, 500)],
    [
      'fsync stalls on 5 members',
      config(false, { ...quietDisturbance, fsyncStalls: { perHour: 60, meanDurationMs: 300 } }, 5, 1000),
    ],
  ])(
    '%s: the mean over replications agrees',
    (_name, steady) => {
      const replications = 4;
      const direct: number[] = [];
      const split: number[] = [];
      for (let r = 0; r < replications; r++) {
        // Same label: the same draw of tick phases and timeouts, counted directly over 3 h and split over 15 min.
        const counted = countSpuriousDirectly(steady, 3, `r${r}`, 3 * hour, 50_000_000);
        direct.push(counted.elections / (counted.exposureUs / hour));
        const result = estimateBySplitting(steady, {
          seed: 3,
          label: `r${r}`,
          horizonUs: hour / 4,
          effort: 300,
          maxEvents: 20_000_000,
        });
        split.push(replicationRatePerUs(result) * hour);
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const se = (xs: number[]) =>
        Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
      // Direct counts: Poisson noise at least, whatever the replication spread.
      const directSe = Math.max(se(direct), Math.sqrt(mean(direct) / (3 * replications)));
      expect(mean(direct)).toBeGreaterThan(1);
      expect(Math.abs(mean(split) - mean(direct)), `split ${split} vs direct ${direct}`).toBeLessThan(
        3 * Math.sqrt(directSe ** 2 + se(split) ** 2),
      );
    },
    60_000,
  );

  it('is reproducible from its seed and label, and levels climb from 2 ticks to et − 1', () => {
    const steady = config(false, { ...quietDisturbance, lossProbability: 0.2 }, 3, 500);
    const options = { seed: 9, label: 'x', horizonUs: hour / 20, effort: 50, maxEvents: 2_000_000 };
    expect(estimateBySplitting(steady, options)).toEqual(estimateBySplitting(steady, options));
    expect(estimateBySplitting(steady, { ...options, label: 'y' })).not.toEqual(estimateBySplitting(steady, options));
    expect(splittingLevels(5)).toEqual([2, 3, 4]);
    expect(splittingLevels(10)).toEqual([2, 3, 5, 6, 8, 9]);
  });
});
