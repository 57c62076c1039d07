/**
 * Benchmark of the planner, in-process (no HTTP): the plan for a 3-node stacked cluster (target: well under
 * 1 ms of CPU), the largest accepted proposal (9 control-plane nodes + 9 etcd members: the enumeration's
 * worst case), and recommendations. Run: `npx tsx bench/plan.ts [iterations]`. Figures depend on the machine;
 * record them with the date in BENCHMARKS.md, not in tests.
 */
import { normalizeProposal } from '../src/domain/normalize-proposal.js';
import { analyzePlan } from '../src/domain/plan/index.js';
import { normalizeRecommendationInput, recommend } from '../src/domain/plan/recommend.js';
import type { ProposalInput } from '../src/domain/proposal-input.js';
import type { RecommendationInput } from '../src/domain/plan/recommend.js';

const iterations = Number(process.argv[2] ?? 2000);

function measure(name: string, n: number, run: () => unknown): void {
  for (let i = 0; i < Math.min(200, n); i++) run(); // warm up the JIT
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerRun = ((cpu.user + cpu.system) / 1000 / n).toFixed(3);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(3);
  console.log(
    `${name.padEnd(48)} n=${n}  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms  CPU/run ${cpuMsPerRun} ms`,
  );
}

function plan(input: ProposalInput) {
  const result = normalizeProposal(input);
  if (!result.ok) throw new Error('invalid benchmark input');
  return analyzePlan(result.proposal);
}

function recommendations(input: RecommendationInput) {
  const result = normalizeRecommendationInput(input, { maxVoters: 9, maxControlPlaneNodes: 9 });
  if (!result.ok) throw new Error('invalid benchmark input');
  return recommend(result.request);
}

measure('plan: 3-node stacked (normalize + analyze)', iterations, () =>
  plan({ topology: 'stacked', controlPlane: { nodes: 3 } }),
);
measure('plan: 5 external over 3 zones', iterations, () =>
  plan({ topology: 'external', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] }, etcd: { members: 5 } }),
);
measure('plan: largest accepted (9 cp + 9 etcd, 3 zones)', Math.max(20, iterations / 20), () =>
  plan({ topology: 'external', controlPlane: { nodes: 9, zones: ['a', 'b', 'c'] }, etcd: { members: 9 } }),
);
measure('recommend: 1 failure + zone loss, 3 zones', Math.max(20, iterations / 20), () =>
  recommendations({ nodeFailures: 1, zoneLoss: true, zones: ['a', 'b', 'c'] }),
);
measure('recommend: 4 failures + zone loss, 9 zones', Math.max(5, iterations / 200), () =>
  recommendations({ nodeFailures: 4, zoneLoss: true, zones: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }),
);
