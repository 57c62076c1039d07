/**
 * @module tuning/event-heap
 * A binary min-heap of timed events for the steady-cluster model, as parallel arrays so that a whole
 * simulation state can be cloned cheaply (splitting clones states thousands of times). Ties are broken by
 * insertion order, so a run is the same on every machine.
 */
export class EventHeap {
  private timeUs: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private a: Int32Array;
  private b: Int32Array;
  private nextSeq = 0;
  size = 0;

  /** The event last popped. */
  poppedTimeUs = 0;
  poppedKind = 0;
  poppedA = 0;
  poppedB = 0;

  constructor(capacity = 64) {
    this.timeUs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  clone(): EventHeap {
    const copy = new EventHeap(1);
    copy.timeUs = this.timeUs.slice();
    copy.seq = this.seq.slice();
    copy.kind = this.kind.slice();
    copy.a = this.a.slice();
    copy.b = this.b.slice();
    copy.nextSeq = this.nextSeq;
    copy.size = this.size;
    return copy;
  }

  clear(): void {
    this.size = 0;
    this.nextSeq = 0;
  }

  push(timeUs: number, kind: number, a: number, b: number): void {
    if (this.size === this.timeUs.length) this.grow();
    let i = this.size++;
    const seq = this.nextSeq++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(timeUs, seq, parent)) break;
      this.copySlot(parent, i);
      i = parent;
    }
    this.set(i, timeUs, seq, kind, a, b);
  }

  /** Removes the earliest event into popped*; false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.poppedTimeUs = this.timeUs[0]!;
    this.poppedKind = this.kind[0]!;
    this.poppedA = this.a[0]!;
    this.poppedB = this.b[0]!;
    const last = --this.size;
    if (last === 0) return true;
    const t = this.timeUs[last]!;
    const s = this.seq[last]!;
    const k = this.kind[last]!;
    const a = this.a[last]!;
    const b = this.b[last]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.earlier(right, left) ? right : left;
      if (this.before(t, s, child)) break;
      this.copySlot(child, i);
      i = child;
    }
    this.set(i, t, s, k, a, b);
    return true;
  }

  private before(timeUs: number, seq: number, slot: number): boolean {
    const other = this.timeUs[slot]!;
    return timeUs < other || (timeUs === other && seq < this.seq[slot]!);
  }

  private earlier(x: number, y: number): boolean {
    return this.before(this.timeUs[x]!, this.seq[x]!, y);
  }

  private copySlot(from: number, to: number): void {
    this.set(to, this.timeUs[from]!, this.seq[from]!, this.kind[from]!, this.a[from]!, this.b[from]!);
  }

  private set(slot: number, timeUs: number, seq: number, kind: number, a: number, b: number): void {
    this.timeUs[slot] = timeUs;
    this.seq[slot] = seq;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
  }

  private grow(): void {
    const grow64 = (x: Float64Array) => {
      const y = new Float64Array(x.length * 2);
      y.set(x);
      return y;
    };
    const grow32 = (x: Int32Array) => {
      const y = new Int32Array(x.length * 2);
      y.set(x);
      return y;
    };
    this.timeUs = grow64(this.timeUs);
    this.seq = grow64(this.seq);
    this.kind = grow32(this.kind);
    this.a = grow32(this.a);
    this.b = grow32(this.b);
  }
}
