/**
 * @module config/etcd-members
 * Every etcd member's complete flag set for a static bootstrap (etcd's clustering guide, "static"), and
 * the real procedure for learners.
 *
 * Voters start together with `--initial-cluster-state=new` and an `--initial-cluster` naming every voter
 * at exactly the URL it advertises (etcd compares the two and refuses to start on a mismatch). etcd has no
 * flag that starts a member as a learner: a learner is first registered with
 * `etcdctl member add NAME --learner --peer-urls=URL`, then started with `--initial-cluster-state=existing`
 * and an `--initial-cluster` that lists the members already registered plus itself, and finally (once it
 * has caught up, and only if it should vote) promoted with `etcdctl member promote ID`.
 *
 * TLS flags use kubeadm's paths (overridable); listen URLs follow kubeadm's etcd manifest
 * (cmd/kubeadm/app/phases/etcd/local.go): clients on loopback and on the member's address, peers on the
 * member's address.
 */
import type { EtcdMember, Proposal } from '../proposal.js';
import { type HostAddress, etcdClientPort, etcdPeerPort, hostAddress, httpsUrl, loopbackHost } from './addresses.js';
import { type CommandLine, type Flag, commandLine } from './command-line.js';
import type { ConfigPaths } from './paths.js';

export interface MemberEndpoints {
  member: EtcdMember;
  address: HostAddress;
  /** `--advertise-client-urls`: where clients (apiservers, etcdctl) reach this member. */
  clientUrl: string;
  /** `--initial-advertise-peer-urls`: where the other members reach it. */
  peerUrl: string;
  listenClientUrls: string[];
  listenPeerUrl: string;
  /** Another member has the same address (one machine, ports of their own): each needs its own data dir. */
  sharesMachine: boolean;
}

export interface EtcdMemberConfig {
  name: string;
  host: string;
  zone: string;
  learner: boolean;
  clientUrl: string;
  peerUrl: string;
  /** The whole `etcd` invocation for this member. */
  etcd: CommandLine;
}

type LearnerStepAction = 'add' | 'start' | 'check' | 'promote';

interface LearnerStep {
  action: LearnerStepAction;
  description: string;
  command: CommandLine;
}

export interface LearnerProcedure {
  member: string;
  steps: LearnerStep[];
}

/** The host address of a member: its own, or (stacked) that of the control-plane node it runs on. */
function memberAddress(proposal: Proposal, member: EtcdMember): string | undefined {
  if (member.address !== undefined) return member.address;
  return proposal.controlPlaneNodes.find((node) => node.name === member.host)?.address;
}

export function memberEndpoints(proposal: Proposal): MemberEndpoints[] {
  const addressCount = new Map<string, number>();
  for (const member of proposal.etcdMembers) {
    const address = memberAddress(proposal, member)?.toLowerCase();
    if (address !== undefined) addressCount.set(address, (addressCount.get(address) ?? 0) + 1);
  }
  return proposal.etcdMembers.map((member) => {
    const address = hostAddress(member.host, memberAddress(proposal, member));
    const sharesMachine = (addressCount.get(memberAddress(proposal, member)?.toLowerCase() ?? '') ?? 0) > 1;
    const clientPort = member.clientPort ?? etcdClientPort;
    const peerPort = member.peerPort ?? etcdPeerPort;
    // A wildcard listener already covers loopback; otherwise listen there too, as kubeadm does, so that a
    // stacked apiserver's https://127.0.0.1:2379 reaches it. A member whose address is the loopback itself
    // gets it once: etcd refuses to bind the same URL twice ("address already in use").
    const listenHosts =
      address.kind === 'dns' ? [address.listenHost] : [loopbackHost(address.kind), address.listenHost];
    return {
      member,
      address,
      clientUrl: httpsUrl(address.urlHost, clientPort),
      peerUrl: httpsUrl(address.urlHost, peerPort),
      listenClientUrls: [...new Set(listenHosts)].map((host) => httpsUrl(host, clientPort)),
      listenPeerUrl: httpsUrl(address.listenHost, peerPort),
      sharesMachine,
    };
  });
}

/** FNV-1a, 32 bits: a stable short digest for the cluster token (not for security). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * `--initial-cluster-token`: distinct per cluster layout so that members of two clusters started from
 * different plans never join each other; stable so the same plan always yields the same flags.
 */
export function clusterToken(endpoints: MemberEndpoints[]): string {
  const voters = endpoints.filter((e) => !e.member.learner).map((e) => `${e.member.name}=${e.peerUrl}`);
  return `etcd-cluster-${fnv1a(voters.join(','))}`;
}

function initialCluster(endpoints: MemberEndpoints[]): string {
  return endpoints.map((e) => `${e.member.name}=${e.peerUrl}`).join(',');
}

function memberFlags(
  proposal: Proposal,
  paths: ConfigPaths,
  self: MemberEndpoints,
  cluster: MemberEndpoints[],
  state: 'new' | 'existing',
  token: string,
): Flag[] {
  const { member } = self;
  const flags: Flag[] = [
    { name: '--name', value: member.name },
    // Members on one machine cannot share a data directory: each gets its own, named after it.
    { name: '--data-dir', value: self.sharesMachine ? `${paths.etcdDataDir}/${member.name}` : paths.etcdDataDir },
    { name: '--listen-peer-urls', value: self.listenPeerUrl },
    { name: '--initial-advertise-peer-urls', value: self.peerUrl },
    { name: '--listen-client-urls', value: self.listenClientUrls.join(',') },
    { name: '--advertise-client-urls', value: self.clientUrl },
    { name: '--initial-cluster', value: initialCluster(cluster) },
    { name: '--initial-cluster-state', value: state },
    { name: '--initial-cluster-token', value: token },
    { name: '--heartbeat-interval', value: String(member.heartbeatIntervalMs ?? proposal.etcd.heartbeatIntervalMs) },
    { name: '--election-timeout', value: String(member.electionTimeoutMs ?? proposal.etcd.electionTimeoutMs) },
    // Every supported version (3.4+) has the flag; its default changed in 3.5, so say it explicitly.
    { name: '--pre-vote', value: String(proposal.etcd.preVote) },
  ];
  if (proposal.etcd.version === '3.6') flags.push({ name: '--max-learners', value: String(proposal.etcd.maxLearners) });
  flags.push(
    { name: '--cert-file', value: paths.etcdServerCertFile },
    { name: '--key-file', value: paths.etcdServerKeyFile },
    { name: '--trusted-ca-file', value: paths.etcdCaFile },
    { name: '--client-cert-auth', value: 'true' },
    { name: '--peer-cert-file', value: paths.etcdPeerCertFile },
    { name: '--peer-key-file', value: paths.etcdPeerKeyFile },
    { name: '--peer-trusted-ca-file', value: paths.etcdCaFile },
    { name: '--peer-client-cert-auth', value: 'true' },
  );
  return flags;
}

export interface EtcdMembersConfig {
  token: string;
  members: EtcdMemberConfig[];
  learnerProcedures: LearnerProcedure[];
}

function etcdctlTlsFlags(paths: ConfigPaths): Flag[] {
  return [
    { name: '--cacert', value: paths.etcdCaFile },
    { name: '--cert', value: paths.etcdctlCertFile },
    { name: '--key', value: paths.etcdctlKeyFile },
  ];
}

/** The placeholder for a member ID, which etcd assigns at `member add` and prints in hex. */
export function memberIdPlaceholder(name: string): string {
  return `<member-id-of-${name}>`;
}

export function etcdMembersConfig(proposal: Proposal, paths: ConfigPaths): EtcdMembersConfig {
  const endpoints = memberEndpoints(proposal);
  const voterEndpoints = endpoints.filter((e) => !e.member.learner);
  const token = clusterToken(endpoints);
  const members: EtcdMemberConfig[] = [];
  const learnerProcedures: LearnerProcedure[] = [];
  const registered = [...voterEndpoints];
  const voterClientUrls = voterEndpoints.map((e) => e.clientUrl).join(',');

  for (const self of endpoints) {
    const { member } = self;
    let flags: Flag[];
    if (!member.learner) {
      flags = memberFlags(proposal, paths, self, voterEndpoints, 'new', token);
    } else {
      // Learners join one at a time, each after the previous ones are registered.
      registered.push(self);
      flags = memberFlags(proposal, paths, self, [...registered], 'existing', token);
    }
    const etcd = commandLine('etcd', flags);
    members.push({
      name: member.name,
      host: member.host,
      zone: member.zone,
      learner: member.learner,
      clientUrl: self.clientUrl,
      peerUrl: self.peerUrl,
      etcd,
    });
    if (member.learner) {
      const endpointsFlag = { name: '--endpoints', value: voterClientUrls };
      const tls = etcdctlTlsFlags(paths);
      learnerProcedures.push({
        member: member.name,
        steps: [
          {
            action: 'add',
            description:
              `Register ${member.name} as a learner with the running cluster; etcd prints its member ID and the ` +
              '--initial-cluster it expects, which matches the start step below. etcd refuses membership changes with ' +
              '"etcdserver: unhealthy cluster" until the member handling the request has been connected to every voter ' +
              'for 5 s: right after the voters start, retry.',
            command: commandLine(
              'etcdctl',
              [
                endpointsFlag,
                ...tls,
                { name: '--learner', value: 'true' },
                { name: '--peer-urls', value: self.peerUrl },
              ],
              ['member', 'add', member.name],
            ),
          },
          {
            action: 'start',
            description: `Start etcd on ${member.host} with --initial-cluster-state=existing: it joins as a learner and receives a snapshot.`,
            command: etcd,
          },
          {
            action: 'check',
            description:
              "Compare the learner's raft index with the leader's; etcd refuses promotion until the learner has caught up " +
              "(at least 90% of the leader's log).",
            command: commandLine(
              'etcdctl',
              [
                { name: '--endpoints', value: [...voterEndpoints.map((e) => e.clientUrl), self.clientUrl].join(',') },
                ...tls,
                { name: '--write-out', value: 'table' },
              ],
              ['endpoint', 'status'],
            ),
          },
          {
            action: 'promote',
            description:
              `Only if ${member.name} should vote: promote it with the ID printed by member add (or shown by member list). ` +
              'Promotion changes the number of voters, and with it the quorum.',
            command: commandLine(
              'etcdctl',
              [endpointsFlag, ...tls],
              ['member', 'promote', memberIdPlaceholder(member.name)],
            ),
          },
        ],
      });
    }
  }
  return { token, members, learnerProcedures };
}
