/**
 * @module ledger/guidance
 * Published guidance the answers apply: the etcd FAQ, tuning guide, performance and failure pages, and the
 * Kubernetes pages on multi-zone clusters and kubeadm topologies. The thresholds are the documents' own.
 */

/** etcd FAQ ("failed to send out heartbeat on time"): WAL fsync p99 should be less than 10 ms. */
export const walFsyncP99GuidanceMs = 10;

/** etcd tuning guide: heartbeat about 0.5–1.5 × the round trip between members. */
export const heartbeatRttRange = { min: 0.5, max: 1.5 } as const;

/** etcd tuning guide: the election timeout at least 10 × the round trip between members. */
export const electionTimeoutRttFactor = 10;

/**
 * etcd's performance page: a round trip within a data centre "may be as long as several hundred
 * microseconds", "a typical RTT within the United States is around 50ms, and can be as slow as 400ms between
 * continents". A voter round trip at or above this is treated as crossing regions.
 */
export const crossRegionRttMs = 50;

/** etcd FAQ: a cluster "probably should have no more than seven nodes"; five is the usual production size. */
export const maxRecommendedVoters = 7;
