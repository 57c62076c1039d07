/**
 * @module proposal-input
 * The proposal as a client writes it (the body of POST /v1/plans, and of every operation that takes a
 * cluster): counts or lists, defaults left out. A plain type so the engine never depends on zod; the HTTP
 * schema (src/http/schemas/proposal.ts) is checked against it at compile time.
 *
 * `normalizeProposal` turns one of these into a `Proposal`, where everything is explicit.
 */
import type { EtcdVersion } from './etcd-versions.js';
import type { KubernetesVersion } from './kubernetes-versions.js';
import type { Platform, Topology } from './proposal.js';

export interface ControlPlaneNodeInput {
  name: string;
  zone?: string;
  address?: string;
}

export interface EtcdMemberInput {
  name: string;
  zone?: string;
  address?: string;
  learner?: boolean;
  /** etcd's client port (`--listen-client-urls`, `--advertise-client-urls`); default 2379. */
  clientPort?: number;
  /** etcd's peer port (`--listen-peer-urls`, `--initial-advertise-peer-urls`); default 2380. */
  peerPort?: number;
  heartbeatIntervalMs?: number;
  electionTimeoutMs?: number;
}

export interface ZoneRttInput {
  from: string;
  to: string;
  rttMs: number;
}

export interface ProposalInput {
  topology: Topology;
  platform?: Platform;
  /** The Kubernetes minor, "1.24" to "1.36"; default {@link defaultKubernetesVersion}. */
  kubernetesVersion?: KubernetesVersion;
  controlPlane: {
    /** A count (named cp-1, cp-2, … and spread over `zones`) or the nodes themselves. */
    nodes: number | ControlPlaneNodeInput[];
    /** The failure zones, in order; counts are spread over them round-robin. Default one zone, "zone-a". */
    zones?: string[];
  };
  etcd?: {
    /** External topology only: a count (etcd-1, …) or the members. Default 3. */
    members?: number | EtcdMemberInput[];
    version?: EtcdVersion;
    heartbeatIntervalMs?: number;
    electionTimeoutMs?: number;
    preVote?: boolean;
    maxLearners?: number;
    diskSyncMs?: number;
  };
  network?: {
    intraZoneRttMs?: number;
    interZoneRttMs?: number;
    zoneRttMs?: ZoneRttInput[];
  };
  leaderElection?: {
    leaseDurationS?: number;
    renewDeadlineS?: number;
    retryPeriodS?: number;
  };
  loadBalancer?: {
    endpoint?: string;
    healthCheckIntervalS?: number;
    healthCheckTimeoutS?: number;
    unhealthyThreshold?: number;
    healthyThreshold?: number;
  };
}
