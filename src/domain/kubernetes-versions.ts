/**
 * @module kubernetes-versions
 * The Kubernetes minor versions the planner answers for, and what changes between them (facts from the
 * claims ledger): component-base's leader-election validation, whose rule and text the controller-manager
 * and scheduler print before client-go sees their flags.
 */
import { componentBaseLeaseRule } from './ledger/kubernetes.js';

/** The minors the claims ledger covers: client-go's refusals are read from v0.24 to v0.36 (Kubernetes 1.24–1.36). */
export const kubernetesVersions = [
  '1.24',
  '1.25',
  '1.26',
  '1.27',
  '1.28',
  '1.29',
  '1.30',
  '1.31',
  '1.32',
  '1.33',
  '1.34',
  '1.35',
  '1.36',
] as const;
export type KubernetesVersion = (typeof kubernetesVersions)[number];

/** The version assumed when a request names none: the newest minor the ledger covers. */
export const defaultKubernetesVersion: KubernetesVersion = '1.36';

/** The minor number of "1.N". */
function kubernetesMinor(version: KubernetesVersion): number {
  return Number(version.slice('1.'.length));
}

/** component-base's lease-vs-renew rule of this version (claims ledger: component-base-leader-election). */
export function componentBaseLeaseRuleFor(version: KubernetesVersion): (typeof componentBaseLeaseRule)[number] {
  const minor = kubernetesMinor(version);
  const rule = componentBaseLeaseRule.find((r) => minor >= r.minors[0] && minor <= r.minors[1]);
  if (!rule) throw new Error(`no component-base rule for Kubernetes ${version}`);
  return rule;
}
