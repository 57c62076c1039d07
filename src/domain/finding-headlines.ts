/**
 * @module finding-headlines
 * A few words per finding code for summaries: a summary names what a finding is about and leaves the detail,
 * the quoted texts and the source to the finding itself (a bot quotes the summary; codes and citations stay
 * in the structured fields).
 */
import type { Finding } from './findings.js';

const headlines: Record<string, string> = {
  NO_VOTERS: 'etcd has no voting member',
  SINGLE_VOTER: 'a single voter tolerates no failure',
  EVEN_VOTER_COUNT: 'an even voter count tolerates no more than one voter fewer',
  TOO_MANY_VOTERS: 'more than 7 voters slow every write',
  TOO_MANY_LEARNERS: 'etcd refuses the member add of each learner over its limit',
  MAX_LEARNERS_NOT_A_FLAG: 'this etcd version has no --max-learners flag',
  SINGLE_CONTROL_PLANE_NODE: 'one control-plane node is a single point of failure',
  FEWER_THAN_THREE_ZONES: 'the voters sit in fewer than three zones',
  ZONE_HOLDS_QUORUM: 'one zone holds a quorum of the voters',
  ZONE_LOSS_LOSES_QUORUM: 'losing one zone loses etcd quorum',
  ZONE_LOSS_STOPS_API: 'losing one zone leaves no apiserver',
  ETCD_HEARTBEAT_NOT_POSITIVE: 'etcd refuses the heartbeat interval',
  ETCD_ELECTION_TIMEOUT_NOT_POSITIVE: 'etcd refuses the election timeout',
  ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT: 'etcd refuses an election timeout below 5 heartbeats',
  ETCD_ELECTION_TIMEOUT_TOO_LONG: 'etcd refuses an election timeout above 50000 ms',
  ETCD_TIMING_MISMATCH: 'members use different heartbeat or election values',
  LEADER_ELECTION_LEASE_DURATION_NOT_POSITIVE: 'the controllers refuse the lease duration',
  LEADER_ELECTION_RENEW_DEADLINE_NOT_POSITIVE: 'the controllers refuse the renew deadline',
  LEADER_ELECTION_RETRY_PERIOD_NOT_POSITIVE: 'the controllers refuse the retry period',
  LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE: 'the controllers refuse a lease not above the renew deadline',
  LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY:
    'the controllers refuse a renew deadline not above 1.2 retry periods',
  ETCD_HEARTBEAT_BELOW_RTT_GUIDANCE: "the heartbeat is below half the voters' round trip",
  ETCD_HEARTBEAT_ABOVE_RTT_GUIDANCE: "the heartbeat is above 1.5 times the voters' round trip",
  ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT: "the election timeout is below 10 times the voters' round trip",
  ETCD_RTT_BEYOND_ELECTION_TIMEOUT_CEILING: 'no election timeout etcd accepts suits this round trip',
  ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE: 'etcd truncates the election timeout to whole heartbeats',
  ETCD_DISK_SYNC_ABOVE_GUIDANCE: 'the disk sync is above the 10 ms fsync guidance',
  ETCD_CROSS_REGION_RTT: 'the voters are a cross-region round trip apart',
};

/** The words a summary uses for a finding; a generic phrase for a code it does not know. */
export function headlineOf(finding: Finding): string {
  return headlines[finding.code] ?? `a ${finding.severity} finding`;
}

/**
 * "Watch: a; b." for the errors and warnings not already stated, at most `max` of them and a count of the
 * rest; empty when there are none.
 */
export function caveatSentence(findings: readonly Finding[], skip: ReadonlySet<string>, max = 2): string {
  const named = findings.filter((f) => f.severity !== 'info' && !skip.has(f.code));
  const unique = [...new Set(named.map(headlineOf))];
  if (unique.length === 0) return '';
  const shown = unique.slice(0, max);
  const rest = unique.length - shown.length;
  const restNote = rest > 0 ? `; ${rest} more in the findings` : '';
  return `Watch: ${shown.join('; ')}${restNote}.`;
}
