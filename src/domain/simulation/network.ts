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

export class Network {
  readonly n: number;
  readonly oneWayUs: Int32Array;
  readonly jitterUs: Int32Array;
  readonly loss: number;
  readonly diskSyncUs: number;
  readonly diskSyncJitterUs: number;
  readonly diskSyncTailUs: number;
  /** Whether a candidate persists its vote before asking for votes (etcd: always; classic: configurable). */
  readonly syncBeforeVoteRequest: boolean;
  /** Per link [from * n + to]: how many partitions cut it, and when it was last (re)connected. */
  readonly blocked: Int32Array;
  readonly linkSinceUs: Float64Array;

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
    const timing = config.timing;
    this.syncBeforeVoteRequest = timing.model === 'etcd' || timing.syncBeforeVoteRequest !== false;
    this.blocked = new Int32Array(n * n);
    this.linkSinceUs = new Float64Array(n * n);
  }

  reset(startUs: number): void {
    this.blocked.fill(0);
    this.linkSinceUs.fill(startUs);
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
      delay += this.diskSyncUs + (this.diskSyncJitterUs > 0 ? rng.nextInt(this.diskSyncJitterUs + 1) : 0);
      if (this.diskSyncTailUs > 0) delay += this.tailUs(rng);
    }
    if (sentUs + delay <= afterUs) {
      outbox.release(slot);
      return;
    }
    outbox.toIncarnation[slot] = toIncarnation;
    queue.push(sentUs + delay, E_DELIVER | (slot << 4));
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
