/**
 * @module sources
 * The public documents our rules come from. Findings cite these so that a reader can check each claim.
 */
import type { Source } from './findings.js';

export const sources = {
  etcdFaq: { title: 'etcd FAQ: fault tolerance table', url: 'https://etcd.io/docs/v3.5/faq/' },
  etcdTuning: { title: 'etcd tuning guide: time parameters', url: 'https://etcd.io/docs/v3.5/tuning/' },
  etcdFailures: { title: 'etcd failure modes', url: 'https://etcd.io/docs/v3.5/op-guide/failures/' },
  etcdPerformance: { title: 'etcd performance', url: 'https://etcd.io/docs/v3.5/op-guide/performance/' },
  etcdLearner: { title: 'etcd learner design', url: 'https://etcd.io/docs/v3.5/learning/design-learner/' },
  etcdConfig: {
    title: 'etcd server/embed/config.go (Config.Validate)',
    url: 'https://github.com/etcd-io/etcd/blob/main/server/embed/config.go',
  },
  etcdMembership: {
    title: 'etcd membership: maxLearners',
    url: 'https://github.com/etcd-io/etcd/blob/release-3.5/server/etcdserver/api/membership/cluster.go',
  },
  raft: { title: 'etcd-io/raft raft.go', url: 'https://github.com/etcd-io/raft/blob/main/raft.go' },
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
  clientGoLeaderElection: {
    title: 'client-go tools/leaderelection/leaderelection.go',
    url: 'https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/leaderelection.go',
  },
  etcdTwoZones: {
    title: 'etcd-io/website issue 779: two-zone deployments',
    url: 'https://github.com/etcd-io/website/issues/779',
  },
  clusterApiScale: {
    title: 'cluster-api KubeadmControlPlane webhook (scale.go)',
    url: 'https://github.com/kubernetes-sigs/cluster-api/blob/main/controlplane/kubeadm/internal/webhooks/scale.go',
  },
} as const satisfies Record<string, Source>;
