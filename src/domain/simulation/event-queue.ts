/**
 * @module simulation/event-queue
 * Events of any type on the one heap (numeric-queue.ts): each event is parked in a slot and the heap orders
 * the slot numbers, so the control-plane layers and the election engine share one tested ordering (integer
 * microseconds, ties by insertion order: same schedule → same order, always).
 */
import { NumericEventQueue } from './numeric-queue.js';

export class EventQueue<T> {
  private readonly heap = new NumericEventQueue(64);
  private readonly slots: (T | undefined)[] = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.heap.size;
  }

  /** Schedules an event. timeUs must be an integer: the clock has no fractions, so runs replay exactly. */
  push(timeUs: number, event: T): void {
    const slot = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.heap.push(timeUs, slot);
    this.slots[slot] = event;
  }

  /** The time of the earliest event, or undefined when empty. */
  peekTimeUs(): number | undefined {
    return this.heap.peekTimeUs();
  }

  /** Removes and returns the earliest event (earliest pushed among equal times). */
  pop(): { timeUs: number; event: T } | undefined {
    if (!this.heap.pop()) return undefined;
    const slot = this.heap.poppedPayload;
    const event = this.slots[slot] as T;
    this.slots[slot] = undefined;
    this.free.push(slot);
    return { timeUs: this.heap.poppedTimeUs, event };
  }
}
