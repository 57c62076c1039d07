/**
 * The Raft paper's Figure 16, qualitatively (USENIX ATC 2014 §9.3): no randomness → long tails from split
 * votes; a little randomness helps a lot; 150–300 ms elects almost always within 300 ms.
 */
import { describe, expect, it } from 'vitest';
import { runTrials } from './monte-carlo.js';
import { raftPaperConfig, raftPaperScenario } from './presets.js';

function downtimesMs(min: number, max: number, trials: number): number[] {
  return runTrials(raftPaperConfig(min, max), raftPaperScenario(min, 60_000), { trials, seed: 11 }).map(
    (m) => (m.allKnowAfterUs ?? Infinity) / 1000,
  );
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const p90 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.ceil(0.9 * v.length) - 1]!;

describe('raft-paper-figure16', () => {
  it('150–150 ms: every trial splits votes, and the median downtime is over a second', () => {
    const metrics = runTrials(raftPaperConfig(150, 150), raftPaperScenario(150, 60_000), { trials: 40, seed: 11 });
    expect(metrics.every((m) => m.splitVotes > 0)).toBe(true);
    expect(median(metrics.map((m) => m.allKnowAfterUs ?? Infinity))).toBeGreaterThan(1_000_000);
  });

  it('more randomness shortens downtime: median 150–151 > 150–155, and the tail (p90) 150–155 > 150–200', () => {
    const a = downtimesMs(150, 151, 150);
    const b = downtimesMs(150, 155, 150);
    const c = downtimesMs(150, 200, 150);
    expect(median(a)).toBeGreaterThan(median(b));
    // Between 5 and 50 ms of randomness the medians are within sampling noise of each other (both about one
    // timeout); the split-vote tail is what shrinks.
    expect(p90(b)).toBeGreaterThan(p90(c));
  });

  it('150–300 ms: at least 90% of elections complete within 300 ms, and none before half the minimum timeout', () => {
    const d = downtimesMs(150, 300, 300);
    expect(d.filter((v) => v <= 300).length / d.length).toBeGreaterThanOrEqual(0.9);
    // The crash comes at most one heartbeat (75 ms) after the last reset: the earliest timeout is 150 − 75.
    expect(Math.min(...d)).toBeGreaterThanOrEqual(75);
  });
});
