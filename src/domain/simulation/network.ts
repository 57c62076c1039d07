/**
 * @module simulation/network
 * The harness's network and disk: per-link one-way latency and jitter, message loss, partitions (blocked
 * links and when each link last came back), the disk sync a message waits for when its sender must persist
 * first, and the pool of messages in flight (a struct of arrays, so a trial allocates almost nothing).
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
  /** Whether a candidate persists its vote before asking for votes (etcd: always; classic: configurable). */
  readonly syncBeforeVoteRequest: boolean;
  /** Per link [from * n + to]: how many partitions cut it, and when it was last (re)connected. */
  readonly blocked: Int32Array;
  readonly linkSinceUs: Float64Array;

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
    const timing = config.timing;
    this.syncBeforeVoteRequest = timing.model === 'etcd' || timing.syncBeforeVoteRequest !== false;
    this.blocked = new Int32Array(n * n);
    this.linkSinceUs = new Float64Array(n * n);
  }

  reset(startUs: number): void {
    this.freeCount = 0;
    this.slotCount = 0;
    this.blocked.fill(0);
    this.linkSinceUs.fill(startUs);
  }

  /** Both directions between i and j are open. */
  connected(i: number, j: number): boolean {
    return this.blocked[i * this.n + j] === 0 && this.blocked[j * this.n + i] === 0;
  }

  /**
   * Puts the outbox's message k on the wire: dropped if the link is cut or it is lost, otherwise delivered
   * after latency + jitter (+ the disk sync when the sender must persist first).
   */
  transmit(outbox: Outbox, k: number, nowUs: number, rng: Random, toIncarnation: number, queue: NumericEventQueue) {
    const from = outbox.from[k]!;
    const to = outbox.to[k]!;
    const type = outbox.type[k]!;
    const link = from * this.n + to;
    if (this.blocked[link]! > 0) return;
    if (this.loss > 0 && rng.nextFloat() < this.loss) return;
    const jitter = this.jitterUs[link]!;
    let delay = this.oneWayUs[link]! + (jitter > 0 ? rng.nextInt(jitter + 1) : 0);
    if (outbox.persistFirst[k] && (this.syncBeforeVoteRequest || type !== M_VOTE)) {
      delay += this.diskSyncUs + (this.diskSyncJitterUs > 0 ? rng.nextInt(this.diskSyncJitterUs + 1) : 0);
    }
    const slot = this.takeSlot();
    this.mType[slot] = type;
    this.mFrom[slot] = from;
    this.mTo[slot] = to;
    this.mTerm[slot] = outbox.term[k]!;
    this.mLogTerm[slot] = outbox.logTerm[k]!;
    this.mIndex[slot] = outbox.index[k]!;
    this.mFlags[slot] = outbox.flags[k]!;
    this.mToIncarnation[slot] = toIncarnation;
    queue.push(nowUs + delay, E_DELIVER | (slot << 4));
  }

  /**
   * A message sent at `sentUs` (before the trial's start, e.g. a steady leader's heartbeat still in flight):
   * delayed like transmit (jitter, loss) and queued only if it arrives after `afterUs`.
   */
  inFlight(
    from: number,
    to: number,
    type: number,
    term: number,
    sentUs: number,
    afterUs: number,
    rng: Random,
    toIncarnation: number,
    queue: NumericEventQueue,
  ): void {
    const link = from * this.n + to;
    if (this.loss > 0 && rng.nextFloat() < this.loss) return;
    const jitter = this.jitterUs[link]!;
    const arrivalUs = sentUs + this.oneWayUs[link]! + (jitter > 0 ? rng.nextInt(jitter + 1) : 0);
    if (arrivalUs <= afterUs) return;
    const slot = this.takeSlot();
    this.mType[slot] = type;
    this.mFrom[slot] = from;
    this.mTo[slot] = to;
    this.mTerm[slot] = term;
    this.mLogTerm[slot] = 0;
    this.mIndex[slot] = 0;
    this.mFlags[slot] = 0;
    this.mToIncarnation[slot] = toIncarnation;
    queue.push(arrivalUs, E_DELIVER | (slot << 4));
  }

  /** The latest time a message on link from → to can arrive after being sent at 0. */
  maxDelayUs(from: number, to: number): number {
    const link = from * this.n + to;
    return this.oneWayUs[link]! + this.jitterUs[link]!;
  }

  private takeSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotCount === this.mType.length) this.growSlots();
    return this.slotCount++;
  }

  /**
   * Takes message `slot` off the wire into `into`; returns the receiver, or −1 if the message is lost: the
   * receiver is down, restarted since it was sent (the connection broke), or was cut off meanwhile.
   */
  receive(slot: number, into: RaftMessage, up: Uint8Array, incarnation: Int32Array): number {
    const to = this.mTo[slot]!;
    const from = this.mFrom[slot]!;
    this.freeSlots[this.freeCount++] = slot;
    if (!up[to] || this.mToIncarnation[slot] !== incarnation[to] || this.blocked[from * this.n + to]! > 0) return -1;
    into.type = this.mType[slot]!;
    into.from = from;
    into.term = this.mTerm[slot]!;
    into.logTerm = this.mLogTerm[slot]!;
    into.index = this.mIndex[slot]!;
    into.flags = this.mFlags[slot]!;
    return to;
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
}
