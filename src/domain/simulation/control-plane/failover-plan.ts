/**
 * @module simulation/control-plane/failover-plan
 * The plan answer's failover section: for each single-node and each single-zone loss of the proposed cluster,
 * the expected gap of every capability (p50/p90 over a small seeded Monte Carlo).
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
  type GapDistribution,
} from './monte-carlo.js';
import { capabilities, type Capability } from './trial.js';
import { formatSeconds } from './timeline.js';

export interface FailoverGap {
  p50Us: number | null;
  p90Us: number | null;
  /** Trials (of trialsPerCase) in which it had not come back by the horizon. */
  unrecovered: number;
}

export interface FailoverCase {
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
}

const pick = (d: GapDistribution): FailoverGap => ({ p50Us: d.p50Us, p90Us: d.p90Us, unrecovered: d.unrecovered });

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

  const out: FailoverCase[] = cases.map((c, index) => {
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
    const mc = runControlPlaneMonteCarlo({
      model,
      scenario,
      trials: input.trialsPerCase,
      seed: (input.seed + index) >>> 0,
      etcdTrial: input.etcdTrialFor(scenario),
    });
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
      `Gaps are p50/p90 over ${input.trialsPerCase} seeded trials per case; a gap still open ${horizonMs / 1000} s after the loss counts as not recovered.`,
    ],
    cases: out,
  };
}

const fmt = (g: FailoverGap): string =>
  g.p50Us === null
    ? 'not recovered'
    : `${formatSeconds(g.p50Us)} s (p90 ${g.p90Us === null ? 'not recovered' : `${formatSeconds(g.p90Us)} s`})`;

function caseSummary(
  loss: 'node' | 'zone',
  name: string,
  gaps: Record<Capability, FailoverGap>,
  full: FailoverGap,
): string {
  return (
    `Losing ${loss} ${name}: etcd writes pause ${fmt(gaps.etcdWrites)}, API writes fail for some or all requests ${fmt(gaps.apiWrites)}, ` +
    `kube-controller-manager leaderless ${fmt(gaps.controllerManagerLeader)}, kube-scheduler leaderless ${fmt(gaps.schedulerLeader)}; ` +
    `everything back after ${fmt(full)}.`
  );
}
