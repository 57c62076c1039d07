/**
 * @module changes/member-steps
 * The membership-changing steps, one change each: add a learner (and start it), promote it, remove a
 * member, and their kubeadm forms for stacked control-plane nodes (kubeadm join --control-plane adds the
 * node's member, kubeadm reset removes it).
 *
 * Why learners: a new voter raises the quorum before it holds any data, so until it catches up the cluster
 * tolerates one failure less; a learner does not vote until promoted, and etcd promotes it only once its log
 * reaches 90% of the leader's (etcd-io/etcd server.go readyPercentThreshold).
 */
import type { Flag } from '../config/command-line.js';
import type { PlanBuilder, MemberInfo } from './builder.js';
import { stepDurationS } from './builder.js';
import * as cmd from './commands.js';
import { promoted, withMember, withoutMember } from './membership.js';
import { changeSources } from './sources.js';

/** The joining member's flags: its own, with the cluster it joins and state `existing`. */
function joiningFlags(info: MemberInfo, initialCluster: string): Flag[] {
  return info.etcdFlags.map((flag) => {
    if (flag.name === '--initial-cluster') return { name: flag.name, value: initialCluster };
    if (flag.name === '--initial-cluster-state') return { name: flag.name, value: 'existing' };
    return { ...flag };
  });
}

export function addLearner(b: PlanBuilder, info: MemberInfo): void {
  const endpoints = b.endpoints();
  const after = withMember(b.state, { name: info.name, learner: true, down: false, endpoints: info.endpoints });
  const initialCluster = after.map((m) => `${m.name}=${m.endpoints.peerUrl}`).join(',');
  const start = cmd.startEtcd(joiningFlags(info, initialCluster));
  b.push(
    {
      action: 'add-learner',
      title: `Add ${info.name} as a learner and start it`,
      member: info.name,
      commands: [
        {
          runOn: 'any',
          purpose: `Register ${info.name} as a learner; note the member ID it prints.`,
          command: cmd.memberAdd(b.paths, endpoints, info.name, info.endpoints.peerUrl),
        },
        {
          runOn: info.host,
          purpose: info.stacked
            ? `Start etcd on ${info.host} with these flags (as the static pod ${cmd.etcdManifest}), an empty data directory, --initial-cluster-state=existing.`
            : `Start etcd on ${info.host} with these flags (e.g. in its systemd unit), an empty data directory, --initial-cluster-state=existing.`,
          command: start,
        },
      ],
      manifestEdits: [],
      checks: [
        b.statusCheck(
          `Wait until ${info.name} has caught up: etcd refuses promotion until the learner's log reaches 90% of the leader's.`,
          `${info.name}'s RAFT INDEX is within 10% of the leader's, and IS LEARNER = true.`,
          [...endpoints, info.endpoints.clientUrl],
        ),
      ],
      membershipChange: { kind: 'add-learner', member: info.name },
      risk: {
        expectedDurationS: stepDurationS.addLearner,
        leaderElection: 'none',
        note:
          'A learner does not vote: quorum and tolerance stay as they are while it receives the snapshot and catches up. ' +
          'The leader sends it the whole data set, which loads the leader’s network and disk for a while.',
      },
      rollback: {
        description: `Remove the learner and stop it: quorum never depended on it.`,
        commands: [cmd.memberRemove(b.paths, endpoints, info.name), cmd.stopMember(info.stacked)],
      },
      source: [changeSources.learner, changeSources.maxLearners, changeSources.runtimeReconfiguration],
    },
    after,
  );
}

export function promote(b: PlanBuilder, name: string): void {
  const endpoints = b.endpoints();
  const after = promoted(b.state, name);
  const member = after.find((m) => m.name === name)!;
  b.push(
    {
      action: 'promote',
      title: `Promote ${name} to a voting member`,
      member: name,
      commands: [
        {
          runOn: 'any',
          purpose: `Promote ${name}; if etcd answers "can only promote a learner member which is in sync with leader", wait and retry.`,
          command: cmd.memberPromote(b.paths, endpoints, name),
        },
      ],
      manifestEdits: [],
      checks: [
        {
          description: `${name} votes now: the member list shows it started and not a learner.`,
          command: cmd.memberList(b.paths, endpoints),
          expect: `${name} is listed with IS LEARNER = false.`,
        },
        b.healthCheck([...endpoints, member.endpoints.clientUrl]),
      ],
      membershipChange: { kind: 'promote', member: name },
      risk: {
        expectedDurationS: stepDurationS.promote,
        leaderElection: 'none',
        note: 'The voter count and the quorum change together here; the new voter is already caught up, so no write waits for it.',
      },
      rollback: {
        description: `etcd cannot demote a voter: to undo, move leadership off ${name} if it leads and remove it.`,
        commands: [cmd.memberRemove(b.paths, endpoints, name)],
      },
      source: [changeSources.learner, changeSources.learnerReady],
    },
    after,
  );
}

/** Removes a member with etcdctl, then stops it on its host and moves its data aside. */
export function removeMember(b: PlanBuilder, info: MemberInfo, keep: ReadonlySet<string>): void {
  const transferred = b.moveLeaderOff(info.name, keep, `${info.name} is about to be removed.`);
  const endpoints = b.endpoints();
  const wasDown = b.state.find((m) => m.name === info.name)?.down === true;
  const after = withoutMember(b.state, info.name);
  const afterUrls = after.filter((m) => !m.learner && !m.down).map((m) => m.endpoints.clientUrl);
  const learner = b.state.find((m) => m.name === info.name)?.learner === true;
  b.push(
    {
      action: 'remove-member',
      title: `Remove ${info.name}${wasDown ? ' (down)' : ''}`,
      member: info.name,
      commands: [
        {
          runOn: 'any',
          purpose: `Remove ${info.name} from the cluster.`,
          command: cmd.memberRemove(b.paths, endpoints, info.name),
        },
        {
          runOn: info.host,
          purpose: `Stop etcd on ${info.host} (a removed member stops by itself; make sure it cannot restart).`,
          command: cmd.stopMember(info.stacked),
        },
        {
          runOn: info.host,
          purpose: 'Move its data directory aside so it never restarts with its old identity.',
          command: cmd.moveDataAside(b.paths),
        },
      ],
      manifestEdits: [],
      checks: removedChecks(b, info.name, afterUrls),
      membershipChange: { kind: 'remove', member: info.name },
      risk: {
        expectedDurationS: stepDurationS.remove,
        leaderElection: learner || wasDown ? 'none' : 'if-leader',
        simulated: learner || wasDown || transferred === undefined ? null : b.simulate(info.name, 'leader-lost'),
        note:
          learner || wasDown
            ? 'No election: the removed member does not lead.'
            : `The previous step moved leadership away; if ${info.name} still led, raft would not hand over on removal and the ` +
              'others would wait out their election timeouts (the simulated figure).',
      },
      rollback: {
        description: `Add ${info.name} back as a new member (learner, then promote) with a fresh data directory: a removed member's ID cannot come back.`,
        commands: [cmd.memberAdd(b.paths, afterUrls, info.name, info.endpoints.peerUrl)],
      },
      source: [changeSources.runtimeReconfiguration],
    },
    after,
  );
}

/** Stacked: `kubeadm join --control-plane` brings the node's apiserver and etcd member (learner, then promoted). */
export function kubeadmJoin(b: PlanBuilder, info: MemberInfo, endpoint: string, address: string | undefined): void {
  const after = withMember(b.state, { name: info.name, learner: false, down: false, endpoints: info.endpoints });
  const endpoints = b.endpoints();
  b.push(
    {
      action: 'kubeadm-join',
      title: `Join ${info.host} as a control-plane node (its etcd member joins)`,
      node: info.host,
      member: info.name,
      commands: [
        {
          runOn: 'any control-plane node',
          purpose: 'Print a join command with a fresh token and the CA certificate hash.',
          command: cmd.kubeadmPrintJoin(),
        },
        {
          runOn: 'any control-plane node',
          purpose: 'Upload the control-plane certificates; note the certificate key it prints.',
          command: cmd.kubeadmUploadCerts(),
        },
        {
          runOn: info.host,
          purpose: 'Join as a control-plane node.',
          command: cmd.kubeadmJoin(endpoint, address),
        },
      ],
      manifestEdits: [],
      checks: [
        {
          description: `${info.name} is a started voter.`,
          command: cmd.memberList(b.paths, endpoints),
          expect: `${info.name} listed as started, IS LEARNER = false.`,
        },
        b.healthCheck([...endpoints, info.endpoints.clientUrl]),
      ],
      membershipChange: { kind: 'promote', member: info.name },
      risk: {
        expectedDurationS: stepDurationS.kubeadmJoin,
        leaderElection: 'none',
        note:
          'kubeadm adds the member as a learner and promotes it once it has caught up (EtcdLearnerMode, on by default since ' +
          'Kubernetes 1.29; older kubeadm adds a voter directly, which lowers tolerance by one until it has caught up). Add the ' +
          'node to the load balancer once its apiserver is ready.',
      },
      rollback: {
        description: `Run kubeadm reset on ${info.host}: it removes the node's etcd member.`,
        commands: [cmd.kubeadmReset(), cmd.kubectlDeleteNode(info.host)],
      },
      source: [changeSources.kubeadmJoin, changeSources.kubeadmLearnerMode],
    },
    after,
  );
}

/** What to check after removing a member (etcdctl or kubeadm reset): gone from the list, the rest healthy. */
function removedChecks(b: PlanBuilder, name: string, afterUrls: string[]) {
  return [
    {
      description: `${name} is gone from the member list.`,
      command: cmd.memberList(b.paths, afterUrls),
      expect: `${name} is not listed.`,
    },
    b.healthCheck(afterUrls),
  ];
}

export function kubeadmReset(b: PlanBuilder, info: MemberInfo, keep: ReadonlySet<string>): void {
  const transferred = b.moveLeaderOff(info.name, keep, `${info.host} is about to leave the control plane.`);
  const after = withoutMember(b.state, info.name);
  const afterUrls = after.filter((m) => !m.learner && !m.down).map((m) => m.endpoints.clientUrl);
  const wasDown = b.state.find((m) => m.name === info.name)?.down === true;
  b.push(
    {
      action: 'kubeadm-reset',
      title: `Remove control-plane node ${info.host} (kubeadm reset removes its etcd member)`,
      node: info.host,
      member: info.name,
      commands: [
        wasDown
          ? {
              runOn: 'any',
              purpose: `${info.host} is down: remove its member by hand.`,
              command: cmd.memberRemove(b.paths, b.endpoints(), info.name),
            }
          : {
              runOn: info.host,
              purpose: 'Reset the node; with stacked etcd it removes its own member first.',
              command: cmd.kubeadmReset(),
            },
        {
          runOn: 'any control-plane node',
          purpose: 'Delete the Node object.',
          command: cmd.kubectlDeleteNode(info.host),
        },
      ],
      manifestEdits: [],
      checks: removedChecks(b, info.name, afterUrls),
      membershipChange: { kind: 'remove', member: info.name },
      risk: {
        expectedDurationS: stepDurationS.kubeadmReset,
        leaderElection: wasDown ? 'none' : 'if-leader',
        simulated: wasDown || transferred === undefined ? null : b.simulate(info.name, 'leader-lost'),
        note:
          'Take the node out of the load balancer first. The previous step moved leadership away; the node also takes its ' +
          'apiserver, controller-manager and scheduler out.',
      },
      rollback: {
        description: `Join ${info.host} again with kubeadm join --control-plane (a new member, fresh data).`,
        commands: [cmd.kubeadmJoin('<control-plane-endpoint>', undefined)],
      },
      source: [changeSources.kubeadmReset, changeSources.runtimeReconfiguration],
    },
    after,
  );
}
