/**
 * The bounded cache of failover sections (src/http/routes/plans.ts) must never change an answer: a plan whose
 * section comes from the cache is byte-identical to one simulated afresh, and the cache stays within its bound.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/http/bounded-cache.js';
import { failoverSections } from '../src/http/routes/plans.js';
import { postJson } from './helpers.js';

const proposals = [
  { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] }, failover: true },
  { topology: 'external', controlPlane: { nodes: 2 }, etcd: { members: 3 }, failover: true },
];

const planText = async (body: unknown) => {
  const response = await postJson('/v1/plans', body, { 'x-request-id': 'cache-test' });
  expect(response.status).toBe(200);
  return response.text();
};

describe('failover section cache', () => {
  beforeEach(() => failoverSections.clear());

  it('answers byte for byte as an uncached run, for repeats and after other proposals', async () => {
    const [first, second] = proposals;
    const uncached = await planText(first);
    expect(failoverSections.misses).toBe(1);
    expect(JSON.parse(uncached).failover.cases.length).toBeGreaterThan(0);

    const other = await planText(second);
    const cached = await planText(first);
    expect(failoverSections.hits).toBe(1);
    expect(cached).toBe(uncached);

    failoverSections.clear();
    expect(await planText(second)).toBe(other);
    expect(await planText(first)).toBe(uncached);
    expect(failoverSections.hits).toBe(0);
  });

  it('a plan without the section neither reads nor fills the cache', async () => {
    await planText({ ...proposals[0], failover: false });
    expect(failoverSections.size).toBe(0);
    expect(failoverSections.hits + failoverSections.misses).toBe(0);
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
