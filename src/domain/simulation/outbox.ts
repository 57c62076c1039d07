/**
 * @module simulation/outbox
 * The messages a Raft node produced in one call of step/tick (raft.go's `r.msgs`), as a struct of arrays so
 * producing and draining them allocates nothing. The harness drains it after every call.
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
  type = new Int32Array(16);
  from = new Int32Array(16);
  to = new Int32Array(16);
  term = new Int32Array(16);
  logTerm = new Int32Array(16);
  index = new Int32Array(16);
  flags = new Int32Array(16);
  /** 1: the sender must persist its Ready (term, vote or log changed) before this message leaves. */
  persistFirst = new Uint8Array(16);
  count = 0;

  push(
    from: number,
    to: number,
    type: number,
    term: number,
    logTerm: number,
    index: number,
    flags: number,
    persistFirst: boolean,
  ): void {
    if (this.count === this.type.length) this.grow();
    const k = this.count++;
    this.type[k] = type;
    this.from[k] = from;
    this.to[k] = to;
    this.term[k] = term;
    this.logTerm[k] = logTerm;
    this.index[k] = index;
    this.flags[k] = flags;
    this.persistFirst[k] = persistFirst ? 1 : 0;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.type = grow(this.type);
    this.from = grow(this.from);
    this.to = grow(this.to);
    this.term = grow(this.term);
    this.logTerm = grow(this.logTerm);
    this.index = grow(this.index);
    this.flags = grow(this.flags);
    const p = new Uint8Array(this.persistFirst.length * 2);
    p.set(this.persistFirst);
    this.persistFirst = p;
  }
}
