/**
 * @module simulation/numeric-queue
 * The one event heap of the simulations (EventQueue wraps it for object events): integer-microsecond times,
 * ties broken by insertion order (so a run never depends on the heap's layout), events that are one 32-bit
 * integer. Entries live in typed arrays, so pushing and popping allocate nothing: the engine runs
 * hundreds of thousands of events per second and a per-event object would dominate its cost.
 *
 * Each entry's order is one double, time × 2^20 + insertion number, so the heap compares one number; exact
 * while |time| < 2^32 µs (71 minutes) and the insertion number < 2^20 (renumbered, order kept, when reached).
 * A time beyond that (a lease of an hour, say) switches the queue, until the next clear(), to keys that are
 * the time alone with the insertion number beside it: slower, the same order.
 */
const seqSpan = 1_048_576;
const maxPackedTimeUs = 4_294_967_296;

export class NumericEventQueue {
  private keys: Float64Array;
  private payloads: Int32Array;
  /** Wide mode only: each entry's insertion number (keys then hold the time alone). */
  private seqs: Float64Array | null = null;
  private length = 0;
  private nextSeq = 0;
  /** Time and payload of the entry the last pop() removed. */
  poppedTimeUs = 0;
  poppedPayload = 0;

  constructor(initialCapacity = 256) {
    this.keys = new Float64Array(initialCapacity);
    this.payloads = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.length;
  }

  /** Empties the queue and restarts the insertion counter (a new trial replays exactly like a fresh queue). */
  clear(): void {
    this.length = 0;
    this.nextSeq = 0;
    this.seqs = null;
  }

  push(timeUs: number, payload: number): void {
    if (!Number.isSafeInteger(timeUs))
      throw new RangeError(`event time must be an integer number of microseconds, got ${timeUs}`);
    if (this.length === this.keys.length) this.grow();
    if (this.seqs === null && (timeUs >= maxPackedTimeUs || timeUs <= -maxPackedTimeUs)) this.widen();
    if (this.seqs !== null) {
      this.pushWide(timeUs, payload, this.seqs);
      return;
    }
    if (this.nextSeq === seqSpan) this.renumber();
    const keys = this.keys;
    const payloads = this.payloads;
    const key = timeUs * seqSpan + this.nextSeq++;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key) break;
      keys[i] = pk;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    keys[i] = key;
    payloads[i] = payload;
  }

  peekTimeUs(): number | undefined {
    if (this.length === 0) return undefined;
    return this.seqs !== null ? this.keys[0] : Math.floor(this.keys[0]! / seqSpan);
  }

  /** Removes the earliest entry into poppedTimeUs / poppedPayload; false when empty. */
  pop(): boolean {
    if (this.length === 0) return false;
    if (this.seqs !== null) return this.popWide(this.seqs);
    const keys = this.keys;
    const payloads = this.payloads;
    this.poppedTimeUs = Math.floor(keys[0]! / seqSpan);
    this.poppedPayload = payloads[0]!;
    const n = --this.length;
    if (n === 0) return true;
    const lk = keys[n]!;
    const lp = payloads[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ck = keys[child]!;
      const right = child + 1;
      if (right < n && keys[right]! < ck) {
        child = right;
        ck = keys[right]!;
      }
      if (lk < ck) break;
      keys[i] = ck;
      payloads[i] = payloads[child]!;
      i = child;
    }
    keys[i] = lk;
    payloads[i] = lp;
    return true;
  }

  /**
   * The insertion counter ran out: number the queued entries again in their order (time, then insertion), so
   * every later push still comes after them among equal times. A sorted array is a valid heap.
   */
  private renumber(): void {
    const n = this.length;
    const order = this.sortedOrder();
    const keys = new Float64Array(this.keys.length);
    const payloads = new Int32Array(this.payloads.length);
    order.forEach((from, k) => {
      keys[k] = Math.floor(this.keys[from]! / seqSpan) * seqSpan + k;
      payloads[k] = this.payloads[from]!;
    });
    this.keys = keys;
    this.payloads = payloads;
    this.nextSeq = n;
  }

  /** Switches to wide keys: the time alone, the insertion number beside it (heap order is unchanged). */
  private widen(): void {
    const seqs = new Float64Array(this.keys.length);
    for (let k = 0; k < this.length; k++) {
      const time = Math.floor(this.keys[k]! / seqSpan);
      seqs[k] = this.keys[k]! - time * seqSpan;
      this.keys[k] = time;
    }
    this.seqs = seqs;
  }

  private sortedOrder(): number[] {
    return Array.from({ length: this.length }, (_, k) => k).sort((a, b) => this.keys[a]! - this.keys[b]!);
  }

  private pushWide(timeUs: number, payload: number, seqs: Float64Array): void {
    const times = this.keys;
    const payloads = this.payloads;
    const seq = this.nextSeq++;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeUs || (pt === timeUs && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = timeUs;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  private popWide(seqs: Float64Array): boolean {
    const times = this.keys;
    const payloads = this.payloads;
    this.poppedTimeUs = times[0]!;
    this.poppedPayload = payloads[0]!;
    const n = --this.length;
    if (n === 0) return true;
    const lt = times[n]!;
    const ls = seqs[n]!;
    const lp = payloads[n]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (times[right]! < times[left]! || (times[right] === times[left] && seqs[right]! < seqs[left]!)))
        child = right;
      const ct = times[child]!;
      if (lt < ct || (lt === ct && ls < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      payloads[i] = payloads[child]!;
      i = child;
    }
    times[i] = lt;
    seqs[i] = ls;
    payloads[i] = lp;
    return true;
  }

  private grow(): void {
    const capacity = this.keys.length * 2;
    const keys = new Float64Array(capacity);
    const payloads = new Int32Array(capacity);
    keys.set(this.keys);
    payloads.set(this.payloads);
    this.keys = keys;
    this.payloads = payloads;
    if (this.seqs !== null) {
      const seqs = new Float64Array(capacity);
      seqs.set(this.seqs);
      this.seqs = seqs;
    }
  }
}
