import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IntervalUs } from '../availability.js';
import { complement, endOfCover, firstCovered, intersect, measure, normalize, sweep, union } from './intervals.js';

// A naive reference: intervals as sets of integer points in a small universe.
const U = 60;
const points = (list: readonly IntervalUs[]): Set<number> => {
  const set = new Set<number>();
  for (const i of list) for (let t = i.startUs; t < i.endUs; t++) set.add(t);
  return set;
};
const arb = fc.array(
  fc
    .tuple(fc.integer({ min: 0, max: U }), fc.integer({ min: 0, max: 15 }))
    .map(([startUs, len]) => ({ startUs, endUs: Math.min(U, startUs + len) })),
  { maxLength: 8 },
);

describe('intervals', () => {
  it('normalize keeps the same points, sorted, disjoint and non-touching', () => {
    fc.assert(
      fc.property(arb, (list) => {
        const n = normalize(list);
        expect(points(n)).toEqual(points(list));
        for (let k = 1; k < n.length; k++) expect(n[k]!.startUs).toBeGreaterThan(n[k - 1]!.endUs);
      }),
    );
  });

  it('union, intersect, complement and measure agree with point sets', () => {
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const pa = points(a);
        const pb = points(b);
        expect(points(union(a, b))).toEqual(new Set([...pa, ...pb]));
        expect(points(intersect(a, b))).toEqual(new Set([...pa].filter((t) => pb.has(t))));
        const all = Array.from({ length: U }, (_, t) => t);
        expect(points(complement(a, 0, U))).toEqual(new Set(all.filter((t) => !pa.has(t))));
        expect(measure(a)).toBe(pa.size);
      }),
    );
  });

  it('firstCovered and endOfCover find the first covered point and the end of the cover', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: U }), fc.integer({ min: 0, max: U }), (list, from, span) => {
        const n = normalize(list);
        const p = points(n);
        let expected: number | undefined;
        for (let t = from; t < from + span; t++)
          if (p.has(t)) {
            expected = t;
            break;
          }
        expect(firstCovered(n, from, from + span)).toBe(expected);
        let end = from;
        while (p.has(end)) end++;
        expect(endOfCover(n, from)).toBe(end);
      }),
    );
  });

  it('sweep evaluates a predicate piecewise between change points', () => {
    const up = [{ startUs: 2, endUs: 5 }];
    expect(sweep([2, 5], 0, 10, (t) => t >= 2 && t < 5)).toEqual(up);
    expect(sweep([2, 5], 0, 10, (t) => !(t >= 2 && t < 5))).toEqual([
      { startUs: 0, endUs: 2 },
      { startUs: 5, endUs: 10 },
    ]);
  });
});
