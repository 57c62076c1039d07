/**
 * @module simulation/outbox
 * The messages a Raft node produced in one call of step/tick (raft.go's `r.msgs`), kept in the harness's pool
 * of messages: a struct of arrays indexed by slot, so producing, sending and delivering a message copies
 * nothing and allocates nothing. `pending` lists the slots produced since the harness last drained them;
 * a slot stays taken while its message is on the wire and is released when it is delivered or dropped.
 */

/** One message as step() reads it (the harness reuses one such object per delivery). */
export interface RaftMessage {
  type: number;
  from: number;
  term: number;
  logTerm: number;
  index: number;
  flags: number;
}

export class Outbox {
  type = new Int32Array(64);
  from = new Int32Array(64);
  to = new Int32Array(64);
  term = new Int32Array(64);
  logTerm = new Int32Array(64);
  index = new Int32Array(64);
  flags = new Int32Array(64);
  /** 1: the sender must persist its Ready (term, vote or log changed) before this message leaves. */
  persistFirst = new Uint8Array(64);
  /** The receiver's incarnation when the message left (a restart in between breaks the connection). */
  toIncarnation = new Int32Array(64);
  /** Slots produced and not yet drained, in the order produced. */
  pending = new Int32Array(16);
  count = 0;
  private free = new Int32Array(64);
  private freeCount = 0;
  private slots = 0;

  /** Forgets every message (a new trial). */
  reset(): void {
    this.count = 0;
    this.freeCount = 0;
    this.slots = 0;
  }

  push(
    from: number,
    to: number,
    type: number,
    term: number,
    logTerm: number,
    index: number,
    flags: number,
    persistFirst: boolean,
  ): number {
    const slot = this.take();
    this.type[slot] = type;
    this.from[slot] = from;
    this.to[slot] = to;
    this.term[slot] = term;
    this.logTerm[slot] = logTerm;
    this.index[slot] = index;
    this.flags[slot] = flags;
    this.persistFirst[slot] = persistFirst ? 1 : 0;
    if (this.count === this.pending.length) this.pending = grow(this.pending);
    this.pending[this.count++] = slot;
    return slot;
  }

  /** Drops the pending list without sending (the slots are released). */
  clear(): void {
    for (let k = 0; k < this.count; k++) this.release(this.pending[k]!);
    this.count = 0;
  }

  /** A taken slot, for a message that does not come from the rules (e.g. a heartbeat already in flight). */
  take(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    if (this.slots === this.type.length) this.growSlots();
    return this.slots++;
  }

  release(slot: number): void {
    this.free[this.freeCount++] = slot;
  }

  private growSlots(): void {
    this.type = grow(this.type);
    this.from = grow(this.from);
    this.to = grow(this.to);
    this.term = grow(this.term);
    this.logTerm = grow(this.logTerm);
    this.index = grow(this.index);
    this.flags = grow(this.flags);
    this.toIncarnation = grow(this.toIncarnation);
    this.free = grow(this.free);
    const p = new Uint8Array(this.persistFirst.length * 2);
    p.set(this.persistFirst);
    this.persistFirst = p;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
