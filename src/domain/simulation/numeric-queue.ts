/**
 * @module simulation/numeric-queue
 * The one event heap of the simulations (EventQueue wraps it for object events): integer-microsecond times,
 * ties broken by insertion order (so a run never depends on the heap's layout), events that are one 32-bit
 * integer. Entries live in typed arrays, so pushing and popping allocate nothing: the engine runs
 * hundreds of thousands of events per second and a per-event object would dominate its cost.
 *
 * Each entry's order is one double, time × 2^20 + insertion number, so the heap compares one number; exact
 * while |time| < 2^32 µs (71 minutes) and the insertion number < 2^20 (renumbered, order kept, when reached).
 */
const seqSpan = 1_048_576;
const maxAbsTimeUs = 4_294_967_296;

export class NumericEventQueue {
  private keys: Float64Array;
  private payloads: Int32Array;
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
  }

  push(timeUs: number, payload: number): void {
    if (!Number.isInteger(timeUs) || timeUs >= maxAbsTimeUs || timeUs <= -maxAbsTimeUs)
      throw new RangeError(`event time must be an integer number of microseconds below 2^32, got ${timeUs}`);
    if (this.length === this.keys.length) this.grow();
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
    return this.length > 0 ? Math.floor(this.keys[0]! / seqSpan) : undefined;
  }

  /** Removes the earliest entry into poppedTimeUs / poppedPayload; false when empty. */
  pop(): boolean {
    if (this.length === 0) return false;
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
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => this.keys[a]! - this.keys[b]!);
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

  private grow(): void {
    const capacity = this.keys.length * 2;
    const keys = new Float64Array(capacity);
    const payloads = new Int32Array(capacity);
    keys.set(this.keys);
    payloads.set(this.payloads);
    this.keys = keys;
    this.payloads = payloads;
  }
}
