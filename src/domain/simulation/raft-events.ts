/**
 * @module simulation/raft-events
 * The structured transition events the Raft rules (raft-node.ts) and the harness (election-engine.ts) emit:
 * what happened, to whom, in which term, and the facts behind it as numbers. No text: the timeline renderer
 * (timeline.ts) is the only place that turns events into words.
 */
import type { Fault } from './scenario.js';
import type { TimelineKind } from './timeline.js';

/** Why something happened, when the kind alone does not say it. */
export type EventCause =
  /** A vote or pre-vote ignored inside the leader lease. */
  | 'lease'
  /** A message of a term older than ours. */
  | 'stale-term'
  /** A vote rejected: we already voted for `other` in this term. */
  | 'already-voted'
  /** A vote rejected: we follow leader `other` in this term. */
  | 'has-leader'
  /** A vote rejected: the candidate's log is behind ours. */
  | 'log-behind'
  /** A leader stepped down: check-quorum found too few active voters. */
  | 'check-quorum'
  /** A leader stepped down: a message of a higher term. */
  | 'higher-term'
  /** An election timeout caused by MsgTimeoutNow (leadership transfer). */
  | 'timeout-now'
  /** A transfer aborted: not done within one election timeout (ticks). */
  | 'transfer-ticks'
  /** A transfer aborted: not done within the minimum election timeout (classic timers). */
  | 'transfer-timer';

export interface RaftEvent {
  kind: TimelineKind;
  /** Member number, or −1 for a cluster-wide event (partition, heal, missed fault). */
  member: number;
  /** The member's term after the event (0 for cluster-wide events). */
  term: number;
  /** The other member involved, or undefined. */
  peer?: number;
  cause?: EventCause;
  /** Election timeout in ticks (etcd) that elapsed, or ticks advanced at start-up. */
  ticks?: number;
  /** Election timeout in µs that elapsed (classic timers). */
  timeoutUs?: number;
  /** The term a vote request asks about. */
  forTerm?: number;
  /** A vote request's (or our) last log position. */
  logTerm?: number;
  logIndex?: number;
  ourLogTerm?: number;
  ourLogIndex?: number;
  /** Whom we voted for, or whom we follow. */
  other?: number;
  /** Check-quorum: active voters, all voters, the quorum. Became-leader: votes received of `voters`. */
  active?: number;
  voters?: number;
  quorum?: number;
  votes?: number;
  /** The state before a transition (raft-messages.ts numbers). */
  wasState?: number;
  /** A vote request of a leadership transfer. */
  transfer?: boolean;
  /** Pre-vote rather than vote. */
  preVote?: boolean;
  /** Faults: the fault, and for a partition the members' group numbers (groups.length = not named). */
  fault?: Fault;
  groupOf?: number[];
}

/**
 * What the Raft rules tell their observers. The four transitions that metrics and invariants need are always
 * reported, as plain calls (no allocation on the hot path); the full event only when `detailed` is set.
 */
export interface RaftObserver {
  /** Report full events (set per trial by the harness: on when recording the timeline). */
  detailed: boolean;
  event(e: RaftEvent): void;
  becamePreCandidate(member: number): void;
  becameCandidate(member: number, term: number): void;
  becameLeader(member: number, term: number): void;
  voted(term: number, voter: number, candidate: number): void;
}
