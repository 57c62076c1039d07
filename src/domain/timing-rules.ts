/**
 * @module timing-rules
 * The timing checks etcd and client-go apply when they start, with their exact error texts, and etcd's
 * tuning guidance for the proposal's round-trip times.
 *
 * Three kinds of finding:
 * - `error`, refused at start: etcd's `Config.Validate` and client-go's `NewLeaderElector`. The message
 *   quotes the component's own text, as the etcd version asked logs it (claims ledger: etcd-refusal-log), so
 *   a reader can match it with the log line they would otherwise see. Codes in {@link refusedAtStartCodes}.
 * - `error`, not refused but broken: members with different heartbeat or election values. etcd starts, but
 *   the tuning guide requires equal values and members then disagree about when a leader is gone.
 * - `warning`: etcd's tuning guide (heartbeat ≈ 0.5–1.5 × RTT, election timeout ≥ 10 × RTT, 50 s ceiling),
 *   judged on the largest round trip between any two voters; an election timeout etcd truncates to whole
 *   heartbeat ticks; a disk sync above the FAQ's WAL fsync guidance; voters a cross-region round trip apart.
 *
 * Every text and threshold comes from the claims ledger (src/domain/ledger).
 *
 * Where a value comes from a member's own override, the pointer is that member's field; otherwise the
 * cluster-wide `/etcd/...` or `/leaderElection/...` field.
 */
import type { EtcdVersion } from './etcd-versions.js';
import type { Finding } from './findings.js';
import { componentBaseLeaseRuleFor, type KubernetesVersion } from './kubernetes-versions.js';
import {
  clientGoLeaderElectionTexts,
  componentBaseNotPositiveText,
  crossRegionRttMs,
  electionTicks,
  electionTimeoutRttFactor,
  etcdCitations,
  etcdDefaults,
  etcdRefusalLog,
  etcdValidationTexts,
  heartbeatRttRange,
  leaderElectionJitterFactor,
  maxElectionTimeoutMs,
  sources,
  walFsyncP99GuidanceMs,
} from './ledger/index.js';
import { type EtcdMember, type Proposal, voters, zoneRttMs } from './proposal.js';
import { formatMs } from './text.js';

/**
 * The tuning guide does not ask a heartbeat below etcd's default (100 ms) even on a fast network: the
 * default is its own recommendation for a LAN, so a heartbeat above 1.5 × RTT is only flagged above it.
 */
const defaultHeartbeatMs = etcdDefaults.heartbeatIntervalMs;

export const timingCodes = {
  heartbeatNotPositive: 'ETCD_HEARTBEAT_NOT_POSITIVE',
  electionNotPositive: 'ETCD_ELECTION_TIMEOUT_NOT_POSITIVE',
  electionBelow5Heartbeats: 'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT',
  electionTooLong: 'ETCD_ELECTION_TIMEOUT_TOO_LONG',
  timingMismatch: 'ETCD_TIMING_MISMATCH',
  leaseNotPositive: 'LEADER_ELECTION_LEASE_DURATION_NOT_POSITIVE',
  renewNotPositive: 'LEADER_ELECTION_RENEW_DEADLINE_NOT_POSITIVE',
  retryNotPositive: 'LEADER_ELECTION_RETRY_PERIOD_NOT_POSITIVE',
  leaseNotAboveRenew: 'LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE',
  renewNotAboveJitteredRetry: 'LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY',
  heartbeatBelowRtt: 'ETCD_HEARTBEAT_BELOW_RTT_GUIDANCE',
  heartbeatAboveRtt: 'ETCD_HEARTBEAT_ABOVE_RTT_GUIDANCE',
  electionBelow10Rtt: 'ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT',
  rttBeyondCeiling: 'ETCD_RTT_BEYOND_ELECTION_TIMEOUT_CEILING',
  electionNotTickMultiple: 'ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE',
  slowDiskSync: 'ETCD_DISK_SYNC_ABOVE_GUIDANCE',
  crossRegionRtt: 'ETCD_CROSS_REGION_RTT',
} as const;

/** Findings whose configuration the component refuses at start: the cluster would not come up at all. */
export const refusedAtStartCodes: ReadonlySet<string> = new Set([
  timingCodes.heartbeatNotPositive,
  timingCodes.electionNotPositive,
  timingCodes.electionBelow5Heartbeats,
  timingCodes.electionTooLong,
  timingCodes.leaseNotPositive,
  timingCodes.renewNotPositive,
  timingCodes.retryNotPositive,
  timingCodes.leaseNotAboveRenew,
  timingCodes.renewNotAboveJitteredRetry,
]);

/** One member's effective timing and where each value was written. */
interface MemberTiming {
  member: EtcdMember;
  heartbeatMs: number;
  electionMs: number;
  heartbeatPointer: string;
  electionPointer: string;
}

function memberTimings(proposal: Proposal, base: string): MemberTiming[] {
  return proposal.etcdMembers.map((member) => ({
    member,
    heartbeatMs: member.heartbeatIntervalMs ?? proposal.etcd.heartbeatIntervalMs,
    electionMs: member.electionTimeoutMs ?? proposal.etcd.electionTimeoutMs,
    heartbeatPointer:
      member.heartbeatIntervalMs === undefined
        ? `${base}/etcd/heartbeatIntervalMs`
        : `${member.pointer}/heartbeatIntervalMs`,
    electionPointer:
      member.electionTimeoutMs === undefined ? `${base}/etcd/electionTimeoutMs` : `${member.pointer}/electionTimeoutMs`,
  }));
}

/** Distinct (heartbeat, election) pairs in member order, each with the pointers that produced it. */
function distinctTimings(timings: MemberTiming[], fallback: MemberTiming): MemberTiming[] {
  if (timings.length === 0) return [fallback];
  const seen = new Map<string, MemberTiming>();
  for (const timing of timings) {
    const key = `${timing.heartbeatMs}|${timing.electionMs}|${timing.heartbeatPointer}|${timing.electionPointer}`;
    if (!seen.has(key)) seen.set(key, timing);
  }
  return [...seen.values()];
}

/** Merges findings with the same code and message (the same rule broken by several members' values). */
function mergeFindings(findings: Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.code}|${finding.message}`;
    const existing = merged.get(key);
    if (existing) existing.pointers = [...new Set([...existing.pointers, ...finding.pointers])];
    else merged.set(key, { ...finding, pointers: [...finding.pointers] });
  }
  return [...merged.values()];
}

/** etcd's Config.Validate, in its order, for one (heartbeat, election) pair, as `version` logs it. */
function etcdValidationFindings(t: MemberTiming, version: EtcdVersion): Finding[] {
  const findings: Finding[] = [];
  const refused = (text: string) => etcdRefusalLog(version, text);
  const source = etcdCitations.config(version);
  if (!(t.heartbeatMs > 0)) {
    findings.push({
      code: timingCodes.heartbeatNotPositive,
      severity: 'error',
      message: refused(etcdValidationTexts.heartbeatNotPositive(t.heartbeatMs)),
      pointers: [t.heartbeatPointer],
      source,
    });
  }
  if (!(t.electionMs > 0)) {
    findings.push({
      code: timingCodes.electionNotPositive,
      severity: 'error',
      message: refused(etcdValidationTexts.electionNotPositive(t.electionMs)),
      pointers: [t.electionPointer],
      source,
    });
  }
  // With a non-positive value the ratio check says nothing new (etcd never gets that far).
  if (t.heartbeatMs > 0 && t.electionMs > 0 && 5 * t.heartbeatMs > t.electionMs) {
    findings.push({
      code: timingCodes.electionBelow5Heartbeats,
      severity: 'error',
      message: `${refused(etcdValidationTexts.electionBelow5Heartbeats(t.electionMs, t.heartbeatMs))} Set the election timeout to at least ${5 * t.heartbeatMs} ms (5 × the heartbeat) or lower the heartbeat.`,
      pointers: [t.electionPointer, t.heartbeatPointer],
      source,
    });
  }
  if (t.electionMs > maxElectionTimeoutMs) {
    findings.push({
      code: timingCodes.electionTooLong,
      severity: 'error',
      message: refused(etcdValidationTexts.electionTooLong(t.electionMs)),
      pointers: [t.electionPointer],
      source,
    });
  }
  return findings;
}

/** Members disagreeing on a value: etcd starts, but every member must use the same timing. */
function mismatchFindings(timings: MemberTiming[]): Finding[] {
  const findings: Finding[] = [];
  const fields = [
    {
      flag: '--heartbeat-interval',
      value: (t: MemberTiming) => t.heartbeatMs,
      pointer: (t: MemberTiming) => t.heartbeatPointer,
    },
    {
      flag: '--election-timeout',
      value: (t: MemberTiming) => t.electionMs,
      pointer: (t: MemberTiming) => t.electionPointer,
    },
  ];
  for (const field of fields) {
    const groups = new Map<number, MemberTiming[]>();
    for (const timing of timings) {
      const group = groups.get(field.value(timing)) ?? [];
      group.push(timing);
      groups.set(field.value(timing), group);
    }
    if (groups.size < 2) continue;
    const described = [...groups.entries()]
      .map(([value, group]) => `${formatMs(value)} on ${group.map((t) => t.member.name).join(', ')}`)
      .join('; ');
    findings.push({
      code: timingCodes.timingMismatch,
      severity: 'error',
      message:
        `Members use different ${field.flag} values (${described}). etcd requires the same heartbeat interval and ` +
        'election timeout on every member: it starts anyway, but members then disagree on when the leader is lost, ' +
        'which causes needless elections or slow failover. Set one value for all members.',
      pointers: [...new Set(timings.map(field.pointer))],
      source: sources.etcdTuning,
    });
  }
  return findings;
}

/**
 * What component-base's validation does with lease ≤ renew in the Kubernetes minor asked (claims ledger:
 * component-base-leader-election): 1.26 and later refuse it with their text; 1.25 and earlier refuse only
 * lease < renew, so equal values reach client-go, which refuses them.
 */
function componentBaseLeaseNote(leaseNs: number, renewNs: number, version: KubernetesVersion): string {
  const rule = componentBaseLeaseRuleFor(version);
  if (rule.refusesEqual || leaseNs < renewNs)
    return ` On Kubernetes ${version} their own configuration validation (component-base) rejects it first, with "${rule.text}".`;
  return ` On Kubernetes ${version} their own configuration validation (component-base) lets equal values through, so client-go's is the refusal they print.`;
}

/** client-go NewLeaderElector, with its texts. Durations compared in nanoseconds as Go does. */
function leaderElectionFindings(proposal: Proposal, base: string): Finding[] {
  const { leaseDurationS, renewDeadlineS, retryPeriodS } = proposal.leaderElection;
  const leaseNs = Math.round(leaseDurationS * 1e9);
  const renewNs = Math.round(renewDeadlineS * 1e9);
  const retryNs = Math.round(retryPeriodS * 1e9);
  const pointer = {
    lease: `${base}/leaderElection/leaseDurationS`,
    renew: `${base}/leaderElection/renewDeadlineS`,
    retry: `${base}/leaderElection/retryPeriodS`,
  };
  const texts = clientGoLeaderElectionTexts;
  const refused = (text: string) =>
    `kube-controller-manager and kube-scheduler refuse to start leader election (client-go: "${text}").`;
  const findings: Finding[] = [];
  if (leaseNs <= renewNs) {
    findings.push({
      code: timingCodes.leaseNotAboveRenew,
      severity: 'error',
      message:
        refused(texts.leaseNotAboveRenew) +
        componentBaseLeaseNote(leaseNs, renewNs, proposal.kubernetesVersion) +
        ` Lease duration ${leaseDurationS} s ≤ renew deadline ${renewDeadlineS} s.`,
      pointers: [pointer.lease, pointer.renew],
      source: sources.clientGoLeaderElection,
    });
  }
  // time.Duration(JitterFactor*float64(RetryPeriod)) truncates toward zero; JavaScript's doubles match Go's float64.
  const jitteredRetryNs = Math.trunc(leaderElectionJitterFactor * retryNs);
  if (renewNs <= jitteredRetryNs) {
    findings.push({
      code: timingCodes.renewNotAboveJitteredRetry,
      severity: 'error',
      message:
        refused(texts.renewNotAboveJitteredRetry) +
        ` Renew deadline ${renewDeadlineS} s ≤ ${retryPeriodS} s × ${leaderElectionJitterFactor} = ${Number((jitteredRetryNs / 1e9).toFixed(9))} s.`,
      pointers: [pointer.renew, pointer.retry],
      source: sources.clientGoLeaderElection,
    });
  }
  const positive = [
    { ns: leaseNs, code: timingCodes.leaseNotPositive, text: texts.leaseNotPositive, pointer: pointer.lease },
    { ns: renewNs, code: timingCodes.renewNotPositive, text: texts.renewNotPositive, pointer: pointer.renew },
    { ns: retryNs, code: timingCodes.retryNotPositive, text: texts.retryNotPositive, pointer: pointer.retry },
  ];
  for (const check of positive) {
    if (check.ns < 1) {
      findings.push({
        code: check.code,
        severity: 'error',
        // component-base validates the three durations before client-go sees them, with a shorter text.
        message: `${refused(check.text)} On Kubernetes ${proposal.kubernetesVersion} their own configuration validation (component-base) rejects it first, with "${componentBaseNotPositiveText}".`,
        pointers: [check.pointer],
        source: sources.clientGoLeaderElection,
      });
    }
  }
  return findings;
}

/**
 * An election timeout that is not a whole number of heartbeats: etcd counts it in ticks, truncating
 * (claims ledger: etcd-election-ticks), so the timeout in effect is shorter than the one written.
 */
function tickFindings(t: MemberTiming): Finding[] {
  if (!(t.heartbeatMs > 0 && t.electionMs > 0) || t.electionMs % t.heartbeatMs === 0) return [];
  const ticks = electionTicks(t.electionMs, t.heartbeatMs);
  return [
    {
      code: timingCodes.electionNotTickMultiple,
      severity: 'warning',
      message:
        `An election timeout of ${formatMs(t.electionMs)} is not a multiple of the ${formatMs(t.heartbeatMs)} heartbeat: etcd counts ` +
        `it in whole heartbeats (${ticks}), so it acts as ${formatMs(ticks * t.heartbeatMs)}. Write ${formatMs(ticks * t.heartbeatMs)} ` +
        `or ${formatMs((ticks + 1) * t.heartbeatMs)} to get what you mean.`,
      pointers: [t.electionPointer, t.heartbeatPointer],
      source: sources.etcdConfig,
    },
  ];
}

/** A disk sync above the etcd FAQ's WAL fsync guidance (p99 under 10 ms): heartbeats go out late. */
function diskFindings(proposal: Proposal, base: string): Finding[] {
  const syncMs = proposal.etcd.diskSyncMs;
  if (syncMs < walFsyncP99GuidanceMs) return [];
  return [
    {
      code: timingCodes.slowDiskSync,
      severity: 'warning',
      message:
        `A disk sync of ${formatMs(syncMs)} is above the etcd FAQ's guidance that WAL fsync p99 stay below ${walFsyncP99GuidanceMs} ms: ` +
        'a leader that waits on its disk sends heartbeats late, which causes needless elections, and every write waits for it. ' +
        'Give etcd a dedicated SSD.',
      pointers: [`${base}/etcd/diskSyncMs`],
      source: sources.etcdFaqHeartbeat,
    },
  ];
}

/** Voters a cross-region round trip apart: every write pays it, and the tuning must follow it. */
function crossRegionFindings(rttMs: number, base: string): Finding[] {
  if (rttMs < crossRegionRttMs) return [];
  return [
    {
      code: timingCodes.crossRegionRtt,
      severity: 'warning',
      message:
        `Some voters are ${formatMs(rttMs)} apart, a cross-region distance (etcd's performance guide gives about 50 ms as a typical ` +
        'round trip within the US): every write waits for such a round trip, and etcd must be tuned for it on every member. ' +
        'Keep the voters in one region unless they must survive the loss of a region.',
      pointers: [`${base}/network`],
      source: sources.etcdPerformance,
    },
  ];
}

/** The largest round trip between two voters, or undefined with fewer than two voters. */
export function maxVoterRttMs(proposal: Proposal): number | undefined {
  const voting = voters(proposal);
  let max: number | undefined;
  for (let i = 0; i < voting.length; i++) {
    for (let j = i + 1; j < voting.length; j++) {
      const rtt = zoneRttMs(proposal.network, voting[i]!.zone, voting[j]!.zone);
      max = max === undefined ? rtt : Math.max(max, rtt);
    }
  }
  return max;
}

/** etcd's tuning guide against the largest voter-to-voter RTT, for one (heartbeat, election) pair. */
function tuningFindings(t: MemberTiming, rttMs: number): Finding[] {
  const findings: Finding[] = [];
  const rtt = formatMs(rttMs);
  if (electionTimeoutRttFactor * rttMs > maxElectionTimeoutMs) {
    findings.push({
      code: timingCodes.rttBeyondCeiling,
      severity: 'warning',
      message:
        `The largest round trip between voters is ${rtt}: the tuning guide's election timeout of at least 10 × RTT ` +
        `(${formatMs(10 * rttMs)}) exceeds etcd's ${maxElectionTimeoutMs} ms ceiling. etcd cannot be tuned for this network; ` +
        'place the voters closer together.',
      pointers: [t.electionPointer],
      source: sources.etcdTuning,
    });
  } else if (t.electionMs > 0 && t.electionMs < electionTimeoutRttFactor * rttMs) {
    findings.push({
      code: timingCodes.electionBelow10Rtt,
      severity: 'warning',
      message:
        `Election timeout ${formatMs(t.electionMs)} is below 10 × the largest voter round trip (${rtt} → ${formatMs(10 * rttMs)}), ` +
        "the tuning guide's minimum: delayed heartbeats will look like a dead leader and trigger needless elections.",
      pointers: [t.electionPointer],
      source: sources.etcdTuning,
    });
  }
  if (t.heartbeatMs > 0 && t.heartbeatMs < heartbeatRttRange.min * rttMs) {
    findings.push({
      code: timingCodes.heartbeatBelowRtt,
      severity: 'warning',
      message:
        `Heartbeat interval ${formatMs(t.heartbeatMs)} is below half the largest voter round trip (${rtt}); the tuning guide ` +
        `suggests 0.5–1.5 × RTT (${formatMs(0.5 * rttMs)}–${formatMs(1.5 * rttMs)}). Shorter heartbeats only add CPU and network load.`,
      pointers: [t.heartbeatPointer],
      source: sources.etcdTuning,
    });
  } else if (t.heartbeatMs > Math.max(heartbeatRttRange.max * rttMs, defaultHeartbeatMs)) {
    findings.push({
      code: timingCodes.heartbeatAboveRtt,
      severity: 'warning',
      message:
        `Heartbeat interval ${formatMs(t.heartbeatMs)} is above 1.5 × the largest voter round trip (${rtt} → ${formatMs(1.5 * rttMs)}) ` +
        `and above etcd's default of ${defaultHeartbeatMs} ms: a failed leader is detected later than this network needs. ` +
        `The tuning guide suggests 0.5–1.5 × RTT.`,
      pointers: [t.heartbeatPointer],
      source: sources.etcdTuning,
    });
  }
  return findings;
}

/**
 * Every timing finding for a proposal: refused-at-start errors first (etcd, then client-go), then member
 * mismatches, then tuning warnings. Deterministic: members in proposal order. Empty for a hosted platform.
 *
 * `basePointer` is where the proposal sits in the request ("" for a proposal body, "/cluster" when nested);
 * member pointers in the proposal already include it.
 */
export function timingFindings(proposal: Proposal, basePointer = ''): Finding[] {
  // On a hosted control plane the provider sets these flags; the user has none to check.
  if (proposal.platform === 'hosted') return [];
  const timings = memberTimings(proposal, basePointer);
  const fallback: MemberTiming = {
    member: { name: '', zone: '', learner: false, host: '', pointer: '' },
    heartbeatMs: proposal.etcd.heartbeatIntervalMs,
    electionMs: proposal.etcd.electionTimeoutMs,
    heartbeatPointer: `${basePointer}/etcd/heartbeatIntervalMs`,
    electionPointer: `${basePointer}/etcd/electionTimeoutMs`,
  };
  const distinct = distinctTimings(timings, fallback);
  const rttMs = maxVoterRttMs(proposal);
  return mergeFindings([
    ...distinct.flatMap((t) => etcdValidationFindings(t, proposal.etcd.version)),
    ...leaderElectionFindings(proposal, basePointer),
    ...mismatchFindings(timings),
    ...(rttMs === undefined ? [] : distinct.flatMap((t) => tuningFindings(t, rttMs))),
    ...distinct.flatMap(tickFindings),
    ...diskFindings(proposal, basePointer),
    ...(rttMs === undefined ? [] : crossRegionFindings(rttMs, basePointer)),
  ]);
}

/** Whether every component would accept these timings at start (no refused-at-start finding). */
export function timingsStartable(findings: readonly Finding[]): boolean {
  return !findings.some((finding) => refusedAtStartCodes.has(finding.code));
}
