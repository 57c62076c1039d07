/**
 * @module config/apiserver
 * kube-apiserver's etcd flags.
 *
 * Stacked: kubeadm points each apiserver at its own member only, `https://127.0.0.1:2379` (`[::1]` when the
 * node's address is IPv6; cmd/kubeadm/app/phases/controlplane/manifests.go). The alternative, listing every
 * member, is offered with its trade-off. External: every voting member's client URL, from
 * ClusterConfiguration `etcd.external.endpoints`; learners are left out because a learner answers only
 * serializable reads and status, and rejects everything else with "etcdserver: rpc not supported for learner".
 */
import type { Proposal } from '../proposal.js';
import { etcdClientPort, httpsUrl, loopbackHost } from './addresses.js';
import { type CommandLine, type Flag, commandLine } from './command-line.js';
import type { MemberEndpoints } from './etcd-members.js';
import type { ConfigPaths } from './paths.js';

interface ApiServerNodeConfig {
  node: string;
  /** Why this node departs from the topology's usual list, when it does. */
  note?: string;
  /** The etcd flags of this node's kube-apiserver (its other flags are not this API's business). */
  kubeApiserver: CommandLine;
}

interface ApiServerAlternative {
  description: string;
  tradeOff: string;
  etcdServers: string;
}

export interface ApiServerConfig {
  /** One entry per control-plane node: stacked nodes differ (each its own loopback); external ones do not. */
  nodes: ApiServerNodeConfig[];
  /** The etcd members listed in `--etcd-servers` (external), or each node's local member (stacked). */
  etcdServers: string[];
  /** Members not listed, with the reason. */
  excluded: { member: string; reason: string }[];
  alternative?: ApiServerAlternative;
}

const learnerExclusionReason =
  "A learner does not vote and serves only serializable reads and status; the apiserver's requests to it would fail " +
  'with "etcdserver: rpc not supported for learner". List it once it has been promoted.';

function etcdFlags(servers: string, paths: ConfigPaths): Flag[] {
  return [
    { name: '--etcd-servers', value: servers },
    { name: '--etcd-cafile', value: paths.etcdCaFile },
    { name: '--etcd-certfile', value: paths.apiserverEtcdClientCertFile },
    { name: '--etcd-keyfile', value: paths.apiserverEtcdClientKeyFile },
  ];
}

export function apiServerConfig(proposal: Proposal, endpoints: MemberEndpoints[], paths: ConfigPaths): ApiServerConfig {
  const voterEndpoints = endpoints.filter((e) => !e.member.learner);
  const excluded = endpoints
    .filter((e) => e.member.learner)
    .map((e) => ({ member: e.member.name, reason: learnerExclusionReason }));
  const allVoters = voterEndpoints.map((e) => e.clientUrl).join(',');

  if (proposal.topology === 'external') {
    return {
      nodes: proposal.controlPlaneNodes.map((node) => ({
        node: node.name,
        kubeApiserver: commandLine('kube-apiserver', etcdFlags(allVoters, paths)),
      })),
      etcdServers: voterEndpoints.map((e) => e.clientUrl),
      excluded,
    };
  }

  const nodes = proposal.controlPlaneNodes.map((node) => {
    const local = endpoints.find((e) => e.member.host === node.name);
    // The node's address family decides the loopback. A node whose local member is a learner (or that has
    // none) has no local voter to point at, so it lists the voters until the learner is promoted.
    if (local && !local.member.learner) {
      const servers = httpsUrl(loopbackHost(local.address.kind), local.member.clientPort ?? etcdClientPort);
      return { node: node.name, kubeApiserver: commandLine('kube-apiserver', etcdFlags(servers, paths)) };
    }
    const note = local
      ? `The local member ${local.member.name} is a learner: ${learnerExclusionReason} Until then this apiserver lists the voters.`
      : 'No etcd member runs on this node, so its apiserver lists the voters.';
    return { node: node.name, note, kubeApiserver: commandLine('kube-apiserver', etcdFlags(allVoters, paths)) };
  });
  const localServers = [...new Set(nodes.map((n) => n.kubeApiserver.flags[0]!.value))];
  return {
    nodes,
    etcdServers: localServers,
    excluded,
    alternative: {
      description: "List every voting member in each apiserver's --etcd-servers instead of only the local one.",
      tradeOff:
        'Each apiserver then keeps serving when only its local etcd member fails or restarts (its etcd client moves to ' +
        'another endpoint), at the cost of cross-node etcd traffic on every request and a list kubeadm does not maintain: ' +
        'set it in ClusterConfiguration apiServer.extraArgs (name etcd-servers) and update it yourself whenever members ' +
        'change. It does not help when the whole node fails: in the stacked topology the node takes its apiserver and its ' +
        'etcd member down together, and the load balancer must drop the node either way.',
      etcdServers: allVoters,
    },
  };
}
