/**
 * @module plan/findings
 * Placement findings: what the zones, the counts and the platform imply. Count rules (even sizes, one voter,
 * more than 7, learners) come from quorum.ts; timing rules from timing-rules.ts.
 */
import type { Finding } from '../findings.js';
import { hostedFinding } from '../hosted.js';
import { quorumFindings, quorumSize } from '../quorum.js';
import { sources } from '../sources.js';
import type { Proposal } from '../proposal.js';
import type { HostModel } from './hosts.js';
import type { ZoneLoss } from './failure-domains.js';

/** Where the counts sit in the request, under the caller's base pointer. */
function countPointers(proposal: Proposal, basePointer: string) {
  return {
    voters: proposal.topology === 'stacked' ? `${basePointer}/controlPlane/nodes` : `${basePointer}/etcd/members`,
    learners: `${basePointer}/etcd/members`,
    etcdVersion: `${basePointer}/etcd/version`,
    controlPlaneNodes: `${basePointer}/controlPlane/nodes`,
    zones: `${basePointer}/controlPlane/zones`,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function sizingFindings(proposal: Proposal, model: HostModel, basePointer: string): Finding[] {
  const pointers = countPointers(proposal, basePointer);
  const learners = proposal.etcdMembers.filter((member) => member.learner).length;
  const local = proposal.platform === 'local';
  const findings = quorumFindings(
    { voters: model.voters, learners, etcdVersion: proposal.etcd.version, maxLearners: proposal.etcd.maxLearners },
    pointers,
  ).filter((finding) => !(local && finding.code === 'SINGLE_VOTER' && proposal.controlPlaneNodes.length === 1));

  const cpCount = proposal.controlPlaneNodes.length;
  if (cpCount === 1 && local) {
    findings.push({
      code: 'LOCAL_SINGLE_NODE',
      severity: 'info',
      message:
        'A local cluster (minikube, kind) runs one control-plane node with one etcd member: expected for development, ' +
        'with no tolerance for failures. Use the self-managed platform with 3 nodes for high availability.',
      pointers: [pointers.controlPlaneNodes],
    });
  } else if (cpCount === 1) {
    findings.push({
      code: 'SINGLE_CONTROL_PLANE_NODE',
      severity: 'warning',
      message:
        "One control-plane node: losing it stops the API, the controllers and the scheduler. kubeadm's HA setups use at least 3 control-plane nodes.",
      pointers: [pointers.controlPlaneNodes],
      source: sources.kubeadmHaTopology,
    });
  }
  if (proposal.topology === 'stacked' && model.voters > 0 && model.voters % 2 === 0) {
    findings.push({
      code: 'EVEN_STACKED_CONTROL_PLANE',
      severity: 'info',
      message: `Cluster API's KubeadmControlPlane rejects an even replica count with stacked etcd, as here (${model.voters}).`,
      pointers: [pointers.controlPlaneNodes],
      source: sources.clusterApiScale,
    });
  }
  return findings;
}

export function zoneFindings(proposal: Proposal, model: HostModel, losses: readonly ZoneLoss[]): Finding[] {
  const findings: Finding[] = [];
  if (model.voters === 0) return findings;
  const pointerOfZone = (zone: string) =>
    unique(model.hosts.filter((host) => host.zone === zone && host.voter).map((host) => host.pointer));
  const voterZones = losses.filter((loss) => loss.votersInZone > 0);
  const haClaim = model.voters > 1 || proposal.controlPlaneNodes.length > 1;

  if (haClaim && voterZones.length < 3) {
    const message =
      voterZones.length === 1
        ? `Every etcd voter is in ${voterZones[0]!.zone}: one zone outage stops etcd, and with it the whole control plane. ` +
          "Kubernetes' multi-zone guide asks for at least three zones."
        : `The voters sit in 2 zones (${voterZones.map((z) => `${z.zone}: ${z.votersInZone}`).join(', ')}). With 2 zones one zone always holds at least half ` +
          'of the voters, and quorum needs more than half, so losing that zone loses quorum however the voters are split. A third zone, even with a single voter, fixes it.';
    findings.push({
      code: 'FEWER_THAN_THREE_ZONES',
      severity: 'warning',
      message,
      pointers: unique(model.hosts.filter((host) => host.voter).map((host) => host.pointer)),
      source: voterZones.length === 2 ? sources.etcdTwoZones : sources.k8sMultiZone,
    });
  }
  if (voterZones.length >= 2) {
    for (const loss of voterZones) {
      if (loss.survives.etcdQuorum) continue;
      const holds = loss.votersInZone >= quorumSize(model.voters);
      findings.push({
        code: holds ? 'ZONE_HOLDS_QUORUM' : 'ZONE_LOSS_LOSES_QUORUM',
        severity: 'warning',
        message: holds
          ? `${loss.zone} holds ${loss.votersInZone} of ${model.voters} voters, a quorum (${loss.quorum}) on its own: losing ${loss.zone} leaves ${loss.votersLeft}, and etcd stops accepting writes. Keep every zone below a quorum.`
          : `Losing ${loss.zone} leaves ${loss.votersLeft} of ${model.voters} voters, short of the quorum of ${loss.quorum}: etcd stops accepting writes.`,
        pointers: pointerOfZone(loss.zone),
        source: sources.etcdFaq,
      });
    }
  }
  for (const loss of losses) {
    if (loss.hosts.length === 0 || !loss.survives.etcdQuorum || loss.survives.apiServer) continue;
    findings.push({
      code: 'ZONE_LOSS_STOPS_API',
      severity: 'warning',
      message: `Losing ${loss.zone} keeps etcd quorum but leaves no apiserver that can serve: ${loss.controlPlaneNodesLeft === 0 ? 'every control-plane node is in that zone' : 'the control-plane nodes left have no voting local etcd member'}. Spread the control-plane nodes over the zones.`,
      pointers: unique(
        model.hosts.filter((host) => host.zone === loss.zone && host.controlPlane).map((host) => host.pointer),
      ),
      source: sources.k8sMultiZone,
    });
  }
  return findings;
}

export function hostedPlanFinding(basePointer: string): Finding {
  return hostedFinding('plan', `${basePointer}/platform`);
}
