/**
 * @module normalize-proposal
 * Turns a `ProposalInput` (what the client wrote) into a `Proposal` (what the engine reads): counts become
 * named members spread round-robin over the zones, defaults from kubeadm, etcd and client-go are filled in,
 * and contradictions that would make every later answer meaningless are rejected with the JSON pointer of
 * the field at fault.
 *
 * Rules, in the order a reader meets them:
 * - Zones: `controlPlane.zones` when given (then every zone named anywhere must be one of them, which catches
 *   typos); otherwise the zones named by nodes and members, in order of appearance.
 * - A node or member without a zone goes to `zones[i % zones.length]`, i being its index in its list or
 *   count; with no `controlPlane.zones` that is the single default zone "zone-a".
 * - Counts are named cp-1, cp-2, … and etcd-1, etcd-2, … . Stacked: one etcd member per control-plane node,
 *   on it, named as the node (kubeadm names the member after the node); `etcd.members` is then an error.
 *   External: `etcd.members` defaults to 3 (kubeadm's minimum for an external cluster).
 * - Names are unique across all hosts, case-insensitively (they are host names and etcd member names);
 *   addresses are unique across all hosts, except that external etcd members may share one when their ports
 *   differ (several members on one machine, e.g. to try a generated cluster on one host).
 * - `network.zoneRttMs` may name only known zones, each unordered pair once.
 * - `etcd.maxLearners` is etcd 3.6's `--max-learners`; earlier versions have no such flag.
 *
 * Pure: no clock, no randomness; the same input gives the same proposal.
 */
import { defaultEtcdVersion, preVoteDefault } from './etcd-versions.js';
import { defaultKubernetesVersion } from './kubernetes-versions.js';
import type { ControlPlaneNodeInput, EtcdMemberInput, ProposalInput } from './proposal-input.js';
import { defaults, type ControlPlaneNode, type EtcdMember, type Proposal } from './proposal.js';
import { normalizeZoneRtts } from './zone-rtt.js';
import { etcdClientPort as defaultEtcdClientPort, etcdPeerPort as defaultEtcdPeerPort } from './config/addresses.js';

/** The single zone assumed when the request names none. */
export const defaultZone = 'zone-a';
/** Members of an external etcd cluster when the request gives no `etcd.members`. */
const defaultExternalEtcdMembers = 3;

export interface NormalizationError {
  /** JSON pointer (RFC 6901) of the offending field, including the caller's base pointer. */
  pointer: string;
  detail: string;
}

export type NormalizationResult = { ok: true; proposal: Proposal } | { ok: false; errors: NormalizationError[] };

export interface NormalizeOptions {
  /** Where the proposal sits in the request, e.g. "/cluster"; "" when it is the whole body. */
  basePointer?: string;
}

interface Draft {
  name: string;
  zone?: string;
  address?: string;
  /** Index within its list or count: the round-robin slot for a missing zone. */
  index: number;
  /** The entity's own pointer, or the count's when generated. */
  pointer: string;
  /** Where a wrong name or zone should point: the field itself, or the count that generated it. */
  namePointer: string;
  zonePointer: string;
  addressPointer: string;
  source: ControlPlaneNodeInput | EtcdMemberInput | undefined;
  /** An entry of etcd.members (external), as opposed to a control-plane node. */
  isMember: boolean;
}

function drafts(
  spec: number | readonly (ControlPlaneNodeInput | EtcdMemberInput)[],
  prefix: string,
  pointer: string,
  isMember: boolean,
): Draft[] {
  if (typeof spec === 'number') {
    return Array.from({ length: spec }, (_, index) => ({
      name: `${prefix}-${index + 1}`,
      index,
      pointer,
      namePointer: pointer,
      zonePointer: pointer,
      addressPointer: pointer,
      source: undefined,
      isMember,
    }));
  }
  return spec.map((entry, index) => ({
    name: entry.name,
    ...(entry.zone !== undefined ? { zone: entry.zone } : {}),
    ...(entry.address !== undefined ? { address: entry.address } : {}),
    index,
    pointer: `${pointer}/${index}`,
    namePointer: `${pointer}/${index}/name`,
    zonePointer: `${pointer}/${index}/zone`,
    addressPointer: `${pointer}/${index}/address`,
    source: entry,
    isMember,
  }));
}

/**
 * Whether two hosts at one address can coexist: only two etcd members listening on different ports (a node
 * runs an apiserver whose ports this API does not model, so it shares with nothing).
 */
function portsDisjoint(a: Draft, b: Draft): boolean {
  const ports = (draft: Draft): number[] | undefined => {
    const source = draft.source as EtcdMemberInput | undefined;
    if (!draft.isMember || !source) return undefined;
    return [source.clientPort ?? defaultEtcdClientPort, source.peerPort ?? defaultEtcdPeerPort];
  };
  const [pa, pb] = [ports(a), ports(b)];
  return pa !== undefined && pb !== undefined && !pa.some((port) => pb.includes(port));
}

export function normalizeProposal(input: ProposalInput, options: NormalizeOptions = {}): NormalizationResult {
  const base = options.basePointer ?? '';
  const errors: NormalizationError[] = [];
  const fail = (pointer: string, detail: string) => errors.push({ pointer, detail });

  // Zones the user declared, checked for repeats.
  const declared = input.controlPlane.zones;
  if (declared) {
    const seen = new Set<string>();
    declared.forEach((zone, i) => {
      if (seen.has(zone))
        fail(`${base}/controlPlane/zones/${i}`, `Zone "${zone}" is listed twice; list each zone once.`);
      seen.add(zone);
    });
  }
  const placementZones = declared && declared.length > 0 ? [...new Set(declared)] : [defaultZone];

  const nodeDrafts = drafts(input.controlPlane.nodes, 'cp', `${base}/controlPlane/nodes`, false);
  let memberDrafts: Draft[] = [];
  const etcdInput = input.etcd ?? {};
  if (input.topology === 'stacked') {
    if (etcdInput.members !== undefined) {
      fail(
        `${base}/etcd/members`,
        'The stacked topology runs exactly one etcd member on each control-plane node, so etcd.members cannot be set: ' +
          'size the cluster with controlPlane.nodes, or choose topology "external" for dedicated etcd hosts.',
      );
    }
  } else {
    memberDrafts = drafts(etcdInput.members ?? defaultExternalEtcdMembers, 'etcd', `${base}/etcd/members`, true);
  }

  // Place every host; an explicit zone must be a declared one.
  const place = (draft: Draft): string => {
    if (draft.zone === undefined) return placementZones[draft.index % placementZones.length]!;
    if (declared && !declared.includes(draft.zone)) {
      fail(
        draft.zonePointer,
        `Zone "${draft.zone}" is not one of controlPlane.zones (${declared.join(', ')}); add it there or correct the name.`,
      );
    }
    return draft.zone;
  };
  const nodeZones = nodeDrafts.map(place);
  const memberZones = memberDrafts.map(place);

  // Names and addresses identify hosts: no two may share one.
  const names = new Map<string, Draft>();
  const addresses = new Map<string, Draft[]>();
  for (const draft of [...nodeDrafts, ...memberDrafts]) {
    const key = draft.name.toLowerCase();
    const earlier = names.get(key);
    if (earlier) {
      fail(
        draft.namePointer,
        `The name "${draft.name}" is already used at ${earlier.namePointer}; every control-plane node and etcd member needs its own name ` +
          '(names are compared case-insensitively, as host names are).',
      );
    } else names.set(key, draft);
    if (draft.address !== undefined) {
      const addressKey = draft.address.toLowerCase();
      const sharing = addresses.get(addressKey) ?? [];
      const clash = sharing.find((other) => !portsDisjoint(draft, other));
      if (clash) {
        const external = input.topology === 'external';
        fail(
          draft.addressPointer,
          `The address ${draft.address} is already used at ${clash.addressPointer}; each host needs its own address` +
            (external ? ' (etcd members on one machine need their own clientPort and peerPort).' : '.'),
        );
      }
      addresses.set(addressKey, [...sharing, draft]);
    }
  }
  for (const draft of memberDrafts) {
    const source = draft.source as EtcdMemberInput | undefined;
    if (source?.clientPort !== undefined && source.clientPort === source.peerPort)
      fail(`${draft.pointer}/peerPort`, `The peer port must differ from the client port (${source.clientPort}).`);
  }

  // The zones of the answer: declared, or in order of appearance.
  const zones = declared ? [...new Set(declared)] : [...new Set([...nodeZones, ...memberZones])];

  const network = input.network ?? {};
  const rtts = normalizeZoneRtts(zones, network.zoneRttMs ?? [], `${base}/network/zoneRttMs`);
  errors.push(...rtts.errors);
  const zonePairRttMs = rtts.zonePairRttMs;

  const version = etcdInput.version ?? defaultEtcdVersion;
  if (etcdInput.maxLearners !== undefined && version !== '3.6') {
    fail(
      `${base}/etcd/maxLearners`,
      `--max-learners is an etcd 3.6 flag; etcd ${version} has no such flag and fixes the limit at 1 learner. Remove maxLearners or set etcd.version to "3.6".`,
    );
  }

  if (errors.length > 0) return { ok: false, errors };

  const controlPlaneNodes: ControlPlaneNode[] = nodeDrafts.map((draft, i) => ({
    name: draft.name,
    zone: nodeZones[i]!,
    ...(draft.address !== undefined ? { address: draft.address } : {}),
    pointer: draft.pointer,
  }));

  const etcdMembers: EtcdMember[] =
    input.topology === 'stacked'
      ? controlPlaneNodes.map((node) => ({
          name: node.name,
          zone: node.zone,
          ...(node.address !== undefined ? { address: node.address } : {}),
          learner: false,
          host: node.name,
          pointer: node.pointer,
        }))
      : memberDrafts.map((draft, i) => {
          const source = draft.source as EtcdMemberInput | undefined;
          return {
            name: draft.name,
            zone: memberZones[i]!,
            ...(draft.address !== undefined ? { address: draft.address } : {}),
            learner: source?.learner ?? false,
            host: draft.name,
            ...(source?.clientPort !== undefined ? { clientPort: source.clientPort } : {}),
            ...(source?.peerPort !== undefined ? { peerPort: source.peerPort } : {}),
            ...(source?.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: source.heartbeatIntervalMs } : {}),
            ...(source?.electionTimeoutMs !== undefined ? { electionTimeoutMs: source.electionTimeoutMs } : {}),
            pointer: draft.pointer,
          };
        });

  const leaderElection = input.leaderElection ?? {};
  const loadBalancer = input.loadBalancer ?? {};
  const proposal: Proposal = {
    topology: input.topology,
    platform: input.platform ?? 'self-managed',
    kubernetesVersion: input.kubernetesVersion ?? defaultKubernetesVersion,
    zones,
    controlPlaneNodes,
    etcdMembers,
    network: {
      intraZoneRttMs: network.intraZoneRttMs ?? defaults.network.intraZoneRttMs,
      interZoneRttMs: network.interZoneRttMs ?? defaults.network.interZoneRttMs,
      zonePairRttMs,
    },
    etcd: {
      version,
      heartbeatIntervalMs: etcdInput.heartbeatIntervalMs ?? defaults.etcd.heartbeatIntervalMs,
      electionTimeoutMs: etcdInput.electionTimeoutMs ?? defaults.etcd.electionTimeoutMs,
      preVote: etcdInput.preVote ?? preVoteDefault(version),
      maxLearners: etcdInput.maxLearners ?? 1,
      diskSyncMs: etcdInput.diskSyncMs ?? defaults.etcd.diskSyncMs,
    },
    leaderElection: {
      leaseDurationS: leaderElection.leaseDurationS ?? defaults.leaderElection.leaseDurationS,
      renewDeadlineS: leaderElection.renewDeadlineS ?? defaults.leaderElection.renewDeadlineS,
      retryPeriodS: leaderElection.retryPeriodS ?? defaults.leaderElection.retryPeriodS,
    },
    loadBalancer: {
      endpoint: loadBalancer.endpoint ?? defaults.loadBalancer.endpoint,
      healthCheckIntervalS: loadBalancer.healthCheckIntervalS ?? defaults.loadBalancer.healthCheckIntervalS,
      healthCheckTimeoutS: loadBalancer.healthCheckTimeoutS ?? defaults.loadBalancer.healthCheckTimeoutS,
      unhealthyThreshold: loadBalancer.unhealthyThreshold ?? defaults.loadBalancer.unhealthyThreshold,
      healthyThreshold: loadBalancer.healthyThreshold ?? defaults.loadBalancer.healthyThreshold,
    },
  };
  return { ok: true, proposal };
}
