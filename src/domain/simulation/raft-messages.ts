/**
 * @module simulation/raft-messages
 * The election engine's integer vocabulary: Raft states, message types and flags (raftpb), the packed event
 * kinds of the event queue. Plain numeric constants so the engine's hot paths compare
 * small integers, never strings.
 */

// Raft states (raft.go StateType).
export const FOLLOWER = 0;
export const PRE_CANDIDATE = 1;
export const CANDIDATE = 2;
export const LEADER = 3;
export const stateNames = ['follower', 'pre-candidate', 'candidate', 'leader'] as const;

// Message types (raftpb): only those elections exchange.
export const M_PREVOTE = 1;
export const M_PREVOTE_RESP = 2;
export const M_VOTE = 3;
export const M_VOTE_RESP = 4;
export const M_APP = 5;
export const M_APP_RESP = 6;
export const M_HEARTBEAT = 7;
export const M_HEARTBEAT_RESP = 8;
export const M_TIMEOUT_NOW = 9;

export const F_REJECT = 1;
/** Context = campaignTransfer: a vote request of a leadership transfer, which ignores the leader lease. */
export const F_TRANSFER = 2;

// Event kinds, packed as kind | arg << 4.
export const E_TICK = 0;
export const E_DELIVER = 1;
export const E_FAULT = 2;
export const E_FAULT_END = 3;
export const E_CLASSIC_TIMER = 4;
export const E_CLASSIC_HEARTBEAT = 5;
export const E_CLASSIC_RETRY = 6;
export const E_TICK_ADVANCE_PROBE = 7;
export const E_STOP_POLL = 8;
export const E_STOP_BEGIN = 9;

/** Members are packed into 5 bits of an event's argument, with an incarnation or generation above them. */
export const maxSimMembers = 31;

/** etcd's adjustTicks polls for active peers every 50 ms, for at most rafthttp.ConnReadTimeout (5 s). */
export const tickAdvancePollUs = 50_000;
export const tickAdvanceMaxPolls = 100;
