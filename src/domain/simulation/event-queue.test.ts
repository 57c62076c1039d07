import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('pops in time order, and in insertion order among equal times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<number>();
        times.forEach((t, i) => queue.push(t, i));
        const popped: { timeUs: number; event: number }[] = [];
        for (let e = queue.pop(); e; e = queue.pop()) popped.push(e);
        // Naive reference: a stable sort of (time, index).
        const expected = times
          .map((t, i) => ({ timeUs: t, event: i }))
          .sort((a, b) => a.timeUs - b.timeUs || a.event - b.event);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it('rejects fractional times', () => {
    expect(() => new EventQueue().push(1.5, 'x')).toThrow(RangeError);
  });
});
