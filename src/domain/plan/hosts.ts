/**
 * @module plan/hosts
 * The proposal seen as machines that can fail: which processes run on each host, as bit masks so that a
 * failure set can be judged in a few integer operations.
 *
 * Stacked (kubeadm): every control-plane node runs kube-apiserver, kube-controller-manager, kube-scheduler and
 * an etcd member, and its apiserver talks only to that local member (`--etcd-servers=https://127.0.0.1:2379`).
 * External: control-plane nodes run the three control-plane components; etcd members run on their own hosts,
 * and every apiserver lists every voting member.
 */
import { quorumSize } from '../quorum.js';
import type { Proposal } from '../proposal.js';

export interface Host {
  name: string;
  zone: string;
  /** Runs kube-apiserver, kube-controller-manager and kube-scheduler. */
  controlPlane: boolean;
  /** The etcd member on this host, if any. */
  etcdMember?: string;
  /** That member votes (is not a learner). */
  voter: boolean;
  /** The request field the host came from. */
  pointer: string;
}

export interface HostModel {
  topology: Proposal['topology'];
  hosts: Host[];
  /** Bit i set: host i runs an etcd voter. */
  voterMask: number;
  /** Bit i set: host i runs a control-plane instance. */
  controlPlaneMask: number;
  /**
   * Hosts whose apiserver can serve while they are up and etcd has quorum. Stacked: control-plane nodes whose
   * local member votes (a learner rejects the apiserver's linearizable requests). External: every control-plane
   * node, since its apiserver reaches every voter.
   */
  servingMask: number;
  voters: number;
  quorum: number;
}

export function hostModel(proposal: Proposal): HostModel {
  const hosts: Host[] = [];
  if (proposal.topology === 'stacked') {
    const memberOnHost = new Map(proposal.etcdMembers.map((member) => [member.host, member]));
    for (const node of proposal.controlPlaneNodes) {
      const member = memberOnHost.get(node.name);
      hosts.push({
        name: node.name,
        zone: node.zone,
        controlPlane: true,
        ...(member ? { etcdMember: member.name } : {}),
        voter: member !== undefined && !member.learner,
        pointer: node.pointer,
      });
    }
  } else {
    for (const node of proposal.controlPlaneNodes) {
      hosts.push({ name: node.name, zone: node.zone, controlPlane: true, voter: false, pointer: node.pointer });
    }
    for (const member of proposal.etcdMembers) {
      hosts.push({
        name: member.host,
        zone: member.zone,
        controlPlane: false,
        etcdMember: member.name,
        voter: !member.learner,
        pointer: member.pointer,
      });
    }
  }
  if (hosts.length > 30) throw new RangeError(`hostModel supports at most 30 hosts (bit masks), got ${hosts.length}`);

  let voterMask = 0;
  let controlPlaneMask = 0;
  let servingMask = 0;
  hosts.forEach((host, i) => {
    const bit = 1 << i;
    if (host.voter) voterMask |= bit;
    if (host.controlPlane) controlPlaneMask |= bit;
    if (host.controlPlane && (proposal.topology === 'external' || host.voter)) servingMask |= bit;
  });
  const voters = popcount(voterMask);
  return {
    topology: proposal.topology,
    hosts,
    voterMask,
    controlPlaneMask,
    servingMask,
    voters,
    quorum: quorumSize(voters),
  };
}

export function popcount(mask: number): number {
  let n = mask - ((mask >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Host names of the set bits of a mask, in host order. */
export function hostNames(model: HostModel, mask: number): string[] {
  return model.hosts.filter((_, i) => (mask & (1 << i)) !== 0).map((host) => host.name);
}

/** The mask of all hosts in a zone. */
export function zoneMask(model: HostModel, zone: string): number {
  let mask = 0;
  model.hosts.forEach((host, i) => {
    if (host.zone === zone) mask |= 1 << i;
  });
  return mask;
}
