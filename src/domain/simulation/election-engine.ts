/**
 * @module simulation/election-engine
 * A discrete-event simulation of Raft leader election as etcd runs it (etcd-io/raft raft.go with etcd's
 * settings: CheckQuorum always on, pre-vote per version, leadership transfer on a graceful stop), and of
 * classic Raft as the paper describes it. Pure: time is an integer-microsecond virtual clock, randomness is the
 * seeded `Random` passed in, and the same config, scenario and seed give the same trial, bit for bit.
 *
 * The state machine follows raft.go closely — Step's term rules, the vote rule (`canVote` and log
 * up-to-dateness), tickElection/tickHeartbeat, becomeFollower/PreCandidate/Candidate/Leader and their resets —
 * and the comments name the function each piece mirrors. What is simplified, and why it does not change
 * election timing, is written where it happens (log replication is one message: a follower copies the
 * leader's last position; commit indexes are not tracked).
 *
 * Hot-path state lives in typed arrays indexed by member number, messages in a pooled struct-of-arrays and
 * events are packed integers, so a trial allocates almost nothing (see numeric-queue.ts).
 */
import type { Random } from '../random.js';
import type { ElectionConfig } from './election-config.js';
import { defaultInitialTerm, defaultLogIndex, msToUs } from './election-config.js';
import { NumericEventQueue } from './numeric-queue.js';
import { RaftInvariants } from './raft-invariants.js';
import { ServiceRecorder } from './service-recorder.js';
import type { Scenario } from './scenario.js';
import type { TimelineEntry, TimelineKind } from './timeline.js';
import { describeTarget, partitionGroupsOf, resolveStaticTarget, scenarioEndUs } from './fault-targets.js';
import {
  CAMPAIGN_ELECTION,
  CAMPAIGN_PRE,
  CAMPAIGN_TRANSFER,
  CANDIDATE,
  E_CLASSIC_HEARTBEAT,
  E_CLASSIC_RETRY,
  E_CLASSIC_TIMER,
  E_DELIVER,
  E_FAULT,
  E_FAULT_END,
  E_STOP_POLL,
  E_TICK,
  E_TICK_ADVANCE_PROBE,
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
  maxSimMembers,
  PRE_CANDIDATE,
  stateNames,
  tickAdvanceMaxPolls,
  tickAdvancePollUs,
} from './raft-messages.js';
import type { AppliedFault, TrialOptions, TrialResult } from './trial-types.js';

// The engine's public surface stays importable from here (monte-carlo, control-plane, routes and tests do).
export { describeTarget, scenarioEndUs } from './fault-targets.js';
export { maxSimMembers } from './raft-messages.js';
export { InvariantViolation } from './trial-types.js';
export type { AppliedFault, TrialMetrics, TrialOptions, TrialResult } from './trial-types.js';

/** Runs one trial. `rng` is the trial's own stream (Random.derive(seed, trialIndex)). */
export function runTrial(
  config: ElectionConfig,
  scenario: Scenario,
  rng: Random,
  options: TrialOptions = {},
): TrialResult {
  return new ElectionEngine(config, scenario).run(rng, options);
}

/**
 * The reusable engine: build once per (config, scenario), run many trials (Monte Carlo reuses its arrays).
 */
export class ElectionEngine {
  readonly config: ElectionConfig;
  readonly scenario: Scenario;
  private readonly n: number;
  private readonly names: string[];
  private readonly voterIds: Int32Array;
  private readonly quorum: number;
  private readonly etcd: boolean;
  private readonly tickUs: number;
  private readonly electionTicks: number;
  private readonly classicMinUs: number;
  private readonly classicMaxUs: number;
  private readonly classicHeartbeatUs: number;
  private readonly classicRetryUs: number;
  private readonly classicTimerJitterUs: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly leaderLease: boolean;
  private readonly oneWayUs: Int32Array;
  private readonly jitterUs: Int32Array;
  private readonly loss: number;
  private readonly diskSyncUs: number;
  private readonly syncBeforeRequest: boolean;
  private readonly diskSyncJitterUs: number;
  private readonly endUs: number;
  private readonly warmupUs: number;
  private readonly specLogTerm: Int32Array;
  private readonly specLogIndex: Int32Array;
  private readonly hasLogSpec: boolean;
  private readonly faultMembersStatic: (number[] | null)[];

  // Per-member state.
  private readonly up: Uint8Array;
  private readonly incarnation: Int32Array;
  private readonly learner: Uint8Array;
  private readonly state: Int32Array;
  private readonly term: Int32Array;
  private readonly vote: Int32Array;
  private readonly lead: Int32Array;
  private readonly lastTerm: Int32Array;
  private readonly lastIndex: Int32Array;
  private readonly electionElapsed: Int32Array;
  private readonly heartbeatElapsed: Int32Array;
  private readonly randomizedTicks: Int32Array;
  private readonly transferee: Int32Array;
  private readonly stopTarget: Int32Array;
  private readonly stopDeadlineUs: Float64Array;
  private readonly upSinceUs: Float64Array;
  // Classic timers.
  private readonly drawnTimeoutUs: Float64Array;
  private readonly deadlineUs: Float64Array;
  private readonly lastResetUs: Float64Array;
  private readonly timerPending: Uint8Array;
  private readonly heartbeatGen: Int32Array;
  private readonly campaignGen: Int32Array;
  private readonly lastCheckQuorumUs: Float64Array;
  private readonly transferStartUs: Float64Array;
  // Per pair [i * n + j].
  private readonly voteResp: Int8Array;
  private readonly match: Int32Array;
  private readonly recentActive: Uint8Array;
  private readonly blocked: Int32Array;
  private readonly linkSinceUs: Float64Array;

  // Messages: a pool of slots.
  private mType = new Int32Array(64);
  private mFrom = new Int32Array(64);
  private mTo = new Int32Array(64);
  private mTerm = new Int32Array(64);
  private mLogTerm = new Int32Array(64);
  private mIndex = new Int32Array(64);
  private mFlags = new Int32Array(64);
  private mToIncarnation = new Int32Array(64);
  private freeSlots = new Int32Array(64);
  private freeCount = 0;
  private slotCount = 0;

  private readonly queue = new NumericEventQueue(512);

  // Per-trial.
  private rng!: Random;
  private now = 0;
  private dirty = false;
  private stateChanged = false;
  private rec = false;
  private recService = false;
  private recFaults = true;
  private maxTimelineEntries = Number.MAX_SAFE_INTEGER;
  private timelineTruncated = false;
  private timeline: TimelineEntry[] = [];
  private seed: number | undefined;
  private trialIndex: number | undefined;
  private appliedFaults: AppliedFault[] = [];
  private faultTimesUs: number[] = [];
  private faultHit: number[][] = [];
  private partitionPairs: Int32Array[] = [];
  private pendingFaultEvents = 0;
  private firstFaultUs = -1;
  private termAtFault = 0;
  private newLeaderUs = -1;
  private newLeader = -1;
  private newLeaderTerm = 0;
  private allKnowUs = -1;
  private electionRounds = 0;
  private preVoteRounds = 0;
  private candidatesPerTerm: Map<number, number> = new Map();
  private readonly invariants: RaftInvariants;
  private writableNow = false;
  private allKnowNow = false;
  private unavailableSinceUs = -1;
  private unavailableUs = 0;
  private readonly service: ServiceRecorder;
  private tickAdvancePolls: Int32Array;

  constructor(config: ElectionConfig, scenario: Scenario) {
    this.config = config;
    this.scenario = scenario;
    const n = config.members.length;
    if (n < 1 || n > maxSimMembers) throw new RangeError(`a simulation needs 1..${maxSimMembers} members, got ${n}`);
    this.n = n;
    this.names = config.members.map((m) => m.name);
    if (new Set(this.names).size !== n) throw new RangeError('member names must be unique');
    this.voterIds = Int32Array.from(config.members.flatMap((m, i) => (m.learner ? [] : [i])));
    if (this.voterIds.length === 0) throw new RangeError('a simulation needs at least one voting member');
    this.quorum = (this.voterIds.length >> 1) + 1;
    const timing = config.timing;
    this.etcd = timing.model === 'etcd';
    if (timing.model === 'etcd') {
      if (!(timing.heartbeatIntervalMs > 0) || !(timing.electionTimeoutMs >= timing.heartbeatIntervalMs)) {
        throw new RangeError('etcd timing needs 0 < heartbeatIntervalMs <= electionTimeoutMs');
      }
      this.tickUs = msToUs(timing.heartbeatIntervalMs);
      // ElectionTicks = floor(ElectionMs / TickMs) (etcd server/config.go).
      this.electionTicks = Math.floor(timing.electionTimeoutMs / timing.heartbeatIntervalMs);
      this.preVote = timing.preVote;
      this.checkQuorum = true;
      this.leaderLease = true;
      this.classicMinUs =
        this.classicMaxUs =
        this.classicHeartbeatUs =
        this.classicRetryUs =
        this.classicTimerJitterUs =
          0;
    } else {
      if (
        !(
          timing.electionTimeoutMinMs > 0 &&
          timing.electionTimeoutMaxMs >= timing.electionTimeoutMinMs &&
          timing.heartbeatIntervalMs > 0
        )
      ) {
        throw new RangeError(
          'classic timing needs 0 < electionTimeoutMinMs <= electionTimeoutMaxMs and heartbeatIntervalMs > 0',
        );
      }
      this.tickUs = 0;
      this.electionTicks = 0;
      this.classicMinUs = msToUs(timing.electionTimeoutMinMs);
      this.classicMaxUs = msToUs(timing.electionTimeoutMaxMs);
      this.classicHeartbeatUs = msToUs(timing.heartbeatIntervalMs);
      this.classicRetryUs = timing.voteRetryMs ? msToUs(timing.voteRetryMs) : 0;
      this.classicTimerJitterUs = timing.timerJitterMs ? msToUs(timing.timerJitterMs) : 0;
      this.preVote = timing.preVote;
      this.checkQuorum = timing.checkQuorum;
      this.leaderLease = timing.leaderLease;
    }
    this.oneWayUs = new Int32Array(n * n);
    this.jitterUs = new Int32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        this.oneWayUs[i * n + j] = Math.max(0, Math.round(config.network.oneWayUs[i]?.[j] ?? 0));
        this.jitterUs[i * n + j] = Math.max(0, Math.round(config.network.jitterUs[i]?.[j] ?? 0));
      }
    }
    this.loss = config.network.lossProbability;
    this.diskSyncUs = Math.max(0, Math.round(config.network.diskSyncUs));
    this.diskSyncJitterUs = Math.max(0, Math.round(config.network.diskSyncJitterUs ?? 0));
    this.syncBeforeRequest = timing.model === 'etcd' || timing.syncBeforeVoteRequest !== false;
    this.endUs = scenarioEndUs(scenario);
    const defaultWarmupMs =
      2 * (this.etcd ? timing.heartbeatIntervalMs : (timing as { heartbeatIntervalMs: number }).heartbeatIntervalMs);
    this.warmupUs = config.start === 'steady' ? msToUs(config.warmupMs ?? defaultWarmupMs) : 0;
    this.specLogTerm = new Int32Array(n).fill(-1);
    this.specLogIndex = new Int32Array(n).fill(-1);
    let hasLogSpec = false;
    config.members.forEach((m, i) => {
      if (m.lastLogTerm !== undefined || m.lastLogIndex !== undefined) {
        hasLogSpec = true;
        this.specLogTerm[i] = m.lastLogTerm ?? defaultInitialTerm;
        this.specLogIndex[i] = m.lastLogIndex ?? defaultLogIndex;
      }
    });
    this.hasLogSpec = hasLogSpec;
    this.faultMembersStatic = scenario.faults.map((fault) =>
      fault.type === 'partition' ? null : resolveStaticTarget(this.config.members, this.names, fault.target),
    );
    for (const fault of scenario.faults)
      if (fault.type === 'partition') partitionGroupsOf(this.config.members, fault.groups);

    this.up = new Uint8Array(n);
    this.incarnation = new Int32Array(n);
    this.learner = Uint8Array.from(config.members.map((m) => (m.learner ? 1 : 0)));
    this.invariants = new RaftInvariants(this.names, this.learner, this.voterIds, this.quorum);
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
    this.stopTarget = new Int32Array(n);
    this.stopDeadlineUs = new Float64Array(n);
    this.upSinceUs = new Float64Array(n);
    this.drawnTimeoutUs = new Float64Array(n);
    this.deadlineUs = new Float64Array(n);
    this.lastResetUs = new Float64Array(n);
    this.timerPending = new Uint8Array(n);
    this.heartbeatGen = new Int32Array(n);
    this.campaignGen = new Int32Array(n);
    this.lastCheckQuorumUs = new Float64Array(n);
    this.transferStartUs = new Float64Array(n);
    this.voteResp = new Int8Array(n * n);
    this.match = new Int32Array(n * n);
    this.recentActive = new Uint8Array(n * n);
    this.blocked = new Int32Array(n * n);
    this.linkSinceUs = new Float64Array(n * n);
    this.service = new ServiceRecorder(n);
    this.tickAdvancePolls = new Int32Array(n);
  }

  /** Member names in engine order (the order of config.members). */
  get memberNames(): readonly string[] {
    return this.names;
  }

  run(rng: Random, options: TrialOptions = {}): TrialResult {
    this.reset(rng, options);
    const maxEvents = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
    const settleStop = options.stopWhenSettled === true && this.loss === 0;
    const queue = this.queue;
    const endUs = this.endUs;
    let events = 0;
    let truncated = false;
    let stoppedEarly = false;
    this.recompute();
    while (queue.pop()) {
      const timeUs = queue.poppedTimeUs;
      if (timeUs > endUs) break;
      if (events >= maxEvents) {
        truncated = true;
        break;
      }
      events++;
      this.now = timeUs;
      this.dirty = false;
      this.dispatch(queue.poppedPayload);
      if (this.stateChanged) {
        this.stateChanged = false;
        this.recompute();
        if (settleStop && this.pendingFaultEvents === 0 && this.firstFaultUs >= 0 && this.allKnowNow) {
          stoppedEarly = true;
          break;
        }
      }
    }
    const stopUs = truncated || stoppedEarly ? this.now : endUs;
    return this.finish(stopUs, events, truncated);
  }

  // ── setup ───────────────────────────────────────────────────────────────────────────────────────────────

  private reset(rng: Random, options: TrialOptions): void {
    const _n = this.n;
    this.rng = rng;
    this.rec = options.recordTimeline === true;
    this.recService = options.recordService === true;
    this.recFaults = options.metricsOnly !== true;
    this.maxTimelineEntries = options.maxTimelineEntries ?? Number.MAX_SAFE_INTEGER;
    this.timelineTruncated = false;
    this.seed = options.seed;
    this.trialIndex = options.trialIndex;
    this.invariants.reset(options.seed, options.trialIndex);
    this.timeline = [];
    this.appliedFaults = [];
    this.queue.clear();
    this.freeCount = 0;
    this.slotCount = 0;
    this.firstFaultUs = -1;
    this.termAtFault = 0;
    this.newLeaderUs = -1;
    this.newLeader = -1;
    this.newLeaderTerm = 0;
    this.allKnowUs = -1;
    this.electionRounds = 0;
    this.preVoteRounds = 0;
    this.candidatesPerTerm.clear();
    this.writableNow = false;
    this.allKnowNow = false;
    this.unavailableSinceUs = -1;
    this.unavailableUs = 0;
    this.service.reset(this.recService);
    this.blocked.fill(0);
    this.partitionPairs = [];
    this.stateChanged = false;
    this.voteResp.fill(0);
    this.recentActive.fill(0);
    this.match.fill(0);
    this.transferee.fill(-1);
    this.stopTarget.fill(-1);
    this.timerPending.fill(0);
    this.heartbeatGen.fill(0);
    this.campaignGen.fill(0);
    this.tickAdvancePolls.fill(0);
    this.incarnation.fill(0);
    this.heartbeatElapsed.fill(0);

    const startUs = -this.warmupUs;
    this.now = startUs;
    this.linkSinceUs.fill(startUs);
    this.upSinceUs.fill(startUs);
    this.up.fill(1);

    if (this.config.start === 'steady') this.resetSteady(startUs);
    else this.resetBootstrap(startUs);

    // Fault moments are drawn first thing, in fault order, so they do not depend on what the trial does.
    const faults = this.scenario.faults;
    this.faultTimesUs.length = faults.length;
    this.faultHit.length = faults.length;
    for (let f = 0; f < faults.length; f++) {
      const at = faults[f]!.at;
      this.faultTimesUs[f] = msToUs(at.atMs) + (at.withinMs ? rng.nextInt(Math.max(1, msToUs(at.withinMs))) : 0);
      this.faultHit[f] = [];
    }
    this.pendingFaultEvents = 0;
    for (let f = 0; f < faults.length; f++) {
      this.queue.push(this.faultTimesUs[f]!, E_FAULT | (f << 4));
      this.pendingFaultEvents++;
    }
  }

  private resetSteady(startUs: number): void {
    const n = this.n;
    // The leader: named, or the first voter holding the most up-to-date log.
    let leader = -1;
    if (this.config.initialLeader !== undefined) {
      leader = this.names.indexOf(this.config.initialLeader);
      if (leader < 0 || this.learner[leader])
        throw new RangeError(`initialLeader ${this.config.initialLeader} is not a voting member`);
    } else {
      for (const v of this.voterIds) {
        if (
          leader < 0 ||
          this.moreUpToDate(this.specTerm(v), this.specIndex(v), this.specTerm(leader), this.specIndex(leader))
        )
          leader = v;
      }
    }
    let maxSpecTerm = 0;
    for (let i = 0; i < n; i++) maxSpecTerm = Math.max(maxSpecTerm, this.specLogTerm[i]!);
    const term = Math.max(this.config.initialTerm ?? defaultInitialTerm, maxSpecTerm);
    // Before the first fault every log holds what the leader holds (the spec's differences appear at the fault).
    const leaderTerm = this.specLogTerm[leader]! >= 0 ? this.specLogTerm[leader]! : term;
    const leaderIndex = this.specLogIndex[leader]! >= 0 ? this.specLogIndex[leader]! : defaultLogIndex;
    for (let i = 0; i < n; i++) {
      this.state[i] = i === leader ? LEADER : FOLLOWER;
      this.term[i] = term;
      this.vote[i] = this.learner[i] ? -1 : leader;
      this.lead[i] = leader;
      this.lastTerm[i] = leaderTerm;
      this.lastIndex[i] = leaderIndex;
      this.electionElapsed[i] = 0;
      this.drawTimeout(i);
      this.lastResetUs[i] = startUs;
      this.match[leader * n + i] = leaderIndex;
      this.recentActive[leader * n + i] = 1;
    }
    this.invariants.assumeElected(term, leader);
    if (this.etcd) {
      // The leader has led for a while: its check-quorum phase is anywhere in the ET-tick cycle.
      this.electionElapsed[leader] = this.rng.nextInt(this.electionTicks);
      for (let i = 0; i < n; i++) this.queue.push(startUs + this.rng.nextInt(this.tickUs), E_TICK | (i << 4));
    } else {
      for (let i = 0; i < n; i++) if (i !== leader) this.armClassicTimer(i);
      this.lastCheckQuorumUs[leader] = startUs - this.rng.nextInt(this.classicMinUs);
      this.queue.push(
        startUs + this.rng.nextInt(this.classicHeartbeatUs),
        E_CLASSIC_HEARTBEAT | ((leader | (this.heartbeatGen[leader]! << 5)) << 4),
      );
    }
  }

  private resetBootstrap(startUs: number): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      this.state[i] = FOLLOWER;
      // A fresh etcd cluster starts at term 1 with the initial membership entries in its log.
      this.term[i] = 1;
      this.vote[i] = -1;
      this.lead[i] = -1;
      this.lastTerm[i] = this.specLogTerm[i]! >= 0 ? this.specLogTerm[i]! : 1;
      this.lastIndex[i] = this.specLogIndex[i]! >= 0 ? this.specLogIndex[i]! : n;
      this.term[i] = Math.max(1, this.lastTerm[i]!);
      this.electionElapsed[i] = 0;
      this.drawTimeout(i);
      this.lastResetUs[i] = startUs;
    }
    // For a fresh cluster the metrics count from its start, as they count from the first fault otherwise.
    this.firstFaultUs = startUs;
    this.termAtFault = 1;
    if (this.etcd) {
      for (let i = 0; i < n; i++) this.queue.push(startUs + this.rng.nextInt(this.tickUs), E_TICK | (i << 4));
      this.scheduleTickAdvance(startUs);
    } else {
      for (let i = 0; i < n; i++) this.armClassicTimer(i);
    }
  }

  /**
   * etcd's adjustTicks at server start: a single-member cluster advances ET−1 ticks at once; otherwise, with
   * --initial-election-tick-advance, it polls every 50 ms (up to 5 s) and advances ET−2 ticks once more than
   * one peer is active (`peerN > 1`; so a two-member cluster never advances).
   */
  private scheduleTickAdvance(startUs: number, only = -1): void {
    const timing = this.config.timing;
    if (timing.model !== 'etcd') return;
    for (let i = 0; i < this.n; i++) {
      if (only >= 0 && i !== only) continue;
      if (this.n === 1) {
        this.advanceTicks(i, this.electionTicks - 1);
        continue;
      }
      if (!timing.initialElectionTickAdvance) continue;
      this.tickAdvancePolls[i] = 0;
      this.queue.push(startUs + tickAdvancePollUs, E_TICK_ADVANCE_PROBE | ((i | (this.incarnation[i]! << 5)) << 4));
    }
  }

  private specTerm(i: number): number {
    return this.specLogTerm[i]! >= 0 ? this.specLogTerm[i]! : defaultInitialTerm;
  }
  private specIndex(i: number): number {
    return this.specLogIndex[i]! >= 0 ? this.specLogIndex[i]! : defaultLogIndex;
  }
  private moreUpToDate(termA: number, indexA: number, termB: number, indexB: number): boolean {
    return termA > termB || (termA === termB && indexA > indexB);
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────────────────

  private dispatch(payload: number): void {
    const kind = payload & 15;
    const arg = payload >>> 4;
    switch (kind) {
      case E_TICK:
        this.onTick(arg & 31, arg >>> 5);
        break;
      case E_DELIVER:
        this.onDeliver(arg);
        break;
      case E_FAULT:
        this.pendingFaultEvents--;
        this.onFault(arg);
        break;
      case E_FAULT_END:
        this.pendingFaultEvents--;
        this.onFaultEnd(arg);
        break;
      case E_CLASSIC_TIMER:
        this.onClassicTimer(arg & 31, arg >>> 5);
        break;
      case E_CLASSIC_HEARTBEAT:
        this.onClassicHeartbeat(arg & 31, arg >>> 5);
        break;
      case E_CLASSIC_RETRY:
        this.onClassicRetry(arg & 31, arg >>> 5);
        break;
      case E_TICK_ADVANCE_PROBE:
        this.onTickAdvanceProbe(arg & 31, arg >>> 5);
        break;
      case E_STOP_POLL:
        this.onStopPoll(arg & 31, arg >>> 5);
        break;
    }
  }

  /** node.Tick(): raft.tick is tickElection for followers and candidates, tickHeartbeat for the leader. */
  private onTick(i: number, inc: number): void {
    if (!this.up[i] || inc !== this.incarnation[i]) return;
    this.queue.push(this.now + this.tickUs, E_TICK | ((i | (inc << 5)) << 4));
    this.tick(i);
  }

  private tick(i: number): void {
    if (this.state[i] === LEADER) this.tickHeartbeat(i);
    else this.tickElection(i);
  }

  /** raft.go tickElection. */
  private tickElection(i: number): void {
    this.electionElapsed[i]!++;
    if (!this.learner[i] && this.electionElapsed[i]! >= this.randomizedTicks[i]!) {
      this.electionElapsed[i] = 0;
      if (this.rec)
        this.record(i, 'election-timeout', undefined, `${this.randomizedTicks[i]} ticks without hearing from a leader`);
      this.hup(i, false);
    }
  }

  /** raft.go tickHeartbeat (HeartbeatTick = 1 in etcd: a heartbeat every tick). */
  private tickHeartbeat(i: number): void {
    this.heartbeatElapsed[i]!++;
    this.electionElapsed[i]!++;
    if (this.electionElapsed[i]! >= this.electionTicks) {
      this.electionElapsed[i] = 0;
      if (this.checkQuorum) this.checkQuorumActive(i);
      if (this.state[i] === LEADER && this.transferee[i]! >= 0)
        this.abortTransfer(i, 'not done within one election timeout');
    }
    if (this.state[i] !== LEADER) return;
    if (this.heartbeatElapsed[i]! >= 1) {
      this.heartbeatElapsed[i] = 0;
      this.bcastHeartbeat(i);
    }
  }

  /** stepLeader MsgCheckQuorum: step down unless a quorum of voters was active since the last check. */
  private checkQuorumActive(i: number): void {
    const n = this.n;
    let active = 0;
    for (const v of this.voterIds) if (v === i || this.recentActive[i * n + v]) active++;
    if (active < this.quorum) {
      const term = this.term[i]!;
      this.becomeFollower(i, term, -1);
      if (this.rec)
        this.record(
          i,
          'stepped-down',
          undefined,
          `check-quorum: heard from ${active} of ${this.voterIds.length} voters, quorum is ${this.quorum}`,
        );
    }
    for (let j = 0; j < n; j++) if (j !== i) this.recentActive[i * n + j] = 0;
  }

  /** MsgHup → raft.hup. */
  private hup(i: number, transfer: boolean): void {
    if (this.state[i] === LEADER || this.learner[i]) return;
    this.campaign(i, transfer ? CAMPAIGN_TRANSFER : this.preVote ? CAMPAIGN_PRE : CAMPAIGN_ELECTION);
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
    const result = this.poll(i, i, true);
    if (result > 0) {
      if (kind === CAMPAIGN_PRE) this.campaign(i, CAMPAIGN_ELECTION);
      else this.becomeLeader(i);
      return;
    }
    const flags = kind === CAMPAIGN_TRANSFER ? F_TRANSFER : 0;
    for (const v of this.voterIds) {
      if (v === i) continue;
      this.send(i, v, msgType, term, this.lastTerm[i]!, this.lastIndex[i]!, flags);
    }
    if (this.rec) {
      this.record(
        i,
        msgType === M_PREVOTE ? 'pre-vote-sent' : 'vote-sent',
        undefined,
        `for term ${term}, log (term ${this.lastTerm[i]}, index ${this.lastIndex[i]})${kind === CAMPAIGN_TRANSFER ? ', leadership transfer' : ''}`,
      );
    }
    if (this.classicRetryUs > 0) {
      this.campaignGen[i]!++;
      this.queue.push(this.now + this.classicRetryUs, E_CLASSIC_RETRY | ((i | (this.campaignGen[i]! << 5)) << 4));
    }
  }

  /** Records a vote; returns 1 won, −1 lost, 0 pending (tracker.TallyVotes). */
  private poll(i: number, from: number, granted: boolean): number {
    const n = this.n;
    const row = i * n;
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

  // ── state transitions ──────────────────────────────────────────────────────────────────────────────────

  /** raft.go reset: a new term clears the vote; every reset redraws the randomized election timeout. */
  private resetNode(i: number, term: number, resetTimer = true): void {
    const n = this.n;
    if (this.term[i] !== term) {
      this.term[i] = term;
      this.vote[i] = -1;
      this.dirty = true;
    }
    this.lead[i] = -1;
    this.electionElapsed[i] = 0;
    this.heartbeatElapsed[i] = 0;
    if (this.etcd || resetTimer) this.drawTimeout(i);
    this.transferee[i] = -1;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      this.voteResp[row + j] = 0;
      this.match[row + j] = 0;
      this.recentActive[row + j] = 0;
    }
    this.match[row + i] = this.lastIndex[i]!;
    if (!this.etcd && resetTimer) {
      this.lastResetUs[i] = this.now;
      this.armClassicTimer(i);
    }
    this.stateChanged = true;
  }

  /** resetRandomizedElectionTimeout: [ET, 2ET−1] ticks for etcd; uniform [min, max] µs for classic. */
  private drawTimeout(i: number): void {
    if (this.etcd) this.randomizedTicks[i] = this.electionTicks + this.rng.nextInt(this.electionTicks);
    else {
      this.drawnTimeoutUs[i] =
        this.classicMinUs +
        (this.classicMaxUs > this.classicMinUs ? this.rng.nextInt(this.classicMaxUs - this.classicMinUs + 1) : 0) +
        (this.classicTimerJitterUs > 0 ? this.rng.nextInt(this.classicTimerJitterUs + 1) : 0);
    }
  }

  /**
   * raft.go becomeFollower. etcd resets the election timer on every call. Classic Raft (the paper's Figure 2,
   * LogCabin's stepDown) adopts a higher term without touching the timer: only a leader's message, a granted
   * vote or a new election restart it — so `keepTimer` applies to the classic model only (and never to a
   * stepping-down leader, which has no election timer running).
   */
  private becomeFollower(i: number, term: number, lead: number, keepTimer = false): void {
    const wasState = this.state[i]!;
    const wasTerm = this.term[i]!;
    const wasLead = this.lead[i]!;
    this.state[i] = FOLLOWER;
    this.resetNode(i, term, !(keepTimer && !this.etcd && wasState !== LEADER));
    this.lead[i] = lead;
    if (this.rec && (wasState !== FOLLOWER || wasTerm !== term || wasLead !== lead)) {
      this.record(
        i,
        'became-follower',
        lead >= 0 ? this.names[lead] : undefined,
        wasState !== FOLLOWER ? `was ${stateNames[wasState]}` : undefined,
      );
    }
  }

  private becomePreCandidate(i: number): void {
    // Not a reset: term, vote and the drawn timeout stay (raft.go becomePreCandidate).
    this.state[i] = PRE_CANDIDATE;
    const row = i * this.n;
    for (let j = 0; j < this.n; j++) this.voteResp[row + j] = 0;
    this.lead[i] = -1;
    this.stateChanged = true;
    if (this.firstFaultUs >= 0 && this.newLeaderUs < 0) this.preVoteRounds++;
    if (this.rec) this.record(i, 'became-pre-candidate', undefined, `asks for term ${this.term[i]! + 1}`);
  }

  private becomeCandidate(i: number): void {
    this.resetNode(i, this.term[i]! + 1);
    this.vote[i] = i;
    this.state[i] = CANDIDATE;
    this.dirty = true;
    const term = this.term[i]!;
    this.invariants.noteVote(term, i, i);
    if (this.firstFaultUs >= 0 && this.newLeaderUs < 0) {
      this.electionRounds++;
      this.candidatesPerTerm.set(term, (this.candidatesPerTerm.get(term) ?? 0) + 1);
    }
    if (this.rec) this.record(i, 'became-candidate');
  }

  private becomeLeader(i: number): void {
    const n = this.n;
    const term = this.term[i]!;
    // Invariants: one leader per term, elected by a majority of voters, never a learner.
    this.invariants.noteLeader(term, i);
    let received = 0;
    for (const v of this.voterIds) if (this.voteResp[i * n + v] === 1) received++;

    this.resetNode(i, term);
    this.lead[i] = i;
    this.state[i] = LEADER;
    this.recentActive[i * n + i] = 1;
    // The leader appends an empty entry of its term (raft.go becomeLeader), which followers must take.
    this.lastIndex[i]!++;
    this.lastTerm[i] = term;
    this.match[i * n + i] = this.lastIndex[i]!;
    this.dirty = true;
    if (this.firstFaultUs >= 0 && this.newLeaderUs < 0) {
      this.newLeaderUs = this.now;
      this.newLeader = i;
      this.newLeaderTerm = term;
    }
    if (this.rec) this.record(i, 'became-leader', undefined, `${received} of ${this.voterIds.length} votes received`);
    if (!this.etcd) {
      this.heartbeatGen[i]!++;
      this.lastCheckQuorumUs[i] = this.now;
      this.queue.push(
        this.now + this.classicHeartbeatUs,
        E_CLASSIC_HEARTBEAT | ((i | (this.heartbeatGen[i]! << 5)) << 4),
      );
    }
    // stepCandidate: on winning, bcastAppend.
    for (let j = 0; j < n; j++) if (j !== i) this.sendAppend(i, j);
  }

  // ── messages ───────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Sends a message. A member that is not the leader persists a changed term, vote or log before its
   * messages leave (etcd's raftNode saves the Ready first; the leader sends in parallel with its write), so
   * those messages wait for the disk sync.
   */
  private send(
    from: number,
    to: number,
    type: number,
    term: number,
    logTerm: number,
    index: number,
    flags: number,
  ): void {
    const n = this.n;
    const link = from * n + to;
    if (this.blocked[link]! > 0) return;
    if (this.loss > 0 && this.rng.nextFloat() < this.loss) return;
    const jitter = this.jitterUs[link]!;
    let delay = this.oneWayUs[link]! + (jitter > 0 ? this.rng.nextInt(jitter + 1) : 0);
    if (this.dirty && this.state[from] !== LEADER && (this.syncBeforeRequest || type !== M_VOTE)) {
      delay += this.diskSyncUs + (this.diskSyncJitterUs > 0 ? this.rng.nextInt(this.diskSyncJitterUs + 1) : 0);
    }
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount]!;
    else {
      if (this.slotCount === this.mType.length) this.growSlots();
      slot = this.slotCount++;
    }
    this.mType[slot] = type;
    this.mFrom[slot] = from;
    this.mTo[slot] = to;
    this.mTerm[slot] = term;
    this.mLogTerm[slot] = logTerm;
    this.mIndex[slot] = index;
    this.mFlags[slot] = flags;
    this.mToIncarnation[slot] = this.incarnation[to]!;
    this.queue.push(this.now + delay, E_DELIVER | (slot << 4));
  }

  private growSlots(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.mType = grow(this.mType);
    this.mFrom = grow(this.mFrom);
    this.mTo = grow(this.mTo);
    this.mTerm = grow(this.mTerm);
    this.mLogTerm = grow(this.mLogTerm);
    this.mIndex = grow(this.mIndex);
    this.mFlags = grow(this.mFlags);
    this.mToIncarnation = grow(this.mToIncarnation);
    this.freeSlots = grow(this.freeSlots);
  }

  private onDeliver(slot: number): void {
    const type = this.mType[slot]!;
    const from = this.mFrom[slot]!;
    const to = this.mTo[slot]!;
    const term = this.mTerm[slot]!;
    const logTerm = this.mLogTerm[slot]!;
    const index = this.mIndex[slot]!;
    const flags = this.mFlags[slot]!;
    const toIncarnation = this.mToIncarnation[slot]!;
    this.freeSlots[this.freeCount++] = slot;
    // Lost if the receiver is down, restarted since (the connection broke), or cut off meanwhile.
    if (!this.up[to] || toIncarnation !== this.incarnation[to] || this.blocked[from * this.n + to]! > 0) return;
    this.step(to, type, from, term, logTerm, index, flags);
  }

  /** raft.go Step: the term rules, then the vote rule, then the per-state step functions. */
  private step(
    i: number,
    type: number,
    from: number,
    mTerm: number,
    logTerm: number,
    index: number,
    flags: number,
  ): void {
    const rTerm = this.term[i]!;
    if (mTerm > rTerm) {
      if (type === M_VOTE || type === M_PREVOTE) {
        const force = (flags & F_TRANSFER) !== 0;
        const inLease = this.leaderLease && this.lead[i]! >= 0 && this.withinLease(i);
        if (!force && inLease) {
          // "If a server receives a RequestVote request within the minimum election timeout of hearing from a
          // current leader, it does not update its term or grant its vote." No answer is sent.
          if (this.rec) {
            this.record(
              i,
              'vote-ignored',
              this.names[from],
              `${type === M_PREVOTE ? 'pre-vote' : 'vote'} for term ${mTerm}: lease, heard from leader ${this.names[this.lead[i]!]} within the election timeout`,
            );
          }
          return;
        }
      }
      if (type === M_PREVOTE) {
        // Never change the term in response to a pre-vote.
      } else if (type === M_PREVOTE_RESP && (flags & F_REJECT) === 0) {
        // A granted pre-vote carries the term we asked for; we move to it only on a pre-vote majority.
      } else {
        const wasLeader = this.state[i] === LEADER;
        const fromLeader = type === M_APP || type === M_HEARTBEAT;
        this.becomeFollower(i, mTerm, fromLeader ? from : -1, !fromLeader);
        if (wasLeader && this.rec)
          this.record(i, 'stepped-down', this.names[from], `message of higher term ${mTerm} from ${this.names[from]}`);
      }
    } else if (mTerm < rTerm) {
      if ((this.checkQuorum || this.preVote || !this.etcd) && (type === M_HEARTBEAT || type === M_APP)) {
        // Tell a stale leader about the newer term, so it steps down (and a pre-vote partition heals).
        this.send(i, from, M_APP_RESP, rTerm, 0, this.lastIndex[i]!, 0);
      } else if (type === M_PREVOTE) {
        if (this.rec) this.record(i, 'pre-vote-rejected', this.names[from], `stale term ${mTerm} < ${rTerm}`);
        this.send(i, from, M_PREVOTE_RESP, rTerm, 0, 0, F_REJECT);
      } else if (type === M_VOTE && this.rec) {
        this.record(i, 'vote-ignored', this.names[from], `stale term ${mTerm} < ${rTerm}`);
      }
      return;
    }

    if (type === M_VOTE || type === M_PREVOTE) {
      this.handleVoteRequest(i, type, from, mTerm, logTerm, index);
      return;
    }
    switch (this.state[i]) {
      case FOLLOWER:
        this.stepFollower(i, type, from, logTerm, index);
        break;
      case PRE_CANDIDATE:
      case CANDIDATE:
        this.stepCandidate(i, type, from, mTerm, logTerm, index, flags);
        break;
      case LEADER:
        this.stepLeader(i, type, from, index);
        break;
    }
  }

  /** The vote rule of raft.go Step (MsgVote, MsgPreVote). */
  private handleVoteRequest(
    i: number,
    type: number,
    from: number,
    mTerm: number,
    logTerm: number,
    index: number,
  ): void {
    const pre = type === M_PREVOTE;
    const vote = this.vote[i]!;
    const lead = this.lead[i]!;
    // A repeat of our vote, or no vote and no known leader in this term, or a pre-vote for a future term.
    const canVote = vote === from || (vote === -1 && lead === -1) || (pre && mTerm > this.term[i]!);
    // isUpToDate: a later last term, or the same last term and at least as long a log.
    const upToDate = logTerm > this.lastTerm[i]! || (logTerm === this.lastTerm[i]! && index >= this.lastIndex[i]!);
    if (canVote && upToDate) {
      if (!pre) {
        this.zeroElapsed(i);
        this.vote[i] = from;
        this.dirty = true;
        this.invariants.noteVote(mTerm, i, from);
      }
      if (this.rec) this.record(i, pre ? 'pre-vote-granted' : 'vote-granted', this.names[from], `for term ${mTerm}`);
      // A grant carries the term asked about (for a pre-vote, the future term).
      this.send(i, from, pre ? M_PREVOTE_RESP : M_VOTE_RESP, mTerm, 0, 0, 0);
    } else {
      if (this.rec) {
        let reason: string;
        if (!canVote) {
          reason =
            vote >= 0
              ? `already voted for ${this.names[vote]} in term ${this.term[i]}`
              : `follows leader ${this.names[lead]} in term ${this.term[i]}`;
        } else {
          reason = `candidate's log (term ${logTerm}, index ${index}) is behind ours (term ${this.lastTerm[i]}, index ${this.lastIndex[i]})`;
        }
        this.record(i, pre ? 'pre-vote-rejected' : 'vote-rejected', this.names[from], reason);
      }
      // A rejection carries our own term: a pre-candidate behind it steps down to it.
      this.send(i, from, pre ? M_PREVOTE_RESP : M_VOTE_RESP, this.term[i]!, 0, 0, F_REJECT);
    }
  }

  private stepFollower(i: number, type: number, from: number, logTerm: number, index: number): void {
    switch (type) {
      case M_APP:
        this.zeroElapsed(i);
        this.setLead(i, from);
        this.handleAppend(i, from, logTerm, index);
        break;
      case M_HEARTBEAT:
        this.zeroElapsed(i);
        this.setLead(i, from);
        this.send(i, from, M_HEARTBEAT_RESP, this.term[i]!, 0, 0, 0);
        break;
      case M_TIMEOUT_NOW:
        // Campaign at once, skipping pre-vote; the vote requests carry the transfer context.
        if (this.rec) this.record(i, 'election-timeout', this.names[from], 'MsgTimeoutNow: leadership transfer');
        this.hup(i, true);
        break;
    }
  }

  private stepCandidate(
    i: number,
    type: number,
    from: number,
    mTerm: number,
    logTerm: number,
    index: number,
    flags: number,
  ): void {
    const pre = this.state[i] === PRE_CANDIDATE;
    switch (type) {
      case M_APP:
        this.becomeFollower(i, mTerm, from);
        this.handleAppend(i, from, logTerm, index);
        return;
      case M_HEARTBEAT:
        this.becomeFollower(i, mTerm, from);
        this.send(i, from, M_HEARTBEAT_RESP, this.term[i]!, 0, 0, 0);
        return;
      case M_PREVOTE_RESP:
      case M_VOTE_RESP: {
        if ((type === M_PREVOTE_RESP) !== pre) return;
        const result = this.poll(i, from, (flags & F_REJECT) === 0);
        if (result > 0) {
          if (pre) {
            if (this.rec) this.record(i, 'pre-vote-won');
            this.campaign(i, CAMPAIGN_ELECTION);
          } else {
            this.becomeLeader(i);
          }
        } else if (result < 0) {
          if (this.rec) this.record(i, pre ? 'pre-vote-lost' : 'election-lost', undefined, 'a majority rejected');
          this.becomeFollower(i, this.term[i]!, -1, true);
        }
        return;
      }
    }
  }

  private stepLeader(i: number, type: number, from: number, index: number): void {
    const n = this.n;
    const pr = i * n + from;
    switch (type) {
      case M_HEARTBEAT_RESP:
        this.recentActive[pr] = 1;
        if (this.match[pr]! < this.lastIndex[i]!) this.sendAppend(i, from);
        break;
      case M_APP_RESP:
        this.recentActive[pr] = 1;
        if (index > this.match[pr]! && index <= this.lastIndex[i]!) this.match[pr] = index;
        if (from === this.transferee[i] && this.match[pr] === this.lastIndex[i]) this.sendTimeoutNow(i, from);
        break;
    }
  }

  /**
   * handleAppendEntries, simplified: the follower ends up holding the leader's log (a real follower with a
   * divergent tail needs probe round trips first; elections do not wait on them).
   */
  private handleAppend(i: number, from: number, logTerm: number, index: number): void {
    if (this.lastIndex[i] !== index || this.lastTerm[i] !== logTerm) {
      this.lastIndex[i] = index;
      this.lastTerm[i] = logTerm;
      this.dirty = true;
    }
    this.send(i, from, M_APP_RESP, this.term[i]!, 0, this.lastIndex[i]!, 0);
  }

  private sendAppend(i: number, j: number): void {
    this.send(i, j, M_APP, this.term[i]!, this.lastTerm[i]!, this.lastIndex[i]!, 0);
  }

  private bcastHeartbeat(i: number): void {
    const term = this.term[i]!;
    for (let j = 0; j < this.n; j++) if (j !== i) this.send(i, j, M_HEARTBEAT, term, 0, 0, 0);
  }

  private sendTimeoutNow(i: number, to: number): void {
    if (this.rec) this.record(i, 'timeout-now-sent', this.names[to], 'target is caught up');
    this.send(i, to, M_TIMEOUT_NOW, this.term[i]!, 0, 0, 0);
  }

  private setLead(i: number, lead: number): void {
    if (this.lead[i] === lead) return;
    this.lead[i] = lead;
    this.stateChanged = true;
    if (this.rec) this.record(i, 'learned-leader', this.names[lead]);
  }

  /** A message from the leader or a granted vote restarts the election timer (etcd: electionElapsed = 0). */
  private zeroElapsed(i: number): void {
    if (this.etcd) {
      this.electionElapsed[i] = 0;
    } else {
      // LogCabin and most classic implementations draw a fresh timeout on every reset.
      this.lastResetUs[i] = this.now;
      this.drawTimeout(i);
      this.armClassicTimer(i);
    }
  }

  /** The leader lease: heard from a leader within the (minimum) election timeout. */
  private withinLease(i: number): boolean {
    if (this.etcd) return this.electionElapsed[i]! < this.electionTicks;
    return this.now - this.lastResetUs[i]! < this.classicMinUs;
  }

  // ── classic timers ─────────────────────────────────────────────────────────────────────────────────────

  /** Sets the deadline to now + the drawn timeout; one pending timer event per member, re-armed lazily. */
  private armClassicTimer(i: number): void {
    const deadline = this.now + this.drawnTimeoutUs[i]!;
    this.deadlineUs[i] = deadline;
    if (!this.timerPending[i]) {
      this.timerPending[i] = 1;
      this.queue.push(deadline, E_CLASSIC_TIMER | ((i | (this.incarnation[i]! << 5)) << 4));
    }
  }

  private onClassicTimer(i: number, inc: number): void {
    if (inc !== this.incarnation[i]) return;
    this.timerPending[i] = 0;
    if (!this.up[i] || this.state[i] === LEADER) return;
    if (this.now < this.deadlineUs[i]!) {
      this.timerPending[i] = 1;
      this.queue.push(this.deadlineUs[i]!, E_CLASSIC_TIMER | ((i | (inc << 5)) << 4));
      return;
    }
    if (this.learner[i]) {
      this.armClassicTimer(i);
      return;
    }
    if (this.rec)
      this.record(
        i,
        'election-timeout',
        undefined,
        `${(this.drawnTimeoutUs[i]! / 1000).toFixed(3)} ms without hearing from a leader`,
      );
    // As for etcd's pre-candidate: the timer restarts with the same drawn timeout; becoming candidate redraws.
    this.lastResetUs[i] = this.now;
    this.armClassicTimer(i);
    this.hup(i, false);
  }

  private onClassicHeartbeat(i: number, gen: number): void {
    if (!this.up[i] || gen !== this.heartbeatGen[i] || this.state[i] !== LEADER) return;
    this.queue.push(this.now + this.classicHeartbeatUs, E_CLASSIC_HEARTBEAT | ((i | (gen << 5)) << 4));
    if (this.checkQuorum && this.now - this.lastCheckQuorumUs[i]! >= this.classicMinUs) {
      this.lastCheckQuorumUs[i] = this.now;
      this.checkQuorumActive(i);
      if (this.state[i] !== LEADER) return;
    }
    if (this.transferee[i]! >= 0 && this.now - this.transferStartUs[i]! >= this.classicMinUs)
      this.abortTransfer(i, 'not done within the minimum election timeout');
    this.bcastHeartbeat(i);
  }

  private onClassicRetry(i: number, gen: number): void {
    if (!this.up[i] || gen !== this.campaignGen[i] || this.state[i] !== CANDIDATE) return;
    const row = i * this.n;
    for (const v of this.voterIds) {
      if (v === i || this.voteResp[row + v] !== 0) continue;
      this.send(i, v, M_VOTE, this.term[i]!, this.lastTerm[i]!, this.lastIndex[i]!, 0);
    }
    this.queue.push(this.now + this.classicRetryUs, E_CLASSIC_RETRY | ((i | (gen << 5)) << 4));
  }

  // ── start-up ───────────────────────────────────────────────────────────────────────────────────────────

  private onTickAdvanceProbe(i: number, inc: number): void {
    if (!this.up[i] || inc !== this.incarnation[i]) return;
    let activePeers = 0;
    const n = this.n;
    for (let j = 0; j < n; j++) {
      if (j !== i && this.up[j] && this.blocked[i * n + j] === 0 && this.blocked[j * n + i] === 0) activePeers++;
    }
    if (activePeers > 1) {
      this.advanceTicks(i, this.electionTicks - 2);
      return;
    }
    if (++this.tickAdvancePolls[i]! < tickAdvanceMaxPolls)
      this.queue.push(this.now + tickAdvancePollUs, E_TICK_ADVANCE_PROBE | ((i | (inc << 5)) << 4));
  }

  /** raft advanceTicks: runs `ticks` ticks at once (each may fire the election timeout). */
  private advanceTicks(i: number, ticks: number): void {
    if (this.rec) this.record(i, 'tick-advance', undefined, `initial election tick advance: ${ticks} ticks`);
    for (let k = 0; k < ticks; k++) this.tick(i);
  }

  // ── faults ─────────────────────────────────────────────────────────────────────────────────────────────

  private currentLeader(): number {
    let best = -1;
    for (let i = 0; i < this.n; i++) {
      if (this.up[i] && this.state[i] === LEADER && (best < 0 || this.term[i]! > this.term[best]!)) best = i;
    }
    return best;
  }

  private onFault(f: number): void {
    const fault = this.scenario.faults[f]!;
    if (this.firstFaultUs < 0) {
      this.firstFaultUs = this.now;
      for (let i = 0; i < this.n; i++) this.termAtFault = Math.max(this.termAtFault, this.term[i]!);
      this.applyLogSpec();
    }
    this.stateChanged = true;
    if (fault.type === 'partition') {
      this.applyPartition(f, fault.groups, fault.oneWay === true);
      if (fault.healAfterMs !== undefined) {
        this.queue.push(this.now + msToUs(fault.healAfterMs), E_FAULT_END | (f << 4));
        this.pendingFaultEvents++;
      }
      return;
    }
    if (fault.components && !fault.components.includes('etcd')) return;
    let targets = this.faultMembersStatic[f]!;
    if (targets === null) {
      const leader = this.currentLeader();
      targets = leader >= 0 ? [leader] : [];
    }
    const hit = targets.filter((i) => this.up[i]);
    this.faultHit[f] = hit;
    if (this.recFaults)
      this.appliedFaults.push({
        type: fault.type,
        timeUs: this.now,
        members: hit.map((i) => this.names[i]!),
        detail: describeTarget(fault.target),
      });
    if (hit.length === 0) {
      if (this.rec)
        this.pushEntry({
          timeUs: this.now,
          member: '-',
          kind: 'fault-missed',
          term: 0,
          detail: `${fault.type} of ${describeTarget(fault.target)}: no live member matches`,
        });
    }
    for (const i of hit) {
      if (fault.type === 'crash') this.crash(i, 'crashed');
      else this.gracefulStop(i);
    }
    if (fault.restartAfterMs !== undefined && hit.length > 0) {
      this.queue.push(this.now + msToUs(fault.restartAfterMs), E_FAULT_END | (f << 4));
      this.pendingFaultEvents++;
    }
  }

  private onFaultEnd(f: number): void {
    const fault = this.scenario.faults[f]!;
    this.stateChanged = true;
    if (fault.type === 'partition') {
      this.healPartition(f);
      return;
    }
    // A stopping leader may still be handing over leadership: restart it only once it has exited.
    const stillUp = this.faultHit[f]!.some((i) => this.up[i]);
    if (stillUp) {
      this.queue.push(this.now + (this.etcd ? this.tickUs : this.classicHeartbeatUs), E_FAULT_END | (f << 4));
      this.pendingFaultEvents++;
      return;
    }
    for (const i of this.faultHit[f]!) this.restart(i);
  }

  /** Member log positions given in the config describe the cluster at the first fault. */
  private applyLogSpec(): void {
    if (!this.hasLogSpec) return;
    const n = this.n;
    for (let i = 0; i < n; i++) {
      if (this.specLogTerm[i]! < 0) continue;
      this.lastTerm[i] = this.specLogTerm[i]!;
      this.lastIndex[i] = this.specLogIndex[i]!;
    }
    const leader = this.currentLeader();
    if (leader >= 0)
      for (let j = 0; j < n; j++) this.match[leader * n + j] = Math.min(this.lastIndex[j]!, this.lastIndex[leader]!);
  }

  private crash(i: number, kind: 'crashed' | 'stopped'): void {
    const wasLeader = this.state[i] === LEADER;
    this.up[i] = 0;
    this.incarnation[i]!++;
    this.timerPending[i] = 0;
    this.stateChanged = true;
    if (this.rec) {
      this.record(i, kind, undefined, wasLeader ? 'was the leader' : `was ${stateNames[this.state[i]!]}`);
      if (wasLeader) this.record(i, 'heartbeats-stop');
    }
  }

  /**
   * SIGTERM. A leader first moves leadership (etcd TryTransferLeadershipOnShutdown → MoveLeader) to the voter
   * it has been connected to longest — modelled as the earliest (re)connection time (restart or heal), ties
   * going to the first voter in member order — then exits once it sees the new leader (MoveLeader polls every
   * tick), or after ReqTimeout (5 s + 2 × election timeout) if the transfer never completes.
   */
  private gracefulStop(i: number): void {
    if (this.state[i] !== LEADER) {
      this.crash(i, 'stopped');
      return;
    }
    const n = this.n;
    let target = -1;
    let since = Infinity;
    for (const v of this.voterIds) {
      if (v === i || !this.up[v] || this.blocked[i * n + v]! > 0 || this.blocked[v * n + i]! > 0) continue;
      const connected = Math.max(
        this.upSinceUs[v]!,
        this.upSinceUs[i]!,
        this.linkSinceUs[i * n + v]!,
        this.linkSinceUs[v * n + i]!,
      );
      if (connected < since) {
        since = connected;
        target = v;
      }
    }
    if (target < 0) {
      this.crash(i, 'stopped');
      return;
    }
    this.stopTarget[i] = target;
    const timing = this.config.timing;
    const electionMs = timing.model === 'etcd' ? timing.electionTimeoutMs : timing.electionTimeoutMaxMs;
    this.stopDeadlineUs[i] = this.now + msToUs(5000 + 2 * electionMs);
    this.transferLeadership(i, target);
    const pollUs = this.etcd ? this.tickUs : this.classicHeartbeatUs;
    this.queue.push(this.now + pollUs, E_STOP_POLL | ((i | (this.incarnation[i]! << 5)) << 4));
  }

  /** stepLeader MsgTransferLeader. */
  private transferLeadership(i: number, target: number): void {
    if (this.transferee[i] === target || target === i) return;
    // The transfer must finish within one election timeout (tickHeartbeat aborts it after ET ticks).
    this.electionElapsed[i] = 0;
    this.transferStartUs[i] = this.now;
    this.transferee[i] = target;
    this.stateChanged = true;
    if (this.rec)
      this.record(
        i,
        'transfer-started',
        this.names[target],
        'graceful stop: move leadership to the longest-connected voter',
      );
    if (this.match[i * this.n + target] === this.lastIndex[i]) this.sendTimeoutNow(i, target);
    else this.sendAppend(i, target);
  }

  private abortTransfer(i: number, why: string): void {
    if (this.rec) this.record(i, 'transfer-aborted', this.names[this.transferee[i]!], why);
    this.transferee[i] = -1;
    this.stateChanged = true;
  }

  private onStopPoll(i: number, inc: number): void {
    if (!this.up[i] || inc !== this.incarnation[i]) return;
    if (this.lead[i] === this.stopTarget[i] || this.now >= this.stopDeadlineUs[i]!) {
      this.crash(i, 'stopped');
      return;
    }
    const pollUs = this.etcd ? this.tickUs : this.classicHeartbeatUs;
    this.queue.push(this.now + pollUs, E_STOP_POLL | ((i | (inc << 5)) << 4));
  }

  /**
   * A restart: term, vote and log come back from disk; the member starts as a follower with no leader, a fresh
   * randomized timeout and its own new tick phase (raft.RestartNode; etcd's adjustTicks runs again).
   */
  private restart(i: number): void {
    if (this.up[i]) return;
    this.up[i] = 1;
    this.upSinceUs[i] = this.now;
    this.state[i] = FOLLOWER;
    this.resetNode(i, this.term[i]!);
    this.stateChanged = true;
    if (this.rec) this.record(i, 'restarted');
    const inc = this.incarnation[i]!;
    if (this.etcd) {
      this.queue.push(this.now + this.rng.nextInt(this.tickUs) + 1, E_TICK | ((i | (inc << 5)) << 4));
      this.scheduleTickAdvance(this.now, i);
    }
  }

  private applyPartition(f: number, groups: string[][], oneWay: boolean): void {
    const n = this.n;
    const group = partitionGroupsOf(this.config.members, groups);
    const pairs: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j || group[i] === group[j]) continue;
        if (oneWay && group[i] !== 0) continue;
        pairs.push(i * n + j);
        this.blocked[i * n + j]!++;
      }
    }
    this.partitionPairs[f] = Int32Array.from(pairs);
    if (this.recFaults)
      this.appliedFaults.push({
        type: 'partition',
        timeUs: this.now,
        members: [...this.names],
        detail: `${oneWay ? 'one-way ' : ''}partition ${groups.map((g) => `[${g.join(', ')}]`).join(' | ')}`,
      });
    if (this.rec) {
      this.pushEntry({
        timeUs: this.now,
        member: '-',
        kind: 'partitioned',
        term: 0,
        detail: `${oneWay ? 'one-way (first group cannot send) ' : ''}${groups.map((g) => `[${g.join(', ')}]`).join(' | ')}${group.includes(groups.length) ? ' | [the rest]' : ''}`,
      });
    }
  }

  private healPartition(f: number): void {
    const pairs = this.partitionPairs[f];
    if (!pairs) return;
    for (const p of pairs) {
      if (--this.blocked[p]! === 0) this.linkSinceUs[p] = this.now;
    }
    this.partitionPairs[f] = new Int32Array(0);
    if (this.rec)
      this.pushEntry({ timeUs: this.now, member: '-', kind: 'healed', term: 0, detail: 'partition healed' });
  }

  // ── availability and metrics ───────────────────────────────────────────────────────────────────────────

  /** Whether a write through each member commits now, whether some leader can commit, and whether all know it. */
  private recompute(): void {
    const n = this.n;
    const leader = this.currentLeader();
    let leaderOk = false;
    if (leader >= 0 && this.transferee[leader]! < 0) {
      let reach = 0;
      for (const v of this.voterIds) {
        if (v === leader || (this.up[v] && this.blocked[leader * n + v] === 0 && this.blocked[v * n + leader] === 0))
          reach++;
      }
      leaderOk = reach >= this.quorum;
    }
    const lt = leader >= 0 ? this.term[leader]! : -1;
    let allKnow = leader >= 0;
    for (let i = 0; i < n; i++) {
      if (!this.up[i]) continue;
      const knows = leader >= 0 && this.lead[i] === leader && this.term[i] === lt;
      if (!knows) allKnow = false;
      if (this.recService) {
        // etcd refuses writes on a learner (ErrGRPCNotSupportedForLearner), so none go through it.
        const w =
          leaderOk &&
          knows &&
          !this.learner[i] &&
          (i === leader || (this.blocked[i * n + leader] === 0 && this.blocked[leader * n + i] === 0))
            ? 1
            : 0;
        this.service.setMember(i, w, this.now);
      }
    }
    if (this.recService) {
      for (let i = 0; i < n; i++) {
        if (!this.up[i]) this.service.memberDown(i, this.now);
      }
    }
    if (leaderOk !== this.writableNow) {
      if (leaderOk) {
        if (this.recService) this.service.clusterWritable(this.now);
        if (this.unavailableSinceUs >= 0) {
          this.unavailableUs += this.now - this.unavailableSinceUs;
          this.unavailableSinceUs = -1;
        }
      } else {
        if (this.recService) this.service.clusterUnwritable(this.now);
        if (this.firstFaultUs >= 0) this.unavailableSinceUs = this.now;
      }
      this.writableNow = leaderOk;
    } else if (!leaderOk && this.firstFaultUs >= 0 && this.unavailableSinceUs < 0) {
      this.unavailableSinceUs = this.now;
    }
    this.allKnowNow = allKnow && leaderOk;
    if (this.allKnowNow && this.firstFaultUs >= 0 && this.allKnowUs < 0) this.allKnowUs = this.now;
  }

  private finish(stopUs: number, events: number, truncated: boolean): TrialResult {
    if (this.unavailableSinceUs >= 0) this.unavailableUs += stopUs - this.unavailableSinceUs;
    const faultAt = Math.max(this.firstFaultUs, 0);
    let splitVotes = 0;
    let failedElections = 0;
    for (const [term, count] of this.candidatesPerTerm) {
      if (this.newLeaderUs >= 0 && term >= this.newLeaderTerm) continue;
      if (this.invariants.hasLeader(term)) continue;
      failedElections++;
      if (count >= 2) splitVotes++;
    }
    const result: TrialResult = {
      faults: this.appliedFaults,
      metrics: {
        faultAtUs: faultAt,
        newLeaderAfterUs: this.newLeaderUs >= 0 ? this.newLeaderUs - faultAt : null,
        allKnowAfterUs: this.allKnowUs >= 0 ? this.allKnowUs - faultAt : null,
        unavailableUs: this.unavailableUs,
        newLeader: this.newLeader >= 0 ? this.names[this.newLeader]! : null,
        newLeaderTerm: this.newLeader >= 0 ? this.newLeaderTerm : null,
        electionRounds: this.electionRounds,
        preVoteRounds: this.preVoteRounds,
        splitVotes,
        failedElections,
        termsUsed: this.newLeader >= 0 ? this.newLeaderTerm - this.termAtFault : null,
        endUs: stopUs,
        events,
        truncated,
      },
    };
    if (this.seed !== undefined) result.seed = this.seed;
    if (this.trialIndex !== undefined) result.trialIndex = this.trialIndex;
    if (this.rec) {
      result.timeline = this.timeline;
      if (this.timelineTruncated) result.timelineTruncated = true;
    }
    if (this.recService) {
      result.service = this.service.timeline(this.names, stopUs, this.writableNow);
    }
    return result;
  }

  private pushEntry(entry: TimelineEntry): void {
    if (this.timeline.length >= this.maxTimelineEntries) {
      this.timelineTruncated = true;
      return;
    }
    this.timeline.push(entry);
  }

  private record(i: number, kind: TimelineKind, peer?: string, detail?: string): void {
    const entry: TimelineEntry = { timeUs: this.now, member: this.names[i]!, kind, term: this.term[i]! };
    if (peer !== undefined) entry.peer = peer;
    if (detail !== undefined) entry.detail = detail;
    this.pushEntry(entry);
  }
}
