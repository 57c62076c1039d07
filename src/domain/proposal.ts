/**
 * @module proposal
 * The normalized proposed cluster that every part of the engine reads: the planner, the configuration
 * generator and the failover simulator. The HTTP layer turns a request body (counts or lists, defaults
 * omitted) into one of these; from here on everything is explicit: every member named and placed, every
 * timing set, every RTT known.
 *
 * Each entity remembers `pointer`, the JSON pointer of the request field it came from, so findings can point
 * back at what the user wrote (for generated members, the pointer of the count that produced them).
 */
import type { EtcdVersion } from './etcd-versions.js';
import type { KubernetesVersion } from './kubernetes-versions.js';

export type Topology = 'stacked' | 'external';

/**
 * local: a single-node cluster on a laptop (minikube, kind); self-managed: kubeadm-style, the user runs
 * etcd (the default); hosted: GKE/EKS/AKS, where the provider runs etcd and the control plane.
 */
export type Platform = 'local' | 'self-managed' | 'hosted';

export interface ControlPlaneNode {
  name: string;
  zone: string;
  /** IPv4 or IPv6 literal or DNS name; absent when the user gave none. */
  address?: string;
  pointer: string;
}

export interface EtcdMember {
  name: string;
  zone: string;
  address?: string;
  /** Learners replicate but never vote, never count toward quorum and cannot lead. */
  /** Client and peer ports, when the request gave them (external members); 2379 and 2380 otherwise. */
  clientPort?: number;
  peerPort?: number;
  learner: boolean;
  /**
   * The host the member runs on. Stacked: the control-plane node's name (one member per node).
   * External: the member's own name (a dedicated host).
   */
  host: string;
  /**
   * Timing flags this member was given, when the request sets them per member. etcd requires every member
   * to use the same values; a difference is an error finding. Absent: the member uses `EtcdSettings`.
   */
  heartbeatIntervalMs?: number;
  electionTimeoutMs?: number;
  pointer: string;
}

interface EtcdSettings {
  version: EtcdVersion;
  /** `--heartbeat-interval`, the Raft tick. Default 100. */
  heartbeatIntervalMs: number;
  /** `--election-timeout`. Default 1000. */
  electionTimeoutMs: number;
  /** `--pre-vote`; default false for 3.4, true for 3.5 and later. */
  preVote: boolean;
  /** etcd 3.6 `--max-learners`; 1 for earlier versions, where it is fixed. */
  maxLearners: number;
  /** Disk sync before a vote or append is acknowledged (fsync): SSD < 1 ms, HDD ~10 ms. Default 1. */
  diskSyncMs: number;
}

/** client-go leader election for kube-controller-manager and kube-scheduler. */
interface LeaderElectionSettings {
  /** `--leader-elect-lease-duration`, default 15. */
  leaseDurationS: number;
  /** `--leader-elect-renew-deadline`, default 10. */
  renewDeadlineS: number;
  /** `--leader-elect-retry-period`, default 2. */
  retryPeriodS: number;
}

/** The TCP load balancer in front of the apiservers (controlPlaneEndpoint). */
interface LoadBalancer {
  /** host:port, e.g. "k8s-api.example.internal:6443". */
  endpoint: string;
  /** Seconds between health checks of each backend (haproxy `inter`). Default 2. */
  healthCheckIntervalS: number;
  /** Seconds before a health check counts as failed. Default 1. */
  healthCheckTimeoutS: number;
  /** Consecutive failed checks before a backend is taken out (haproxy `fall`). Default 3. */
  unhealthyThreshold: number;
  /** Consecutive passed checks before a backend is put back (haproxy `rise`). Default 2. */
  healthyThreshold: number;
}

export interface Network {
  /** Round trip between two hosts in the same zone. Default 0.5. */
  intraZoneRttMs: number;
  /** Round trip between hosts in different zones when no pair is given. Default 2. */
  interZoneRttMs: number;
  /** Per zone pair overrides; symmetric, looked up either way round. Keys are zone names. */
  zonePairRttMs: Record<string, Record<string, number>>;
}

export interface Proposal {
  topology: Topology;
  platform: Platform;
  /** The Kubernetes minor: decides which component-base validation rule and text apply. */
  kubernetesVersion: KubernetesVersion;
  /** Zone names in the order the user gave them (or in which they first appear). */
  zones: string[];
  controlPlaneNodes: ControlPlaneNode[];
  /** Stacked: one member per control-plane node, on that node. External: the dedicated members. */
  etcdMembers: EtcdMember[];
  network: Network;
  etcd: EtcdSettings;
  leaderElection: LeaderElectionSettings;
  loadBalancer: LoadBalancer;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Round trip between two zones (the same zone → intra-zone RTT). */
export function zoneRttMs(network: Network, zoneA: string, zoneB: string): number {
  // Own properties only: a zone named "constructor" must not find Object.prototype's. (hasOwnProperty.call,
  // not Object.hasOwn or closures: this sits in the planner's innermost loops.)
  const table = network.zonePairRttMs;
  const rowA = hasOwn.call(table, zoneA) ? table[zoneA] : undefined;
  if (zoneA === zoneB) return rowA !== undefined && hasOwn.call(rowA, zoneA) ? rowA[zoneA]! : network.intraZoneRttMs;
  if (rowA !== undefined && hasOwn.call(rowA, zoneB)) return rowA[zoneB]!;
  const rowB = hasOwn.call(table, zoneB) ? table[zoneB] : undefined;
  return rowB !== undefined && hasOwn.call(rowB, zoneA) ? rowB[zoneA]! : network.interZoneRttMs;
}

export function voters(proposal: Proposal): EtcdMember[] {
  return proposal.etcdMembers.filter((member) => !member.learner);
}

/** Defaults from kubeadm, etcd and client-go (claims ledger: etcd-defaults, leader-election-defaults). */
export const defaults = {
  etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 1000, diskSyncMs: 1 },
  leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 2 },
  loadBalancer: {
    endpoint: 'k8s-api.cluster.internal:6443',
    healthCheckIntervalS: 2,
    healthCheckTimeoutS: 1,
    unhealthyThreshold: 3,
    healthyThreshold: 2,
  },
  network: { intraZoneRttMs: 0.5, interZoneRttMs: 2 },
} as const;
