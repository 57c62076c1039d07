import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestPlacement } from './placement-search.js';
import { writeLatency } from './write-latency.js';
import { tolerableFailures } from '../quorum.js';

const zones = ['a', 'b', 'c', 'd', 'e'];

describe('bestPlacement', () => {
  it('scores placements exactly as writeLatency does, and respects the zone cap', () => {
    const input = fc.record({
      voters: fc.constantFrom(1, 3, 5, 7, 9),
      zoneCount: fc.integer({ min: 1, max: 5 }),
      rtts: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 10, maxLength: 10 }),
      intra: fc.constantFrom(0.2, 0.5, 1),
      zoneLoss: fc.boolean(),
    });
    fc.assert(
      fc.property(input, ({ voters, zoneCount, rtts, intra, zoneLoss }) => {
        const used = zones.slice(0, zoneCount);
        const zonePairRttMs: Record<string, Record<string, number>> = {};
        let next = 0;
        for (let i = 0; i < used.length; i++)
          for (let j = i + 1; j < used.length; j++) (zonePairRttMs[used[i]!] ??= {})[used[j]!] = rtts[next++]!;
        const network = { intraZoneRttMs: intra, interZoneRttMs: 2, zonePairRttMs };
        const choice = bestPlacement(voters, used, network, 1, zoneLoss);
        const cap = zoneLoss ? tolerableFailures(voters) : voters;
        if (zoneLoss && (zoneCount < 3 || cap === 0)) {
          expect(choice).toBeUndefined();
          return;
        }
        expect(choice).toBeDefined();
        expect(choice!.counts.reduce((sum, c) => sum + c.voters, 0)).toBe(voters);
        expect(Math.max(...choice!.counts.map((c) => c.voters))).toBeLessThanOrEqual(cap);
        const members = choice!.counts.flatMap((c) =>
          Array.from({ length: c.voters }, (_, i) => ({ name: `${c.zone}${i}`, zone: c.zone })),
        );
        const reference = writeLatency(members, network, 1)!;
        expect(choice!.writeLatencyMs).toEqual({ best: reference.bestMs, worst: reference.worstMs });
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
