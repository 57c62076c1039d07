import { describe, expect, it } from 'vitest';
import { nearestRank, percentileMinTrials, summarizeSamples, summarizeSorted, withheldText } from './statistics.js';

describe('nearestRank', () => {
  it('is ⌈percent·n/100⌉, worked by hand', () => {
    // p50 of 3: 1.5 → 2; p50 of 4: 2; p90 of 20: 18; p90 of 21: 18.9 → 19; p99 of 200: 198; p99 of 201: 198.99 → 199.
    expect(nearestRank(50, 3)).toBe(2);
    expect(nearestRank(50, 4)).toBe(2);
    expect(nearestRank(90, 20)).toBe(18);
    expect(nearestRank(90, 21)).toBe(19);
    expect(nearestRank(99, 200)).toBe(198);
    expect(nearestRank(99, 201)).toBe(199);
    expect(nearestRank(100, 7)).toBe(7);
    // 0.9·30 is 27.000000000000004 in floating point; the rank must still be 27.
    expect(nearestRank(90, 30)).toBe(27);
  });

  it('refuses a percentile outside 1..100 or not whole', () => {
    expect(() => nearestRank(0, 5)).toThrow(RangeError);
    expect(() => nearestRank(101, 5)).toThrow(RangeError);
    expect(() => nearestRank(0.9, 5)).toThrow(RangeError);
  });
});

describe('summarizeSamples', () => {
  it('gives p50, min, max and mean of a few trials, and withholds p90 and p99 as too few', () => {
    // 5 trials: sorted 10 20 30 40 50; p50 rank ⌈2.5⌉ = 3 → 30; mean 150/5 = 30.
    const s = summarizeSamples([50, 10, 40, 20, 30]);
    expect(s).toEqual({
      trials: 5,
      count: 5,
      censored: 0,
      min: 10,
      p50: 30,
      p90: null,
      p99: null,
      max: 50,
      mean: 30,
      withheld: { p90: 'too-few-trials', p99: 'too-few-trials' },
    });
  });

  it('gives a p90 from exactly 20 trials and withholds it from 19', () => {
    // Values 1..20: p50 rank 10 → 10; p90 rank 18 → 18.
    const twenty = summarizeSamples(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect([twenty.p50, twenty.p90, twenty.p99]).toEqual([10, 18, null]);
    expect(twenty.withheld).toEqual({ p99: 'too-few-trials' });
    // Values 1..19: p50 rank ⌈9.5⌉ = 10 → 10; no p90.
    const nineteen = summarizeSamples(Array.from({ length: 19 }, (_, i) => i + 1));
    expect([nineteen.p50, nineteen.p90]).toEqual([10, null]);
    expect(nineteen.withheld.p90).toBe('too-few-trials');
  });

  it('gives a p99 from exactly 200 trials', () => {
    // Values 1..200: p50 rank 100, p90 rank 180, p99 rank 198.
    const s = summarizeSamples(Array.from({ length: 200 }, (_, i) => i + 1));
    expect([s.p50, s.p90, s.p99, s.max]).toEqual([100, 180, 198, 200]);
    expect(s.withheld).toEqual({});
    expect(percentileMinTrials).toEqual({ p50: 1, p90: 20, p99: 200 });
  });

  it('ranks censored trials above every value', () => {
    // 20 trials: values 1..17 and 3 censored. p50 rank 10 → 10; p90 rank 18 falls on a censored trial.
    const samples: (number | null)[] = [null, ...Array.from({ length: 17 }, (_, i) => i + 1), null, null];
    const s = summarizeSamples(samples);
    expect(s.count).toBe(17);
    expect(s.censored).toBe(3);
    expect(s.p50).toBe(10);
    expect(s.p90).toBeNull();
    expect(s.withheld.p90).toBe('censored');
    expect(s.max).toBeNull();
    // Mean over the 17 values: 17·18/2 / 17 = 9.
    expect(s.mean).toBe(9);
    expect(s.min).toBe(1);
  });

  it('has no figures when every trial is censored', () => {
    const s = summarizeSamples([null, null]);
    expect(s).toMatchObject({ trials: 2, count: 0, censored: 2, min: null, p50: null, max: null, mean: null });
    expect(s.withheld.p50).toBe('censored');
  });
});

describe('summarizeSorted', () => {
  it('reads a typed array with censored trials beyond it, without copying', () => {
    // 4 values of 6 trials: p50 rank 3 → 5; max unknown.
    const s = summarizeSorted(Float64Array.from([1, 3, 5, 7]), 6);
    expect([s.p50, s.max, s.censored]).toEqual([5, null, 2]);
  });

  it('refuses fewer trials than values', () => {
    expect(() => summarizeSorted([1, 2, 3], 2)).toThrow(RangeError);
  });
});

describe('withheldText', () => {
  it('says how many trials a percentile needs', () => {
    expect(withheldText('p90', 'too-few-trials', 6)).toBe('p90 needs at least 20 trials (6 run)');
  });
});
