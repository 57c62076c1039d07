/**
 * @module tuning/steady-cluster
 * A healthy etcd cluster with a steady leader, reduced to what decides whether it elects for nothing: the
 * leader's heartbeat every tick, each follower's election timer (etcd-io/raft tickElection: electionElapsed
 * counts ticks, reset by a heartbeat; a follower campaigns at its randomized timeout in [et, 2·et − 1] ticks,
 * drawn when it becomes follower), pre-vote with etcd's leader lease (a member that heard a leader within the
 * election timeout ignores a pre-vote), and the leader's CheckQuorum (it steps down when fewer than a quorum
 * answered within an election timeout). Disturbances: jitter, loss, per-link latency spikes and per-member
 * fsync stalls (a stalled member neither ticks nor processes messages until the stall ends; Go's ticker then
 * delivers one buffered tick).
 *
 * Why a second model next to the election engine: long steady horizons need only this part of Raft, and the
 * rare-event method (splitting, see splitting.ts) must copy a whole simulation state and continue it with new
 * randomness thousands of times. The state here is a few small arrays and one heap. Direct counts of this
 * model are checked against the engine's own steady runs (test/tunings-model.test.ts).
 *
 * Learners are left out (they never campaign or vote). Voter 0 leads. What a cluster draws once — each
 * member's tick phase (its ticker starts with the process) and randomized timeout (drawn at each term change)
 * — changes the rate by orders of magnitude, so a rate here is for one such draw: after a spurious election
 * the count goes on with the same draw (`startSteadyPeriod()`), and the answer averages over draws
 * (replications, see spurious-rate.ts). That is the expected count per year of a cluster whose draw is
 * random, what an operator of many clusters sees.
 */
import { Random } from '../random.js';
import type { Disturbance } from './disturbance.js';
import { usPerHour } from './disturbance.js';
import { EventHeap } from './event-heap.js';

export interface SteadyClusterConfig {
  /** One-way latency between voters, µs (index 0 is the leader). */
  oneWayUs: number[][];
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
  preVote: boolean;
  disturbance: Disturbance;
}

/** Why the steady period ended. */
export type SpuriousCause = 'timeout' | 'pre-vote' | 'check-quorum';

const FOLLOWER = 0;
const LEADER = 1;
const PRE_CANDIDATE = 2;

const EV_TICK = 0;
const EV_MSG = 2;
const EV_STALL_END = 1;

const MSG_HEARTBEAT = 0;
const MSG_HEARTBEAT_RESP = 1;
const MSG_PREVOTE = 2;
const MSG_PREVOTE_RESP = 3;

/** An event fired at the current state: φ is +∞. */
const firedPhi = Number.POSITIVE_INFINITY;

export class SteadyCluster {
  readonly n: number;
  readonly quorum: number;
  /** Election timeout in ticks (etcd: electionTimeoutMs / heartbeatIntervalMs, floored). */
  readonly electionTicks: number;
  private readonly config: SteadyClusterConfig;
  private readonly hbUs: number;
  private readonly oneWay: Float64Array;
  private readonly jitter: Float64Array;
  private readonly lossProbability: number;
  private readonly spikeRatePerUs: number;
  private readonly spikeMeanUs: number;
  private readonly spikeExtraUs: number;
  private readonly stallRatePerUs: number;
  private readonly stallMeanUs: number;

  rng: Random;
  nowUs = 0;
  /** Set when a spurious election starts; `cause` says which rule fired. */
  fired = false;
  cause: SpuriousCause | null = null;
  /** Events processed since construction (the work measure for budgets). */
  processed = 0;

  private heap: EventHeap;
  private state: Int32Array;
  private elapsed: Int32Array;
  /** Each member's ticker phase in [0, hbUs): it ticks at phase + k·hb. */
  private readonly phaseUs: Float64Array;
  private randomized: Int32Array;
  private epoch: Int32Array;
  private grants: Int32Array;
  private active: Uint8Array;
  private deferred: Uint8Array;
  private checkElapsed = 0;
  private stallNextUs: Float64Array;
  private stallEndUs: Float64Array;
  /** Bumped when a stall's end moves, so a stale STALL_END event is ignored. */
  private stallVersion: Int32Array;
  /** Messages that reached a stalled member, [packed, epoch] pairs per member, handled when it resumes. */
  private pending: number[][];
  private spikeNextUs: Float64Array;
  private spikeEndUs: Float64Array;
  private readonly scratch: Int32Array;

  constructor(config: SteadyClusterConfig, rng: Random, startUs = 0) {
    const n = config.oneWayUs.length;
    if (n < 1) throw new RangeError('a steady cluster needs at least one voter');
    this.config = config;
    this.n = n;
    this.quorum = Math.floor(n / 2) + 1;
    this.hbUs = Math.round(config.heartbeatIntervalMs * 1000);
    this.electionTicks = Math.max(1, Math.floor(config.electionTimeoutMs / config.heartbeatIntervalMs));
    const d = config.disturbance;
    this.oneWay = Float64Array.from(config.oneWayUs.flat());
    this.jitter = this.oneWay.map((v) => Math.round(v * d.jitterFraction));
    this.lossProbability = d.lossProbability;
    this.spikeRatePerUs = d.latencySpikes.perHour / usPerHour;
    this.spikeMeanUs = d.latencySpikes.meanDurationMs * 1000;
    this.spikeExtraUs = Math.round(d.latencySpikes.extraMs * 1000);
    this.stallRatePerUs = d.fsyncStalls.perHour / usPerHour;
    this.stallMeanUs = d.fsyncStalls.meanDurationMs * 1000;
    this.rng = rng;
    this.heap = new EventHeap(4 * n * n + 16);
    this.state = new Int32Array(n);
    this.elapsed = new Int32Array(n);
    this.phaseUs = Float64Array.from({ length: n }, () => startUs + rng.nextInt(Math.max(1, this.hbUs)));
    this.randomized = new Int32Array(n);
    this.epoch = new Int32Array(n);
    this.grants = new Int32Array(n);
    this.active = new Uint8Array(n);
    this.deferred = new Uint8Array(n);
    this.stallNextUs = new Float64Array(n);
    this.stallEndUs = new Float64Array(n).fill(-1);
    this.stallVersion = new Int32Array(n);
    this.pending = Array.from({ length: n }, () => []);
    this.spikeNextUs = new Float64Array(n * n);
    this.spikeEndUs = new Float64Array(n * n).fill(-1);
    this.scratch = new Int32Array(n);
    this.nowUs = startUs;
    for (let i = 0; i < n; i++) this.stallNextUs[i] = startUs + this.exponential(this.stallRatePerUs);
    for (let l = 0; l < n * n; l++) this.spikeNextUs[l] = startUs + this.exponential(this.spikeRatePerUs);
    for (let i = 0; i < n; i++) this.drawTimeout(i);
    this.startSteadyPeriod();
  }

  /**
   * A copy of this state that continues with its own randomness. Episode starts not yet reached are drawn
   * again (they are Poisson: memoryless), so copies differ from the first moment on.
   */
  clone(rng: Random): SteadyCluster {
    const copy = Object.create(SteadyCluster.prototype) as SteadyCluster;
    Object.assign(copy, this);
    copy.rng = rng;
    copy.heap = this.heap.clone();
    copy.state = this.state.slice();
    copy.elapsed = this.elapsed.slice();
    copy.randomized = this.randomized.slice();
    copy.epoch = this.epoch.slice();
    copy.grants = this.grants.slice();
    copy.active = this.active.slice();
    copy.deferred = this.deferred.slice();
    copy.stallEndUs = this.stallEndUs.slice();
    copy.stallVersion = this.stallVersion.slice();
    copy.pending = this.pending.map((list) => list.slice());
    copy.spikeEndUs = this.spikeEndUs.slice();
    copy.stallNextUs = this.stallNextUs.map(() => copy.nowUs + copy.exponential(copy.stallRatePerUs));
    copy.spikeNextUs = this.spikeNextUs.map(() => copy.nowUs + copy.exponential(copy.spikeRatePerUs));
    // Durations are exponential too: what remains of an ongoing episode is drawn again.
    for (let i = 0; i < copy.n; i++) {
      if (copy.stallEndUs[i]! <= copy.nowUs) continue;
      copy.stallEndUs[i] = copy.nowUs + copy.exponentialMean(copy.stallMeanUs);
      copy.heap.push(copy.stallEndUs[i]!, EV_STALL_END, i, ++copy.stallVersion[i]!);
    }
    for (let l = 0; l < copy.spikeEndUs.length; l++)
      if (copy.spikeEndUs[l]! > copy.nowUs) copy.spikeEndUs[l] = copy.nowUs + copy.exponentialMean(copy.spikeMeanUs);
    (copy as unknown as { scratch: Int32Array }).scratch = new Int32Array(this.n);
    return copy;
  }

  /**
   * A leader just elected: every follower's timer at 0, nothing in flight. Tick phases and randomized
   * timeouts stay those of this draw (see the module comment).
   */
  startSteadyPeriod(): void {
    this.heap.clear();
    this.fired = false;
    this.cause = null;
    this.checkElapsed = 0;
    for (let i = 0; i < this.n; i++) {
      this.state[i] = i === 0 ? LEADER : FOLLOWER;
      this.elapsed[i] = 0;
      this.active[i] = 1;
      this.deferred[i] = 0;
      this.pending[i]!.length = 0;
      if (this.stallEndUs[i]! > this.nowUs) this.heap.push(this.stallEndUs[i]!, EV_STALL_END, i, this.stallVersion[i]!);
      const sincePhase = (((this.nowUs - this.phaseUs[i]!) % this.hbUs) + this.hbUs) % this.hbUs;
      this.heap.push(this.nowUs + this.hbUs - sincePhase, EV_TICK, i, 0);
    }
  }

  /** Processes the next event; sets `fired` when a spurious election starts. */
  step(): void {
    const heap = this.heap;
    if (!heap.pop()) throw new Error('steady cluster: empty event queue');
    this.processed++;
    this.nowUs = heap.poppedTimeUs;
    const i = heap.poppedA;
    switch (heap.poppedKind) {
      case EV_TICK:
        heap.push(this.nowUs + this.hbUs, EV_TICK, i, 0);
        if (this.stalled(i)) this.deferTick(i);
        else this.tick(i);
        break;
      case EV_STALL_END:
        if (heap.poppedB === this.stallVersion[i] && !this.stalled(i)) this.resume(i);
        break;
      default:
        this.receive(i, heap.poppedB);
    }
  }

  /**
   * The importance function of splitting, in ticks: how close the cluster is to a spurious election.
   * Without pre-vote the follower nearest its own randomized timeout (elapsed − (timeout − et)); with
   * pre-vote the quorum-th most silent follower (a pre-vote needs a quorum of members out of the leader's
   * lease). Reaches `electionTicks` just before an election can start; +∞ once one has.
   */
  phi(): number {
    if (this.fired) return firedPhi;
    return Math.max(this.followerPhi(), this.checkQuorumPhi());
  }

  /** The leader's CheckQuorum: ticks into its window while fewer than a quorum have answered (else 0). */
  private checkQuorumPhi(): number {
    let active = 1;
    for (let j = 1; j < this.n; j++) if (this.active[j]) active++;
    return active < this.quorum ? this.checkElapsed : 0;
  }

  private followerPhi(): number {
    const et = this.electionTicks;
    if (!this.config.preVote) {
      let best = Number.NEGATIVE_INFINITY;
      for (let f = 1; f < this.n; f++) best = Math.max(best, this.elapsed[f]! + et - this.randomized[f]!);
      return best;
    }
    const need = this.quorum;
    if (need > this.n - 1) return Number.NEGATIVE_INFINITY;
    const s = this.scratch;
    let count = 0;
    for (let f = 1; f < this.n; f++) s[count++] = this.state[f] === PRE_CANDIDATE ? et : Math.min(et, this.elapsed[f]!);
    s.subarray(0, count).sort();
    return s[count - need]!;
  }

  private tick(i: number): void {
    if (this.state[i] === LEADER) {
      // etcd-io/raft tickHeartbeat: the CheckQuorum check every election timeout, then the heartbeat.
      if (++this.checkElapsed >= this.electionTicks) {
        this.checkElapsed = 0;
        let active = 1;
        for (let j = 0; j < this.n; j++) if (j !== i && this.active[j]) active++;
        this.active.fill(0);
        if (active < this.quorum) this.fire('check-quorum');
      }
      for (let j = 0; j < this.n; j++) if (j !== i) this.send(i, j, MSG_HEARTBEAT, 0);
      return;
    }
    if (++this.elapsed[i]! >= this.randomized[i]!) {
      this.elapsed[i] = 0;
      this.campaign(i);
    }
  }

  private campaign(i: number): void {
    if (!this.config.preVote) {
      this.fire('timeout');
      return;
    }
    this.state[i] = PRE_CANDIDATE;
    this.epoch[i]!++;
    this.grants[i] = 1;
    if (this.grants[i]! >= this.quorum) {
      this.fire('pre-vote');
      return;
    }
    for (let j = 0; j < this.n; j++) if (j !== i) this.send(i, j, MSG_PREVOTE, this.epoch[i]!);
  }

  private receive(packed: number, epoch: number): void {
    const type = packed & 15;
    const from = (packed >>> 4) & 15;
    const to = packed >>> 8;
    // A member blocked on fsync handles the message when its raft loop runs again.
    if (this.stalled(to)) {
      this.pending[to]!.push(packed, epoch);
      return;
    }
    switch (type) {
      case MSG_HEARTBEAT:
        if (this.state[to] === PRE_CANDIDATE) {
          this.state[to] = FOLLOWER;
          this.drawTimeout(to);
        }
        this.elapsed[to] = 0;
        this.send(to, from, MSG_HEARTBEAT_RESP, 0);
        break;
      case MSG_HEARTBEAT_RESP:
        this.active[from] = 1;
        break;
      case MSG_PREVOTE: {
        // Leader lease: a leader, or a follower that heard one within the election timeout, ignores it.
        const inLease =
          this.state[to] === LEADER || (this.state[to] === FOLLOWER && this.elapsed[to]! < this.electionTicks);
        if (!inLease) this.send(to, from, MSG_PREVOTE_RESP, epoch);
        break;
      }
      case MSG_PREVOTE_RESP:
        if (this.state[to] === PRE_CANDIDATE && this.epoch[to] === epoch && ++this.grants[to]! >= this.quorum)
          this.fire('pre-vote');
        break;
    }
  }

  private send(from: number, to: number, type: number, epoch: number): void {
    if (this.lossProbability > 0 && this.rng.nextFloat() < this.lossProbability) return;
    const link = from * this.n + to;
    const jitter = this.jitter[link]!;
    let delay = this.oneWay[link]! + (jitter > 0 ? this.rng.nextInt(jitter + 1) : 0);
    if (this.spikeRatePerUs > 0 && this.spiking(link)) delay += this.spikeExtraUs;
    this.heap.push(this.nowUs + delay, EV_MSG, type | (from << 4) | (to << 8), epoch);
  }

  /** Go's ticker buffers one tick while the loop is blocked. */
  private deferTick(i: number): void {
    this.deferred[i] = 1;
  }

  /** The stall is over: the buffered tick, then the messages that waited, in arrival order. */
  private resume(i: number): void {
    if (this.deferred[i]) {
      this.deferred[i] = 0;
      this.tick(i);
    }
    const waiting = this.pending[i]!;
    for (let k = 0; k < waiting.length; k += 2) this.heap.push(this.nowUs, EV_MSG, waiting[k]!, waiting[k + 1]!);
    waiting.length = 0;
  }

  private fire(cause: SpuriousCause): void {
    if (this.fired) return;
    this.fired = true;
    this.cause = cause;
  }

  private drawTimeout(i: number): void {
    const et = this.electionTicks;
    this.randomized[i] = et + this.rng.nextInt(et);
  }

  /** Whether member i is blocked on fsync now; advances its stall episodes lazily (time only moves forward). */
  private stalled(i: number): boolean {
    if (this.stallRatePerUs <= 0) return false;
    while (this.stallNextUs[i]! <= this.nowUs) {
      const start = this.stallNextUs[i]!;
      const end = start + this.exponentialMean(this.stallMeanUs);
      if (end > this.stallEndUs[i]! && end > this.nowUs) {
        this.stallEndUs[i] = end;
        this.heap.push(end, EV_STALL_END, i, ++this.stallVersion[i]!);
      }
      this.stallNextUs[i] = start + this.exponential(this.stallRatePerUs);
    }
    return this.stallEndUs[i]! > this.nowUs;
  }

  private spiking(link: number): boolean {
    while (this.spikeNextUs[link]! <= this.nowUs) {
      const start = this.spikeNextUs[link]!;
      this.spikeEndUs[link] = Math.max(this.spikeEndUs[link]!, start + this.exponentialMean(this.spikeMeanUs));
      this.spikeNextUs[link] = start + this.exponential(this.spikeRatePerUs);
    }
    return this.spikeEndUs[link]! > this.nowUs;
  }

  /** An exponential waiting time for a rate per µs (+∞ when the rate is 0). */
  private exponential(ratePerUs: number): number {
    if (!(ratePerUs > 0)) return Number.POSITIVE_INFINITY;
    return this.exponentialMean(1 / ratePerUs);
  }

  private exponentialMean(meanUs: number): number {
    if (!(meanUs > 0)) return 0;
    return -Math.log(1 - this.rng.nextFloat()) * meanUs;
  }
}

/** Counts spurious elections directly over `horizonUs` of steady time; each one starts a fresh steady period. */
export function countSpuriousDirectly(
  config: SteadyClusterConfig,
  seed: number,
  label: string,
  horizonUs: number,
  maxEvents: number,
): { elections: number; exposureUs: number; processed: number; byCause: Record<SpuriousCause, number> } {
  const cluster = new SteadyCluster(config, Random.derive(seed, label));
  const byCause: Record<SpuriousCause, number> = { timeout: 0, 'pre-vote': 0, 'check-quorum': 0 };
  let elections = 0;
  while (cluster.nowUs < horizonUs && cluster.processed < maxEvents) {
    cluster.step();
    if (cluster.fired) {
      elections++;
      byCause[cluster.cause!]++;
      cluster.startSteadyPeriod();
    }
  }
  return { elections, exposureUs: Math.min(cluster.nowUs, horizonUs), processed: cluster.processed, byCause };
}
