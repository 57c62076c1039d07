/**
 * @module simulation/control-plane/failover-canonical
 * One canonical simulation input per loss case of the plan's failover section, so that cases which are the
 * same loss up to names share one distribution: losing any one of three identical nodes in identical zones, a
 * zone whose only host is a node, and proposals that differ only in names or in fields the simulation does not
 * read (addresses, ports, pointers, per-member timing flags, the load balancer's endpoint, zones without hosts,
 * how the RTTs were written).
 *
 * The canonical input is the proposal relabelled and reordered: zones z1…zk and hosts sorted by what they run,
 * whether they are lost and whether they hold the leases or lead etcd, with the RTT between every two zones
 * written out in full. Which host leads etcd is part of the input (the first voter, see lossRoles), so of three
 * identical nodes, losing the leader's is one case and losing either other one is another. Its JSON text is the key. Soundness does not rest on how well the ordering finds
 * symmetries: equal keys are equal simulation inputs by construction, so a shared distribution is exactly what
 * either case computes on its own; a symmetry the ordering misses only costs a second run.
 */
import { defaultKubernetesVersion } from '../../kubernetes-versions.js';
import type { ControlPlaneNode, EtcdMember, Proposal } from '../../proposal.js';
import { zoneRttMs } from '../../proposal.js';

export interface LossCase {
  loss: 'node' | 'zone';
  name: string;
  /** The hosts that go down. */
  hosts: string[];
}

export interface CanonicalLoss {
  /** The JSON text of everything below: equal keys, equal simulations. */
  key: string;
  proposal: Proposal;
  /** What crashes, in the canonical names. */
  target: { kind: 'node' | 'zone'; name: string };
  /** The control-plane node holding both leases when the loss happens. */
  holder: string;
}

interface HostInfo {
  name: string;
  zone: string;
  node: ControlPlaneNode | undefined;
  members: EtcdMember[];
  lost: boolean;
}

/**
 * Who holds what when the loss happens. The lost hosts' first control-plane node holds both leases (else the
 * proposal's first node does): the case that costs leadership, which a plan must budget for. etcd is led by
 * the proposal's first voter, as the election engine's steady start has it, so losing that voter's host costs
 * an etcd election and losing another voter's does not.
 */
function lossRoles(proposal: Proposal, lost: ReadonlySet<string>): { holder: string; etcdLeader?: string } {
  const holder = (proposal.controlPlaneNodes.find((n) => lost.has(n.name)) ?? proposal.controlPlaneNodes[0])!.name;
  const leader = proposal.etcdMembers.find((m) => !m.learner);
  return leader ? { holder, etcdLeader: leader.name } : { holder };
}

function hostsOf(proposal: Proposal, lost: ReadonlySet<string>): HostInfo[] {
  const byName = new Map<string, HostInfo>();
  const add = (name: string, zone: string): HostInfo => {
    let host = byName.get(name);
    if (!host) {
      host = { name, zone, node: undefined, members: [], lost: lost.has(name) };
      byName.set(name, host);
    }
    return host;
  };
  for (const n of proposal.controlPlaneNodes) add(n.name, n.zone).node = n;
  for (const m of proposal.etcdMembers) add(m.host, m.zone).members.push(m);
  return [...byName.values()];
}

/** The name-free description of a host: what it runs and its part in the loss. */
function hostSignature(host: HostInfo, roles: { holder: string; etcdLeader?: string }): string {
  const members = host.members
    .map((m) => `${m.learner ? 'learner' : 'voter'}${m.name === roles.etcdLeader ? '*' : ''}`)
    .sort()
    .join('+');
  return `${host.node ? 'cp' : 'etcd'}${host.name === roles.holder ? '*' : ''}:${members}:${host.lost ? 'lost' : 'up'}`;
}

/** The canonical simulation input of one loss case. `context` is folded into the key (trials, horizon, seed…). */
export function canonicalLoss(proposal: Proposal, c: LossCase, context: unknown): CanonicalLoss {
  const lost = new Set(c.hosts);
  const roles = lossRoles(proposal, lost);
  const hosts = hostsOf(proposal, lost);
  const signature = new Map(hosts.map((h) => [h, hostSignature(h, roles)]));
  // Zones with hosts only, each described without names: its hosts, whether it is the lost zone, its RTTs.
  const zones = proposal.zones.filter((z) => hosts.some((h) => h.zone === z));
  const zoneTarget = c.loss === 'zone' && c.hosts.length > 1 ? c.name : undefined;
  const zoneSignature = new Map(
    zones.map((z) => {
      const inZone = hosts
        .filter((h) => h.zone === z)
        .map((h) => signature.get(h)!)
        .sort();
      const rtts = zones
        .filter((other) => other !== z)
        .map((other) => zoneRttMs(proposal.network, z, other))
        .sort((a, b) => a - b);
      return [z, JSON.stringify([z === zoneTarget, inZone, zoneRttMs(proposal.network, z, z), rtts])];
    }),
  );
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  // Stable sorts: ties keep the proposal's order, which keeps the key a function of the proposal.
  const zoneOrder = [...zones].sort((a, b) => order(zoneSignature.get(a)!, zoneSignature.get(b)!));
  const zoneLabel = new Map(zoneOrder.map((z, i) => [z, `z${i + 1}`]));
  const hostOrder = [...hosts].sort(
    (a, b) => zoneOrder.indexOf(a.zone) - zoneOrder.indexOf(b.zone) || order(signature.get(a)!, signature.get(b)!),
  );
  const label = new Map<string, string>();
  let nodes = 0;
  let others = 0;
  for (const h of hostOrder) label.set(h.name, h.node ? `cp-${++nodes}` : `etcd-${++others}`);

  const controlPlaneNodes: ControlPlaneNode[] = hostOrder
    .filter((h) => h.node)
    .map((h) => ({ name: label.get(h.name)!, zone: zoneLabel.get(h.zone)!, pointer: '' }));
  const memberName = (h: HostInfo, m: EtcdMember): string =>
    h.members.length === 1 ? label.get(h.name)! : `${label.get(h.name)!}-${h.members.indexOf(m) + 1}`;
  const members = hostOrder.flatMap((h) =>
    h.members.map(
      (m): EtcdMember => ({
        name: memberName(h, m),
        zone: zoneLabel.get(h.zone)!,
        host: label.get(h.name)!,
        learner: m.learner,
        pointer: '',
      }),
    ),
  );
  // The election engine's steady leader is its first voter: the proposal's leader stays first.
  const leaderHost = hosts.find((h) => h.members.some((m) => m.name === roles.etcdLeader));
  if (leaderHost) {
    const leaderName = memberName(leaderHost, leaderHost.members.find((m) => m.name === roles.etcdLeader)!);
    const at = members.findIndex((m) => m.name === leaderName);
    members.unshift(...members.splice(at, 1));
  }

  const zonePairRttMs: Record<string, Record<string, number>> = {};
  for (const a of zoneOrder) {
    const row: Record<string, number> = {};
    for (const b of zoneOrder) row[zoneLabel.get(b)!] = zoneRttMs(proposal.network, a, b);
    zonePairRttMs[zoneLabel.get(a)!] = row;
  }
  const canonical: Proposal = {
    topology: proposal.topology,
    platform: proposal.platform,
    // Which texts a finding quotes does not change a failover: one key for every Kubernetes minor.
    kubernetesVersion: defaultKubernetesVersion,
    zones: zoneOrder.map((z) => zoneLabel.get(z)!),
    controlPlaneNodes,
    etcdMembers: members,
    network: { intraZoneRttMs: 0, interZoneRttMs: 0, zonePairRttMs },
    etcd: { ...proposal.etcd },
    leaderElection: { ...proposal.leaderElection },
    loadBalancer: { ...proposal.loadBalancer, endpoint: '' },
  };
  const target =
    zoneTarget !== undefined
      ? { kind: 'zone' as const, name: zoneLabel.get(zoneTarget)! }
      : { kind: 'node' as const, name: label.get(c.hosts[0]!)! };
  const holder = label.get(roles.holder)!;
  // The key (and the seed derived from it) leaves the Kubernetes minor out, as it leaves out everything a failover ignores.
  const { kubernetesVersion: _minor, ...keyed } = canonical;
  return { key: JSON.stringify({ proposal: keyed, target, holder, context }), proposal: canonical, target, holder };
}
