/**
 * @module simulation/network
 * The harness's network and disk: per-link one-way latency and jitter, message loss, partitions (blocked
 * links and when each link last came back) and the disk sync a message waits for when its sender must
 * persist first. Messages stay in the outbox's pool (outbox.ts) while on the wire.
 */
import type { Random } from '../random.js';
import type { ElectionConfig } from './election-config.js';
import type { NumericEventQueue } from './numeric-queue.js';
import type { Outbox, RaftMessage } from './outbox.js';
import { E_DELIVER, M_VOTE } from './raft-messages.js';

/**
 * Median time from SIGTERM to MsgTransferLeader on the leader, µs: the "first campaign" of the 400 graceful
 * stops recorded against etcd 3.4 (docs/CALIBRATION.md, 2026-11-26) had a median of 0.46–0.55 ms from the
 * signal to the target logging MsgTimeoutNow, one loopback hop included.
 */
const shutdownHandlingUs = 500;

export class Network {
  readonly n: number;
  readonly oneWayUs: Int32Array;
  readonly jitterUs: Int32Array;
  readonly loss: number;
  readonly diskSyncUs: number;
  readonly diskSyncJitterUs: number;
  readonly diskSyncTailUs: number;
  /** σ of ln(fsync time); 0: constant. */
  readonly diskSyncSpread: number;
  /** Whether a candidate persists its vote before asking for votes (etcd: always; classic: configurable). */
  readonly syncBeforeVoteRequest: boolean;
  /** Per link [from * n + to]: how many partitions cut it, and when it was last (re)connected. */
  readonly blocked: Int32Array;
  readonly linkSinceUs: Float64Array;
  /**
   * One fsync per member per Ready: every message a member sends after one step waits for the same disk sync
   * (etcd's raftNode saves the Ready, then sends all its messages). readyEpoch counts the harness's drains.
   */
  private readyEpoch = 0;
  private readonly syncEpoch: Int32Array;
  private readonly syncDrawnUs: Float64Array;

  constructor(config: ElectionConfig) {
    const n = config.members.length;
    this.n = n;
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
    this.diskSyncTailUs = Math.max(0, config.network.diskSyncTailUs ?? 0);
    this.diskSyncSpread = Math.max(0, config.network.diskSyncSpread ?? 0);
    this.syncEpoch = new Int32Array(n).fill(-1);
    this.syncDrawnUs = new Float64Array(n);
    const timing = config.timing;
    this.syncBeforeVoteRequest = timing.model === 'etcd' || timing.syncBeforeVoteRequest !== false;
    this.blocked = new Int32Array(n * n);
    this.linkSinceUs = new Float64Array(n * n);
  }

  reset(startUs: number): void {
    this.blocked.fill(0);
    this.linkSinceUs.fill(startUs);
    this.syncEpoch.fill(-1);
    this.readyEpoch = 0;
  }

  /** The harness starts draining a new batch of messages (each member's Ready since the last drain). */
  newReady(): void {
    this.readyEpoch = (this.readyEpoch + 1) | 0;
  }

  /** Both directions between i and j are open. */
  connected(i: number, j: number): boolean {
    return this.blocked[i * this.n + j] === 0 && this.blocked[j * this.n + i] === 0;
  }

  /**
   * Puts the outbox's message in `slot` on the wire, sent at sentUs: dropped (slot released) if the link is
   * cut or the message is lost, otherwise delivered after latency + jitter (+ the disk sync when the sender
   * must persist first) — unless that is not after `afterUs` (a message sent before the trial's start).
   */
  transmit(
    outbox: Outbox,
    slot: number,
    sentUs: number,
    afterUs: number,
    rng: Random,
    toIncarnation: number,
    queue: NumericEventQueue,
  ): void {
    const link = outbox.from[slot]! * this.n + outbox.to[slot]!;
    if (this.blocked[link]! > 0 || (this.loss > 0 && rng.nextFloat() < this.loss)) {
      outbox.release(slot);
      return;
    }
    const jitter = this.jitterUs[link]!;
    let delay = this.oneWayUs[link]! + (jitter > 0 ? rng.nextInt(jitter + 1) : 0);
    if (outbox.persistFirst[slot] && (this.syncBeforeVoteRequest || outbox.type[slot] !== M_VOTE)) {
      const from = outbox.from[slot]!;
      if (this.syncEpoch[from] !== this.readyEpoch) {
        this.syncEpoch[from] = this.readyEpoch;
        this.syncDrawnUs[from] = this.syncUs(rng);
      }
      delay += this.syncDrawnUs[from]!;
    }
    if (sentUs + delay <= afterUs) {
      outbox.release(slot);
      return;
    }
    outbox.toIncarnation[slot] = toIncarnation;
    queue.push(sentUs + delay, E_DELIVER | (slot << 4));
  }

  /** One fsync: the (log-normal) base, plus the uniform jitter and the exponential tail, whole µs. */
  private syncUs(rng: Random): number {
    let us = this.diskSyncSpread > 0 ? this.spread(this.diskSyncUs, rng) : this.diskSyncUs;
    if (this.diskSyncJitterUs > 0) us += rng.nextInt(this.diskSyncJitterUs + 1);
    if (this.diskSyncTailUs > 0) us += this.tailUs(rng);
    return us;
  }

  /**
   * medianUs × e^(σZ), Z standard normal (Box–Muller on two draws), |Z| capped at 4 so every delay is bounded
   * (e^4σ times the median; P(|Z| > 4) ≈ 6 in 100,000), whole µs.
   */
  spread(medianUs: number, rng: Random): number {
    const u = 1 - rng.nextFloat();
    const v = rng.nextFloat();
    const z = Math.max(-4, Math.min(4, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
    return Math.round(medianUs * Math.exp(this.diskSyncSpread * z));
  }

  /**
   * From SIGTERM to the stopping leader stepping MoveLeader's MsgTransferLeader: etcd's signal handler, Stop,
   * TransferLeadership picking the longest-connected voter, the raft goroutine taking the step. No disk write on
   * this path, only the process getting the CPU: median shutdownHandlingUs, spread like an fsync.
   */
  shutdownHandlingUs(rng: Random): number {
    return this.diskSyncSpread > 0 ? this.spread(shutdownHandlingUs, rng) : shutdownHandlingUs;
  }

  /** An exponential draw with mean diskSyncTailUs, whole µs, capped at 20 means (so every delay is bounded). */
  private tailUs(rng: Random): number {
    const draw = -Math.log(1 - rng.nextFloat()) * this.diskSyncTailUs;
    return Math.round(Math.min(draw, 20 * this.diskSyncTailUs));
  }

  /** The latest time a message on link from → to can arrive after being sent at 0 (no disk sync). */
  maxDelayUs(from: number, to: number): number {
    const link = from * this.n + to;
    return this.oneWayUs[link]! + this.jitterUs[link]!;
  }

  /**
   * Takes the message in `slot` off the wire into `into` and releases the slot; returns the receiver, or −1
   * if the message is lost: the receiver is down, restarted since it was sent (the connection broke), or
   * was cut off meanwhile.
   */
  receive(outbox: Outbox, slot: number, into: RaftMessage, up: Uint8Array, incarnation: Int32Array): number {
    const to = outbox.to[slot]!;
    const from = outbox.from[slot]!;
    outbox.release(slot);
    if (!up[to] || outbox.toIncarnation[slot] !== incarnation[to] || this.blocked[from * this.n + to]! > 0) return -1;
    into.type = outbox.type[slot]!;
    into.from = from;
    into.term = outbox.term[slot]!;
    into.logTerm = outbox.logTerm[slot]!;
    into.index = outbox.index[slot]!;
    into.flags = outbox.flags[slot]!;
    return to;
  }
}
