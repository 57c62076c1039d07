import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { NumericEventQueue } from './numeric-queue.js';

/** Naive reference: a stable sort of (time, insertion index). */
function stableOrder(times: number[]): { timeUs: number; event: number }[] {
  return times.map((t, i) => ({ timeUs: t, event: i })).sort((a, b) => a.timeUs - b.timeUs || a.event - b.event);
}

describe('NumericEventQueue (the one heap)', () => {
  it('pops in time order, and in insertion order among equal times, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 600 }), (times) => {
        const queue = new NumericEventQueue(2);
        for (let i = 0; i < times.length; i++) queue.push(times[i]!, i);
        const popped: { timeUs: number; event: number }[] = [];
        while (queue.pop()) popped.push({ timeUs: queue.poppedTimeUs, event: queue.poppedPayload });
        expect(popped).toEqual(stableOrder(times));
        expect(queue.size).toBe(0);
      }),
    );
  });

  it('interleaved pushes and pops keep the order, and clear() restarts the tie-break counter', () => {
    const queue = new NumericEventQueue(4);
    queue.push(5, 1);
    queue.push(3, 2);
    expect(queue.pop()).toBe(true);
    expect([queue.poppedTimeUs, queue.poppedPayload]).toEqual([3, 2]);
    queue.push(5, 3);
    queue.push(4, 4);
    const order: number[] = [];
    while (queue.pop()) order.push(queue.poppedPayload);
    expect(order).toEqual([4, 1, 3]);
    expect(queue.pop()).toBe(false);
    queue.push(1, 7);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.peekTimeUs()).toBeUndefined();
  });

  it('rejects fractional and unsafe times', () => {
    expect(() => new NumericEventQueue().push(1.5, 0)).toThrow(RangeError);
    expect(() => new NumericEventQueue().push(2 ** 60, 0)).toThrow(RangeError);
  });

  it('keeps the order when a time beyond ±2^32 µs (its packed keys) arrives mid-run, and after a clear()', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -50, max: 50 }),
            fc.constantFrom(2 ** 32, 2 ** 32 - 1, -(2 ** 32), 2 ** 40, -(2 ** 40), 2 ** 53 - 1),
          ),
          { maxLength: 300 },
        ),
        (times) => {
          const queue = new NumericEventQueue(2);
          for (let round = 0; round < 2; round++) {
            for (let i = 0; i < times.length; i++) queue.push(times[i]!, i);
            const popped: { timeUs: number; event: number }[] = [];
            while (queue.pop()) popped.push({ timeUs: queue.poppedTimeUs, event: queue.poppedPayload });
            expect(popped).toEqual(stableOrder(times));
            queue.clear();
          }
        },
      ),
    );
  });

  it('keeps insertion order among equal times past 2^20 insertions without a clear (the counter is renumbered)', () => {
    const queue = new NumericEventQueue(8);
    // A few long-lived entries at time 100 (and at negative times), then more than 2^20 short-lived ones.
    queue.push(100, 1);
    queue.push(-5, 2);
    queue.push(100, 3);
    for (let k = 0; k < 2 ** 20 + 10; k++) {
      queue.push(k % 7 === 0 ? -10 : -9, 1000);
      queue.pop();
    }
    queue.push(100, 4);
    queue.push(-5, 5);
    const order: number[] = [];
    while (queue.pop()) order.push(queue.poppedPayload);
    expect(order).toEqual([2, 5, 1, 3, 4]);
  });
});

describe('EventQueue (objects on the same heap)', () => {
  it('pops in time order, and in insertion order among equal times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<number>();
        for (let i = 0; i < times.length; i++) queue.push(times[i]!, i);
        const popped: { timeUs: number; event: number }[] = [];
        for (let e = queue.pop(); e; e = queue.pop()) popped.push(e);
        expect(popped).toEqual(stableOrder(times));
      }),
    );
  });

  it('reuses slots without mixing events up', () => {
    const queue = new EventQueue<string>();
    queue.push(2, 'b');
    queue.push(1, 'a');
    expect(queue.pop()).toEqual({ timeUs: 1, event: 'a' });
    queue.push(1, 'c');
    expect(queue.size).toBe(2);
    expect(queue.pop()).toEqual({ timeUs: 1, event: 'c' });
    expect(queue.pop()).toEqual({ timeUs: 2, event: 'b' });
    expect(queue.pop()).toBeUndefined();
  });

  it('rejects fractional times', () => {
    expect(() => new EventQueue().push(1.5, 'x')).toThrow(RangeError);
  });
});
