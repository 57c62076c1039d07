/**
 * @module changes/restore
 * Restore from a snapshot: the way back when quorum is lost, or a deliberate rebuild. Every member restores
 * from the same snapshot file with a new cluster token (etcd's disaster-recovery guide), so the result is a
 * new cluster that cannot join the old one. It needs an outage: every member stops, and writes made after
 * the snapshot are lost.
 */
import { clusterToken } from '../config/etcd-members.js';
import type { Flag } from '../config/command-line.js';
import type { EtcdVersion } from '../etcd-versions.js';
import type { MemberInfo, PlanBuilder } from './builder.js';
import { stepDurationS } from './builder.js';
import * as cmd from './commands.js';
import type { ClusterState } from './membership.js';
import { addLearner } from './member-steps.js';
import { changeSources } from './sources.js';

export interface RestoreInput {
  version: EtcdVersion;
  /** Target voters, then target learners (added after the restore, as learners). */
  voters: MemberInfo[];
  learners: MemberInfo[];
  quorumLost: boolean;
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

export function restoreSteps(b: PlanBuilder, input: RestoreInput): void {
  snapshotFirst(b, input);
  const stacked = input.voters.some((m) => m.stacked);
  const stoppedState: ClusterState = b.state.map((m) => ({ ...m, down: true }));
  b.push(
    {
      action: 'stop-cluster',
      title: 'Stop every etcd member (and the apiservers, so nothing writes to a half-restored cluster)',
      commands: [
        { runOn: 'every etcd host', purpose: 'Stop etcd.', command: cmd.stopMember(stacked) },
        ...(stacked
          ? [
              {
                runOn: 'every control-plane node',
                purpose: 'Stop the apiserver (its static pod) as well.',
                command: cmd.parkApiserver(),
              },
            ]
          : []),
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
    stoppedState,
  );

  const restored = input.voters.map((info) => ({
    name: info.name,
    learner: false,
    down: false,
    endpoints: info.endpoints,
  }));
  const initialCluster = input.voters.map((m) => `${m.name}=${m.endpoints.peerUrl}`).join(',');
  const token = `${clusterToken(restored.map((m) => m.endpoints))}-restored`;
  for (const info of input.voters) {
    b.push(
      {
        action: 'restore-member',
        title: `Restore ${info.name}'s data directory from the snapshot`,
        member: info.name,
        commands: [
          {
            runOn: info.host,
            purpose: `The same snapshot file on every member, the new cluster token ${token}.`,
            command: cmd.snapshotRestore(input.version, [
              ...restoreFlags(info, initialCluster, token, b.paths.etcdDataDir),
              ...(input.quorumLost ? [{ name: '--skip-hash-check', value: 'true' }] : []),
            ]),
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
      stoppedState,
    );
  }

  b.push(
    {
      action: 'start-cluster',
      title: 'Start every restored member, then the apiservers',
      commands: [
        ...input.voters.map((info) => ({
          runOn: info.host,
          purpose: `Start ${info.name} on the restored data directory (its flags as POST /v1/config generates them, with the new token).`,
          command: cmd.startEtcd(
            info.etcdFlags.map((f) =>
              f.name === '--initial-cluster-token'
                ? { name: f.name, value: token }
                : f.name === '--initial-cluster'
                  ? { name: f.name, value: initialCluster }
                  : f,
            ),
          ),
        })),
        ...(stacked
          ? [
              {
                runOn: 'every control-plane node',
                purpose: 'Start the apiserver again.',
                command: cmd.unparkApiserver(),
              },
            ]
          : []),
      ],
      manifestEdits: [],
      checks: [
        {
          description: 'The member list is exactly the target voters.',
          command: cmd.memberList(
            b.paths,
            restored.map((m) => m.endpoints.clientUrl),
          ),
          expect: input.voters.map((m) => m.name).join(', '),
        },
        b.healthCheck(restored.map((m) => m.endpoints.clientUrl)),
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
    restored,
  );
  for (const learner of input.learners) addLearner(b, learner);
}
