/**
 * @module plan
 * The plan answer for a normalized proposal: quorum, placement, failure domains by exact enumeration, stacked
 * vs external side by side, write latency, findings and a quotable summary.
 *
 * @example
 *   const result = normalizeProposal({ topology: 'stacked', controlPlane: { nodes: 3 } });
 *   if (result.ok) analyzePlan(result.proposal).failureDomains?.arbitraryHostFailures.cluster.tolerated; // 1
 */
import type { EtcdVersion } from '../etcd-versions.js';
import { learnerLimit } from '../etcd-versions.js';
import { sortFindings, type Finding } from '../findings.js';
import type { Platform, Proposal, Topology } from '../proposal.js';
import { voters as votersOf } from '../proposal.js';
import { quorumSize, tolerableFailures } from '../quorum.js';
import { planTimingFindings } from './timing.js';
import { compareTopologies, type Comparison } from './comparison.js';
import { hostLosses, worstZoneLoss, zoneLosses, type HostLoss, type ZoneLoss } from './failure-domains.js';
import { tolerances, type ToleranceReport } from './failure-sets.js';
import { hostedPlanFinding, sizingFindings, zoneFindings } from './findings.js';
import { hostModel } from './hosts.js';
import { hostedSummary, planSummary } from './summary.js';
import { writeLatency, type WriteLatency } from './write-latency.js';

interface ZonePlacement {
  zone: string;
  controlPlaneNodes: string[];
  etcdVoters: string[];
  etcdLearners: string[];
}

interface Placement {
  zones: ZonePlacement[];
  controlPlaneNodes: { name: string; zone: string; address?: string; etcdMember?: string }[];
  etcdMembers: { name: string; zone: string; host: string; learner: boolean; address?: string }[];
}

interface FailureDomains {
  hosts: HostLoss[];
  zones: ZoneLoss[];
  /** The zone whose loss hurts most; null with a single zone-less cluster (never, in practice). */
  worstZoneLoss: ZoneLoss | null;
  arbitraryHostFailures: ToleranceReport;
}

export interface Plan {
  topology: Topology;
  platform: Platform;
  /** False on a hosted platform: the provider sizes etcd, and the figures below are null. */
  sizingApplies: boolean;
  etcdVersion: EtcdVersion;
  voters: number;
  learners: number;
  learnerLimit: number;
  quorum: number | null;
  tolerableFailures: number | null;
  placement: Placement;
  failureDomains: FailureDomains | null;
  comparison: Comparison | null;
  writeLatency: WriteLatency | null;
  findings: Finding[];
  summary: string;
}

export interface PlanOptions {
  /** Where the proposal sits in the request ("" for the whole body), for finding pointers. */
  basePointer?: string;
}

function placementOf(proposal: Proposal): Placement {
  const memberOnHost = new Map(proposal.etcdMembers.map((member) => [member.host, member.name]));
  return {
    zones: proposal.zones.map((zone) => ({
      zone,
      controlPlaneNodes: proposal.controlPlaneNodes.filter((node) => node.zone === zone).map((node) => node.name),
      etcdVoters: proposal.etcdMembers
        .filter((member) => member.zone === zone && !member.learner)
        .map((member) => member.name),
      etcdLearners: proposal.etcdMembers
        .filter((member) => member.zone === zone && member.learner)
        .map((member) => member.name),
    })),
    controlPlaneNodes: proposal.controlPlaneNodes.map((node) => {
      const etcdMember = proposal.topology === 'stacked' ? memberOnHost.get(node.name) : undefined;
      return {
        name: node.name,
        zone: node.zone,
        ...(node.address !== undefined ? { address: node.address } : {}),
        ...(etcdMember ? { etcdMember } : {}),
      };
    }),
    etcdMembers: proposal.etcdMembers.map((member) => ({
      name: member.name,
      zone: member.zone,
      host: member.host,
      learner: member.learner,
      ...(member.address !== undefined ? { address: member.address } : {}),
    })),
  };
}

export function analyzePlan(proposal: Proposal, options: PlanOptions = {}): Plan {
  const basePointer = options.basePointer ?? '';
  const voterMembers = votersOf(proposal);
  const learners = proposal.etcdMembers.length - voterMembers.length;
  const common = {
    topology: proposal.topology,
    platform: proposal.platform,
    etcdVersion: proposal.etcd.version,
    voters: voterMembers.length,
    learners,
    learnerLimit: learnerLimit(proposal.etcd.version, proposal.etcd.maxLearners),
    placement: placementOf(proposal),
  };

  if (proposal.platform === 'hosted') {
    return {
      ...common,
      sizingApplies: false,
      quorum: null,
      tolerableFailures: null,
      failureDomains: null,
      comparison: null,
      writeLatency: null,
      findings: [hostedPlanFinding(basePointer)],
      summary: hostedSummary(proposal),
    };
  }

  const model = hostModel(proposal);
  const report = tolerances(model);
  const zones = zoneLosses(model, proposal.zones);
  const hosts = hostLosses(model);
  const latency = writeLatency(
    voterMembers,
    proposal.network,
    proposal.etcd.diskSyncMs,
    proposal.controlPlaneNodes,
    proposal.topology === 'stacked',
  );
  const comparison = compareTopologies(proposal, { model, report, latency, zoneLosses: zones });
  const findings = sortFindings([
    ...sizingFindings(proposal, model, basePointer),
    ...zoneFindings(proposal, model, zones),
    ...planTimingFindings(proposal, basePointer),
  ]);
  const quorum = quorumSize(model.voters);
  return {
    ...common,
    sizingApplies: true,
    quorum,
    tolerableFailures: tolerableFailures(model.voters),
    failureDomains: {
      hosts,
      zones,
      worstZoneLoss: worstZoneLoss(zones) ?? null,
      arbitraryHostFailures: report,
    },
    comparison,
    writeLatency: latency ?? null,
    findings,
    summary: planSummary({
      proposal,
      voters: model.voters,
      learners,
      quorum,
      tolerableFailures: tolerableFailures(model.voters),
      tolerances: report,
      hostLosses: hosts,
      zoneLosses: zones,
      writeLatency: latency,
      comparison,
      findings,
    }),
  };
}
