/**
 * @module bench/lib/soak
 * A sustained concurrent run against the Node server on loopback, bounded in requests and time (it stops by
 * itself): a mix of every operation's documented requests plus invalid and unknown ones. Every answer must
 * have the status the in-process app gives for the same request (so a 400 that should be a 400 is not an
 * error, but a 5xx, a refused connection or a changed status is). The server's heap is read after a forced
 * GC at the start (after a warm-up), at each sample and at the end: a stateless service must come back to
 * where it started.
 */
import { createApp } from '../../src/http/app.js';
import { apiDescription, exampleQuery, urlOf } from '../../test/support/operations.js';
import { serverMemory, startServer, type MemorySample } from './server.js';

export interface SoakOptions {
  durationS: number;
  maxRequests: number;
  connections: number;
  sampleEveryS: number;
  warmupRequests: number;
  /** Monte Carlo requests in the mix ask for at most this many trials. */
  maxTrialsPerRequest: number;
  /** Largest accepted growth of the heap after GC, start to end. */
  heapGrowthLimitBytes: number;
  /** Largest accepted growth of the resident set, start to end (looser: the allocator keeps pages). */
  rssGrowthLimitBytes: number;
  log?: (line: string) => void;
}

export const defaultSoakOptions: SoakOptions = {
  durationS: 120,
  maxRequests: 300_000,
  connections: 32,
  sampleEveryS: 10,
  warmupRequests: 3000,
  maxTrialsPerRequest: 20,
  heapGrowthLimitBytes: 4 * 1024 * 1024,
  rssGrowthLimitBytes: 64 * 1024 * 1024,
};

interface MixEntry {
  label: string;
  method: string;
  url: string;
  body?: string;
  expectedStatus: number;
}

export interface SoakResult {
  requests: number;
  seconds: number;
  requestsPerS: number;
  errors: { count: number; examples: string[] };
  statuses: Record<string, number>;
  samples: ({ atS: number; requests: number } & MemorySample)[];
  start: MemorySample;
  end: MemorySample;
  heapGrowthBytes: number;
  rssGrowthBytes: number;
  /** Least-squares slope of the heap after GC against requests served. */
  heapBytesPerRequest: number;
  passed: boolean;
  verdicts: string[];
  options: Omit<SoakOptions, 'log'>;
}

/**
 * A soak is about leaks and errors, not about the cost of one request: examples that ask for many Monte
 * Carlo trials are cut to a few, so the run serves many requests of every kind instead of a few heavy ones.
 */
function cheaper(body: unknown, maxTrials: number): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  if (typeof copy.trials === 'number' && copy.trials > maxTrials) copy.trials = maxTrials;
  return copy;
}

/** The request mix, with the status each should get, worked out in-process by the same app. */
async function requestMix(options: { maxTrials: number }): Promise<MixEntry[]> {
  const app = createApp();
  const { operations } = apiDescription();
  const entries: Omit<MixEntry, 'expectedStatus'>[] = [];
  for (const operation of operations) {
    const url = urlOf(operation, exampleQuery(operation));
    if (operation.method === 'GET') {
      entries.push({ label: `${operation.operationId} example`, method: 'GET', url });
      for (const parameter of operation.query.slice(0, 1)) {
        entries.push({
          label: `${operation.operationId} invalid ${parameter.name}`,
          method: 'GET',
          url: urlOf(operation, { ...exampleQuery(operation), [parameter.name]: '-1x' }),
        });
      }
    } else {
      // A valid POST /v1/tunings starts a real job (seconds of CPU on the server's pool): the soak sends it
      // only invalid bodies, which are answered at once.
      const startsJobs = operation.path === '/v1/tunings';
      for (const example of startsJobs ? [] : operation.bodyExamples) {
        entries.push({
          label: `${operation.operationId} ${example.name}`,
          method: operation.method,
          url,
          body: JSON.stringify(cheaper(example.value, options.maxTrials)),
        });
      }
      entries.push({
        label: `${operation.operationId} unknown field`,
        method: operation.method,
        url,
        body: '{"unknownField":1}',
      });
      entries.push({ label: `${operation.operationId} malformed JSON`, method: operation.method, url, body: '{"a":' });
    }
  }
  entries.push({ label: 'unknown path', method: 'GET', url: '/v1/no-such-operation' });
  const mix: MixEntry[] = [];
  for (const entry of entries) {
    const init: RequestInit = {
      method: entry.method,
      ...(entry.body !== undefined ? { body: entry.body, headers: { 'content-type': 'application/json' } } : {}),
    };
    const response = await app.request(`http://localhost${entry.url}`, init);
    await response.arrayBuffer();
    mix.push({ ...entry, expectedStatus: response.status });
  }
  return mix;
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

export async function runSoak(options: SoakOptions = defaultSoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const mix = await requestMix({ maxTrials: options.maxTrialsPerRequest });
  log(`mix: ${mix.length} requests (${mix.map((m) => `${m.label}→${m.expectedStatus}`).join(', ')})`);
  const server = await startServer({ memoryProbe: true });
  log(`server pid ${server.pid} on ${server.baseUrl}`);
  const statuses: Record<string, number> = {};
  const errorExamples: string[] = [];
  let errorCount = 0;
  let sent = 0;
  let served = 0;

  const one = async (entry: MixEntry) => {
    try {
      const response = await fetch(`${server.baseUrl}${entry.url}`, {
        method: entry.method,
        ...(entry.body !== undefined ? { body: entry.body, headers: { 'content-type': 'application/json' } } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== entry.expectedStatus) {
        errorCount++;
        if (errorExamples.length < 10)
          errorExamples.push(`${entry.label}: ${response.status}, expected ${entry.expectedStatus}`);
      }
    } catch (error) {
      errorCount++;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (errorExamples.length < 10)
        errorExamples.push(
          `${entry.label}: ${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`,
        );
    }
    served++;
  };

  const load = async (stopAt: { requests: number; time: number }) => {
    const workers = Array.from({ length: options.connections }, async () => {
      while (sent < stopAt.requests && performance.now() < stopAt.time) {
        const entry = mix[sent % mix.length]!;
        sent++;
        await one(entry);
      }
    });
    await Promise.all(workers);
  };

  try {
    // Warm-up: the JIT, the route tables and zod's caches, before the baseline.
    await load({ requests: options.warmupRequests, time: performance.now() + 60_000 });
    const start = await serverMemory(server);
    const warmupServed = served;
    log(
      `baseline after ${warmupServed} warm-up requests: heap ${(start.heapUsedBytes / 2 ** 20).toFixed(1)} MiB, rss ${(start.rssBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    const samples: SoakResult['samples'] = [{ atS: 0, requests: 0, ...start }];
    const began = performance.now();
    const stopAt = { requests: warmupServed + options.maxRequests, time: began + options.durationS * 1000 };
    let sampling = true;
    const sampler = (async () => {
      for (let next = performance.now() + options.sampleEveryS * 1000; sampling; next += options.sampleEveryS * 1000) {
        // Short naps, so the end of the load is noticed at once even with a long sampling period.
        while (sampling && performance.now() < next) await new Promise((r) => setTimeout(r, 50));
        if (!sampling) break;
        const memory = await serverMemory(server);
        const atS = (performance.now() - began) / 1000;
        samples.push({ atS, requests: served - warmupServed, ...memory });
        log(
          `${atS.toFixed(0)} s: ${served - warmupServed} requests, ${errorCount} errors, heap ${(memory.heapUsedBytes / 2 ** 20).toFixed(1)} MiB, rss ${(memory.rssBytes / 2 ** 20).toFixed(1)} MiB`,
        );
      }
    })();
    await load(stopAt);
    const seconds = (performance.now() - began) / 1000;
    sampling = false;
    await sampler;
    const end = await serverMemory(server);
    const requests = served - warmupServed;
    samples.push({ atS: seconds, requests, ...end });
    const heapGrowthBytes = end.heapUsedBytes - start.heapUsedBytes;
    const rssGrowthBytes = end.rssBytes - start.rssBytes;
    const verdicts: string[] = [];
    if (errorCount > 0) verdicts.push(`${errorCount} errors`);
    if (heapGrowthBytes > options.heapGrowthLimitBytes)
      verdicts.push(
        `heap after GC grew ${(heapGrowthBytes / 2 ** 20).toFixed(2)} MiB (limit ${(options.heapGrowthLimitBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    if (rssGrowthBytes > options.rssGrowthLimitBytes)
      verdicts.push(
        `RSS grew ${(rssGrowthBytes / 2 ** 20).toFixed(1)} MiB (limit ${(options.rssGrowthLimitBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    const { log: _log, ...recorded } = options;
    return {
      requests,
      seconds,
      requestsPerS: requests / seconds,
      errors: { count: errorCount, examples: errorExamples },
      statuses,
      samples,
      start,
      end,
      heapGrowthBytes,
      rssGrowthBytes,
      heapBytesPerRequest: slope(samples.map((s) => ({ x: s.requests, y: s.heapUsedBytes }))),
      passed: verdicts.length === 0,
      verdicts,
      options: recorded,
    };
  } finally {
    await server.stop();
  }
}
