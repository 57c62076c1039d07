/**
 * @module simulation/numeric-queue
 * The one event heap of the simulations (EventQueue wraps it for object events): integer-microsecond times,
 * ties broken by insertion order (so a run never depends on the heap's layout), events that are one 32-bit
 * integer. Entries live in typed arrays, so pushing and popping allocate nothing: the engine runs
 * hundreds of thousands of events per second and a per-event object would dominate its cost.
 */
export class NumericEventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private length = 0;
  private nextSeq = 0;
  /** Time and payload of the entry the last pop() removed. */
  poppedTimeUs = 0;
  poppedPayload = 0;

  constructor(initialCapacity = 256) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.payloads = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.length;
  }

  /** Empties the queue and restarts the insertion counter (a new trial replays exactly like a fresh queue). */
  clear(): void {
    this.length = 0;
    this.nextSeq = 0;
  }

  push(timeUs: number, payload: number): void {
    if (!Number.isSafeInteger(timeUs))
      throw new RangeError(`event time must be an integer number of microseconds, got ${timeUs}`);
    if (this.length === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
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

  peekTimeUs(): number | undefined {
    return this.length > 0 ? this.times[0] : undefined;
  }

  /** Removes the earliest entry into poppedTimeUs / poppedPayload; false when empty. */
  pop(): boolean {
    if (this.length === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
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
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const payloads = new Int32Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    payloads.set(this.payloads);
    this.times = times;
    this.seqs = seqs;
    this.payloads = payloads;
  }
}
