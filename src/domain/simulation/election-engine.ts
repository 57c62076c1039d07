/**
 * @module simulation/election-engine
 * The harness of the election simulation: it drives the Raft rules of raft-node.ts (etcd-io/raft raft.go
 * with etcd's settings: CheckQuorum always on, pre-vote per version, leadership transfer on a graceful stop;
 * or classic Raft as the paper describes it) through a timing policy (timing-policy.ts), a network with
 * delay, jitter, loss, partitions and disk sync (network.ts), and faults (crash, graceful stop with
 * leadership transfer, restart, partition), and reports to observers: metrics (trial-metrics.ts), invariants
 * (raft-invariants.ts), service availability (service-availability.ts) and the timeline (timeline.ts).
 *
 * Pure: time is an integer-microsecond virtual clock, randomness is the seeded `Random` passed in, and the same
 * config, scenario and seed give the same trial, bit for bit. Events are packed integers on one queue.
 */
import type { Random } from '../random.js';
import type { ElectionConfig } from './election-config.js';
import { defaultInitialTerm, defaultLogIndex, msToUs } from './election-config.js';
import { describeTarget, partitionGroupsOf, resolveStaticTarget, scenarioEndUs } from './fault-targets.js';
import { Network } from './network.js';
import { NumericEventQueue } from './numeric-queue.js';
import { Outbox, type RaftMessage } from './outbox.js';
import type { RaftEvent, RaftObserver } from './raft-events.js';
import { RaftInvariants } from './raft-invariants.js';
import {
  E_DELIVER,
  E_FAULT,
  E_FAULT_END,
  E_STOP_BEGIN,
  E_STOP_POLL,
  FOLLOWER,
  LEADER,
  M_HEARTBEAT,
  maxSimMembers,
} from './raft-messages.js';
import { RaftNodes } from './raft-node.js';
import type { Scenario } from './scenario.js';
import { ServiceAvailability } from './service-availability.js';
import { TimelineRecorder } from './timeline.js';
import { ClassicTimers, EtcdTicks, type TimerHost, type TimingModel } from './timing-policy.js';
import { TrialMetricsObserver } from './trial-metrics.js';
import type { AppliedFault, TrialOptions, TrialResult } from './trial-types.js';
import type { CostDriver } from './work-budget.js';

// The engine's public surface stays importable from here (monte-carlo, control-plane, routes and tests do).
export { describeTarget, scenarioEndUs } from './fault-targets.js';
export { InvariantViolation } from './trial-types.js';
export type { AppliedFault, TrialMetrics, TrialOptions, TrialResult } from './trial-types.js';

/** What the engine charges to the work budget. */
const etcdEvents: CostDriver = { what: 'etcd Raft events (ticks, messages, faults)' };

/** Heartbeats of a steady start that are still in flight, per follower, at most (the oldest first). */
const maxInFlightHeartbeats = 1024;

/** Runs one trial. `rng` is the trial's own stream (Random.derive(seed, trialIndex)). */
export function runTrial(
  config: ElectionConfig,
  scenario: Scenario,
  rng: Random,
  options: TrialOptions = {},
): TrialResult {
  return new ElectionEngine(config, scenario).run(rng, options);
}

/** Checks what the engine cannot run; the HTTP layer validates first, so these are programming errors. */
function validate(config: ElectionConfig): void {
  const n = config.members.length;
  if (n < 1 || n > maxSimMembers) throw new RangeError(`a simulation needs 1..${maxSimMembers} members, got ${n}`);
  if (new Set(config.members.map((m) => m.name)).size !== n) throw new RangeError('member names must be unique');
  if (config.members.every((m) => m.learner)) throw new RangeError('a simulation needs at least one voting member');
  const t = config.timing;
  if (t.model === 'etcd') {
    if (!(t.heartbeatIntervalMs > 0) || !(t.electionTimeoutMs >= t.heartbeatIntervalMs))
      throw new RangeError('etcd timing needs 0 < heartbeatIntervalMs <= electionTimeoutMs');
  } else if (
    !(t.electionTimeoutMinMs > 0 && t.electionTimeoutMaxMs >= t.electionTimeoutMinMs && t.heartbeatIntervalMs > 0)
  ) {
    throw new RangeError(
      'classic timing needs 0 < electionTimeoutMinMs <= electionTimeoutMaxMs and heartbeatIntervalMs > 0',
    );
  }
}

/**
 * The reusable engine: build once per (config, scenario), run many trials (Monte Carlo reuses its arrays).
 */
export class ElectionEngine implements TimerHost {
  readonly config: ElectionConfig;
  readonly scenario: Scenario;
  private readonly n: number;
  private readonly names: string[];
  private readonly learner: Uint8Array;
  private readonly nodes: RaftNodes;
  private readonly outbox = new Outbox();
  private readonly network: Network;
  private readonly timing: TimingModel;
  private readonly queue = new NumericEventQueue(512);
  private readonly endUs: number;
  private readonly warmupUs: number;
  private readonly specLogTerm: Int32Array;
  private readonly specLogIndex: Int32Array;
  private readonly hasLogSpec: boolean;
  private readonly faultMembersStatic: (number[] | null)[];

  // Harness state per member.
  readonly up: Uint8Array;
  readonly incarnation: Int32Array;
  private readonly upSinceUs: Float64Array;
  private readonly stopTarget: Int32Array;
  /** 1 while a stopping leader handles SIGTERM, before its handover starts (it still leads meanwhile). */
  private readonly stopping: Uint8Array;
  private readonly stopDeadlineUs: Float64Array;

  // Observers.
  private readonly invariants: RaftInvariants;
  private readonly metrics = new TrialMetricsObserver();
  private readonly availability: ServiceAvailability;
  private readonly timeline: TimelineRecorder;
  private readonly observer: RaftObserver;

  // Per trial.
  rng!: Random;
  now = 0;
  private detailed = false;
  private recFaults = true;
  private readonly scratch: RaftMessage = { type: 0, from: 0, term: 0, logTerm: 0, index: 0, flags: 0 };
  private appliedFaults: AppliedFault[] = [];
  private faultTimesUs: number[] = [];
  private faultHit: number[][] = [];
  private partitionPairs: Int32Array[] = [];
  private pendingFaultEvents = 0;

  constructor(config: ElectionConfig, scenario: Scenario) {
    validate(config);
    this.config = config;
    this.scenario = scenario;
    const n = config.members.length;
    this.n = n;
    this.names = config.members.map((m) => m.name);
    this.learner = Uint8Array.from(config.members.map((m) => (m.learner ? 1 : 0)));
    const voterIds = Int32Array.from(config.members.flatMap((m, i) => (m.learner ? [] : [i])));
    const timing = config.timing;
    const etcd = timing.model === 'etcd';
    const preVote = timing.preVote;
    const checkQuorum = etcd || timing.checkQuorum;
    this.observer = this.makeObserver();
    this.nodes = new RaftNodes(
      this.learner,
      voterIds,
      {
        preVote,
        checkQuorum,
        leaderLease: etcd || timing.leaderLease,
        answerStaleLeader: checkQuorum || preVote || !etcd,
        electionTicks: etcd ? Math.floor(timing.electionTimeoutMs / timing.heartbeatIntervalMs) : 0,
      },
      this.outbox,
      this.observer,
    );
    this.timing = etcd ? new EtcdTicks(timing, this.nodes, this) : new ClassicTimers(timing, this.nodes, this);
    this.nodes.timing = this.timing;
    this.network = new Network(config);
    this.endUs = scenarioEndUs(scenario);
    this.warmupUs = config.start === 'steady' ? msToUs(config.warmupMs ?? 2 * timing.heartbeatIntervalMs) : 0;
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
      fault.type === 'partition' ? null : resolveStaticTarget(config.members, this.names, fault.target),
    );
    for (const fault of scenario.faults)
      if (fault.type === 'partition') partitionGroupsOf(config.members, fault.groups);
    this.up = new Uint8Array(n);
    this.stopping = new Uint8Array(n);
    this.incarnation = new Int32Array(n);
    this.upSinceUs = new Float64Array(n);
    this.stopTarget = new Int32Array(n);
    this.stopDeadlineUs = new Float64Array(n);
    this.invariants = new RaftInvariants(this.names, this.learner, voterIds, this.nodes.quorum);
    this.availability = new ServiceAvailability(this.nodes, this.network, this.up, this.stopping, this.metrics);
    this.timeline = new TimelineRecorder(this.names);
  }

  /** Member names in engine order (the order of config.members). */
  get memberNames(): readonly string[] {
    return this.names;
  }

  /** The observers the Raft rules report to: invariants and metrics always, the timeline when recording. */
  private makeObserver(): RaftObserver {
    return {
      detailed: false,
      event: (e: RaftEvent) => this.timeline.record(this.now, e),
      becamePreCandidate: () => this.metrics.becamePreCandidate(),
      becameCandidate: (_i, term) => this.metrics.becameCandidate(term),
      becameLeader: (i, term) => {
        // Invariants: one leader per term, elected by a majority of voters, never a learner.
        this.invariants.noteLeader(term, i);
        this.metrics.becameLeader(i, term, this.now);
      },
      voted: (term, voter, candidate) => this.invariants.noteVote(term, voter, candidate),
    };
  }

  run(rng: Random, options: TrialOptions = {}): TrialResult {
    this.reset(rng, options);
    const budget = options.budget;
    const maxEvents = Math.min(
      options.maxEvents ?? Number.MAX_SAFE_INTEGER,
      budget ? budget.remaining + 1 : Number.MAX_SAFE_INTEGER,
    );
    const settleStop = options.stopWhenSettled === true && this.network.loss === 0;
    const queue = this.queue;
    const nodes = this.nodes;
    const endUs = this.endUs;
    let events = 0;
    let truncated = false;
    let stoppedEarly = false;
    this.availability.recompute(this.now);
    while (queue.pop()) {
      const timeUs = queue.poppedTimeUs;
      if (timeUs > endUs) break;
      if (events >= maxEvents) {
        truncated = true;
        break;
      }
      events++;
      this.now = timeUs;
      this.dispatch(queue.poppedPayload);
      this.flush();
      nodes.synced();
      if (nodes.stateChanged) {
        nodes.stateChanged = false;
        this.availability.recompute(this.now);
        if (
          settleStop &&
          this.pendingFaultEvents === 0 &&
          this.metrics.firstFaultUs >= 0 &&
          this.availability.allKnowNow
        ) {
          stoppedEarly = true;
          break;
        }
      }
    }
    budget?.charge(events, etcdEvents);
    const stopUs = truncated || stoppedEarly ? this.now : endUs;
    return this.finish(stopUs, events, truncated);
  }

  // ── TimerHost ─────────────────────────────────────────────────────────────────────────────────────────

  schedule(timeUs: number, payload: number): void {
    this.queue.push(timeUs, payload);
  }

  activePeers(i: number): number {
    let active = 0;
    for (let j = 0; j < this.n; j++) if (j !== i && this.up[j] && this.network.connected(i, j)) active++;
    return active;
  }

  /** Puts every message the rules produced on the network, in the order they were produced. */
  flush(): void {
    const outbox = this.outbox;
    if (outbox.count === 0) return;
    const now = this.now;
    this.network.newReady();
    for (let k = 0; k < outbox.count; k++) {
      const slot = outbox.pending[k]!;
      this.network.transmit(
        outbox,
        slot,
        now,
        Number.NEGATIVE_INFINITY,
        this.rng,
        this.incarnation[outbox.to[slot]!]!,
        this.queue,
      );
    }
    outbox.count = 0;
  }

  heartbeatsInFlight(leader: number, nextSendUs: number, periodUs: number): void {
    const term = this.nodes.term[leader]!;
    for (let j = 0; j < this.n; j++) {
      if (j === leader) continue;
      const maxDelayUs = this.network.maxDelayUs(leader, j);
      // Heartbeats sent before the start that can still be on the wire, oldest first (at most a bounded number).
      const inFlight = Math.min(maxInFlightHeartbeats, Math.floor((nextSendUs - this.now + maxDelayUs) / periodUs));
      for (let k = inFlight; k >= 1; k--) {
        const slot = this.outbox.take();
        const o = this.outbox;
        o.type[slot] = M_HEARTBEAT;
        o.from[slot] = leader;
        o.to[slot] = j;
        o.term[slot] = term;
        o.logTerm[slot] = 0;
        o.index[slot] = 0;
        o.flags[slot] = 0;
        o.persistFirst[slot] = 0;
        this.network.transmit(o, slot, nextSendUs - k * periodUs, this.now, this.rng, 0, this.queue);
      }
    }
  }

  tickAdvance(i: number, ticks: number): void {
    if (this.detailed) this.emit({ kind: 'tick-advance', member: i, term: this.nodes.term[i]!, ticks });
  }

  private emit(e: RaftEvent): void {
    this.timeline.record(this.now, e);
  }

  // ── setup ─────────────────────────────────────────────────────────────────────────────────────────────

  private reset(rng: Random, options: TrialOptions): void {
    this.rng = rng;
    this.detailed = options.recordTimeline === true;
    this.observer.detailed = this.detailed;
    this.recFaults = options.metricsOnly !== true;
    this.timeline.reset(options.maxTimelineEntries ?? Number.MAX_SAFE_INTEGER, this.detailed);
    const lowestTerm = this.lowestStartingTerm();
    this.invariants.reset(options.seed, options.trialIndex, lowestTerm);
    this.metrics.reset(lowestTerm);
    this.availability.reset(options.recordService === true);
    this.appliedFaults = [];
    this.queue.clear();
    this.outbox.reset();
    this.partitionPairs = [];
    this.nodes.clearProgress();
    this.stopTarget.fill(-1);
    this.stopping.fill(0);
    this.incarnation.fill(0);

    const startUs = -this.warmupUs;
    this.now = startUs;
    this.network.reset(startUs);
    this.upSinceUs.fill(startUs);
    this.up.fill(1);

    if (this.config.start === 'steady') this.startSteady(startUs);
    else this.startBootstrap(startUs);
    this.nodes.synced();

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

  /** The lowest term any member starts the trial in (votes and leaders come at or above it). */
  private lowestStartingTerm(): number {
    if (this.config.start === 'steady') return Math.max(this.config.initialTerm ?? defaultInitialTerm, 0);
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.n; i++)
      lowest = Math.min(lowest, Math.max(1, this.specLogTerm[i]! >= 0 ? this.specLogTerm[i]! : 1));
    return lowest;
  }

  /** The leader: named, or the first voter holding the most up-to-date log. */
  private steadyLeader(): number {
    if (this.config.initialLeader !== undefined) {
      const leader = this.names.indexOf(this.config.initialLeader);
      if (leader < 0 || this.learner[leader])
        throw new RangeError(`initialLeader ${this.config.initialLeader} is not a voting member`);
      return leader;
    }
    let leader = -1;
    for (const v of this.nodes.voterIds) {
      if (
        leader < 0 ||
        moreUpToDate(this.specTerm(v), this.specIndex(v), this.specTerm(leader), this.specIndex(leader))
      )
        leader = v;
    }
    return leader;
  }

  private startSteady(startUs: number): void {
    const n = this.n;
    const nodes = this.nodes;
    const leader = this.steadyLeader();
    let maxSpecTerm = 0;
    for (let i = 0; i < n; i++) maxSpecTerm = Math.max(maxSpecTerm, this.specLogTerm[i]!);
    const term = Math.max(this.config.initialTerm ?? defaultInitialTerm, maxSpecTerm);
    // Before the first fault every log holds what the leader holds (the spec's differences appear at the fault).
    const leaderTerm = this.specLogTerm[leader]! >= 0 ? this.specLogTerm[leader]! : term;
    const leaderIndex = this.specLogIndex[leader]! >= 0 ? this.specLogIndex[leader]! : defaultLogIndex;
    for (let i = 0; i < n; i++) {
      nodes.state[i] = i === leader ? LEADER : FOLLOWER;
      nodes.term[i] = term;
      nodes.vote[i] = this.learner[i] ? -1 : leader;
      nodes.lead[i] = leader;
      nodes.lastTerm[i] = leaderTerm;
      nodes.lastIndex[i] = leaderIndex;
      nodes.electionElapsed[i] = 0;
      this.timing.drawTimeout(i);
      nodes.match[leader * n + i] = leaderIndex;
      nodes.recentActive[leader * n + i] = 1;
    }
    this.invariants.assumeElected(term, leader);
    this.timing.startSteady(leader, startUs);
  }

  private startBootstrap(startUs: number): void {
    const n = this.n;
    const nodes = this.nodes;
    for (let i = 0; i < n; i++) {
      nodes.state[i] = FOLLOWER;
      nodes.vote[i] = -1;
      nodes.lead[i] = -1;
      // A fresh etcd cluster starts at term 1 with the initial membership entries in its log.
      nodes.lastTerm[i] = this.specLogTerm[i]! >= 0 ? this.specLogTerm[i]! : 1;
      nodes.lastIndex[i] = this.specLogIndex[i]! >= 0 ? this.specLogIndex[i]! : n;
      nodes.term[i] = Math.max(1, nodes.lastTerm[i]!);
      nodes.electionElapsed[i] = 0;
      this.timing.drawTimeout(i);
    }
    // For a fresh cluster the metrics count from its start, as they count from the first fault otherwise.
    this.metrics.firstFaultUs = startUs;
    this.metrics.termAtFault = 1;
    this.timing.startBootstrap(startUs);
    this.flush();
  }

  private specTerm(i: number): number {
    return this.specLogTerm[i]! >= 0 ? this.specLogTerm[i]! : defaultInitialTerm;
  }
  private specIndex(i: number): number {
    return this.specLogIndex[i]! >= 0 ? this.specLogIndex[i]! : defaultLogIndex;
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────────────

  private dispatch(payload: number): void {
    const kind = payload & 15;
    const arg = payload >>> 4;
    switch (kind) {
      case E_DELIVER: {
        const to = this.network.receive(this.outbox, arg, this.scratch, this.up, this.incarnation);
        if (to >= 0) this.nodes.step(to, this.scratch);
        break;
      }
      case E_FAULT:
        this.pendingFaultEvents--;
        this.onFault(arg);
        break;
      case E_FAULT_END:
        this.pendingFaultEvents--;
        this.onFaultEnd(arg);
        break;
      case E_STOP_BEGIN:
        this.pendingFaultEvents--;
        this.beginTransfer(arg & 31, arg >>> 5);
        break;
      case E_STOP_POLL:
        this.onStopPoll(arg & 31, arg >>> 5);
        break;
      default:
        this.timing.dispatch(kind, arg);
    }
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────────────────

  private onFault(f: number): void {
    const fault = this.scenario.faults[f]!;
    if (this.metrics.firstFaultUs < 0) {
      this.metrics.firstFaultUs = this.now;
      for (let i = 0; i < this.n; i++)
        this.metrics.termAtFault = Math.max(this.metrics.termAtFault, this.nodes.term[i]!);
      this.applyLogSpec();
    }
    this.nodes.stateChanged = true;
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
      const leader = this.availability.currentLeader();
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
    if (hit.length === 0 && this.detailed) this.emit({ kind: 'fault-missed', member: -1, term: 0, fault });
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
    this.nodes.stateChanged = true;
    if (fault.type === 'partition') {
      this.healPartition(f);
      return;
    }
    // A stopping leader may still be handing over leadership: restart it only once it has exited.
    if (this.faultHit[f]!.some((i) => this.up[i])) {
      this.queue.push(this.now + this.timing.pollUs, E_FAULT_END | (f << 4));
      this.pendingFaultEvents++;
      return;
    }
    for (const i of this.faultHit[f]!) this.restart(i);
  }

  /** Member log positions given in the config describe the cluster at the first fault. */
  private applyLogSpec(): void {
    if (!this.hasLogSpec) return;
    const n = this.n;
    const nodes = this.nodes;
    for (let i = 0; i < n; i++) {
      if (this.specLogTerm[i]! < 0) continue;
      nodes.lastTerm[i] = this.specLogTerm[i]!;
      nodes.lastIndex[i] = this.specLogIndex[i]!;
    }
    const leader = this.availability.currentLeader();
    if (leader >= 0)
      for (let j = 0; j < n; j++) nodes.match[leader * n + j] = Math.min(nodes.lastIndex[j]!, nodes.lastIndex[leader]!);
  }

  private crash(i: number, kind: 'crashed' | 'stopped'): void {
    const wasState = this.nodes.state[i]!;
    this.up[i] = 0;
    this.stopping[i] = 0;
    this.incarnation[i]!++;
    this.timing.crashed(i);
    this.nodes.stateChanged = true;
    if (this.detailed) {
      this.emit({ kind, member: i, term: this.nodes.term[i]!, wasState });
      if (wasState === LEADER) this.emit({ kind: 'heartbeats-stop', member: i, term: this.nodes.term[i]! });
    }
  }

  /**
   * SIGTERM. A follower exits at once. A leader first moves leadership (etcd TryTransferLeadershipOnShutdown →
   * MoveLeader), which it steps after the shutdown handling time (network.ts), still leading meanwhile.
   */
  private gracefulStop(i: number): void {
    if (this.nodes.state[i] !== LEADER) {
      this.crash(i, 'stopped');
      return;
    }
    const delayUs = this.network.shutdownHandlingUs(this.rng);
    // Pending like a fault: the trial is not settled while a stop is still being handled.
    this.pendingFaultEvents++;
    this.stopping[i] = 1;
    this.queue.push(this.now + delayUs, E_STOP_BEGIN | ((i | (this.incarnation[i]! << 5)) << 4));
  }

  /**
   * MoveLeader: the target is the voter the leader has been connected to longest — modelled as the earliest
   * (re)connection time (restart or heal), ties going to the first voter in member order; the leader exits
   * once it sees the new leader (MoveLeader polls every tick), or after ReqTimeout (5 s + 2 × election
   * timeout) if the transfer never completes (raft aborts it after an election timeout).
   */
  private beginTransfer(i: number, inc: number): void {
    if (!this.up[i] || inc !== this.incarnation[i]) return;
    this.stopping[i] = 0;
    this.nodes.stateChanged = true;
    if (this.nodes.state[i] !== LEADER) {
      // It lost leadership while shutting down: TransferLeadership finds nothing to move.
      this.crash(i, 'stopped');
      return;
    }
    const n = this.n;
    const net = this.network;
    let target = -1;
    let since = Number.POSITIVE_INFINITY;
    for (const v of this.nodes.voterIds) {
      if (v === i || !this.up[v] || !net.connected(i, v)) continue;
      const connected = Math.max(
        this.upSinceUs[v]!,
        this.upSinceUs[i]!,
        net.linkSinceUs[i * n + v]!,
        net.linkSinceUs[v * n + i]!,
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
    this.stopDeadlineUs[i] = this.now + msToUs(5000 + 2 * this.timing.electionTimeoutMs);
    this.nodes.transferLeadership(i, target);
    this.flush();
    this.queue.push(this.now + this.timing.pollUs, E_STOP_POLL | ((i | (this.incarnation[i]! << 5)) << 4));
  }

  private onStopPoll(i: number, inc: number): void {
    if (!this.up[i] || inc !== this.incarnation[i]) return;
    if (this.nodes.lead[i] === this.stopTarget[i] || this.now >= this.stopDeadlineUs[i]!) {
      this.crash(i, 'stopped');
      return;
    }
    this.queue.push(this.now + this.timing.pollUs, E_STOP_POLL | ((i | (inc << 5)) << 4));
  }

  /**
   * A restart: term, vote and log come back from disk; the member starts as a follower with no leader, a fresh
   * randomized timeout and its own new tick phase (raft.RestartNode; etcd's adjustTicks runs again).
   */
  private restart(i: number): void {
    if (this.up[i]) return;
    this.up[i] = 1;
    this.upSinceUs[i] = this.now;
    this.nodes.state[i] = FOLLOWER;
    this.nodes.reset(i, this.nodes.term[i]!);
    this.nodes.stateChanged = true;
    if (this.detailed) this.emit({ kind: 'restarted', member: i, term: this.nodes.term[i]! });
    this.timing.restarted(i);
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
        this.network.blocked[i * n + j]!++;
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
    if (this.detailed)
      this.emit({ kind: 'partitioned', member: -1, term: 0, fault: this.scenario.faults[f]!, groupOf: [...group] });
  }

  private healPartition(f: number): void {
    const pairs = this.partitionPairs[f];
    if (!pairs) return;
    for (const p of pairs) if (--this.network.blocked[p]! === 0) this.network.linkSinceUs[p] = this.now;
    this.partitionPairs[f] = new Int32Array(0);
    if (this.detailed) this.emit({ kind: 'healed', member: -1, term: 0 });
  }

  // ── result ────────────────────────────────────────────────────────────────────────────────────────────

  private finish(stopUs: number, events: number, truncated: boolean): TrialResult {
    const result: TrialResult = {
      faults: this.appliedFaults,
      metrics: this.metrics.finish(this.names, this.invariants, {
        stopUs,
        unavailableUs: this.availability.unavailableUs(stopUs),
        events,
        truncated,
      }),
    };
    if (this.invariants.seed !== undefined) result.seed = this.invariants.seed;
    if (this.invariants.trialIndex !== undefined) result.trialIndex = this.invariants.trialIndex;
    if (this.detailed) {
      result.timeline = this.timeline.entries;
      if (this.timeline.truncated) result.timelineTruncated = true;
    }
    if (this.availability.recording) result.service = this.availability.timeline(this.names, stopUs);
    return result;
  }
}

function moreUpToDate(termA: number, indexA: number, termB: number, indexB: number): boolean {
  return termA > termB || (termA === termB && indexA > indexB);
}
