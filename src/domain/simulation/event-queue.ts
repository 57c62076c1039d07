/**
 * @module simulation/event-queue
 * A min-heap of events on a virtual clock in integer microseconds. Ties in time are broken by insertion
 * order, so a run never depends on the heap's internal layout: same schedule → same order, always.
 */

interface Entry<T> {
  timeUs: number;
  seq: number;
  event: T;
}

export class EventQueue<T> {
  private heap: Entry<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules an event. timeUs must be an integer: the clock has no fractions, so runs replay exactly. */
  push(timeUs: number, event: T): void {
    if (!Number.isSafeInteger(timeUs))
      throw new RangeError(`event time must be an integer number of microseconds, got ${timeUs}`);
    const entry = { timeUs, seq: this.nextSeq++, event };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The time of the earliest event, or undefined when empty. */
  peekTimeUs(): number | undefined {
    return this.heap[0]?.timeUs;
  }

  /** Removes and returns the earliest event (earliest pushed among equal times). */
  pop(): { timeUs: number; event: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return { timeUs: top.timeUs, event: top.event };
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}
