/**
 * @module config/kubeadm
 * kubeadm's ClusterConfiguration in the current config API, kubeadm.k8s.io/v1beta4 (Kubernetes 1.31 and
 * later; v1beta3 is deprecated). v1beta4 writes `extraArgs` as a list of `{name, value}` (flag names
 * without dashes), not the map of v1beta3.
 *
 * Stacked: `etcd.local` with the timing flags as extraArgs; kubeadm generates every other etcd flag itself
 * (the member flag sets in this answer are what it produces, plus these). External: `etcd.external` with
 * every voting member's client URL and the apiserver's client certificate. Both set `controlPlaneEndpoint`
 * to the load balancer, and pass the leader-election durations to the controller-manager and scheduler.
 */
import type { Proposal } from '../proposal.js';
import type { Flag } from './command-line.js';
import { leaderElectionFlags } from './leader-election.js';
import type { ConfigPaths } from './paths.js';
import { type YamlValue, toYaml } from './yaml.js';

const kubeadmApiVersion = 'kubeadm.k8s.io/v1beta4';

interface KubeadmArg {
  name: string;
  value: string;
}

export interface KubeadmConfig {
  apiVersion: typeof kubeadmApiVersion;
  kind: 'ClusterConfiguration';
  /** The document as data (what the YAML encodes). */
  document: { [key: string]: YamlValue };
  /** The same document rendered as YAML. */
  yaml: string;
}

function asArgs(flags: Flag[]): KubeadmArg[] {
  return flags.map((flag) => ({ name: flag.name.replace(/^--/, ''), value: flag.value }));
}

/**
 * The leader-election flags kubeadm does not already set: it always passes `--leader-elect=true`, and the
 * lock type, name and namespace are the components' defaults.
 */
function leaderElectionArgs(proposal: Proposal, component: 'kube-controller-manager' | 'kube-scheduler'): KubeadmArg[] {
  const wanted = new Set([
    '--leader-elect-lease-duration',
    '--leader-elect-renew-deadline',
    '--leader-elect-retry-period',
  ]);
  return asArgs(leaderElectionFlags(proposal, component).filter((flag) => wanted.has(flag.name)));
}

export function kubeadmConfig(proposal: Proposal, paths: ConfigPaths, externalEndpoints: string[]): KubeadmConfig {
  const etcd: { [key: string]: YamlValue } =
    proposal.topology === 'stacked'
      ? {
          local: {
            dataDir: paths.etcdDataDir,
            extraArgs: [
              { name: 'heartbeat-interval', value: String(proposal.etcd.heartbeatIntervalMs) },
              { name: 'election-timeout', value: String(proposal.etcd.electionTimeoutMs) },
              { name: 'pre-vote', value: String(proposal.etcd.preVote) },
            ],
          },
        }
      : {
          external: {
            endpoints: externalEndpoints,
            caFile: paths.etcdCaFile,
            certFile: paths.apiserverEtcdClientCertFile,
            keyFile: paths.apiserverEtcdClientKeyFile,
          },
        };
  const document: { [key: string]: YamlValue } = {
    apiVersion: kubeadmApiVersion,
    kind: 'ClusterConfiguration',
    controlPlaneEndpoint: proposal.loadBalancer.endpoint,
    etcd,
    controllerManager: { extraArgs: leaderElectionArgs(proposal, 'kube-controller-manager') as unknown as YamlValue },
    scheduler: { extraArgs: leaderElectionArgs(proposal, 'kube-scheduler') as unknown as YamlValue },
  };
  return { apiVersion: kubeadmApiVersion, kind: 'ClusterConfiguration', document, yaml: toYaml(document) };
}
