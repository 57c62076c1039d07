/**
 * @module plan/capabilities
 * What still works when a set of hosts is down. Host failures only: a down host runs nothing, an up host runs
 * everything it was given, and every up host reaches every other (partitions are the simulator's business).
 *
 * - etcdQuorum: at least a quorum of the voters is up, so a leader can be elected and writes commit.
 * - apiServer: at least one apiserver can serve through the load balancer: its host is up and it reaches an
 *   etcd quorum. Stacked: its local member must be an up voter (it talks to nothing else) and the quorum must
 *   be up. External: its host is up and the quorum is up.
 * - controllerLeaders: a kube-controller-manager and kube-scheduler leader is possible: some up control-plane
 *   node's local apiserver (kubeadm points both components at it) can serve, so a lease can be renewed.
 *   Under host failures alone this coincides with apiServer; it is reported apart because the two differ as
 *   soon as single processes fail, and because people ask about them separately.
 */
import type { HostModel } from './hosts.js';
import { popcount } from './hosts.js';

export interface Capabilities {
  etcdQuorum: boolean;
  apiServer: boolean;
  controllerLeaders: boolean;
}

export const capabilityNames = ['etcdQuorum', 'apiServer', 'controllerLeaders'] as const;
export type CapabilityName = (typeof capabilityNames)[number];

function etcdQuorumAlive(model: HostModel, failedMask: number): boolean {
  return model.quorum > 0 && popcount(model.voterMask & ~failedMask) >= model.quorum;
}

export function capabilitiesAfter(model: HostModel, failedMask: number): Capabilities {
  const etcdQuorum = etcdQuorumAlive(model, failedMask);
  const apiServer = etcdQuorum && (model.servingMask & ~failedMask) !== 0;
  // A leader needs a live control-plane node whose own apiserver serves: the same hosts as servingMask.
  const controllerLeaders = etcdQuorum && (model.servingMask & model.controlPlaneMask & ~failedMask) !== 0;
  return { etcdQuorum, apiServer, controllerLeaders };
}
