/**
 * @module simulation/timing-policy
 * When election timers run, as a policy the Raft rules (raft-node.ts) call instead of branching on the model:
 * - EtcdTicks: etcd's tick model. Each member ticks every heartbeat interval on its own random phase;
 *   ElectionTicks = floor(election / heartbeat); reset() draws the randomized timeout uniform in [ET, 2ET−1]
 *   ticks; the lease and the transfer deadline count ticks; etcd's adjustTicks advances ticks at start-up.
 * - ClassicTimers: the paper's continuous timers (LogCabin): a timeout uniform in [min, max] µs (plus timer
 *   jitter) redrawn at every reset; a member adopts a higher term without restarting its timer; heartbeats,
 *   check-quorum and the transfer deadline run on the leader's heartbeat timer; optional vote retries.
 * Each also schedules its own events on the harness's queue and handles them (`dispatch`).
 */
import type { Random } from '../random.js';
import type { ClassicTiming, EtcdTiming } from './election-config.js';
import { msToUs } from './election-config.js';
import {
  CANDIDATE,
  E_CLASSIC_HEARTBEAT,
  E_CLASSIC_RETRY,
  E_CLASSIC_TIMER,
  E_TICK,
  E_TICK_ADVANCE_PROBE,
  LEADER,
  M_VOTE,
  tickAdvanceMaxPolls,
  tickAdvancePollUs,
} from './raft-messages.js';
import type { RaftNodes, TimingPolicy } from './raft-node.js';

/** What a timing policy needs from the harness: the clock, the trial's random stream, the queue, liveness. */
export interface TimerHost {
  readonly now: number;
  readonly rng: Random;
  readonly up: Uint8Array;
  readonly incarnation: Int32Array;
  schedule(timeUs: number, payload: number): void;
  /** Live peers member i can reach both ways (etcd's adjustTicks counts active peers). */
  activePeers(i: number): number;
  /** The harness drains the outbox after a policy-driven node call. */
  flush(): void;
  /** A start-up tick advance (an observer event). */
  tickAdvance(i: number, ticks: number): void;
  /**
   * A steady leader has been heartbeating every periodUs before the start, its next heartbeat due at
   * nextSendUs: the heartbeats still in flight at the start are delivered (so every follower keeps hearing it).
   */
  heartbeatsInFlight(leader: number, nextSendUs: number, periodUs: number): void;
}

/** The timing policy as the harness drives it. */
export interface TimingModel extends TimingPolicy {
  /** How often a stopping leader polls for the new leader, and a restart waits for a stopping member. */
  readonly pollUs: number;
  /** The election timeout a graceful stop's ReqTimeout counts (etcd: electionMs; classic: the maximum). */
  readonly electionTimeoutMs: number;
  drawTimeout(i: number): void;
  startSteady(leader: number, startUs: number): void;
  startBootstrap(startUs: number): void;
  restarted(i: number): void;
  crashed(i: number): void;
  /** Handles one of the policy's own events; false if the kind is not the policy's. */
  dispatch(kind: number, arg: number): boolean;
}

const packMember = (kind: number, i: number, gen: number) => kind | ((i | (gen << 5)) << 4);

/**
 * etcd's tick model, simulated lazily. Every member ticks every heartbeat interval on its own phase
 * (`nextTickUs` is its next tick not yet counted). A leader's ticks are events (each sends heartbeats). A
 * follower's or candidate's tick does nothing but count up (raft.go tickElection) until electionElapsed
 * reaches randomizedTicks, so those ticks are not events: the member has one timer event at the tick where
 * it would fire, and the ticks before it are counted when the rules read electionElapsed (the lease) or the
 * timer is reset. A heartbeat that zeroes electionElapsed only moves the firing tick later; the pending event
 * then re-arms itself when it comes due, so heartbeats schedule nothing.
 *
 * Same behaviour as one event per tick: the same ticks, the same counts, the same firing moments and random
 * draws. Where a tick and another event fall on the same microsecond, a tick that does not fire counts as
 * having happened first (as the eager model ordered them in the usual case: a tick was queued one interval
 * ahead, before any message due at the same moment was sent).
 */
export class EtcdTicks implements TimingModel {
  readonly keepsTimerOnNewTerm = false;
  readonly pollUs: number;
  readonly electionTimeoutMs: number;
  readonly electionTicks: number;
  private readonly tickAdvancePolls: Int32Array;
  /** Each member's next tick not yet counted (+∞: the member has no tick phase yet, e.g. in step tests). */
  private readonly nextTickUs: Float64Array;
  /** When the member's live timer event is due (+∞: none), and its generation (older events are stale). */
  private readonly armedUs: Float64Array;
  private readonly timerGen: Int32Array;

  constructor(
    private readonly timing: EtcdTiming,
    private readonly nodes: RaftNodes,
    private readonly host: TimerHost,
  ) {
    this.pollUs = msToUs(timing.heartbeatIntervalMs);
    this.electionTimeoutMs = timing.electionTimeoutMs;
    // ElectionTicks = floor(ElectionMs / TickMs) (etcd server/config.go).
    this.electionTicks = Math.floor(timing.electionTimeoutMs / timing.heartbeatIntervalMs);
    this.tickAdvancePolls = new Int32Array(nodes.n);
    this.nextTickUs = new Float64Array(nodes.n).fill(Number.POSITIVE_INFINITY);
    this.armedUs = new Float64Array(nodes.n).fill(Number.POSITIVE_INFINITY);
    this.timerGen = new Int32Array(nodes.n);
  }

  /** resetRandomizedElectionTimeout: uniform in [ET, 2ET−1] ticks. */
  drawTimeout(i: number): void {
    this.nodes.randomizedTicks[i] = this.electionTicks + this.host.rng.nextInt(this.electionTicks);
  }
  /** raft.go reset() zeroed electionElapsed: the ticks up to now are spent; the firing tick may move earlier. */
  resetTimer(i: number): void {
    this.drawTimeout(i);
    this.skipTicksThroughNow(i);
    this.rearm(i);
  }
  /** electionElapsed = 0: the firing tick moves later, which the pending timer event finds out when due. */
  heardFromLeader(i: number): void {
    this.nodes.electionElapsed[i] = 0;
    this.skipTicksThroughNow(i);
  }
  withinLease(i: number): boolean {
    this.countTicks(i);
    return this.nodes.electionElapsed[i]! < this.electionTicks;
  }
  /** A leader's ticks are events: its next tick is at most one interval away. */
  becameLeader(i: number): void {
    this.rearm(i);
  }
  campaigned(): void {}
  transferStarted(): void {}
  /** A crashed member has no ticks until it restarts on a new phase. */
  crashed(i: number): void {
    this.disarm(i);
    this.nextTickUs[i] = Number.POSITIVE_INFINITY;
  }

  startSteady(leader: number, startUs: number): void {
    const rng = this.host.rng;
    this.resetTimers();
    // The leader has led for a while: its check-quorum phase is anywhere in the ET-tick cycle.
    this.nodes.electionElapsed[leader] = rng.nextInt(this.electionTicks);
    for (let i = 0; i < this.nodes.n; i++) this.nextTickUs[i] = startUs + rng.nextInt(this.pollUs);
    for (let i = 0; i < this.nodes.n; i++) this.rearm(i);
    // The leader heartbeats on every tick (HeartbeatTick = 1).
    this.host.heartbeatsInFlight(leader, this.nextTickUs[leader]!, this.pollUs);
  }

  startBootstrap(startUs: number): void {
    this.tickAdvancePolls.fill(0);
    this.resetTimers();
    for (let i = 0; i < this.nodes.n; i++) this.nextTickUs[i] = startUs + this.host.rng.nextInt(this.pollUs);
    for (let i = 0; i < this.nodes.n; i++) this.rearm(i);
    this.scheduleTickAdvance(startUs, -1);
  }

  /** A restarted member ticks on a new phase, and etcd's adjustTicks runs again. */
  restarted(i: number): void {
    this.nextTickUs[i] = this.host.now + this.host.rng.nextInt(this.pollUs) + 1;
    this.disarm(i);
    this.rearm(i);
    this.scheduleTickAdvance(this.host.now, i);
  }

  dispatch(kind: number, arg: number): boolean {
    const i = arg & 31;
    const gen = arg >>> 5;
    if (kind === E_TICK) {
      if (!this.host.up[i] || gen !== this.timerGen[i]) return true;
      this.armedUs[i] = Number.POSITIVE_INFINITY;
      this.onTimer(i);
      this.rearm(i);
      return true;
    }
    if (kind === E_TICK_ADVANCE_PROBE) {
      this.onTickAdvanceProbe(i, gen);
      return true;
    }
    return false;
  }

  /** node.Tick() for a leader; for anyone else, the tick where its election timer fires (if it still does). */
  private onTimer(i: number): void {
    const nodes = this.nodes;
    if (nodes.state[i] !== LEADER) {
      this.countTicks(i);
      if (this.nextTickUs[i] !== this.host.now || this.fireTickUs(i) !== this.host.now) return;
    }
    this.nextTickUs[i] = this.host.now + this.pollUs;
    nodes.tick(i);
  }

  /**
   * When member i's timer event must come: a leader's next tick; anyone else's firing tick — the tick where
   * electionElapsed reaches randomizedTicks if nothing resets it first; never for a learner.
   */
  private dueUs(i: number): number {
    const nodes = this.nodes;
    if (nodes.state[i] === LEADER) return this.nextTickUs[i]!;
    if (nodes.learner[i]) return Number.POSITIVE_INFINITY;
    return this.fireTickUs(i);
  }

  private fireTickUs(i: number): number {
    const left = this.nodes.randomizedTicks[i]! - this.nodes.electionElapsed[i]! - 1;
    return this.nextTickUs[i]! + Math.max(0, left) * this.pollUs;
  }

  /** Schedules member i's timer event if it is due before the pending one (which then goes stale). */
  private rearm(i: number): void {
    if (!this.host.up[i]) return;
    const due = this.dueUs(i);
    if (due >= this.armedUs[i]!) return;
    this.armedUs[i] = due;
    this.timerGen[i] = (this.timerGen[i]! + 1) & 0x3fffff;
    this.host.schedule(due, packMember(E_TICK, i, this.timerGen[i]!));
  }

  private disarm(i: number): void {
    this.armedUs[i] = Number.POSITIVE_INFINITY;
    this.timerGen[i] = (this.timerGen[i]! + 1) & 0x3fffff;
  }

  private resetTimers(): void {
    for (let i = 0; i < this.nodes.n; i++) this.crashed(i);
  }

  /**
   * Counts the ticks a follower or candidate had up to now into electionElapsed (they cannot fire: the
   * firing tick is an event, and one on this very microsecond is left to it).
   */
  private countTicks(i: number): void {
    const next = this.nextTickUs[i]!;
    const now = this.host.now;
    if (next > now || this.nodes.state[i] === LEADER) return;
    let ticks = Math.floor((now - next) / this.pollUs) + 1;
    if (!this.nodes.learner[i])
      ticks = Math.min(ticks, Math.max(0, this.nodes.randomizedTicks[i]! - this.nodes.electionElapsed[i]! - 1));
    this.nodes.electionElapsed[i]! += ticks;
    this.nextTickUs[i] = next + ticks * this.pollUs;
  }

  /** electionElapsed was just zeroed at now: the member's ticks up to now no longer count. */
  private skipTicksThroughNow(i: number): void {
    const next = this.nextTickUs[i]!;
    const now = this.host.now;
    if (next > now) return;
    this.nextTickUs[i] = next + (Math.floor((now - next) / this.pollUs) + 1) * this.pollUs;
  }

  /**
   * etcd's adjustTicks at server start: a single-member cluster advances ET−1 ticks at once; otherwise, with
   * --initial-election-tick-advance, it polls every 50 ms (up to 5 s) and advances ET−2 ticks once more than
   * one peer is active (`peerN > 1`; so a two-member cluster never advances).
   */
  private scheduleTickAdvance(startUs: number, only: number): void {
    for (let i = 0; i < this.nodes.n; i++) {
      if (only >= 0 && i !== only) continue;
      if (this.nodes.n === 1) {
        this.advanceTicks(i, this.electionTicks - 1);
        continue;
      }
      if (!this.timing.initialElectionTickAdvance) continue;
      this.tickAdvancePolls[i] = 0;
      this.host.schedule(startUs + tickAdvancePollUs, packMember(E_TICK_ADVANCE_PROBE, i, this.host.incarnation[i]!));
    }
  }

  private onTickAdvanceProbe(i: number, inc: number): void {
    if (!this.host.up[i] || inc !== this.host.incarnation[i]) return;
    if (this.host.activePeers(i) > 1) {
      this.advanceTicks(i, this.electionTicks - 2);
      return;
    }
    if (++this.tickAdvancePolls[i]! < tickAdvanceMaxPolls)
      this.host.schedule(this.host.now + tickAdvancePollUs, packMember(E_TICK_ADVANCE_PROBE, i, inc));
  }

  /** raft advanceTicks: runs `ticks` ticks at once (each may fire the election timeout). */
  private advanceTicks(i: number, ticks: number): void {
    this.host.tickAdvance(i, ticks);
    this.countTicks(i);
    for (let k = 0; k < ticks; k++) this.nodes.tick(i);
    this.host.flush();
    this.rearm(i);
  }
}

export class ClassicTimers implements TimingModel {
  readonly keepsTimerOnNewTerm = true;
  readonly pollUs: number;
  readonly electionTimeoutMs: number;
  private readonly minUs: number;
  private readonly maxUs: number;
  private readonly heartbeatUs: number;
  private readonly retryUs: number;
  private readonly timerJitterUs: number;
  private readonly drawnTimeoutUs: Float64Array;
  private readonly deadlineUs: Float64Array;
  private readonly lastResetUs: Float64Array;
  private readonly timerPending: Uint8Array;
  /** When the member's live timer event is due, and its generation (an earlier deadline makes older ones stale). */
  private readonly pendingUs: Float64Array;
  private readonly timerGen: Int32Array;
  private readonly heartbeatGen: Int32Array;
  private readonly campaignGen: Int32Array;
  private readonly lastCheckQuorumUs: Float64Array;
  private readonly transferStartUs: Float64Array;

  constructor(
    timing: ClassicTiming,
    private readonly nodes: RaftNodes,
    private readonly host: TimerHost,
  ) {
    this.minUs = msToUs(timing.electionTimeoutMinMs);
    this.maxUs = msToUs(timing.electionTimeoutMaxMs);
    this.heartbeatUs = msToUs(timing.heartbeatIntervalMs);
    this.retryUs = timing.voteRetryMs ? msToUs(timing.voteRetryMs) : 0;
    this.timerJitterUs = timing.timerJitterMs ? msToUs(timing.timerJitterMs) : 0;
    this.pollUs = this.heartbeatUs;
    this.electionTimeoutMs = timing.electionTimeoutMaxMs;
    const n = nodes.n;
    this.drawnTimeoutUs = new Float64Array(n);
    this.deadlineUs = new Float64Array(n);
    this.lastResetUs = new Float64Array(n);
    this.timerPending = new Uint8Array(n);
    this.pendingUs = new Float64Array(n);
    this.timerGen = new Int32Array(n);
    this.heartbeatGen = new Int32Array(n);
    this.campaignGen = new Int32Array(n);
    this.lastCheckQuorumUs = new Float64Array(n);
    this.transferStartUs = new Float64Array(n);
  }

  /** Uniform in [min, max] µs, plus up to timerJitter late. */
  drawTimeout(i: number): void {
    const rng = this.host.rng;
    this.drawnTimeoutUs[i] =
      this.minUs +
      (this.maxUs > this.minUs ? rng.nextInt(this.maxUs - this.minUs + 1) : 0) +
      (this.timerJitterUs > 0 ? rng.nextInt(this.timerJitterUs + 1) : 0);
  }

  resetTimer(i: number, restart: boolean): void {
    if (!restart) return;
    this.drawTimeout(i);
    this.lastResetUs[i] = this.host.now;
    this.arm(i);
  }

  /** LogCabin and most classic implementations draw a fresh timeout on every reset. */
  heardFromLeader(i: number): void {
    this.lastResetUs[i] = this.host.now;
    this.drawTimeout(i);
    this.arm(i);
  }

  withinLease(i: number): boolean {
    return this.host.now - this.lastResetUs[i]! < this.minUs;
  }

  becameLeader(i: number): void {
    this.heartbeatGen[i]!++;
    this.lastCheckQuorumUs[i] = this.host.now;
    this.host.schedule(this.host.now + this.heartbeatUs, packMember(E_CLASSIC_HEARTBEAT, i, this.heartbeatGen[i]!));
  }

  campaigned(i: number): void {
    if (this.retryUs === 0) return;
    // The vote requests already produced leave before the retry is scheduled (queue order among equal times).
    this.host.flush();
    this.campaignGen[i]!++;
    this.host.schedule(this.host.now + this.retryUs, packMember(E_CLASSIC_RETRY, i, this.campaignGen[i]!));
  }

  transferStarted(i: number): void {
    this.transferStartUs[i] = this.host.now;
  }

  crashed(i: number): void {
    this.timerPending[i] = 0;
    this.timerGen[i] = (this.timerGen[i]! + 1) & 0x3fffff;
  }

  startSteady(leader: number, startUs: number): void {
    this.timerPending.fill(0);
    this.timerGen.fill(0);
    this.heartbeatGen.fill(0);
    this.campaignGen.fill(0);
    for (let i = 0; i < this.nodes.n; i++) {
      this.lastResetUs[i] = startUs;
      if (i !== leader) this.arm(i);
    }
    this.lastCheckQuorumUs[leader] = startUs - this.host.rng.nextInt(this.minUs);
    const firstHeartbeatUs = startUs + this.host.rng.nextInt(this.heartbeatUs);
    this.host.schedule(firstHeartbeatUs, packMember(E_CLASSIC_HEARTBEAT, leader, this.heartbeatGen[leader]!));
    this.host.heartbeatsInFlight(leader, firstHeartbeatUs, this.heartbeatUs);
  }

  startBootstrap(startUs: number): void {
    this.timerPending.fill(0);
    this.timerGen.fill(0);
    this.heartbeatGen.fill(0);
    this.campaignGen.fill(0);
    for (let i = 0; i < this.nodes.n; i++) {
      this.lastResetUs[i] = startUs;
      this.arm(i);
    }
  }

  restarted(): void {}

  dispatch(kind: number, arg: number): boolean {
    const i = arg & 31;
    const gen = arg >>> 5;
    if (kind === E_CLASSIC_TIMER) this.onTimer(i, gen);
    else if (kind === E_CLASSIC_HEARTBEAT) this.onHeartbeat(i, gen);
    else if (kind === E_CLASSIC_RETRY) this.onRetry(i, gen);
    else return false;
    return true;
  }

  /**
   * Sets the deadline to now + the drawn timeout. One live timer event per member: a later deadline is found
   * when the pending event comes due (re-armed lazily); an earlier one (a fresh, shorter draw) needs its own
   * event, which makes the pending one stale.
   */
  private arm(i: number): void {
    const deadline = this.host.now + this.drawnTimeoutUs[i]!;
    this.deadlineUs[i] = deadline;
    if (!this.timerPending[i] || deadline < this.pendingUs[i]!) this.schedule(i, deadline);
  }

  private schedule(i: number, atUs: number): void {
    this.timerPending[i] = 1;
    this.pendingUs[i] = atUs;
    this.timerGen[i] = (this.timerGen[i]! + 1) & 0x3fffff;
    this.host.schedule(atUs, packMember(E_CLASSIC_TIMER, i, this.timerGen[i]!));
  }

  private onTimer(i: number, gen: number): void {
    if (gen !== this.timerGen[i]) return;
    this.timerPending[i] = 0;
    if (!this.host.up[i] || this.nodes.state[i] === LEADER) return;
    if (this.host.now < this.deadlineUs[i]!) {
      this.schedule(i, this.deadlineUs[i]!);
      return;
    }
    if (this.nodes.learner[i]) {
      this.arm(i);
      return;
    }
    // As for etcd's pre-candidate: the timer restarts with the same drawn timeout; becoming candidate redraws.
    const timeoutUs = this.drawnTimeoutUs[i]!;
    this.lastResetUs[i] = this.host.now;
    this.arm(i);
    this.nodes.electionTimedOut(i, timeoutUs);
  }

  private onHeartbeat(i: number, gen: number): void {
    const nodes = this.nodes;
    if (!this.host.up[i] || gen !== this.heartbeatGen[i] || nodes.state[i] !== LEADER) return;
    this.host.schedule(this.host.now + this.heartbeatUs, packMember(E_CLASSIC_HEARTBEAT, i, gen));
    if (nodes.rules.checkQuorum && this.host.now - this.lastCheckQuorumUs[i]! >= this.minUs) {
      this.lastCheckQuorumUs[i] = this.host.now;
      nodes.checkQuorumActive(i);
      if (nodes.state[i] !== LEADER) return;
    }
    if (nodes.transferee[i]! >= 0 && this.host.now - this.transferStartUs[i]! >= this.minUs)
      nodes.abortTransfer(i, 'transfer-timer');
    nodes.bcastHeartbeat(i);
  }

  /** Resends unanswered vote requests every voteRetryMs while a candidate. */
  private onRetry(i: number, gen: number): void {
    const nodes = this.nodes;
    if (!this.host.up[i] || gen !== this.campaignGen[i] || nodes.state[i] !== CANDIDATE) return;
    const row = i * nodes.n;
    for (const v of nodes.voterIds) {
      if (v === i || nodes.voteResp[row + v] !== 0) continue;
      nodes.outbox.push(i, v, M_VOTE, nodes.term[i]!, nodes.lastTerm[i]!, nodes.lastIndex[i]!, 0, false);
    }
    this.host.flush();
    this.host.schedule(this.host.now + this.retryUs, packMember(E_CLASSIC_RETRY, i, gen));
  }
}
