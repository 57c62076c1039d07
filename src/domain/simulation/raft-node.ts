/**
 * @module simulation/raft-node
 * The Raft election rules of etcd-io/raft raft.go, for every member of a cluster: `step(member, message)`,
 * `tick(member)`, an outbox of messages to send, a needs-sync flag per member and structured transition
 * events. Nothing else: no clock, no network, no queue. When timers fire and how they are drawn is the timing
 * policy's business (timing-policy.ts: etcd's ticks or classic continuous timers); delivering the outbox is
 * the harness's (election-engine.ts).
 *
 * State lives in typed arrays indexed by member number (pairs at [i * n + j]), so a step allocates nothing.
 * Comments name the raft.go function each piece mirrors. Simplified, because elections do not depend on it:
 * log replication is one message (a follower copies the leader's last position); commit indexes are not kept.
 */
import type { Outbox, RaftMessage } from './outbox.js';
import type { EventCause, RaftObserver } from './raft-events.js';
import {
  CANDIDATE,
  F_REJECT,
  F_TRANSFER,
  FOLLOWER,
  LEADER,
  M_APP,
  M_APP_RESP,
  M_HEARTBEAT,
  M_HEARTBEAT_RESP,
  M_PREVOTE,
  M_PREVOTE_RESP,
  M_TIMEOUT_NOW,
  M_VOTE,
  M_VOTE_RESP,
  PRE_CANDIDATE,
} from './raft-messages.js';

const CAMPAIGN_PRE = 0;
const CAMPAIGN_ELECTION = 1;
const CAMPAIGN_TRANSFER = 2;

/** When election timers run and what restarts them: etcd's tick model or classic timers (timing-policy.ts). */
export interface TimingPolicy {
  /** Classic Raft adopts a higher term without restarting its timer (paper Figure 2); etcd always resets. */
  readonly keepsTimerOnNewTerm: boolean;
  /** raft.go reset(): a new randomized timeout; `restart` false keeps the classic timer running. */
  resetTimer(i: number, restart: boolean): void;
  /** A message from the leader or a granted vote (etcd: electionElapsed = 0). */
  heardFromLeader(i: number): void;
  /** The leader lease: heard from a leader within the (minimum) election timeout. */
  withinLease(i: number): boolean;
  becameLeader(i: number): void;
  campaigned(i: number): void;
  transferStarted(i: number): void;
}

export interface RaftRules {
  preVote: boolean;
  checkQuorum: boolean;
  leaderLease: boolean;
  /**
   * Answer a lower-term heartbeat or append with our term, so a stale leader steps down (raft.go does so with
   * CheckQuorum or PreVote; classic Raft always does, in its AppendEntries reply).
   */
  answerStaleLeader: boolean;
  /** ElectionTicks (etcd's tick model; 0 for classic timers). */
  electionTicks: number;
}

export class RaftNodes {
  readonly n: number;
  readonly quorum: number;
  // Per member (raft.go's raft struct fields).
  readonly state: Int32Array;
  readonly term: Int32Array;
  readonly vote: Int32Array;
  readonly lead: Int32Array;
  readonly lastTerm: Int32Array;
  readonly lastIndex: Int32Array;
  readonly electionElapsed: Int32Array;
  readonly heartbeatElapsed: Int32Array;
  readonly randomizedTicks: Int32Array;
  readonly transferee: Int32Array;
  /** Term, vote or log changed since the harness last drained this member's messages (a Ready to persist). */
  readonly needsSync: Uint8Array;
  // Per pair [i * n + j] (the leader's or candidate's progress tracker).
  readonly voteResp: Int8Array;
  readonly match: Int32Array;
  readonly recentActive: Uint8Array;
  /** Some member's needsSync is set (the harness clears them all after draining the outbox). */
  syncPending = false;
  /** Some state the observers look at changed (who leads, who follows whom). */
  stateChanged = false;
  timing!: TimingPolicy;

  constructor(
    readonly learner: Uint8Array,
    readonly voterIds: Int32Array,
    readonly rules: RaftRules,
    readonly outbox: Outbox,
    public observer: RaftObserver,
  ) {
    const n = learner.length;
    this.n = n;
    this.quorum = (voterIds.length >> 1) + 1;
    this.state = new Int32Array(n);
    this.term = new Int32Array(n);
    this.vote = new Int32Array(n);
    this.lead = new Int32Array(n);
    this.lastTerm = new Int32Array(n);
    this.lastIndex = new Int32Array(n);
    this.electionElapsed = new Int32Array(n);
    this.heartbeatElapsed = new Int32Array(n);
    this.randomizedTicks = new Int32Array(n);
    this.transferee = new Int32Array(n);
    this.needsSync = new Uint8Array(n);
    this.voteResp = new Int8Array(n * n);
    this.match = new Int32Array(n * n);
    this.recentActive = new Uint8Array(n * n);
  }

  /** Clears the per-trial progress state (the harness then sets each member's starting state). */
  clearProgress(): void {
    this.voteResp.fill(0);
    this.recentActive.fill(0);
    this.match.fill(0);
    this.transferee.fill(-1);
    this.heartbeatElapsed.fill(0);
    this.needsSync.fill(0);
    this.syncPending = false;
    this.stateChanged = false;
  }

  // ── tick (etcd's tick model) ──────────────────────────────────────────────────────────────────────────

  /** raft.go tick: tickElection for followers and candidates, tickHeartbeat for the leader. */
  tick(i: number): void {
    if (this.state[i] === LEADER) this.tickHeartbeat(i);
    else this.tickElection(i);
  }

  /** raft.go tickElection. */
  private tickElection(i: number): void {
    this.electionElapsed[i]!++;
    if (!this.learner[i] && this.electionElapsed[i]! >= this.randomizedTicks[i]!) {
      this.electionElapsed[i] = 0;
      if (this.observer.detailed)
        this.emit(i, 'election-timeout', undefined, undefined, { ticks: this.randomizedTicks[i]! });
      this.hup(i, false);
    }
  }

  /** raft.go tickHeartbeat (HeartbeatTick = 1 in etcd: a heartbeat every tick). */
  private tickHeartbeat(i: number): void {
    this.heartbeatElapsed[i]!++;
    this.electionElapsed[i]!++;
    if (this.electionElapsed[i]! >= this.rules.electionTicks) {
      this.electionElapsed[i] = 0;
      if (this.rules.checkQuorum) this.checkQuorumActive(i);
      if (this.state[i] === LEADER && this.transferee[i]! >= 0) this.abortTransfer(i, 'transfer-ticks');
    }
    if (this.state[i] !== LEADER) return;
    if (this.heartbeatElapsed[i]! >= 1) {
      this.heartbeatElapsed[i] = 0;
      this.bcastHeartbeat(i);
    }
  }

  /** A continuous election timer fired (classic timers; etcd's fire inside tickElection). */
  electionTimedOut(i: number, timeoutUs: number): void {
    if (this.observer.detailed) this.emit(i, 'election-timeout', undefined, undefined, { timeoutUs });
    this.hup(i, false);
  }

  /** stepLeader MsgCheckQuorum: step down unless a quorum of voters was active since the last check. */
  checkQuorumActive(i: number): void {
    const n = this.n;
    let active = 0;
    for (const v of this.voterIds) if (v === i || this.recentActive[i * n + v]) active++;
    if (active < this.quorum) {
      this.becomeFollower(i, this.term[i]!, -1);
      if (this.observer.detailed)
        this.emit(i, 'stepped-down', undefined, 'check-quorum', {
          active,
          voters: this.voterIds.length,
          quorum: this.quorum,
        });
    }
    for (let j = 0; j < n; j++) if (j !== i) this.recentActive[i * n + j] = 0;
  }

  // ── campaigns ─────────────────────────────────────────────────────────────────────────────────────────

  /** MsgHup → raft.hup. */
  hup(i: number, transfer: boolean): void {
    if (this.state[i] === LEADER || this.learner[i]) return;
    this.campaign(i, transfer ? CAMPAIGN_TRANSFER : this.rules.preVote ? CAMPAIGN_PRE : CAMPAIGN_ELECTION);
  }

  /** raft.go campaign. */
  private campaign(i: number, kind: number): void {
    let msgType: number;
    let term: number;
    if (kind === CAMPAIGN_PRE) {
      this.becomePreCandidate(i);
      msgType = M_PREVOTE;
      // Pre-vote asks about the next term without moving to it.
      term = this.term[i]! + 1;
    } else {
      this.becomeCandidate(i);
      msgType = M_VOTE;
      term = this.term[i]!;
    }
    // The candidate's own vote counts at once.
    if (this.poll(i, i, true) > 0) {
      if (kind === CAMPAIGN_PRE) this.campaign(i, CAMPAIGN_ELECTION);
      else this.becomeLeader(i);
      return;
    }
    const flags = kind === CAMPAIGN_TRANSFER ? F_TRANSFER : 0;
    for (const v of this.voterIds) {
      if (v !== i) this.send(i, v, msgType, term, this.lastTerm[i]!, this.lastIndex[i]!, flags);
    }
    if (this.observer.detailed) {
      this.emit(i, msgType === M_PREVOTE ? 'pre-vote-sent' : 'vote-sent', undefined, undefined, {
        forTerm: term,
        logTerm: this.lastTerm[i]!,
        logIndex: this.lastIndex[i]!,
        transfer: kind === CAMPAIGN_TRANSFER,
      });
    }
    this.timing.campaigned(i);
  }

  /** Records a vote; returns 1 won, −1 lost, 0 pending (tracker.TallyVotes). */
  private poll(i: number, from: number, granted: boolean): number {
    const row = i * this.n;
    if (this.voteResp[row + from] === 0) this.voteResp[row + from] = granted ? 1 : 2;
    let yes = 0;
    let no = 0;
    for (const v of this.voterIds) {
      const r = this.voteResp[row + v];
      if (r === 1) yes++;
      else if (r === 2) no++;
    }
    if (yes >= this.quorum) return 1;
    if (no > this.voterIds.length - this.quorum) return -1;
    return 0;
  }

  // ── state transitions ─────────────────────────────────────────────────────────────────────────────────

  /** raft.go reset: a new term clears the vote; every reset redraws the randomized election timeout. */
  reset(i: number, term: number, restartTimer = true): void {
    const n = this.n;
    if (this.term[i] !== term) {
      this.term[i] = term;
      this.vote[i] = -1;
      this.markSync(i);
    }
    this.lead[i] = -1;
    this.electionElapsed[i] = 0;
    this.heartbeatElapsed[i] = 0;
    this.transferee[i] = -1;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      this.voteResp[row + j] = 0;
      this.match[row + j] = 0;
      this.recentActive[row + j] = 0;
    }
    this.match[row + i] = this.lastIndex[i]!;
    this.timing.resetTimer(i, restartTimer);
    this.stateChanged = true;
  }

  /** raft.go becomeFollower; `keepTimer` applies under a policy that keeps timers on a new term. */
  becomeFollower(i: number, term: number, lead: number, keepTimer = false): void {
    const wasState = this.state[i]!;
    const wasTerm = this.term[i]!;
    const wasLead = this.lead[i]!;
    this.state[i] = FOLLOWER;
    this.reset(i, term, !(keepTimer && this.timing.keepsTimerOnNewTerm && wasState !== LEADER));
    this.lead[i] = lead;
    if (this.observer.detailed && (wasState !== FOLLOWER || wasTerm !== term || wasLead !== lead)) {
      this.emit(i, 'became-follower', lead >= 0 ? lead : undefined, undefined, {
        ...(wasState !== FOLLOWER ? { wasState } : {}),
      });
    }
  }

  /** raft.go becomePreCandidate: not a reset, so term, vote and the drawn timeout stay. */
  private becomePreCandidate(i: number): void {
    this.state[i] = PRE_CANDIDATE;
    const row = i * this.n;
    for (let j = 0; j < this.n; j++) this.voteResp[row + j] = 0;
    this.lead[i] = -1;
    this.stateChanged = true;
    this.observer.becamePreCandidate(i);
    if (this.observer.detailed) this.emit(i, 'became-pre-candidate', undefined, undefined, {});
  }

  private becomeCandidate(i: number): void {
    this.reset(i, this.term[i]! + 1);
    this.vote[i] = i;
    this.state[i] = CANDIDATE;
    this.markSync(i);
    const term = this.term[i]!;
    this.observer.voted(term, i, i);
    this.observer.becameCandidate(i, term);
    if (this.observer.detailed) this.emit(i, 'became-candidate', undefined, undefined, {});
  }

  private becomeLeader(i: number): void {
    const n = this.n;
    const term = this.term[i]!;
    this.observer.becameLeader(i, term);
    let votes = 0;
    for (const v of this.voterIds) if (this.voteResp[i * n + v] === 1) votes++;
    this.reset(i, term);
    this.lead[i] = i;
    this.state[i] = LEADER;
    this.recentActive[i * n + i] = 1;
    // The leader appends an empty entry of its term (raft.go becomeLeader), which followers must take.
    this.lastIndex[i]!++;
    this.lastTerm[i] = term;
    this.match[i * n + i] = this.lastIndex[i]!;
    this.markSync(i);
    if (this.observer.detailed)
      this.emit(i, 'became-leader', undefined, undefined, { votes, voters: this.voterIds.length });
    this.timing.becameLeader(i);
    // stepCandidate: on winning, bcastAppend.
    for (let j = 0; j < n; j++) if (j !== i) this.sendAppend(i, j);
  }

  // ── step ──────────────────────────────────────────────────────────────────────────────────────────────

  /** raft.go Step: the term rules, then the vote rule, then the per-state step functions. */
  step(i: number, m: RaftMessage): void {
    const { type, from } = m;
    const mTerm = m.term;
    const rTerm = this.term[i]!;
    if (mTerm > rTerm) {
      if (type === M_VOTE || type === M_PREVOTE) {
        const force = (m.flags & F_TRANSFER) !== 0;
        const inLease = this.rules.leaderLease && this.lead[i]! >= 0 && this.timing.withinLease(i);
        if (!force && inLease) {
          // "If a server receives a RequestVote request within the minimum election timeout of hearing from a
          // current leader, it does not update its term or grant its vote." No answer is sent.
          if (this.observer.detailed)
            this.emit(i, 'vote-ignored', from, 'lease', {
              preVote: type === M_PREVOTE,
              forTerm: mTerm,
              other: this.lead[i]!,
            });
          return;
        }
      }
      if (type === M_PREVOTE) {
        // Never change the term in response to a pre-vote.
      } else if (type === M_PREVOTE_RESP && (m.flags & F_REJECT) === 0) {
        // A granted pre-vote carries the term we asked for; we move to it only on a pre-vote majority.
      } else {
        const wasLeader = this.state[i] === LEADER;
        const fromLeader = type === M_APP || type === M_HEARTBEAT;
        this.becomeFollower(i, mTerm, fromLeader ? from : -1, !fromLeader);
        if (wasLeader && this.observer.detailed) this.emit(i, 'stepped-down', from, 'higher-term', { forTerm: mTerm });
      }
    } else if (mTerm < rTerm) {
      this.stepStale(i, m);
      return;
    }

    if (type === M_VOTE || type === M_PREVOTE) {
      this.handleVoteRequest(i, m);
      return;
    }
    switch (this.state[i]) {
      case FOLLOWER:
        this.stepFollower(i, m);
        break;
      case PRE_CANDIDATE:
      case CANDIDATE:
        this.stepCandidate(i, m);
        break;
      case LEADER:
        this.stepLeader(i, m);
        break;
    }
  }

  /** raft.go Step, `m.Term < r.Term`. */
  private stepStale(i: number, m: RaftMessage): void {
    const rTerm = this.term[i]!;
    if (this.rules.answerStaleLeader && (m.type === M_HEARTBEAT || m.type === M_APP)) {
      // Tell a stale leader about the newer term, so it steps down (and a pre-vote partition heals).
      this.send(i, m.from, M_APP_RESP, rTerm, 0, this.lastIndex[i]!, 0);
    } else if (m.type === M_PREVOTE) {
      if (this.observer.detailed) this.emit(i, 'pre-vote-rejected', m.from, 'stale-term', { forTerm: m.term });
      this.send(i, m.from, M_PREVOTE_RESP, rTerm, 0, 0, F_REJECT);
    } else if (m.type === M_VOTE && this.observer.detailed) {
      this.emit(i, 'vote-ignored', m.from, 'stale-term', { forTerm: m.term });
    }
  }

  /** The vote rule of raft.go Step (MsgVote, MsgPreVote). */
  private handleVoteRequest(i: number, m: RaftMessage): void {
    const pre = m.type === M_PREVOTE;
    const from = m.from;
    const vote = this.vote[i]!;
    const lead = this.lead[i]!;
    // A repeat of our vote, or no vote and no known leader in this term, or a pre-vote for a future term.
    const canVote = vote === from || (vote === -1 && lead === -1) || (pre && m.term > this.term[i]!);
    // isUpToDate: a later last term, or the same last term and at least as long a log.
    const upToDate =
      m.logTerm > this.lastTerm[i]! || (m.logTerm === this.lastTerm[i]! && m.index >= this.lastIndex[i]!);
    if (canVote && upToDate) {
      if (!pre) {
        this.timing.heardFromLeader(i);
        this.vote[i] = from;
        this.markSync(i);
        this.observer.voted(m.term, i, from);
      }
      if (this.observer.detailed)
        this.emit(i, pre ? 'pre-vote-granted' : 'vote-granted', from, undefined, { forTerm: m.term });
      // A grant carries the term asked about (for a pre-vote, the future term).
      this.send(i, from, pre ? M_PREVOTE_RESP : M_VOTE_RESP, m.term, 0, 0, 0);
      return;
    }
    if (this.observer.detailed) {
      const cause: EventCause = !canVote ? (vote >= 0 ? 'already-voted' : 'has-leader') : 'log-behind';
      this.emit(i, pre ? 'pre-vote-rejected' : 'vote-rejected', from, cause, {
        other: vote >= 0 ? vote : lead,
        logTerm: m.logTerm,
        logIndex: m.index,
        ourLogTerm: this.lastTerm[i]!,
        ourLogIndex: this.lastIndex[i]!,
      });
    }
    // A rejection carries our own term: a pre-candidate behind it steps down to it.
    this.send(i, from, pre ? M_PREVOTE_RESP : M_VOTE_RESP, this.term[i]!, 0, 0, F_REJECT);
  }

  private stepFollower(i: number, m: RaftMessage): void {
    switch (m.type) {
      case M_APP:
        this.timing.heardFromLeader(i);
        this.setLead(i, m.from);
        this.handleAppend(i, m);
        break;
      case M_HEARTBEAT:
        this.timing.heardFromLeader(i);
        this.setLead(i, m.from);
        this.send(i, m.from, M_HEARTBEAT_RESP, this.term[i]!, 0, 0, 0);
        break;
      case M_TIMEOUT_NOW:
        // Campaign at once, skipping pre-vote; the vote requests carry the transfer context.
        if (this.observer.detailed) this.emit(i, 'election-timeout', m.from, 'timeout-now', {});
        this.hup(i, true);
        break;
    }
  }

  private stepCandidate(i: number, m: RaftMessage): void {
    const pre = this.state[i] === PRE_CANDIDATE;
    switch (m.type) {
      case M_APP:
        this.becomeFollower(i, m.term, m.from);
        this.handleAppend(i, m);
        return;
      case M_HEARTBEAT:
        this.becomeFollower(i, m.term, m.from);
        this.send(i, m.from, M_HEARTBEAT_RESP, this.term[i]!, 0, 0, 0);
        return;
      case M_PREVOTE_RESP:
      case M_VOTE_RESP: {
        if ((m.type === M_PREVOTE_RESP) !== pre) return;
        const result = this.poll(i, m.from, (m.flags & F_REJECT) === 0);
        if (result > 0) {
          if (pre) {
            if (this.observer.detailed) this.emit(i, 'pre-vote-won', undefined, undefined, {});
            this.campaign(i, CAMPAIGN_ELECTION);
          } else {
            this.becomeLeader(i);
          }
        } else if (result < 0) {
          if (this.observer.detailed) this.emit(i, pre ? 'pre-vote-lost' : 'election-lost', undefined, undefined, {});
          this.becomeFollower(i, this.term[i]!, -1, true);
        }
        return;
      }
    }
  }

  private stepLeader(i: number, m: RaftMessage): void {
    const pr = i * this.n + m.from;
    switch (m.type) {
      case M_HEARTBEAT_RESP:
        this.recentActive[pr] = 1;
        if (this.match[pr]! < this.lastIndex[i]!) this.sendAppend(i, m.from);
        break;
      case M_APP_RESP:
        this.recentActive[pr] = 1;
        if (m.index > this.match[pr]! && m.index <= this.lastIndex[i]!) this.match[pr] = m.index;
        if (m.from === this.transferee[i] && this.match[pr] === this.lastIndex[i]) this.sendTimeoutNow(i, m.from);
        break;
    }
  }

  /**
   * handleAppendEntries, simplified: the follower ends up holding the leader's log (a real follower with a
   * divergent tail needs probe round trips first; elections do not wait on them).
   */
  private handleAppend(i: number, m: RaftMessage): void {
    if (this.lastIndex[i] !== m.index || this.lastTerm[i] !== m.logTerm) {
      this.lastIndex[i] = m.index;
      this.lastTerm[i] = m.logTerm;
      this.markSync(i);
    }
    this.send(i, m.from, M_APP_RESP, this.term[i]!, 0, this.lastIndex[i]!, 0);
  }

  // ── leadership transfer ───────────────────────────────────────────────────────────────────────────────

  /** stepLeader MsgTransferLeader: catch the target up if needed, then MsgTimeoutNow. */
  transferLeadership(i: number, target: number): void {
    if (this.transferee[i] === target || target === i) return;
    // The transfer must finish within one election timeout (tickHeartbeat aborts it after ET ticks).
    this.electionElapsed[i] = 0;
    this.timing.transferStarted(i);
    this.transferee[i] = target;
    this.stateChanged = true;
    if (this.observer.detailed) this.emit(i, 'transfer-started', target, undefined, {});
    if (this.match[i * this.n + target] === this.lastIndex[i]) this.sendTimeoutNow(i, target);
    else this.sendAppend(i, target);
  }

  abortTransfer(i: number, cause: EventCause): void {
    if (this.observer.detailed) this.emit(i, 'transfer-aborted', this.transferee[i]!, cause, {});
    this.transferee[i] = -1;
    this.stateChanged = true;
  }

  // ── sending ───────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Queues a message. A member that is not the leader persists a changed term, vote or log before its
   * messages leave (etcd's raftNode saves the Ready first; the leader sends in parallel with its write).
   */
  private send(from: number, to: number, type: number, term: number, logTerm: number, index: number, flags: number) {
    const persistFirst = this.needsSync[from] === 1 && this.state[from] !== LEADER;
    this.outbox.push(from, to, type, term, logTerm, index, flags, persistFirst);
  }

  private sendAppend(i: number, j: number): void {
    this.send(i, j, M_APP, this.term[i]!, this.lastTerm[i]!, this.lastIndex[i]!, 0);
  }

  /** raft.go bcastHeartbeat. */
  bcastHeartbeat(i: number): void {
    const term = this.term[i]!;
    for (let j = 0; j < this.n; j++) if (j !== i) this.send(i, j, M_HEARTBEAT, term, 0, 0, 0);
  }

  private sendTimeoutNow(i: number, to: number): void {
    if (this.observer.detailed) this.emit(i, 'timeout-now-sent', to, undefined, {});
    this.send(i, to, M_TIMEOUT_NOW, this.term[i]!, 0, 0, 0);
  }

  private markSync(i: number): void {
    this.needsSync[i] = 1;
    this.syncPending = true;
  }

  /** The harness persisted every Ready and sent the messages: nothing is left to sync. */
  synced(): void {
    if (!this.syncPending) return;
    this.needsSync.fill(0);
    this.syncPending = false;
  }

  private setLead(i: number, lead: number): void {
    if (this.lead[i] === lead) return;
    this.lead[i] = lead;
    this.stateChanged = true;
    if (this.observer.detailed) this.emit(i, 'learned-leader', lead, undefined, {});
  }

  private emit(
    i: number,
    kind: Parameters<RaftObserver['event']>[0]['kind'],
    peer: number | undefined,
    cause: EventCause | undefined,
    facts: Omit<Parameters<RaftObserver['event']>[0], 'kind' | 'member' | 'term'>,
  ): void {
    this.observer.event({
      kind,
      member: i,
      term: this.term[i]!,
      ...(peer !== undefined ? { peer } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...facts,
    });
  }
}
