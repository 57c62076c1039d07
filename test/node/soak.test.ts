/**
 * A short soak of the real Node server (src/node.ts) on 127.0.0.1: a few thousand concurrent requests over
 * every operation must all get the status the in-process app gives, and the server's heap after GC must come
 * back to within 4 MiB of where it started. The long run is `npm run soak`. The time cap only stops the load
 * early on a slow machine; nothing here is judged by speed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSoakOptions, runSoak } from '../../bench/lib/soak.js';
import { stopAllServers } from '../../bench/lib/server.js';

describe('soak (short)', () => {
  afterAll(stopAllServers);

  it('no errors and no heap growth under sustained concurrent load', async () => {
    const result = await runSoak({
      ...defaultSoakOptions,
      durationS: 15,
      maxRequests: 2000,
      warmupRequests: 800,
      connections: 16,
      sampleEveryS: 1000,
    });
    expect(result.errors.examples).toEqual([]);
    expect(result.errors.count).toBe(0);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.heapGrowthBytes).toBeLessThan(defaultSoakOptions.heapGrowthLimitBytes);
  });
});
