import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random (xoshiro128**)', () => {
  it('replays: the same seed gives the same stream', () => {
    const a = new Random(42);
    const b = new Random(42);
    for (let i = 0; i < 1000; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('different seeds and derived labels give different streams', () => {
    expect(new Random(1).nextUint32()).not.toBe(new Random(2).nextUint32());
    expect(Random.derive(7, 0).nextUint32()).not.toBe(Random.derive(7, 1).nextUint32());
    expect(Random.derive(7, 3).nextUint32()).toBe(Random.derive(7, 3).nextUint32());
  });

  it('nextInt is uniform enough: chi-square over 10 buckets below the 0.1% critical value', () => {
    const rng = new Random(2024);
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[rng.nextInt(10)]++;
    const expected = n / 10;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
    expect(chi2).toBeLessThan(27.88);
  });

  it('intBetween stays within its inclusive bounds and reaches both ends', () => {
    const rng = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.intBetween(10, 19);
      expect(v).toBeGreaterThanOrEqual(10);
      expect(v).toBeLessThanOrEqual(19);
      seen.add(v);
    }
    expect(seen.size).toBe(10);
  });

  it('nextFloat is in [0, 1) with mean near 1/2', () => {
    const rng = new Random(9);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    // Standard error of the mean is sqrt(1/12/50000) ≈ 0.0013; allow 5 of them.
    expect(Math.abs(sum / 50_000 - 0.5)).toBeLessThan(0.0065);
  });

  it('nextInt is the rejection method in exact integer arithmetic: the same draws as a BigInt recomputation', () => {
    // Reference: threshold = 2^32 mod n; accept r >= threshold; answer r mod n, computed with BigInt.
    const bounds = [
      1,
      2,
      3,
      7,
      10,
      100,
      1000,
      50_001,
      100_000,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 31 + 1,
      3_000_000_019,
      2 ** 32 - 1,
      2 ** 32,
    ];
    for (const n of bounds) {
      const a = new Random(n);
      const b = new Random(n);
      const big = BigInt(n);
      const threshold = (2n ** 32n - big) % big;
      for (let i = 0; i < 2000; i++) {
        let r: bigint;
        do r = BigInt(b.nextUint32());
        while (r < threshold);
        expect(a.nextInt(n)).toBe(Number(r % big));
      }
    }
  });
});
