/**
 * @module hosted
 * One rule for hosted control planes (GKE, EKS, AKS), shared by every operation and tool: what the provider
 * runs is not sized, configured or simulated as if the user ran it. Each answer says what the provider runs
 * (with its public page) and what still matters to the user, in the same words.
 *
 * @example
 *   if (isProviderRun(proposal)) return { findings: [hostedFinding('plan', '/platform')] };
 */
import type { Finding } from './findings.js';
import { sources } from './ledger/index.js';
import type { Proposal } from './proposal.js';
import { joinWith } from './text.js';

/** The components a hosted platform's provider runs and configures. */
const providerRunComponents = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

/** What is still the user's to decide on a hosted platform. */
const stillYours =
  "What is yours: choose the provider's regional (multi-zone) control plane over a zonal one, spread your nodes over zones, and check its SLA.";

/** Whether the provider runs the control plane and etcd for this proposal. */
export function isProviderRun(proposal: Pick<Proposal, 'platform'>): boolean {
  return proposal.platform === 'hosted';
}

/** The operation asking, for the one clause that differs between them. */
export type HostedOperation = 'plan' | 'config' | 'recommendation' | 'simulation';

const consequence: Record<HostedOperation, string> = {
  plan: 'so this plan gives no quorum, failure or write-latency figures for them',
  config: 'so none of their configuration is yours to apply',
  recommendation: 'so there is no etcd size, placement or timing to recommend',
  simulation: 'so their failover is not simulated as if you ran them',
};

/** The sentence every operation uses, ending in what still matters to the user. */
export function hostedMessage(operation: HostedOperation): string {
  return (
    `On a hosted control plane (GKE, EKS, AKS) the provider runs ${joinWith(providerRunComponents)} and sets their size, ` +
    `placement and flags, ${consequence[operation]}. ${stillYours}`
  );
}

/** Stable codes, one per operation (published before this helper existed; never renamed). */
const hostedCodes: Record<HostedOperation, string> = {
  plan: 'HOSTED_SIZING_NOT_APPLICABLE',
  config: 'HOSTED_CONTROL_PLANE_NOT_CONFIGURABLE',
  recommendation: 'HOSTED_SIZING_NOT_APPLICABLE',
  simulation: 'HOSTED_CONTROL_PLANE_NOT_SIMULATED',
};

/** The finding every operation gives for a hosted platform, pointing at `platform`. */
export function hostedFinding(operation: HostedOperation, platformPointer: string): Finding {
  return {
    code: hostedCodes[operation],
    severity: 'info',
    message: hostedMessage(operation),
    pointers: [platformPointer],
    source: sources.hostedGke,
  };
}
