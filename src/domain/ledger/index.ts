/**
 * @module ledger
 * The claims ledger: every upstream fact the answers state, with the upstream file and tag or the page it
 * was checked against. docs/reference/ledger.md is the same ledger for people. Code that states one of these
 * facts or quotes one of these texts takes it from here, and findings cite {@link sources}.
 */
import type { EtcdVersion } from '../etcd-versions.js';
import { type Citation, type Claim, githubFile } from './citation.js';
import { etcdCitations, etcdTags } from './etcd.js';
import { clientGoLeaderElectionCitation, componentBaseLeaseRule, kubeadmFacts } from './kubernetes.js';

export type { Citation, Claim } from './citation.js';
export * from './etcd.js';
export * from './guidance.js';
export * from './kubernetes.js';

const etcdDocs = 'https://etcd.io/docs/v3.5';

/** The documents and files findings cite. */
export const sources = {
  etcdFaq: { title: 'etcd FAQ: fault tolerance table', url: `${etcdDocs}/faq/` },
  etcdFaqHeartbeat: {
    title: 'etcd FAQ: "failed to send out heartbeat on time" (WAL fsync p99 should be less than 10ms)',
    url: `${etcdDocs}/faq/#what-does-the-etcd-warning-failed-to-send-out-heartbeat-on-time-mean`,
  },
  etcdTuning: { title: 'etcd tuning guide: time parameters', url: `${etcdDocs}/tuning/` },
  etcdFailures: { title: 'etcd failure modes', url: `${etcdDocs}/op-guide/failures/` },
  etcdPerformance: { title: 'etcd performance', url: `${etcdDocs}/op-guide/performance/` },
  etcdLearner: { title: 'etcd learner design', url: `${etcdDocs}/learning/design-learner/` },
  etcdConfig: etcdCitations.config('3.5'),
  etcdMembership: etcdCitations.membership('3.5'),
  raft: githubFile('etcd-io/raft', '551232a5a2dd4ecbf36489baf177bffc43485cfb', 'raft.go', 'etcd-io/raft raft.go'),
  k8sEtcd: {
    title: 'Kubernetes: operating etcd clusters for Kubernetes',
    url: 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/',
  },
  k8sMultiZone: {
    title: 'Kubernetes: running in multiple zones',
    url: 'https://kubernetes.io/docs/setup/best-practices/multiple-zones/',
  },
  kubeadmHaTopology: {
    title: 'kubeadm: options for highly available topology',
    url: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/ha-topology/',
  },
  kubeadmHa: {
    title: 'kubeadm: creating highly available clusters',
    url: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/high-availability/',
  },
  kubeadmManifests: kubeadmFacts.source,
  clientGoLeaderElection: clientGoLeaderElectionCitation,
  etcdTwoZones: {
    title: 'etcd-io/website issue 779: two-zone deployments',
    url: 'https://github.com/etcd-io/website/issues/779',
  },
  clusterApiScale: githubFile(
    'kubernetes-sigs/cluster-api',
    '155e6604aea01770c979631265c057e5e7eff45e',
    'controlplane/kubeadm/internal/webhooks/scale.go',
    'cluster-api KubeadmControlPlane webhook (scale.go)',
  ),
  hostedGke: {
    title: 'GKE cluster architecture: the control plane is managed by Google',
    url: 'https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-architecture',
  },
  hostedEks: {
    title: 'Amazon EKS architecture: the control plane, etcd included, runs in AWS accounts',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-architecture.html',
  },
  hostedAks: {
    title: 'AKS core concepts: the control plane is provided as a managed Azure resource',
    url: 'https://learn.microsoft.com/en-us/azure/aks/core-aks-concepts',
  },
} as const satisfies Record<string, Citation>;

const versions: EtcdVersion[] = ['3.4', '3.5', '3.6'];

/**
 * Every claim, in the order of docs/reference/ledger.md. Built in a pure call so the Worker bundle, which only
 * quotes texts and sources, leaves the list out: only the page's generator and the tests read it.
 */
export const claims: readonly Claim[] = /* @__PURE__ */ (() => [
  {
    id: 'quorum-majority',
    statement: 'A cluster of n voters needs floor(n/2) + 1 of them (a quorum) and tolerates n − quorum failures.',
    sources: [sources.etcdFaq],
  },
  {
    id: 'quorum-even-size',
    statement: 'An even size tolerates no more failures than the odd size below it.',
    sources: [sources.etcdFaq],
  },
  {
    id: 'quorum-max-size',
    statement: 'An etcd cluster "probably should have no more than seven nodes"; five tolerates two failures.',
    sources: [sources.etcdFaq],
  },
  {
    id: 'learner-no-vote',
    statement: 'A learner replicates but neither votes nor counts toward quorum; it cannot lead.',
    sources: [sources.etcdLearner],
  },
  {
    id: 'learner-limit',
    statement: 'At most 1 learner: a constant in 3.4 and 3.5, the --max-learners flag (default 1) in 3.6.',
    sources: versions.map(etcdCitations.membership),
  },
  {
    id: 'learner-limit-text',
    statement:
      'Over the limit the voters still start; only `etcdctl member add --learner` is refused, printing "Error: etcdserver: too many learner members in cluster".',
    sources: versions.map(etcdCitations.rpcErrors),
  },
  {
    id: 'etcd-defaults',
    statement: '--heartbeat-interval defaults to 100 ms, --election-timeout to 1000 ms.',
    sources: versions.map(etcdCitations.config),
  },
  {
    id: 'etcd-pre-vote-default',
    statement: '--pre-vote defaults to false in 3.4 and to true from 3.5.',
    sources: versions.map(etcdCitations.config),
  },
  {
    id: 'etcd-flag-validation',
    statement:
      'Config.Validate refuses a heartbeat or election timeout ≤ 0, an election timeout below 5 × the heartbeat, and one above 50000 ms, with the texts in etcdValidationTexts.',
    sources: versions.map(etcdCitations.config),
  },
  {
    id: 'etcd-refusal-log',
    statement:
      '3.4 logs a refused flag as "error verifying flags, <err>. See \'etcd --help\'." (capnslog, its default logger); 3.5 and 3.6 log "failed to verify flags" with an error field (zap). All exit with status 1.',
    sources: versions.map(etcdCitations.main),
  },
  {
    id: 'etcd-election-ticks',
    statement:
      'The election timeout counts in whole heartbeat ticks: ElectionTicks() = int(ElectionMs / TickMs), so 1050 ms with a 100 ms heartbeat acts as 1000 ms.',
    sources: versions.map(etcdCitations.config),
  },
  {
    id: 'raft-election-timing',
    statement:
      'Each member ticks every heartbeat interval on its own timer; a follower resets its elapsed ticks on every message from the leader and campaigns when they reach a randomized timeout drawn from [ET, 2·ET − 1] ticks on every reset (becoming follower, candidate or leader); pre-vote asks first; with CheckQuorum a leader that heard from no quorum during ET ticks steps down, and a member that heard from a leader within ET ticks ignores (pre-)votes.',
    sources: [sources.raft],
  },
  {
    id: 'raft-paper-experiment',
    statement:
      'Ongaro and Ousterhout (USENIX ATC 2014, §9.3, Figure 16): 5 servers, broadcast time about 15 ms, the leader crashed at a random moment within its heartbeat interval (half the minimum election timeout), 1,000 trials per timeout range; the result is a CDF of downtime per range.',
    sources: [
      {
        title: 'In Search of an Understandable Consensus Algorithm (USENIX ATC 2014)',
        url: 'https://raft.github.io/raft.pdf',
      },
    ],
  },
  {
    id: 'etcd-tuning',
    statement:
      'Heartbeat about 0.5–1.5 × the round trip between members; election timeout at least 10 × that round trip; at most 50000 ms; the same values on every member.',
    sources: [sources.etcdTuning],
  },
  {
    id: 'etcd-disk-fsync',
    statement: 'Slow disks delay heartbeats and cause spurious elections; WAL fsync p99 "should be less than 10ms".',
    sources: [sources.etcdFaqHeartbeat],
  },
  {
    id: 'etcd-write-floor',
    statement:
      'The minimum time of a request is the round trip between members plus the fdatasync; a typical US round trip is about 50 ms.',
    sources: [sources.etcdPerformance],
  },
  {
    id: 'etcd-failover',
    statement: 'Electing a new leader takes about an election timeout; no writes are committed meanwhile.',
    sources: [sources.etcdFailures],
  },
  {
    id: 'client-go-leader-election',
    statement:
      'NewLeaderElector refuses leaseDuration ≤ renewDeadline, renewDeadline ≤ retryPeriod × 1.2 and any duration ≤ 0, with the texts in clientGoLeaderElectionTexts (Kubernetes 1.24–1.36).',
    sources: [clientGoLeaderElectionCitation],
  },
  {
    id: 'component-base-leader-election',
    statement: `component-base validates the leader-election flags first: ${componentBaseLeaseRule
      .map(
        (rule) =>
          `Kubernetes ${rule.kubernetes} refuses lease ${rule.refusesEqual ? '≤' : '<'} renew with "${rule.text}"`,
      )
      .join('; ')}.`,
    sources: componentBaseLeaseRule.map((rule) => rule.source),
  },
  {
    id: 'leader-election-defaults',
    statement:
      'kube-controller-manager and kube-scheduler default to a 15 s lease, 10 s renew deadline and 2 s retry period.',
    sources: [githubFile('kubernetes/component-base', 'v0.34.0', 'config/v1alpha1/defaults.go')],
  },
  {
    id: 'client-go-lease-timing',
    statement:
      'A candidate tries to acquire every RetryPeriod·(1 + U[0,1)·1.2); it judges the lease by its own clock from when it last saw the record change, valid for the LeaseDuration the holder wrote; the holder renews every RetryPeriod and stops leading when no renewal succeeds within RenewDeadline.',
    sources: [clientGoLeaderElectionCitation],
  },
  {
    id: 'apiserver-etcd-client',
    statement:
      "kube-apiserver's etcd client balances over the --etcd-servers endpoints and moves to another when one disconnects; /livez/etcd and /readyz/etcd fail when the reachable members have no quorum.",
    sources: [
      githubFile(
        'kubernetes/kubernetes',
        'v1.34.0',
        'staging/src/k8s.io/apiserver/pkg/storage/storagebackend/factory/etcd3.go',
        'k8s.io/apiserver storagebackend/factory/etcd3.go',
      ),
    ],
  },
  {
    id: 'kubeadm-stacked-etcd-servers',
    statement:
      'kubeadm points each stacked apiserver at its local member only, https://127.0.0.1:2379 ([::1] for IPv6), with pki/etcd/ca.crt and apiserver-etcd-client.crt/.key.',
    sources: [kubeadmFacts.source],
  },
  {
    id: 'kubeadm-topologies',
    statement:
      'Stacked etcd couples a node loss to an etcd member loss; external etcd needs at least 3 control-plane and 3 etcd hosts.',
    sources: [sources.kubeadmHaTopology],
  },
  {
    id: 'multi-zone',
    statement:
      'Spread the control plane over at least three zones; with two, one zone always holds at least half the voters.',
    sources: [sources.k8sMultiZone, sources.etcdTwoZones],
  },
  {
    id: 'cluster-api-even',
    statement: "Cluster API's KubeadmControlPlane rejects an even replica count with stacked etcd.",
    sources: [sources.clusterApiScale],
  },
  {
    id: 'hosted-control-plane',
    statement:
      "GKE, EKS and AKS run the control plane and etcd themselves: their size, placement and timings are not the user's to set.",
    sources: [sources.hostedGke, sources.hostedEks, sources.hostedAks],
  },
])();

export { etcdTags };
