/**
 * Reproduces the Raft paper's leader-crash experiment (USENIX ATC 2014, §9.3, Figure 16) with the classic
 * timing model: for every timeout range it prints the downtime CDF (crash → every survivor follows the new
 * leader) over N trials. Usage: npx tsx scripts/raft-paper.ts [trials=1000] [seed=1]
 */
import { runTrials } from '../src/domain/simulation/monte-carlo.js';
import { raftPaperConfig, raftPaperScenario, raftPaperTimeoutRangesMs } from '../src/domain/simulation/presets.js';

const trials = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
const only = process.argv[4];
const checkpointsMs = [25, 50, 100, 150, 200, 250, 300, 400, 500, 1000, 2000, 5000, 10000, 30000];

console.log(`Raft paper §9.3 / Figure 16 — ${trials} trials per range, seed ${seed}`);
console.log(
  'downtime = leader crash → every survivor has heard from the new leader; fraction of trials with downtime ≤ t\n',
);
console.log(
  [
    'range (ms)'.padEnd(11),
    'p50'.padStart(8),
    'p90'.padStart(8),
    'p99'.padStart(8),
    'max'.padStart(8),
    'mean'.padStart(8),
    'split%'.padStart(7),
    ...checkpointsMs.map((t) => `≤${t}`.padStart(7)),
  ].join(' '),
);
for (const [min, max] of raftPaperTimeoutRangesMs) {
  if (only && only !== `${min}-${max}`) continue;
  const metrics = runTrials(raftPaperConfig(min, max), raftPaperScenario(min, 60_000), {
    trials,
    seed,
    maxEventsPerTrial: 2_000_000,
  });
  const values = metrics
    .map((m) => m.allKnowAfterUs)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  const censored = trials - values.length;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * trials));
    return rank <= values.length ? (values[rank - 1]! / 1000).toFixed(0) : '>60s';
  };
  const mean = values.length ? (values.reduce((a, b) => a + b, 0) / values.length / 1000).toFixed(0) : '-';
  const split = ((100 * metrics.filter((m) => m.splitVotes > 0).length) / trials).toFixed(1);
  const cdf = checkpointsMs.map((t) => (values.filter((v) => v <= t * 1000).length / trials).toFixed(3).padStart(7));
  console.log(
    [
      `${min}-${max}`.padEnd(11),
      at(50).padStart(8),
      at(90).padStart(8),
      at(99).padStart(8),
      (censored ? '>60s' : (values.at(-1)! / 1000).toFixed(0)).padStart(8),
      mean.padStart(8),
      split.padStart(7),
      ...cdf,
    ].join(' '),
  );
}
