/**
 * @module changes/upgrade
 * A rolling etcd minor-version change: one member at a time (leadership moved off it first), the new binary
 * or image, and the flag differences between the two versions. Mixed versions run the lowest common version;
 * the cluster version moves up only once every member runs the new one (the cluster-version rule), and from
 * then on the old binary no longer fits: rollback is by snapshot.
 */
import { commandLine } from '../config/command-line.js';
import type { EtcdVersion } from '../etcd-versions.js';
import type { MemberInfo, PlanBuilder } from './builder.js';
import { stepDurationS } from './builder.js';
import * as cmd from './commands.js';
import { changeSources } from './sources.js';
import type { ManifestEdit, StepCommand } from './types.js';

export interface VersionHop {
  from: EtcdVersion;
  to: EtcdVersion;
  /** `--pre-vote` before and after this hop (the flag is always written explicitly by /v1/config). */
  preVote: { from: boolean; to: boolean };
  maxLearners: number;
}

function flagChanges(hop: VersionHop): ManifestEdit['changes'] {
  const changes: ManifestEdit['changes'] = [];
  if (hop.preVote.from !== hop.preVote.to)
    changes.push({ flag: '--pre-vote', from: String(hop.preVote.from), to: String(hop.preVote.to) });
  if (hop.to === '3.6' && hop.from === '3.5')
    changes.push({ flag: '--max-learners', from: null, to: String(hop.maxLearners) });
  if (hop.from === '3.6' && hop.to === '3.5')
    changes.push({ flag: '--max-learners', from: String(hop.maxLearners), to: null });
  if (hop.from === '3.5' && hop.to === '3.4')
    changes.push({ flag: '--next-cluster-version-compatible', from: null, to: 'true' });
  return changes;
}

function versionCheck(b: PlanBuilder, info: MemberInfo, version: EtcdVersion) {
  return {
    description: `${info.name} runs etcd ${version}, and the cluster is healthy again.`,
    command: commandLine(
      'curl',
      [
        { name: '--cacert', value: b.paths.etcdCaFile },
        { name: '--cert', value: b.paths.etcdctlCertFile },
        { name: '--key', value: b.paths.etcdctlKeyFile },
      ],
      [`${info.endpoints.clientUrl}/version`],
    ),
    expect: `"etcdserver":"${version}.x"; "etcdcluster" stays at the lowest version any member runs until the last member is done.`,
  };
}

function enableDowngrade(b: PlanBuilder, to: EtcdVersion): void {
  const endpoints = b.endpoints();
  b.push({
    action: 'enable-downgrade',
    title: `Validate and enable the downgrade to ${to}`,
    commands: [
      {
        runOn: 'any',
        purpose: `Check that the cluster can go to ${to}.`,
        command: cmd.etcdctl(b.paths, endpoints, ['downgrade', 'validate', to]),
      },
      {
        runOn: 'any',
        purpose: `Enable it: the cluster version drops to ${to} at once.`,
        command: cmd.etcdctl(b.paths, endpoints, ['downgrade', 'enable', to]),
      },
    ],
    manifestEdits: [],
    checks: [b.statusCheck('The downgrade is enabled.', `Cluster version ${to} reported; every member still healthy.`)],
    membershipChange: null,
    risk: { expectedDurationS: stepDurationS.promote, leaderElection: 'none', note: 'No member restarts here.' },
    rollback: {
      description: 'Cancel the downgrade while any member still runs 3.6.',
      commands: [cmd.etcdctl(b.paths, endpoints, ['downgrade', 'cancel'])],
    },
    source: [changeSources.downgrade36],
  });
}

function hopSource(hop: VersionHop) {
  if (hop.to > hop.from) return hop.to === '3.6' ? changeSources.upgrade36 : changeSources.upgrade35;
  return hop.to === '3.5' ? changeSources.downgrade36 : changeSources.downgrade35;
}

function memberEdit(info: MemberInfo, hop: VersionHop): ManifestEdit {
  const changes = flagChanges(hop);
  const image = {
    flag: 'image',
    from: `registry.k8s.io/etcd:<${hop.from} patch>-0`,
    to: `registry.k8s.io/etcd:<${hop.to} patch>-0`,
  };
  return {
    host: info.host,
    file: info.stacked ? cmd.etcdManifest : '/etc/systemd/system/etcd.service',
    changes: info.stacked ? [image, ...changes] : changes,
  };
}

/** External members: stop, new binary, start. Stacked ones: the manifest edit alone (kubelet restarts the pod). */
function restartCommands(info: MemberInfo, hop: VersionHop): StepCommand[] {
  if (info.stacked) return [];
  return [
    {
      runOn: info.host,
      purpose: 'Stop the member (a leader hands over first on a graceful stop).',
      command: cmd.stopMember(false),
    },
    {
      runOn: info.host,
      purpose: `Install the etcd ${hop.to} binary (latest patch).`,
      command: cmd.installEtcdBinary(hop.to),
    },
    {
      runOn: info.host,
      purpose: 'Start it again with the same data directory and the flag changes below.',
      command: cmd.startMemberService(false),
    },
  ];
}

function memberStep(b: PlanBuilder, info: MemberInfo, hop: VersionHop, last: boolean, keep: ReadonlySet<string>): void {
  const { name } = info;
  const upgrade = hop.to > hop.from;
  const voter = isVoter(b, name);
  const moved = voter ? b.moveLeaderOff(name, keep, `${name} is about to restart on etcd ${hop.to}.`) : undefined;
  const edit = memberEdit(info, hop);
  b.push({
    action: 'upgrade-member',
    title: `${upgrade ? 'Upgrade' : 'Downgrade'} ${name} from etcd ${hop.from} to ${hop.to}`,
    member: name,
    commands: restartCommands(info, hop),
    manifestEdits: edit.changes.length > 0 ? [edit] : [],
    checks: [versionCheck(b, info, hop.to), b.healthCheck()],
    membershipChange: null,
    stopped: [name],
    risk: {
      expectedDurationS: stepDurationS.upgradeMember,
      leaderElection: voter ? 'if-leader' : 'none',
      simulated: voter && moved !== undefined ? b.simulate(name, 'transfer') : null,
      note:
        `${name} is down while it restarts: the others must hold quorum meanwhile. ` +
        (info.stacked ? 'kubelet restarts the static pod when the manifest changes. ' : '') +
        (last
          ? `Once this last member runs ${hop.to}, the cluster version becomes ${hop.to}${upgrade ? ' and the old binary no longer fits' : ''}.`
          : `Until every member runs ${hop.to} the cluster keeps the ${upgrade ? hop.from : hop.to} protocol.`),
    },
    rollback: {
      description:
        last && upgrade
          ? `Once every member runs ${hop.to} the cluster version is ${hop.to}: going back means a snapshot restore (or a supported one-minor downgrade).`
          : `Restart ${name} with the ${hop.from} binary and its previous flags: the cluster still runs the lowest common version.`,
      commands: [],
    },
    source: [hopSource(hop), changeSources.upgradePolicy],
  });
}

export function versionHop(
  b: PlanBuilder,
  hop: VersionHop,
  infoOf: (name: string) => MemberInfo,
  keep: ReadonlySet<string>,
): void {
  if (hop.from === '3.6' && hop.to === '3.5') enableDowngrade(b, hop.to);
  const members = b.state.filter((m) => !m.down).map((m) => m.name);
  // Learners first (no vote at stake), then voters; each voter after leadership has moved off it.
  const order = [...members].sort((x, y) => Number(isVoter(b, x)) - Number(isVoter(b, y)));
  for (const [i, name] of order.entries()) memberStep(b, infoOf(name), hop, i === order.length - 1, keep);
}

function isVoter(b: PlanBuilder, name: string): boolean {
  return b.state.find((m) => m.name === name)?.learner === false;
}
