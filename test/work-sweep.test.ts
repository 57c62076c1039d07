/**
 * Bounded work (issue 14): every numeric field and list length of every operation with a request body, at its
 * schema minimum and maximum on top of the documented example that reaches it (plans with their failover
 * section), read from the served OpenAPI document (support/work-sweep.ts), and each also as its GET chart URL.
 * Every answer is a 2xx or a 4xx problem+json that conforms to the document, and the simulated events the
 * request counted against its work budget stay within the budget: work is asserted in events, never in time.
 * CPU per request for the same sweep, and on the largest cluster the limits allow, is `npm run bench -- --only sweep`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createApp } from '../src/http/app.js';
import { limits } from '../src/http/limits.js';
import type { RequestWork } from '../src/http/request-work.js';
import { failoverDistributions } from '../src/http/routes/plans.js';
import { conformanceViolations } from './support/conformance.js';
import { apiDescription } from './support/operations.js';
import { inertTuningJobs } from './support/tuning-fake.js';
import { chartUrl, type SweepCase, sweepCases, sweptFields } from './support/work-sweep.js';

const work: RequestWork[] = [];
const app = createApp({ onWork: (w) => work.push(w) });
const { document } = apiDescription();
// Tuning jobs go to a runner that runs nothing: the request's own work is what is checked here.
const appEnv = { ...env, TUNING_JOBS: inertTuningJobs() };
const cases = sweepCases(['documented']);

async function send(c: SweepCase) {
  const url = c.chartPath ? await chartUrl(c.chartPath, c.body) : c.url;
  const init: RequestInit =
    c.method === 'GET'
      ? { method: 'GET' }
      : { method: c.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) };
  // A cached failover section would cost nothing: every request simulates what it asks for.
  failoverDistributions.clear();
  work.length = 0;
  const response = await app.request(url, init, appEnv);
  const text = await response.text();
  return {
    answer: {
      method: c.method,
      url,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
    },
    work: [...work],
  };
}

describe('every numeric field and list length at its schema bounds: no 5xx, work within the budget', () => {
  beforeAll(() => {
    // The sweep reaches every operation with a body, and finds the fields that multiply work.
    const operations = new Set(sweptFields().map((f) => f.operation.operationId));
    expect([...operations].sort()).toEqual(
      apiDescription()
        .operations.filter((o) => o.body)
        .map((o) => o.operationId)
        .sort(),
    );
    for (const field of [
      '/loadBalancer/healthCheckIntervalS',
      '/trials',
      '/scenario/horizonMs',
      '/memberLogs/*/lastLogTerm',
    ])
      expect(cases.some((c) => c.field === field)).toBe(true);
  });

  // One test per operation (and chart form): a few hundred requests in all.
  const groups = new Map<string, SweepCase[]>();
  for (const c of cases) {
    const key = `${c.operationId}${c.chartPath ? ` as GET ${c.chartPath}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const [group, members] of groups) {
    it(`${group}: ${members.length} requests`, async () => {
      let mostEvents = 0;
      for (const c of members) {
        const { answer, work: counted } = await send(c);
        expect(answer.status, `${c.name}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.contentType, c.name).toBe('application/problem+json');
        expect(conformanceViolations(document, answer), c.name).toEqual([]);
        // At most one budget per request; the charge that passes the limit throws at once (one event past it).
        expect(counted.length, c.name).toBe(1);
        const { budgets, events } = counted[0]!;
        expect(budgets.length, c.name).toBeLessThanOrEqual(1);
        for (const budget of budgets) expect(budget.used, c.name).toBeLessThanOrEqual(budget.limit + 1);
        expect(events, c.name).toBeLessThanOrEqual(limits.maxSimulationEvents + 1);
        mostEvents = Math.max(mostEvents, events);
      }
      // The count is real: operations that simulate charged their budget, and some request of the simulations
      // sweep ran into the hard stop (a 1 µs heartbeat) and was refused there.
      // (The placement diagram, GET /charts/plan.svg, leaves the failover section out.)
      if (/^(createPlan|createChangePlan)$/.test(group)) expect(mostEvents).toBeGreaterThan(10_000);
      if (/postSimulation/.test(group)) expect(mostEvents).toBe(limits.maxSimulationEvents + 1);
    });
  }
});
