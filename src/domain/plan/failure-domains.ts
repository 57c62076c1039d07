/**
 * @module plan/failure-domains
 * Losing one host, losing one zone: what each takes down, and what still works.
 */
import { capabilitiesAfter, type Capabilities } from './capabilities.js';
import { popcount, zoneMask, type Host, type HostModel } from './hosts.js';

export interface HostLoss {
  host: string;
  zone: string;
  /** Processes on the host, in words: the blast radius of losing it. */
  runs: string[];
  /** Losing it removes an etcd voter and a control-plane instance at once (stacked coupling). */
  coupled: boolean;
  survives: Capabilities;
  pointer: string;
}

export interface ZoneLoss {
  zone: string;
  hosts: string[];
  votersInZone: number;
  votersLeft: number;
  quorum: number;
  controlPlaneNodesLeft: number;
  survives: Capabilities;
}

function processesOn(host: Host): string[] {
  const runs: string[] = [];
  if (host.etcdMember !== undefined) runs.push(`etcd member ${host.etcdMember} (${host.voter ? 'voter' : 'learner'})`);
  if (host.controlPlane) runs.push('kube-apiserver', 'kube-controller-manager', 'kube-scheduler');
  return runs;
}

export function hostLosses(model: HostModel): HostLoss[] {
  return model.hosts.map((host, i) => ({
    host: host.name,
    zone: host.zone,
    runs: processesOn(host),
    coupled: host.voter && host.controlPlane,
    survives: capabilitiesAfter(model, 1 << i),
    pointer: host.pointer,
  }));
}

export function zoneLosses(model: HostModel, zones: readonly string[]): ZoneLoss[] {
  return zones.map((zone) => {
    const mask = zoneMask(model, zone);
    return {
      zone,
      hosts: model.hosts.filter((host) => host.zone === zone).map((host) => host.name),
      votersInZone: popcount(model.voterMask & mask),
      votersLeft: popcount(model.voterMask & ~mask),
      quorum: model.quorum,
      controlPlaneNodesLeft: popcount(model.controlPlaneMask & ~mask),
      survives: capabilitiesAfter(model, mask),
    };
  });
}

/**
 * The zone whose loss hurts most: fewest capabilities left, then fewest voters left, then the first listed.
 * Undefined when there are no zones with hosts.
 */
export function worstZoneLoss(losses: readonly ZoneLoss[]): ZoneLoss | undefined {
  const score = (loss: ZoneLoss) =>
    Number(loss.survives.etcdQuorum) + Number(loss.survives.apiServer) + Number(loss.survives.controllerLeaders);
  let worst: ZoneLoss | undefined;
  for (const loss of losses) {
    if (loss.hosts.length === 0) continue;
    if (!worst || score(loss) < score(worst) || (score(loss) === score(worst) && loss.votersLeft < worst.votersLeft))
      worst = loss;
  }
  return worst;
}
