import { describe, expect, it } from 'vitest';
import { forEachSubsetOfSize } from './failure-sets.js';

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - i + 1)) / i;
  return result;
}

describe("forEachSubsetOfSize (Gosper's hack)", () => {
  it('visits every k-subset of n exactly once (n up to 14; 18 for the sizes the planner uses)', () => {
    const cases: [number, number][] = [];
    for (let n = 0; n <= 14; n++) for (let k = 0; k <= n; k++) cases.push([n, k]);
    for (let k = 0; k <= 5; k++) cases.push([18, k]);
    for (const [n, k] of cases) {
      const seen = new Set<number>();
      let wrong = 0;
      forEachSubsetOfSize(n, k, (mask) => {
        // Exactly k bits set, all below n.
        let bits = 0;
        for (let m = mask; m !== 0; m &= m - 1) bits++;
        if (mask >>> n !== 0 || bits !== k) wrong++;
        seen.add(mask);
        return true;
      });
      expect([n, k, wrong, seen.size]).toEqual([n, k, 0, binomial(n, k)]);
    }
  });

  it('stops when the visitor returns false', () => {
    let visits = 0;
    forEachSubsetOfSize(10, 3, () => ++visits < 5);
    expect(visits).toBe(5);
  });
});
