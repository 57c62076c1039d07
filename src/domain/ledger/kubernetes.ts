/**
 * @module ledger/kubernetes
 * What client-go, component-base and kubeadm do, with their exact texts and the Kubernetes minors where they
 * differ. Checked in kubernetes/client-go and kubernetes/component-base at the tags named below (v0.N.x is
 * the library of Kubernetes 1.N) and in kubernetes/kubernetes' kubeadm.
 */
import { type Citation, githubFile } from './citation.js';

/** client-go's `JitterFactor`: a candidate waits RetryPeriod·(1 + U[0,1)·1.2) between acquire attempts. */
export const leaderElectionJitterFactor = 1.2;

/**
 * client-go NewLeaderElector's refusals, in the order it checks them. Identical from v0.24.17 to v0.36.3
 * (Kubernetes 1.24–1.36). The controller-manager and scheduler exit when it refuses.
 */
export const clientGoLeaderElectionTexts = {
  leaseNotAboveRenew: 'leaseDuration must be greater than renewDeadline',
  renewNotAboveJitteredRetry: 'renewDeadline must be greater than retryPeriod*JitterFactor',
  leaseNotPositive: 'leaseDuration must be greater than zero',
  renewNotPositive: 'renewDeadline must be greater than zero',
  retryNotPositive: 'retryPeriod must be greater than zero',
} as const;

export const clientGoLeaderElectionCitation: Citation = githubFile(
  'kubernetes/client-go',
  'v0.34.0',
  'tools/leaderelection/leaderelection.go',
  'client-go tools/leaderelection/leaderelection.go (NewLeaderElector)',
);

/**
 * component-base's ValidateLeaderElectionConfiguration, which the controller-manager and scheduler run on
 * their flags before client-go sees them. Its lease-vs-renew rule and text changed twice:
 * - Kubernetes ≤ 1.25: refuses only lease < renew (equal values pass, then client-go refuses them);
 * - 1.26–1.33: refuses lease ≤ renew, "LeaseDuration must be greater than RenewDeadline";
 * - 1.34 and later: refuses lease ≤ renew, "must be greater than `RenewDeadline`".
 * Each duration ≤ 0 is refused with "must be greater than zero" in every version.
 */
export const componentBaseLeaseRule = [
  {
    kubernetes: '1.25 and earlier',
    /** The Kubernetes minors (1.N) it holds for, within those the planner supports. */
    minors: [24, 25],
    refusesEqual: false,
    text: 'LeaseDuration must be greater than RenewDeadline',
    source: githubFile('kubernetes/component-base', 'v0.25.16', 'config/validation/validation.go'),
  },
  {
    kubernetes: '1.26 to 1.33',
    minors: [26, 33],
    refusesEqual: true,
    text: 'LeaseDuration must be greater than RenewDeadline',
    source: githubFile('kubernetes/component-base', 'v0.33.13', 'config/validation/validation.go'),
  },
  {
    kubernetes: '1.34 and later',
    minors: [34, 36],
    refusesEqual: true,
    text: 'must be greater than `RenewDeadline`',
    source: githubFile('kubernetes/component-base', 'v0.36.3', 'config/validation/validation.go'),
  },
] as const;

/** component-base's text for a duration ≤ 0, in every version. */
export const componentBaseNotPositiveText = 'must be greater than zero';

/** kubeadm's kube-apiserver manifest (getAPIServerCommand) and certificate names. */
export const kubeadmFacts = {
  /** Stacked: each apiserver talks to its local member only; `[::1]` when the advertise address is IPv6. */
  stackedEtcdServersIpv4: 'https://127.0.0.1:2379',
  stackedEtcdServersIpv6: 'https://[::1]:2379',
  etcdCaFile: '/etc/kubernetes/pki/etcd/ca.crt',
  apiserverEtcdClientCertFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  apiserverEtcdClientKeyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
  source: githubFile(
    'kubernetes/kubernetes',
    'v1.34.0',
    'cmd/kubeadm/app/phases/controlplane/manifests.go',
    'kubeadm phases/controlplane/manifests.go (getAPIServerCommand)',
  ),
} as const;
