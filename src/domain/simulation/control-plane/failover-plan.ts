/**
 * @module simulation/control-plane/failover-plan
 * The plan answer's failover section: for each single-node and each single-zone loss of the proposed cluster,
 * the expected gap of every capability (p50/p90 over 20 seeded trials, each figure with its trial count).
 *
 * Conventions, stated in the answer: the lost node holds both leases (for a zone, its first control-plane node
 * does): the case that costs leadership, which is what a plan must budget for. The loss is a crash (no
 * graceful hand-over) at a moment spread over one second, so health-check, renewal and retry phases vary.
 */
import type { Proposal } from '../../proposal.js';
import type { Scenario } from '../scenario.js';
import { buildModel, type ControlPlaneOptions } from './model.js';
import {
  runControlPlaneMonteCarlo,
  type EtcdTrial,
  type EtcdTrialRequest,
  typicalGap,
  type GapDistribution,
  type ControlPlaneMonteCarloResult,
} from './monte-carlo.js';
import type { WithheldReason } from '../../statistics.js';
import { WorkBudget } from '../work-budget.js';
import { expectTrialsFit } from './cost.js';
import { capabilities, type Capability } from './trial.js';

interface FailoverGap {
  /** Trials behind the figures. */
  trials: number;
  p50Us: number | null;
  /** Null below 20 trials, or when it falls on an unrecovered trial (`withheld` says which). */
  p90Us: number | null;
  /** Trials (of trialsPerCase) in which it had not come back by the horizon. */
  unrecovered: number;
  withheld: Partial<Record<'p50' | 'p90', WithheldReason>>;
}

interface FailoverCase {
  loss: 'node' | 'zone';
  name: string;
  /** The hosts that go down. */
  hosts: string[];
  gaps: Record<Capability, FailoverGap>;
  fullRecovery: FailoverGap;
  summary: string;
}

export interface FailoverPlan {
  seed: number;
  trialsPerCase: number;
  horizonMs: number;
  assumptions: string[];
  cases: FailoverCase[];
}

export interface FailoverPlanInput {
  proposal: Proposal;
  /** The etcd layer for one scenario: returns its report for each trial. */
  etcdTrialFor: (scenario: Scenario) => (request: EtcdTrialRequest) => EtcdTrial;
  trialsPerCase: number;
  seed: number;
  /** How long after the loss to watch. Default 30000 (beyond the slowest lease takeover, 23.8 s with defaults). */
  horizonMs?: number;
  options?: ControlPlaneOptions;
  /** Every event of every case is charged here; the whole section's estimate is checked first. */
  budget?: WorkBudget;
}

function pick(d: GapDistribution): FailoverGap {
  const withheld: FailoverGap['withheld'] = {};
  if (d.withheld.p50) withheld.p50 = d.withheld.p50;
  if (d.withheld.p90) withheld.p90 = d.withheld.p90;
  return { trials: d.trials, p50Us: d.p50Us, p90Us: d.p90Us, unrecovered: d.unrecovered, withheld };
}

export function planFailover(input: FailoverPlanInput): FailoverPlan {
  const { proposal } = input;
  const horizonMs = input.horizonMs ?? 30_000;
  const hosts = new Map<string, string>();
  for (const n of proposal.controlPlaneNodes) hosts.set(n.name, n.zone);
  for (const m of proposal.etcdMembers) if (!hosts.has(m.host)) hosts.set(m.host, m.zone);
  const cases: { loss: 'node' | 'zone'; name: string; hosts: string[] }[] = [
    ...[...hosts.keys()].map((h) => ({ loss: 'node' as const, name: h, hosts: [h] })),
    ...proposal.zones.map((z) => ({
      loss: 'zone' as const,
      name: z,
      hosts: [...hosts].filter(([, zone]) => zone === z).map(([h]) => h),
    })),
  ].filter((c) => c.hosts.length > 0);
  const budget = input.budget ?? WorkBudget.unlimited();
  // A zone with a single host is the same loss as that host's: simulated once, reported under both names.
  const distinct = new Map<string, ControlPlaneMonteCarloResult>();
  const keyOf = (hosts: readonly string[]): string => [...hosts].sort().join('\n');
  const unique = new Set(cases.map((c) => keyOf(c.hosts))).size;
  expectTrialsFit(
    buildModel(proposal, input.options),
    horizonMs * 1000 + 2_000_000,
    unique * input.trialsPerCase,
    budget,
  );

  const out: FailoverCase[] = cases.map((c, index) => {
    const key = keyOf(c.hosts);
    const mc = distinct.get(key) ?? runCase(input, c, index, horizonMs, budget);
    distinct.set(key, mc);
    const gaps = Object.fromEntries(capabilities.map((k) => [k, pick(mc.gaps[k])])) as Record<Capability, FailoverGap>;
    return {
      ...c,
      gaps,
      fullRecovery: pick(mc.fullRecovery),
      summary: caseSummary(c.loss, c.name, gaps, pick(mc.fullRecovery)),
    };
  });

  return {
    seed: input.seed,
    trialsPerCase: input.trialsPerCase,
    horizonMs,
    assumptions: [
      'A lost control-plane node holds both the kube-controller-manager and the kube-scheduler lease (for a zone, its first control-plane node does; an etcd-only host holds none).',
      'The loss is a crash: no etcd leadership transfer, no lease release.',
      `Gaps are nearest-rank p50/p90 over ${input.trialsPerCase} seeded trials per case (a p90 needs at least 20); a gap still open ${horizonMs / 1000} s after the loss counts as not recovered.`,
    ],
    cases: out,
  };
}

function caseSummary(
  loss: 'node' | 'zone',
  name: string,
  gaps: Record<Capability, FailoverGap>,
  full: FailoverGap,
): string {
  const trials = `${full.trials} ${full.trials === 1 ? 'trial' : 'trials'}`;
  return (
    `Losing ${loss} ${name}, in ${trials}: etcd writes pause ${typicalGap(gaps.etcdWrites)}, API writes fail for some or all requests ${typicalGap(gaps.apiWrites)}, ` +
    `kube-controller-manager is leaderless ${typicalGap(gaps.controllerManagerLeader)}, kube-scheduler ${typicalGap(gaps.schedulerLeader)}; ` +
    `everything is back ${typicalGap(full)}.`
  );
}

/** One loss case's Monte Carlo: the lost hosts hold both leases (their first control-plane node does). */
function runCase(
  input: FailoverPlanInput,
  c: { loss: 'node' | 'zone'; name: string; hosts: string[] },
  index: number,
  horizonMs: number,
  budget: WorkBudget,
): ControlPlaneMonteCarloResult {
  const { proposal } = input;
  const holder =
    proposal.controlPlaneNodes.find((n) => c.hosts.includes(n.name))?.name ?? proposal.controlPlaneNodes[0]!.name;
  const model = buildModel(proposal, {
    ...input.options,
    initialHolders: { 'kube-controller-manager': holder, 'kube-scheduler': holder },
  });
  const scenario: Scenario = {
    faults: [
      {
        type: 'crash',
        target: c.loss === 'node' ? { kind: 'node', name: c.name } : { kind: 'zone', name: c.name },
        at: { atMs: 1000, withinMs: 1000 },
      },
    ],
    horizonMs,
  };
  return runControlPlaneMonteCarlo({
    model,
    scenario,
    trials: input.trialsPerCase,
    seed: (input.seed + index) >>> 0,
    etcdTrial: input.etcdTrialFor(scenario),
    budget,
  });
}
