/**
 * The bounded cache of failover distributions (src/http/routes/plans.ts) must never change an answer: a plan
 * whose cases come from the cache is byte-identical to one simulated afresh, whatever else was asked before.
 * It is keyed by canonical simulation input, so losses that are the same up to names share one simulation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/http/bounded-cache.js';
import { failoverDistributions } from '../src/http/routes/plans.js';
import { postJson } from './helpers.js';

const proposals = [
  { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } },
  { topology: 'external', controlPlane: { nodes: 2 }, etcd: { members: 3 }, failover: true },
];

const planText = async (body: unknown) => {
  const response = await postJson('/v1/plans', body, { 'x-request-id': 'cache-test' });
  expect(response.status).toBe(200);
  return response.text();
};

describe('failover distribution cache', () => {
  beforeEach(() => failoverDistributions.clear());

  it('answers byte for byte as an uncached run, for repeats and after other proposals', async () => {
    const [first, second] = proposals;
    const uncached = await planText(first);
    // 3 nodes in 3 zones at equal RTTs: losing cp-1 (whose member leads etcd) or its zone is one simulation,
    // losing cp-2, cp-3 or their zones the other.
    expect(failoverDistributions.misses).toBe(2);
    expect(failoverDistributions.size).toBe(2);
    expect(JSON.parse(uncached).failover.cases.length).toBe(6);

    const other = await planText(second);
    const misses = failoverDistributions.misses;
    const cached = await planText(first);
    expect(failoverDistributions.misses).toBe(misses);
    expect(cached).toBe(uncached);

    failoverDistributions.clear();
    expect(await planText(second)).toBe(other);
    expect(await planText(first)).toBe(uncached);
  });

  it('a proposal that differs only in names simulates nothing again and reports the same figures', async () => {
    const named = {
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'alpha', zone: 'east' },
          { name: 'beta', zone: 'west' },
          { name: 'gamma', zone: 'north' },
        ],
      },
    };
    const plain = JSON.parse(await planText(proposals[0]));
    const misses = failoverDistributions.misses;
    const renamed = JSON.parse(await planText(named));
    expect(failoverDistributions.misses).toBe(misses);
    const gaps = (plan: { failover: { cases: { gaps: unknown }[] } }) => plan.failover.cases.map((c) => c.gaps);
    expect(gaps(renamed)).toEqual(gaps(plain));
    expect(renamed.failover.cases.map((c: { name: string }) => c.name)).toEqual([
      'alpha',
      'beta',
      'gamma',
      'east',
      'west',
      'north',
    ]);
  });

  it('a plan without the section neither reads nor fills the cache', async () => {
    await planText({ ...proposals[0], failover: false });
    expect(failoverDistributions.size).toBe(0);
    expect(failoverDistributions.hits + failoverDistributions.misses).toBe(0);
  });
});

describe('BoundedCache', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new BoundedCache<number>(3);
    let computed = 0;
    const get = (key: string) => cache.getOrCompute(key, () => ++computed);
    expect([get('a'), get('b'), get('c')]).toEqual([1, 2, 3]);
    expect(get('a')).toBe(1); // a is now the most recent; b the least
    expect(get('d')).toBe(4);
    expect(cache.size).toBe(3);
    expect(get('b')).toBe(5); // b was dropped: computed again
    expect(get('a')).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([2, 5]);
  });

  it('does not keep a failed computation', () => {
    const cache = new BoundedCache<number>(2);
    expect(() =>
      cache.getOrCompute('x', () => {
        throw new Error('budget');
      }),
    ).toThrow('budget');
    expect(cache.size).toBe(0);
    expect(cache.getOrCompute('x', () => 7)).toBe(7);
  });
});
