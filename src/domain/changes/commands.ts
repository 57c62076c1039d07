/**
 * @module changes/commands
 * The exact commands of a change plan: etcdctl with `--endpoints` and the TLS flags of POST /v1/config
 * (kubeadm's CA and healthcheck-client pair unless overridden), etcd's own start command with the flags
 * /v1/config generates, kubeadm, and the few shell commands that stop a member or move its data aside.
 *
 * Member IDs are assigned by etcd at `member add` and printed in hex; commands carry the placeholder
 * `<member-id-of-NAME>` (the same one /v1/config uses), to be read from `etcdctl member list`.
 */
import { type CommandLine, type Flag, commandLine } from '../config/command-line.js';
import { memberIdPlaceholder } from '../config/etcd-members.js';
import type { ConfigPaths } from '../config/paths.js';
import type { EtcdVersion } from '../etcd-versions.js';

export const etcdManifest = '/etc/kubernetes/manifests/etcd.yaml';
export const apiserverManifest = '/etc/kubernetes/manifests/kube-apiserver.yaml';
/** Where a stacked member's static pod manifest goes while it must not run (kubelet only reads manifests/). */
const parkedEtcdManifest = '/etc/kubernetes/etcd.yaml.parked';
/** Out of kubelet's manifest directory, the apiserver stops; edits made here apply when it moves back. */
export const parkedApiserverManifest = '/etc/kubernetes/kube-apiserver.yaml.parked';
const snapshotFile = '/var/backups/etcd-before-change.db';

function tls(paths: ConfigPaths): Flag[] {
  return [
    { name: '--cacert', value: paths.etcdCaFile },
    { name: '--cert', value: paths.etcdctlCertFile },
    { name: '--key', value: paths.etcdctlKeyFile },
  ];
}

export function etcdctl(paths: ConfigPaths, endpoints: readonly string[], args: string[], flags: Flag[] = []) {
  return commandLine('etcdctl', [{ name: '--endpoints', value: endpoints.join(',') }, ...tls(paths), ...flags], args);
}

export function memberAdd(paths: ConfigPaths, endpoints: readonly string[], name: string, peerUrl: string) {
  return etcdctl(
    paths,
    endpoints,
    ['member', 'add', name],
    [
      { name: '--learner', value: 'true' },
      { name: '--peer-urls', value: peerUrl },
    ],
  );
}

export function memberPromote(paths: ConfigPaths, endpoints: readonly string[], name: string) {
  return etcdctl(paths, endpoints, ['member', 'promote', memberIdPlaceholder(name)]);
}

export function memberRemove(paths: ConfigPaths, endpoints: readonly string[], name: string) {
  return etcdctl(paths, endpoints, ['member', 'remove', memberIdPlaceholder(name)]);
}

/** etcdctl finds the leader among the endpoints itself and asks it to transfer ("no leader endpoint given" otherwise). */
export function moveLeader(paths: ConfigPaths, endpoints: readonly string[], to: string) {
  return etcdctl(paths, endpoints, ['move-leader', memberIdPlaceholder(to)]);
}

export function endpointStatus(paths: ConfigPaths, endpoints: readonly string[]) {
  return etcdctl(paths, endpoints, ['endpoint', 'status'], [{ name: '--write-out', value: 'table' }]);
}

export function endpointHealth(paths: ConfigPaths, endpoints: readonly string[]) {
  return etcdctl(paths, endpoints, ['endpoint', 'health']);
}

export function memberList(paths: ConfigPaths, endpoints: readonly string[]) {
  return etcdctl(paths, endpoints, ['member', 'list'], [{ name: '--write-out', value: 'table' }]);
}

export function snapshotSave(paths: ConfigPaths, endpoint: string, file = snapshotFile) {
  return etcdctl(paths, [endpoint], ['snapshot', 'save', file]);
}

export function startEtcd(flags: Flag[]): CommandLine {
  return commandLine('etcd', flags);
}

/** External members run as a systemd unit named etcd (the usual packaging); stacked ones as a static pod. */
export function stopMember(stacked: boolean): CommandLine {
  return stacked
    ? commandLine('mv', [], [etcdManifest, parkedEtcdManifest])
    : commandLine('systemctl', [], ['stop', 'etcd']);
}

export function startMemberService(stacked: boolean): CommandLine {
  return stacked
    ? commandLine('mv', [], [parkedEtcdManifest, etcdManifest])
    : commandLine('systemctl', [], ['start', 'etcd']);
}

/** A removed member's data must not be reused: etcd would start with its old identity. Moved aside, not deleted. */
export function moveDataAside(paths: ConfigPaths): CommandLine {
  return commandLine('mv', [], [paths.etcdDataDir, `${paths.etcdDataDir}.removed`]);
}

export function installEtcdBinary(version: EtcdVersion): CommandLine {
  return commandLine('install', [], ['-m', '0755', `<etcd-v${version}-latest-patch>/etcd`, '/usr/local/bin/etcd']);
}

export function kubeadmJoin(endpoint: string, address: string | undefined): CommandLine {
  const flags: Flag[] = [
    { name: '--token', value: '<bootstrap-token>' },
    { name: '--discovery-token-ca-cert-hash', value: 'sha256:<ca-cert-hash>' },
    { name: '--control-plane', value: 'true' },
    { name: '--certificate-key', value: '<certificate-key>' },
  ];
  if (address !== undefined) flags.push({ name: '--apiserver-advertise-address', value: address });
  return commandLine('kubeadm', flags, ['join', endpoint]);
}

export function kubeadmPrintJoin(): CommandLine {
  return commandLine('kubeadm', [{ name: '--print-join-command', value: 'true' }], ['token', 'create']);
}

export function kubeadmUploadCerts(): CommandLine {
  return commandLine('kubeadm', [{ name: '--upload-certs', value: 'true' }], ['init', 'phase', 'upload-certs']);
}

export function kubeadmReset(): CommandLine {
  return commandLine('kubeadm', [{ name: '--force', value: 'true' }], ['reset']);
}

export function kubectlDeleteNode(node: string): CommandLine {
  return commandLine('kubectl', [], ['delete', 'node', node]);
}

/** etcdctl snapshot restore in 3.4; etcdutl from 3.5 (etcdctl's restore is deprecated there and gone in 3.6). */
export function snapshotRestore(version: EtcdVersion, flags: Flag[]): CommandLine {
  const tool = version === '3.4' ? 'etcdctl' : 'etcdutl';
  return commandLine(tool, flags, ['snapshot', 'restore', snapshotFile]);
}

export function snapshotStatus(version: EtcdVersion, file = snapshotFile): CommandLine {
  const tool = version === '3.4' ? 'etcdctl' : 'etcdutl';
  return commandLine(tool, [{ name: '--write-out', value: 'table' }], ['snapshot', 'status', file]);
}

/** kubeadm keeps its ClusterConfiguration in this ConfigMap; joins and upgrades read it. */
export function editKubeadmConfig(): CommandLine {
  return commandLine(
    'kubectl',
    [{ name: '--namespace', value: 'kube-system' }],
    ['edit', 'configmap', 'kubeadm-config'],
  );
}

/** The apiserver's own etcd readiness check (a linearizable read through its --etcd-servers). */
export function readyzEtcd(): CommandLine {
  return commandLine('kubectl', [{ name: '--raw', value: '/readyz/etcd' }], ['get']);
}

export function kubectlGetNode(node: string): CommandLine {
  return commandLine('kubectl', [], ['get', 'node', node]);
}

/** Without quorum there is no live snapshot: the database file of a member stands in for one. */
export function copyDatabase(paths: ConfigPaths): CommandLine {
  return commandLine('cp', [], [`${paths.etcdDataDir}/member/snap/db`, snapshotFile]);
}

export function parkApiserver(): CommandLine {
  return commandLine('mv', [], [apiserverManifest, parkedApiserverManifest]);
}

export function unparkApiserver(): CommandLine {
  return commandLine('mv', [], [parkedApiserverManifest, apiserverManifest]);
}
