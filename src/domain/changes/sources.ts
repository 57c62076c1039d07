/**
 * @module changes/sources
 * The upstream documents and code each rule of a change plan comes from (checked against etcd-io/website
 * content/en/docs/v3.6 and etcd-io/etcd server/etcdserver).
 */
import type { Source } from '../findings.js';

export const changeSources = {
  runtimeReconfiguration: {
    title:
      'etcd runtime reconfiguration: one member at a time; removing the leader costs an election; unsafe to remove from 2 members',
    url: 'https://etcd.io/docs/v3.6/op-guide/runtime-configuration/',
  },
  learner: {
    title: 'etcd learner design: learners do not vote; promote once caught up; leadership cannot move to a learner',
    url: 'https://etcd.io/docs/v3.6/learning/design-learner/',
  },
  learnerReady: {
    title:
      'etcd server.go: readyPercentThreshold = 0.9 (a learner is promoted only at 90% of the leader’s log; else "etcdserver: can only promote a learner member which is in sync with leader")',
    url: 'https://github.com/etcd-io/etcd/blob/main/server/etcdserver/server.go',
  },
  maxLearners: {
    title: 'etcd membership: at most 1 learner (3.4, 3.5), --max-learners in 3.6 (default 1)',
    url: 'https://github.com/etcd-io/etcd/blob/release-3.5/server/etcdserver/api/membership/cluster.go',
  },
  upgradePolicy: {
    title: 'etcd upgrade policy: one minor version at a time; mixed versions run the lowest common version',
    url: 'https://etcd.io/docs/v3.6/upgrades/upgrading-etcd/',
  },
  upgrade35: {
    title: 'Upgrade etcd from 3.4 to 3.5 (rolling; no downgrade once every member runs 3.5)',
    url: 'https://etcd.io/docs/v3.5/upgrades/upgrade_3_5/',
  },
  upgrade36: {
    title: 'Upgrade etcd from v3.5 to v3.6 (every 3.5 member on the latest 3.5 patch first; rollback only by snapshot)',
    url: 'https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/',
  },
  downgrade35: {
    title: 'Downgrade etcd from 3.5 to 3.4 (restart each member as 3.4 with --next-cluster-version-compatible)',
    url: 'https://etcd.io/docs/v3.6/downgrades/downgrade_3_5/',
  },
  downgrade36: {
    title: 'Downgrade etcd from v3.6 to v3.5 (etcdctl downgrade validate/enable 3.5, then one member at a time)',
    url: 'https://etcd.io/docs/v3.6/downgrades/downgrade_3_6/',
  },
  preVote: {
    title: 'etcd 3.5 changelog: --pre-vote defaults to true',
    url: 'https://github.com/etcd-io/etcd/blob/main/CHANGELOG/CHANGELOG-3.5.md',
  },
  recovery: {
    title:
      'etcd disaster recovery: every member restores from the same snapshot; a new cluster token; member and cluster IDs change',
    url: 'https://etcd.io/docs/v3.6/op-guide/recovery/',
  },
  maintenance: {
    title: 'etcd maintenance: snapshot backup (etcdctl snapshot save)',
    url: 'https://etcd.io/docs/v3.6/op-guide/maintenance/',
  },
  moveLeader: {
    title: 'etcdctl README: move-leader (finds the leader among --endpoints; "no leader endpoint given" otherwise)',
    url: 'https://github.com/etcd-io/etcd/blob/main/etcdctl/README.md',
  },
  kubeadmLearnerMode: {
    title:
      'kubeadm EtcdLearnerMode: a joining member is a learner until caught up (alpha 1.27, on by default from 1.29)',
    url: 'https://kubernetes.io/blog/2023/09/25/kubeadm-use-etcd-learner-mode/',
  },
  kubeadmJoin: {
    title: 'kubeadm join --control-plane (stacked etcd: the node’s member joins the cluster)',
    url: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-join/',
  },
  kubeadmReset: {
    title: 'kubeadm reset (a stacked control-plane node removes its etcd member)',
    url: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/',
  },
  k8sEtcd: {
    title: 'Kubernetes: operating etcd clusters for Kubernetes (backup, restore, replacing a failed member)',
    url: 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/',
  },
  twoZones: {
    title: 'etcd-io/website issue 779: with two zones one zone holds the majority',
    url: 'https://github.com/etcd-io/website/issues/779',
  },
} as const satisfies Record<string, Source>;
