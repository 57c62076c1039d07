/**
 * @module plan/comparison
 * Stacked and external etcd side by side for the same etcd requirement (same voters in the same zones), as
 * kubeadm's HA topology page frames the choice: stacked needs fewer hosts but couples failures (a lost node
 * takes an etcd member and a control-plane instance); external decouples them at the cost of more hosts.
 *
 * The other topology is derived from the proposal:
 * - stacked → external: the same control-plane nodes, plus one dedicated etcd host per stacked member, in
 *   that member's zone;
 * - external → stacked: one control-plane node per voting member, in that member's zone (stacked cannot host
 *   learners, and its control-plane size is its etcd size).
 */
import type { EtcdMember, Proposal } from '../proposal.js';
import { voters } from '../proposal.js';
import { plural } from '../text.js';
import { hostModel, type HostModel } from './hosts.js';
import { hostLosses, zoneLosses, type ZoneLoss } from './failure-domains.js';
import { toleranceWithin, tolerances, type ToleranceReport } from './failure-sets.js';
import { writeLatency, type WriteLatency } from './write-latency.js';

interface TopologySide {
  topology: Proposal['topology'];
  /** Whether this is the proposal as given, or the other topology derived from it. */
  proposed: boolean;
  derivation: string;
  hostCount: number;
  controlPlaneHosts: number;
  etcdHosts: number;
  voters: number;
  tolerates: {
    /** etcd hosts that may fail with a quorum left (voters − quorum when every voter has its own host). */
    etcdHostFailures: number | null;
    /** Control-plane nodes that may fail (nothing else) with an apiserver still serving. */
    controlPlaneNodeFailures: number | null;
    /** Arbitrary hosts of any kind that may fail with etcd, the API and the controllers all working. */
    anyHostFailures: number | null;
  };
  /** Every single-zone loss keeps every capability. */
  survivesAnyZoneLoss: boolean;
  /** Some host runs both an etcd voter and a control-plane instance. */
  coupledFailure: boolean;
  blastRadius: { host: string; zone: string; takesDown: string[] }[];
  writeLatencyMs: { best: number; worst: number } | null;
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${wanted}-${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function otherTopology(proposal: Proposal): Proposal {
  if (proposal.topology === 'stacked') {
    const taken = new Set(proposal.controlPlaneNodes.map((node) => node.name.toLowerCase()));
    const etcdMembers: EtcdMember[] = proposal.etcdMembers.map((member, i) => {
      const name = uniqueName(`etcd-${i + 1}`, taken);
      return { name, zone: member.zone, learner: member.learner, host: name, pointer: member.pointer };
    });
    return { ...proposal, topology: 'external', etcdMembers };
  }
  const taken = new Set<string>();
  const controlPlaneNodes = voters(proposal).map((member, i) => ({
    name: uniqueName(`cp-${i + 1}`, taken),
    zone: member.zone,
    pointer: member.pointer,
  }));
  const etcdMembers: EtcdMember[] = controlPlaneNodes.map((node) => ({
    name: node.name,
    zone: node.zone,
    learner: false,
    host: node.name,
    pointer: node.pointer,
  }));
  return { ...proposal, topology: 'stacked', controlPlaneNodes, etcdMembers };
}

/** What the plan has already worked out for the proposal, so its own side is not computed twice. */
export interface SideParts {
  model: HostModel;
  report: ToleranceReport;
  latency: WriteLatency | undefined;
  zoneLosses: ZoneLoss[];
}

function sideParts(proposal: Proposal): SideParts {
  const model = hostModel(proposal);
  return {
    model,
    report: tolerances(model),
    latency: writeLatency(voters(proposal), proposal.network, proposal.etcd.diskSyncMs),
    zoneLosses: zoneLosses(model, proposal.zones),
  };
}

function topologySide(proposal: Proposal, proposed: boolean, parts = sideParts(proposal)): TopologySide {
  const { model, report, latency } = parts;
  const losses = hostLosses(model);
  const derivation = proposed
    ? 'The proposal as given.'
    : proposal.topology === 'external'
      ? "Derived: the same control-plane nodes, plus one dedicated etcd host per member, each in its member's zone."
      : "Derived: one stacked control-plane node per voting member, each in its member's zone.";
  return {
    topology: proposal.topology,
    proposed,
    derivation,
    hostCount: model.hosts.length,
    controlPlaneHosts: model.hosts.filter((host) => host.controlPlane).length,
    etcdHosts: model.hosts.filter((host) => host.etcdMember !== undefined).length,
    voters: model.voters,
    tolerates: {
      etcdHostFailures: report.byCapability.etcdQuorum.tolerated,
      controlPlaneNodeFailures: toleranceWithin(model, model.controlPlaneMask, 'apiServer'),
      anyHostFailures: report.cluster.tolerated,
    },
    survivesAnyZoneLoss: parts.zoneLosses.every(
      (loss) => loss.survives.etcdQuorum && loss.survives.apiServer && loss.survives.controllerLeaders,
    ),
    coupledFailure: losses.some((loss) => loss.coupled),
    blastRadius: losses.map((loss) => ({ host: loss.host, zone: loss.zone, takesDown: loss.runs })),
    writeLatencyMs: latency ? { best: latency.bestMs, worst: latency.worstMs } : null,
  };
}

export interface Comparison {
  stacked: TopologySide;
  external: TopologySide;
  note: string;
}

export function compareTopologies(proposal: Proposal, proposedParts?: SideParts): Comparison {
  const proposedSide = topologySide(proposal, true, proposedParts);
  const otherSide = topologySide(otherTopology(proposal), false);
  const stacked = proposal.topology === 'stacked' ? proposedSide : otherSide;
  const external = proposal.topology === 'external' ? proposedSide : otherSide;
  const note =
    `Stacked uses ${plural(stacked.hostCount, 'host')} and couples failures: each node loss takes an etcd member and a control-plane instance together. ` +
    `External uses ${plural(external.hostCount, 'host')} (${external.controlPlaneHosts} control-plane + ${external.etcdHosts} etcd) and decouples them: ` +
    'losing a control-plane node leaves etcd untouched, and losing an etcd host leaves every apiserver running.';
  return { stacked, external, note };
}
