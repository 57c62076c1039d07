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
} from './monte-carlo.js';
import type { WithheldReason } from '../../statistics.js';
import { WorkBudget } from '../work-budget.js';
import { expectTrialsFit } from './cost.js';
import { capabilities, type Capability } from './trial.js';
import { canonicalLoss, type CanonicalLoss, type LossCase } from './failover-canonical.js';
import { scenarioEndUs } from '../fault-targets.js';
import { Random } from '../../random.js';

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

/** One loss case's figures, as the section reports them and the store keeps them. */
export interface CaseDistribution {
  gaps: Record<Capability, FailoverGap>;
  fullRecovery: FailoverGap;
  /** Events its trials charged to the work budget (both layers): taken from the store, it charges them again. */
  events: number;
}

/** Where distributions of canonical simulation inputs may be kept between sections (a bounded cache). */
export interface DistributionStore {
  get(key: string): CaseDistribution | undefined;
  set(key: string, value: CaseDistribution): void;
}

export interface FailoverPlanInput {
  proposal: Proposal;
  /** The etcd layer for one scenario of the (canonical) proposal: returns its report for each trial. */
  etcdTrialFor: (scenario: Scenario, proposal: Proposal) => (request: EtcdTrialRequest) => EtcdTrial;
  trialsPerCase: number;
  /** Every case's seed derives from it and the case's canonical simulation input. */
  seed: number;
  /** How long after the loss to watch. Default 30000 (beyond the slowest lease takeover, 23.8 s with defaults). */
  horizonMs?: number;
  options?: ControlPlaneOptions;
  /** Every event of every case is charged here; the whole section's estimate is checked first. */
  budget?: WorkBudget;
  /** Distributions already simulated, by canonical key; read and filled. It never changes an answer. */
  store?: DistributionStore;
}

function pick(d: GapDistribution): FailoverGap {
  const withheld: FailoverGap['withheld'] = {};
  if (d.withheld.p50) withheld.p50 = d.withheld.p50;
  if (d.withheld.p90) withheld.p90 = d.withheld.p90;
  return { trials: d.trials, p50Us: d.p50Us, p90Us: d.p90Us, unrecovered: d.unrecovered, withheld };
}

/** Every single-node and single-zone loss with at least one host, nodes first, in the proposal's order. */
export function lossCases(proposal: Proposal): LossCase[] {
  const hosts = new Map<string, string>();
  for (const n of proposal.controlPlaneNodes) hosts.set(n.name, n.zone);
  for (const m of proposal.etcdMembers) if (!hosts.has(m.host)) hosts.set(m.host, m.zone);
  return [
    ...[...hosts.keys()].map((h) => ({ loss: 'node' as const, name: h, hosts: [h] })),
    ...proposal.zones.map((z) => ({
      loss: 'zone' as const,
      name: z,
      hosts: [...hosts].filter(([, zone]) => zone === z).map(([h]) => h),
    })),
  ].filter((c) => c.hosts.length > 0);
}

export function planFailover(input: FailoverPlanInput): FailoverPlan {
  const { proposal } = input;
  const horizonMs = input.horizonMs ?? 30_000;
  const cases = lossCases(proposal);
  const budget = input.budget ?? WorkBudget.unlimited();
  // Cases that are the same loss up to names (a zone with a single host and that host; identical hosts in
  // identical zones; a case of another proposal) share one canonical input: simulated once, reported under each.
  const context = { trials: input.trialsPerCase, horizonMs, seed: input.seed, options: input.options ?? {} };
  const canonical = cases.map((c) => canonicalLoss(proposal, c, context));
  const unique = new Set(canonical.map((c) => c.key)).size;
  expectTrialsFit(
    buildModel(proposal, input.options),
    horizonMs * 1000 + 2_000_000,
    unique * input.trialsPerCase,
    budget,
  );
  const distinct = new Map<string, CaseDistribution>();
  const out: FailoverCase[] = cases.map((c, index) => {
    const key = canonical[index]!.key;
    let d = distinct.get(key);
    if (!d) {
      d = distributionOf(input, canonical[index]!, horizonMs, budget);
      distinct.set(key, d);
    }
    return {
      ...c,
      gaps: d.gaps,
      fullRecovery: d.fullRecovery,
      summary: caseSummary(c.loss, c.name, d.gaps, d.fullRecovery),
    };
  });

  return {
    seed: input.seed,
    trialsPerCase: input.trialsPerCase,
    horizonMs,
    assumptions: [
      'A lost control-plane node holds both the kube-controller-manager and the kube-scheduler lease (for a zone, its first control-plane node does; an etcd-only host holds none).',
      "etcd is led by the proposal's first voter when the loss happens: losing its host costs an etcd election, losing another voter's does not.",
      'The loss is a crash: no etcd leadership transfer, no lease release.',
      `Gaps are nearest-rank p50/p90 over ${input.trialsPerCase} seeded trials per case (a p90 needs at least 20); a gap still open ${horizonMs / 1000} s after the loss counts as not recovered.`,
      'Losses that are the same up to names (identical hosts in identical zones, a zone with one host and that host) share one simulation and its figures.',
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

/**
 * One canonical loss case's distribution: from the store when it was simulated before and its events still fit
 * the budget, else simulated. Both paths check the same estimate and charge the same events, so the answer
 * (a section, or the 400 of a budget exceeded) does not depend on what the store holds.
 */
function distributionOf(
  input: FailoverPlanInput,
  c: CanonicalLoss,
  horizonMs: number,
  budget: WorkBudget,
): CaseDistribution {
  const model = buildModel(c.proposal, {
    ...input.options,
    initialHolders: { 'kube-controller-manager': c.holder, 'kube-scheduler': c.holder },
  });
  const scenario: Scenario = {
    faults: [{ type: 'crash', target: c.target, at: { atMs: 1000, withinMs: 1000 } }],
    horizonMs,
  };
  const known = input.store?.get(c.key);
  if (known && known.events <= budget.remaining) {
    // What runControlPlaneMonteCarlo checks before running, then what the run charged.
    expectTrialsFit(model, scenarioEndUs(scenario), input.trialsPerCase, budget);
    budget.charge(known.events);
    return known;
  }
  const before = budget.used;
  const mc = runControlPlaneMonteCarlo({
    model,
    scenario,
    trials: input.trialsPerCase,
    seed: Random.derive(input.seed, c.key).nextUint32(),
    etcdTrial: input.etcdTrialFor(scenario, c.proposal),
    budget,
  });
  const gaps = Object.fromEntries(capabilities.map((k) => [k, pick(mc.gaps[k])])) as Record<Capability, FailoverGap>;
  const d: CaseDistribution = { gaps, fullRecovery: pick(mc.fullRecovery), events: budget.used - before };
  input.store?.set(c.key, d);
  return d;
}
