/**
 * POST /v1/recommendations: expectations from the quorum rule (2f+1 voters, at most f per zone for a zone
 * loss), the 2-zone argument of etcd-io/website#779, and etcd's tuning guide for the timings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';
import type { Plan } from '../src/domain/plan/index.js';
import type { RecommendationAnswer } from '../src/domain/plan/recommend.js';
import { normalizeRecommendationInput, recommend } from '../src/domain/plan/recommend.js';
import { tunedTimings } from '../src/domain/plan/tuned-timings.js';

async function recommendationsFor(body: unknown): Promise<RecommendationAnswer> {
  const response = await postJson('/v1/recommendations', body);
  expect(response.status).toBe(200);
  return (await response.json()) as RecommendationAnswer;
}

const perZone = (answer: RecommendationAnswer, rank = 0) =>
  answer.recommendations[rank]!.placement.map((p) => p.etcdVoterCount);

describe('feasible requirements', () => {
  it('1 failure and a zone loss over 3 zones: 3 stacked nodes, one per zone; external needs 5 hosts', async () => {
    const answer = await recommendationsFor({ nodeFailures: 1, zoneLoss: true, zones: ['a', 'b', 'c'] });
    expect(answer.feasible).toBe(true);
    const [first, second] = answer.recommendations;
    expect([first!.rank, first!.topology, first!.voters, first!.hostCount]).toEqual([1, 'stacked', 3, 3]);
    expect(perZone(answer)).toEqual([1, 1, 1]);
    // External: 3 etcd hosts + 2 control-plane nodes (one survives one loss; two zones so one survives a zone loss).
    expect([second!.rank, second!.topology, second!.voters, second!.controlPlaneNodeCount, second!.hostCount]).toEqual([
      2,
      'external',
      3,
      2,
      5,
    ]);
    expect(first!.etcd).toMatchObject({ heartbeatIntervalMs: 100, electionTimeoutMs: 1000 });
  });

  it('2 failures and a zone loss over 3 zones: 5 voters placed 2/2/1', async () => {
    const answer = await recommendationsFor({
      nodeFailures: 2,
      zoneLoss: true,
      zones: ['a', 'b', 'c'],
      topology: 'stacked',
    });
    expect(answer.recommendations).toHaveLength(1);
    expect(answer.recommendations[0]!.voters).toBe(5);
    expect(perZone(answer)).toEqual([2, 2, 1]);
    const plan = answer.recommendations[0]!.plan;
    expect(plan.failureDomains!.arbitraryHostFailures.cluster.tolerated).toBe(2);
    expect(plan.failureDomains!.zones.every((z) => z.survives.etcdQuorum)).toBe(true);
  });

  it('prefers the near zones when there are more zones than voters', async () => {
    // d is 50 ms from everything, a/b/c 1 ms apart: 3 voters go to a, b, c.
    const answer = await recommendationsFor({
      nodeFailures: 1,
      zoneLoss: true,
      zones: ['d', 'a', 'b', 'c'],
      topology: 'stacked',
      network: {
        interZoneRttMs: 50,
        zoneRttMs: [
          { from: 'a', to: 'b', rttMs: 1 },
          { from: 'a', to: 'c', rttMs: 1 },
          { from: 'b', to: 'c', rttMs: 1 },
        ],
      },
    });
    expect(perZone(answer)).toEqual([0, 1, 1, 1]);
    // One ack needed at 1 ms, plus 1 ms disk sync.
    expect(answer.recommendations[0]!.plan.writeLatency!.worstMs).toBe(2);
  });

  it('no zone requirement, one zone: the answer still spreads nothing it cannot and says so', async () => {
    const answer = await recommendationsFor({});
    expect(answer.recommendations[0]).toMatchObject({ topology: 'stacked', voters: 3, hostCount: 3 });
    expect(answer.recommendations[0]!.plan.findings.map((f) => f.code)).toContain('FEWER_THAN_THREE_ZONES');
  });

  it('each proposal posted to /v1/plans gives the plan it came with', async () => {
    const answer = await recommendationsFor({
      nodeFailures: 1,
      zoneLoss: true,
      zones: ['a', 'b', 'c'],
      network: { interZoneRttMs: 3 },
    });
    for (const recommendation of answer.recommendations) {
      const response = await postJson('/v1/plans', { ...recommendation.proposal, failover: false });
      expect(response.status).toBe(200);
      // /v1/plans adds links, and a failover section unless told not to (recommendations never run it).
      const {
        links: _links,
        failover,
        ...plan
      } = (await response.json()) as Plan & { links: unknown; failover: unknown };
      expect(plan).toEqual(recommendation.plan);
      expect(failover).toBeNull();
    }
  });
});

describe('impossible requirements', () => {
  it('a zone loss with 2 zones: why, and the closest alternatives', async () => {
    const answer = await recommendationsFor({
      nodeFailures: 1,
      zoneLoss: true,
      zones: ['east', 'west'],
      network: { interZoneRttMs: 8 },
    });
    expect(answer.feasible).toBe(false);
    expect(answer.recommendations).toEqual([]);
    expect(answer.reasons.map((r) => r.code)).toEqual(['ZONE_LOSS_NEEDS_THREE_ZONES']);
    expect(answer.reasons[0]!.message).toMatch(/at least half/);
    expect(answer.alternatives.map((a) => a.relaxes)).toEqual(['zoneLoss', 'zones']);
    const withThird = answer.alternatives[1]!.recommendation;
    expect(withThird.placement.map((p) => [p.zone, p.etcdVoterCount])).toEqual([
      ['east', 1],
      ['west', 1],
      ['zone-c', 1],
    ]);
    expect(answer.summary).toMatch(/^Nothing meets the requirements/);
  });

  it('a host budget too small: the cheapest that fits the requirement, and the most the budget buys', async () => {
    const answer = await recommendationsFor({ nodeFailures: 2, zoneLoss: true, zones: ['a', 'b', 'c'], maxHosts: 4 });
    expect(answer.feasible).toBe(false);
    expect(answer.reasons[0]!.code).toBe('HOST_BUDGET_TOO_SMALL');
    expect(answer.reasons[0]!.message).toContain('at least 5 hosts');
    expect(answer.alternatives.map((a) => [a.relaxes, a.recommendation.hostCount])).toEqual([
      ['maxHosts', 5],
      ['nodeFailures', 3],
    ]);
  });

  it('rejects more failures than the largest accepted cluster survives, naming the limit', async () => {
    const problem = await problemOf(await postJson('/v1/recommendations', { nodeFailures: 5 }));
    expect(problem.status).toBe(400);
    expect(problem.errors![0]).toMatchObject({ pointer: '/nodeFailures' });
    expect(problem.errors![0]!.detail).toContain('maxEtcdMembers');
  });

  it('rejects RTTs for zones it was not given', async () => {
    const problem = await problemOf(
      await postJson('/v1/recommendations', {
        zones: ['a', 'b'],
        network: { zoneRttMs: [{ from: 'a', to: 'c', rttMs: 1 }] },
      }),
    );
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/network/zoneRttMs/0/to' })]);
  });
});

describe('timings tuned to the RTT (etcd tuning guide)', () => {
  const network = (rtt: number) => ({ intraZoneRttMs: 0.5, interZoneRttMs: rtt, zonePairRttMs: {} });
  it.each([
    // [max RTT, heartbeat = RTT rounded up to 10 ms but ≥ 100, election = max(1000, 10 × heartbeat) ≤ 50 000]
    [2, 100, 1000, true],
    [130, 130, 1300, true], // across the US
    [351, 360, 3600, true], // US–Japan
    [5000, 5000, 50_000, true],
    [7000, 7000, 50_000, false], // 10 × RTT exceeds etcd's 50 s ceiling
  ])('RTT %f ms → heartbeat %i, election %i', (rtt, heartbeat, election, withinGuide) => {
    const tuned = tunedTimings(['a', 'b'], network(rtt));
    expect([tuned.heartbeatIntervalMs, tuned.electionTimeoutMs, tuned.withinGuide]).toEqual([
      heartbeat,
      election,
      withinGuide,
    ]);
    // etcd's own rule: election ≥ 5 × heartbeat.
    expect(tuned.electionTimeoutMs).toBeGreaterThanOrEqual(5 * tuned.heartbeatIntervalMs);
  });
});

describe('every recommendation meets its requirements', { timeout: 30_000 }, () => {
  it('for random requirements, zones and RTTs', () => {
    const requirements = fc.record({
      nodeFailures: fc.integer({ min: 0, max: 3 }),
      zoneLoss: fc.boolean(),
      zoneCount: fc.integer({ min: 1, max: 5 }),
      rtt: fc.integer({ min: 1, max: 200 }),
      topology: fc.constantFrom<'stacked' | 'external' | 'any'>('stacked', 'external', 'any'),
    });
    fc.assert(
      fc.property(requirements, ({ nodeFailures, zoneLoss, zoneCount, rtt, topology }) => {
        const zones = Array.from({ length: zoneCount }, (_, i) => `z${i}`);
        const normalized = normalizeRecommendationInput(
          { nodeFailures, zoneLoss, zones, topology, network: { interZoneRttMs: rtt } },
          { maxVoters: 9, maxControlPlaneNodes: 9 },
        );
        if (!normalized.ok) throw new Error('valid input');
        const answer = recommend(normalized.request);
        // Feasible exactly when a zone loss is not required or there are at least 3 zones.
        expect(answer.feasible).toBe(!zoneLoss || zoneCount >= 3);
        for (const r of answer.recommendations) {
          expect(r.voters).toBe(2 * nodeFailures + 1 + (zoneLoss && nodeFailures === 0 ? 2 : 0));
          const domains = r.plan.failureDomains!;
          expect(domains.arbitraryHostFailures.cluster.tolerated).toBeGreaterThanOrEqual(nodeFailures);
          if (zoneLoss) expect(domains.zones.every((z) => z.survives.etcdQuorum && z.survives.apiServer)).toBe(true);
          if (zoneLoss)
            expect(Math.max(...r.placement.map((p) => p.etcdVoterCount))).toBeLessThanOrEqual((r.voters - 1) / 2);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
