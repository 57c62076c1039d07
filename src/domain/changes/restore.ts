/**
 * @module changes/restore
 * Restore from a snapshot: the way back when quorum is lost, or a deliberate rebuild. Every member restores
 * from the same snapshot file with a new cluster token (etcd's disaster-recovery guide), so the result is a
 * new cluster that cannot join the old one. It needs an outage: every member stops, and writes made after
 * the snapshot are lost. Every kube-apiserver stops first and starts last, whatever the topology (Kubernetes'
 * "Restoring an etcd cluster": stop all API server instances, restore every etcd member, restart them), and
 * starts with --etcd-servers naming the restored members.
 */
import { clusterToken } from '../config/etcd-members.js';
import type { Flag } from '../config/command-line.js';
import type { EtcdVersion } from '../etcd-versions.js';
import type { MemberInfo, PlanBuilder } from './builder.js';
import { stepDurationS } from './builder.js';
import * as cmd from './commands.js';
import type { ClusterState } from './membership.js';
import type { ManifestEdit } from './types.js';
import { addLearner } from './member-steps.js';
import { changeSources } from './sources.js';

export interface RestoreInput {
  version: EtcdVersion;
  /** Target voters, then target learners (added after the restore, as learners). */
  voters: MemberInfo[];
  learners: MemberInfo[];
  quorumLost: boolean;
  /** Whether today's members run as static pods beside the apiservers (stacked). */
  currentStacked: boolean;
  /** --etcd-servers changes for the restored members (other names, addresses or topology), per control-plane node. */
  apiserverEdits: ManifestEdit[];
  /** The target topology when it differs from today's (kubeadm's ClusterConfiguration must say so too). */
  newTopology: 'stacked' | 'external' | null;
}

function restoreFlags(info: MemberInfo, initialCluster: string, token: string, dataDir: string): Flag[] {
  return [
    { name: '--name', value: info.name },
    { name: '--data-dir', value: dataDir },
    { name: '--initial-cluster', value: initialCluster },
    { name: '--initial-cluster-token', value: token },
    { name: '--initial-advertise-peer-urls', value: info.endpoints.peerUrl },
  ];
}

function snapshotFirst(b: PlanBuilder, input: RestoreInput): void {
  const endpoint = b.endpoints()[0];
  const live = !input.quorumLost && endpoint !== undefined;
  b.push({
    action: 'snapshot-save',
    title: live
      ? 'Save the snapshot every member will restore from'
      : 'Copy the newest member database as the snapshot',
    commands: live
      ? [
          {
            runOn: 'any',
            purpose: 'Writes after this moment are lost by the restore.',
            command: cmd.snapshotSave(b.paths, endpoint),
          },
        ]
      : [
          {
            runOn: 'the surviving member with the highest raft index',
            purpose:
              'No quorum: take its database file (it may miss entries only in its WAL); restore it with --skip-hash-check.',
            command: cmd.copyDatabase(b.paths),
          },
        ],
    manifestEdits: [],
    checks: [
      {
        description: 'The snapshot is readable.',
        command: cmd.snapshotStatus(input.version),
        expect: 'A hash, a revision and the key count.',
      },
    ],
    membershipChange: null,
    risk: {
      expectedDurationS: stepDurationS.snapshot,
      leaderElection: 'none',
      note: 'Copy the file to every host of the target cluster.',
    },
    rollback: { description: 'Nothing to undo.', commands: [] },
    source: [changeSources.recovery, changeSources.maintenance],
  });
}

function stopCluster(b: PlanBuilder, input: RestoreInput): ClusterState {
  const stopped: ClusterState = b.state.map((m) => ({ ...m, down: true }));
  const apiserver = {
    runOn: 'every control-plane node',
    purpose: 'Stop the apiserver (its static pod) first, so nothing writes to a half-restored cluster.',
    command: cmd.parkApiserver(),
  };
  b.push(
    {
      action: 'stop-cluster',
      title: 'Stop every kube-apiserver, then every etcd member',
      commands: [
        apiserver,
        { runOn: 'every etcd host', purpose: 'Stop etcd.', command: cmd.stopMember(input.currentStacked) },
        {
          runOn: 'every etcd host',
          purpose: 'Keep the old data directory aside; the restore writes a new one.',
          command: cmd.moveDataAside(b.paths),
        },
      ],
      manifestEdits: [],
      checks: [{ description: 'No etcd process is left running on any host.', expect: 'No etcd process on any host.' }],
      membershipChange: null,
      writable: false,
      risk: {
        expectedDurationS: stepDurationS.restoreOutage,
        leaderElection: 'certain',
        note: 'The outage starts here: no writes, and Kubernetes serves nothing until the restored cluster starts.',
      },
      rollback: { description: 'Move the old data directories back and start the old members.', commands: [] },
      source: [changeSources.recovery, changeSources.k8sEtcd],
    },
    stopped,
  );
  return stopped;
}

function restoreMember(
  b: PlanBuilder,
  input: RestoreInput,
  info: MemberInfo,
  cluster: NewCluster,
  stopped: ClusterState,
) {
  const flags = [
    ...restoreFlags(info, cluster.initialCluster, cluster.token, b.paths.etcdDataDir),
    ...(input.quorumLost ? [{ name: '--skip-hash-check', value: 'true' }] : []),
  ];
  b.push(
    {
      action: 'restore-member',
      title: `Restore ${info.name}'s data directory from the snapshot`,
      member: info.name,
      commands: [
        {
          runOn: info.host,
          purpose: `The same snapshot file on every member, the new cluster token ${cluster.token}.`,
          command: cmd.snapshotRestore(input.version, flags),
        },
      ],
      manifestEdits: [],
      checks: [
        {
          description: `${b.paths.etcdDataDir}/member exists on ${info.host}.`,
          expect: 'A member directory with snap and wal.',
        },
      ],
      membershipChange: null,
      writable: false,
      risk: { expectedDurationS: 30, leaderElection: 'none', note: 'Still in the outage.' },
      rollback: { description: 'Remove the restored directory; the old one is kept aside.', commands: [] },
      source: [changeSources.recovery],
    },
    stopped,
  );
}

function startCluster(b: PlanBuilder, input: RestoreInput, cluster: NewCluster): void {
  const urls = cluster.members.map((m) => m.endpoints.clientUrl);
  const start = (info: MemberInfo) => ({
    runOn: info.host,
    purpose: `Start ${info.name} on the restored data directory (its flags as POST /v1/config generates them, with the new token).`,
    command: cmd.startEtcd(
      info.etcdFlags.map((f) => {
        if (f.name === '--initial-cluster-token') return { name: f.name, value: cluster.token };
        if (f.name === '--initial-cluster') return { name: f.name, value: cluster.initialCluster };
        return f;
      }),
    ),
  });
  const apiserver = {
    runOn: 'every control-plane node',
    purpose:
      input.apiserverEdits.length > 0
        ? `Start the apiserver again, after the --etcd-servers edit below in ${cmd.parkedApiserverManifest}.`
        : 'Start the apiserver again.',
    command: cmd.unparkApiserver(),
  };
  const kubeadmConfig = input.newTopology && {
    runOn: 'any control-plane node',
    purpose: `Record the new etcd topology in kubeadm's ClusterConfiguration (etcd.${input.newTopology === 'external' ? 'external' : 'local'}; POST /v1/config with the target gives the whole document), so later joins and upgrades use it.`,
    command: cmd.editKubeadmConfig(),
  };
  b.push(
    {
      action: 'start-cluster',
      title: 'Start every restored member, then the apiservers',
      commands: [...input.voters.map(start), apiserver, ...(kubeadmConfig ? [kubeadmConfig] : [])],
      manifestEdits: input.apiserverEdits.map((e) => ({ ...e, file: cmd.parkedApiserverManifest })),
      checks: [
        {
          description: 'The member list is exactly the target voters.',
          command: cmd.memberList(b.paths, urls),
          expect: input.voters.map((m) => m.name).join(', '),
        },
        b.healthCheck(urls),
      ],
      membershipChange: { kind: 'rebuild', member: input.voters.map((m) => m.name).join(',') },
      writable: false,
      risk: {
        expectedDurationS: 60,
        leaderElection: 'certain',
        note:
          'A fresh cluster elects its first leader within about one election timeout. Restart kube-controller-manager, ' +
          'kube-scheduler and kubelet afterwards so no component works from state newer than the snapshot.',
      },
      rollback: {
        description: 'Stop the restored members, move the old data directories back, start the old members.',
        commands: [],
      },
      source: [changeSources.recovery, changeSources.k8sEtcd],
    },
    cluster.members,
  );
}

/** The restored cluster: its members, `--initial-cluster` and a token no earlier cluster of this plan used. */
interface NewCluster {
  members: ClusterState;
  initialCluster: string;
  token: string;
}

export function restoreSteps(b: PlanBuilder, input: RestoreInput): void {
  snapshotFirst(b, input);
  const stopped = stopCluster(b, input);
  const members = input.voters.map((info) => ({
    name: info.name,
    learner: false,
    down: false,
    endpoints: info.endpoints,
  }));
  const cluster: NewCluster = {
    members,
    initialCluster: input.voters.map((m) => `${m.name}=${m.endpoints.peerUrl}`).join(','),
    token: `${clusterToken(members.map((m) => m.endpoints))}-restored`,
  };
  for (const info of input.voters) restoreMember(b, input, info, cluster, stopped);
  startCluster(b, input, cluster);
  for (const learner of input.learners) addLearner(b, learner);
}
