/**
 * @module etcd-versions
 * What changes between the etcd minor versions the planner supports (facts from the claims ledger).
 */
import { defaultMaxLearners, preVoteDefault as ledgerPreVoteDefault } from './ledger/etcd.js';

export const etcdVersions = ['3.4', '3.5', '3.6'] as const;
export type EtcdVersion = (typeof etcdVersions)[number];

/** The version assumed when a request names none: the one Kubernetes releases have shipped with longest. */
export const defaultEtcdVersion: EtcdVersion = '3.5';

/** `--pre-vote` defaults to false in 3.4 and to true from 3.5 (etcd server/embed/config.go). */
export function preVoteDefault(version: EtcdVersion): boolean {
  return ledgerPreVoteDefault(version);
}

/**
 * Learners allowed at once. 3.4 and 3.5 hard-code `maxLearners = 1` (membership/cluster.go); 3.6 makes it a
 * flag, `--max-learners`, whose default is still 1.
 */
export function learnerLimit(version: EtcdVersion, maxLearnersFlag?: number): number {
  return version === '3.6' ? (maxLearnersFlag ?? defaultMaxLearners) : defaultMaxLearners;
}

/** Whether the version lets the operator raise the learner limit. */
export function hasMaxLearnersFlag(version: EtcdVersion): boolean {
  return version === '3.6';
}
