/**
 * The limits audit: every ceiling in src/http/limits.ts is enforced by at least one operation, documented in
 * the OpenAPI limits table, and exceeding it gives a problem+json that points at the field and names the limit
 * with its value. Ceilings are found in the OpenAPI document, so operations added later are audited too.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { limits, type LimitName } from '../src/http/limits.js';
import { errorResponses, postErrorStatuses } from '../src/http/schemas/common.js';
import { apiDescription, exampleQuery, urlOf } from './support/operations.js';
import { ceilingsOf, describeCeiling, probe, type ProbeResult } from './support/limits-audit.js';
import { app } from './helpers.js';

/**
 * Limits that no schema keyword carries (a product of two inputs, a derived count): add a probe here when one
 * lands. Each returns the request and the pointer the error must name.
 */
const derivedLimitProbes: Partial<
  Record<LimitName, () => { path: string; url: string; init: RequestInit; pointer: string }>
> = {
  // Checked while the simulation runs: 9 members partitioned over a 120 s horizon, 10,000 times, needs far more
  // than 1.5 million events.
  maxSimulationEvents: () =>
    post(
      '/v1/simulations',
      {
        members: 9,
        trials: limits.maxSimulationTrials,
        scenario: {
          faults: [{ type: 'partition', groups: [['etcd-1', 'etcd-2']], at: { atMs: 0 }, healAfterMs: 5000 }],
          horizonMs: limits.maxSimulationHorizonMs,
        },
      },
      '/trials',
    ),
  // The plan's failover section, estimated before it runs: 3 nodes renewing two leases every 10 ms over 40 s,
  // 20 trials per distinct loss, is millions of events. Asked for explicitly, so it is a 400 (left out: null).
  maxFailoverSectionEvents: () =>
    post(
      '/v1/plans',
      {
        topology: 'stacked',
        controlPlane: { nodes: 3 },
        leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 0.01 },
        failover: true,
      },
      '/leaderElection/retryPeriodS',
    ),
  // A control-plane simulation whose lease retries alone, estimated before it runs, exceed its budget.
  maxControlPlaneEvents: () =>
    post(
      '/v1/simulations',
      {
        kind: 'control-plane',
        cluster: {
          topology: 'stacked',
          controlPlane: { nodes: 3 },
          leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 0.01 },
        },
        trials: 100,
      },
      '/cluster/leaderElection/retryPeriodS',
    ),
  // At 60,000 trials the documented 5-member example needs about 2.8 million events, so maxSimulationEvents
  // refuses it at the ceiling and the generic probe is inconclusive: one past the ceiling, directly.
  maxSimulationTrials: () => post('/v1/simulations', { members: 3, trials: limits.maxSimulationTrials + 1 }, '/trials'),
  // The trial ceiling of the control-plane kind is checked in the handler, after the shared schema.
  maxControlPlaneTrials: () =>
    post(
      '/v1/simulations',
      {
        kind: 'control-plane',
        cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
        trials: limits.maxControlPlaneTrials + 1,
      },
      '/trials',
    ),
  // 46 pairs cannot all be valid (9 zones make 45), so the at-ceiling probe cannot be accepted: send 46 directly.
  // Samples are checked against the trial count in the handler (the schema cannot relate two fields).
  maxSimulationSamples: () =>
    post(
      '/v1/simulations',
      { members: 3, trials: limits.maxSimulationSamples + 1, includeSamples: true },
      '/includeSamples',
    ),
  // Tuning ceilings: a request at any one of them is a job of minutes, so only the one-past side is probed.
  maxTuningGridPoints: () =>
    post(
      '/v1/tunings',
      tuning({
        grid: {
          heartbeatIntervalMs: Array.from({ length: limits.maxTuningGridPoints + 1 }, (_, i) => 10 + i),
          electionTimeoutMs: [2000],
        },
      }),
      '/grid/heartbeatIntervalMs',
    ),
  maxTuningFailoverTrials: () =>
    post('/v1/tunings', tuning({ failoverTrials: limits.maxTuningFailoverTrials + 1 }), '/failoverTrials'),
  maxTuningSteadyReplications: () =>
    post('/v1/tunings', tuning({ steadyReplications: limits.maxTuningSteadyReplications + 1 }), '/steadyReplications'),
  maxTuningSteadyHours: () =>
    post(
      '/v1/tunings',
      tuning({ steadyHoursPerReplication: limits.maxTuningSteadyHours + 0.5 }),
      '/steadyHoursPerReplication',
    ),
  maxTuningSplittingEffort: () =>
    post('/v1/tunings', tuning({ splittingEffort: limits.maxTuningSplittingEffort + 1 }), '/splittingEffort'),
  // A query parameter: one character past the ceiling, whatever it encodes, is refused before decoding.
  maxChartQueryChars: () => ({
    path: '/charts/plan.svg',
    pointer: 'q',
    url: `/charts/plan.svg?q=${'A'.repeat(limits.maxChartQueryChars + 1)}`,
    init: { method: 'GET' },
  }),
  maxZoneRttEntries: () => {
    const zones = Array.from({ length: limits.maxZones }, (_, i) => `z${i + 1}`);
    const pairs = zones.flatMap((from, i) => zones.slice(i).map((to) => ({ from, to, rttMs: 1 })));
    return post(
      '/v1/plans',
      { topology: 'stacked', controlPlane: { nodes: 3, zones }, network: { zoneRttMs: [...pairs, pairs[0]] } },
      '/network/zoneRttMs',
    );
  },
};

function post(path: string, body: unknown, pointer: string) {
  return {
    path,
    pointer,
    url: path,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  };
}

/** A small valid tuning request with some fields replaced. */
function tuning(overrides: object) {
  return {
    cluster: { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } },
    objective: { failoverP99Ms: 3000, spuriousPerClusterYear: 1 },
    grid: { heartbeatIntervalMs: [100], electionTimeoutMs: [1000] },
    ...overrides,
  };
}

/**
 * Ceilings whose value equals some limit's by coincidence and which are not work limits, reviewed by hand.
 * - presetTimeoutMs/maxMs ≤ 10000: a plausibility bound on the paper preset's timeout range; the work of a
 *   simulation is bounded by maxSimulationEvents whatever the timeouts.
 */
const reviewedCeilings = [
  'POST /v1/simulations body /presetTimeoutMs/maxMs maximum 10000',
  'POST /v1/simulations body /presetTimeoutMs/minMs maximum 10000',
  // A plausibility bound on the apiserver's request latency (equal to maxDiskSyncMs by coincidence); the
  // control-plane simulation's work is bounded by maxControlPlaneTrials and its horizon, not by latency.
  'POST /v1/simulations body /controlPlaneOptions/requestLatencyMs maximum 1000',
];

/** Enforced by the body middleware rather than a schema; checked on its own below. */
const notSchemaLimits: LimitName[] = [
  'maxBodyBytes',
  // Checked on the parsed body by the same middleware (test/json-depth.test.ts).
  'maxJsonDepth',
  // Not a rejection: a trial that reaches it stops and the answer reports it as truncated.
  'maxSimulationEventsPerTrial',
  // Not a rejection: the returned timeline stops there and says so (timelineTruncated); the engine's
  // "timeline cap" test checks the cut, routes/simulations.ts passes this limit to it.
  'maxSimulationTimelineEntries',
  // Not a 400: under Node only, a 503 with Retry-After when the tuning pool is full (test/node/tunings-queue.test.ts).
  'maxQueuedTuningJobs',
  'tuningRetryAfterS',
  // Settings of how the service does the work, not ceilings a request can exceed; each is documented in the
  // limits table and tested where it acts: trials per simulated change-plan election (test/changes.test.ts),
  // the size of one tuning step and how many run at once (test/tunings.test.ts), how long a job is kept.
  'changePlanTrialsPerCase',
  'tuningFailoverTrialsPerStep',
  'maxTuningEventsPerStep',
  'tuningParallelSteps',
  'tuningRetentionS',
];

describe('limits', () => {
  const { document, operations } = apiDescription();
  const ceilings = ceilingsOf(operations, document);
  const results: ProbeResult[] = [];
  const credited = new Set<string>();

  beforeAll(async () => {
    for (const ceiling of ceilings) results.push(await probe(app, ceiling));
    for (const result of results) {
      if (result.namedLimit && result.conclusive && result.ceiling.value === limits[result.namedLimit as LimitName])
        credited.add(result.namedLimit);
    }
    // Ceilings no documented example reaches (r.conclusive false) are not judged here: the robustness suite
    // drives every field to its schema maximum instead.
    for (const [name, make] of Object.entries(derivedLimitProbes)) {
      const { path, url, init, pointer } = make!();
      if (!operations.some((o) => o.method === init.method && o.path === path)) continue;
      const response = await app.request(url, init);
      const problem = (await response.json()) as { errors?: { pointer: string; detail: string }[] };
      const detail = problem.errors?.find((e) => e.pointer === pointer)?.detail ?? '';
      if (
        response.status === 400 &&
        detail.includes(`the limit ${name}`) &&
        detail.includes(String(limits[name as LimitName]))
      )
        credited.add(name);
    }
    // Probes at the ceiling run the largest accepted requests (10,000 trials): seconds on a busy machine.
  }, 300_000);

  it('every ceiling one past its value is a 400 at its pointer; a named limit is quoted with its value', () => {
    for (const result of results.filter((r) => r.conclusive)) {
      const where = describeCeiling(result.ceiling);
      if (result.status === 413) continue; // One past maxItems does not fit in the body: maxBodyBytes is the ceiling in practice.
      expect(result.status, where).toBe(400);
      expect(result.detail, `${where}: an error entry at ${result.pointer}`).toBeTruthy();
      if (result.namedLimit) {
        expect(Object.keys(limits), `${where} names a limit that src/http/limits.ts does not have`).toContain(
          result.namedLimit,
        );
        // A ceiling derived from a limit (e.g. the failures 9 voters survive) may differ from it, but quotes both.
        expect(result.detail, `${where}: the message quotes the limit's value`).toContain(
          String(limits[result.namedLimit as LimitName]),
        );
        expect(result.detail, `${where}: the message quotes the ceiling`).toContain(String(result.ceiling.value));
      }
    }
  });

  it("no field is capped at a limit's value without its error naming the limit", () => {
    const limitValues = new Set<number>(Object.values(limits));
    const unnamed = results.filter(
      (r) =>
        r.conclusive &&
        !r.namedLimit &&
        r.status === 400 &&
        limitValues.has(r.ceiling.value) &&
        !reviewedCeilings.includes(describeCeiling(r.ceiling)),
    );
    expect(
      unnamed.map((r) => `${describeCeiling(r.ceiling)}: "${r.detail}"`),
      'quote "(the limit <name>)" and the value in the zod message of each of these fields',
    ).toEqual([]);
  });

  // One case per limit: a limit no operation enforces (or whose error does not name it) fails here.
  for (const name of Object.keys(limits) as LimitName[]) {
    if (notSchemaLimits.includes(name)) continue;
    it(`${name} = ${limits[name]}: exceeding it is a 400 naming the limit and its value`, () => {
      expect(
        credited.has(name),
        `no request one past ${name} was refused with a 400 naming it: add a probe to derivedLimitProbes, or list it in notSchemaLimits with the reason`,
      ).toBe(true);
      for (const result of results.filter(
        (r) => r.namedLimit === name && r.conclusive && r.ceiling.value === limits[name],
      )) {
        const where = describeCeiling(result.ceiling);
        expect(result.status, where).toBe(400);
        expect(result.ceiling.value, `${where}: the schema's ceiling is the limit's value`).toBe(limits[name]);
        expect(result.detail, `${where}: the message quotes the value`).toContain(String(limits[name]));
      }
    });
  }

  it('every limit is in the OpenAPI limits table with its value', () => {
    const description = document.info.description as string;
    for (const [name, value] of Object.entries(limits)) {
      expect(description, name).toMatch(new RegExp(`\\|\\s*${name}\\s*\\|\\s*${value}\\s*\\|`));
    }
  });

  it('a body one byte over maxBodyBytes is a 413 naming the limit and its value; exactly at it is not', async () => {
    // Every POST operation, or a stand-in echo route while none is on main (the guard is shared middleware).
    let target = app;
    let posts = operations.filter((o) => o.method === 'POST');
    if (posts.length === 0) {
      target = createApp();
      target.openapi(
        createRoute({
          method: 'post',
          path: '/v1/echo',
          request: { body: { content: { 'application/json': { schema: z.object({}).passthrough() } } } },
          responses: { 200: { description: 'ok' }, ...errorResponses(...postErrorStatuses) },
        }),
        (c) => c.json({}, 200),
      );
      posts = [
        {
          method: 'POST',
          path: '/v1/echo',
          operationId: 'echo',
          query: [],
          bodyExamples: [{ name: 'empty', value: {} }],
        },
      ];
    }
    for (const operation of posts) {
      const text = JSON.stringify(operation.bodyExamples[0]?.value ?? {});
      const url = `http://localhost${urlOf(operation, exampleQuery(operation))}`;
      const bytes = new TextEncoder().encode(text).length;
      // Trailing whitespace is valid JSON, so the same request can be padded to any size.
      const at = text + ' '.repeat(limits.maxBodyBytes - bytes);
      const over = `${at} `;
      const headers = { 'content-type': 'application/json' };
      const atLimit = await target.request(url, { method: 'POST', headers, body: at });
      expect(atLimit.status, `${operation.path} at exactly maxBodyBytes`).not.toBe(413);
      const overLimit = await target.request(url, { method: 'POST', headers, body: over });
      expect(overLimit.status, `${operation.path} one byte over`).toBe(413);
      expect(overLimit.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await overLimit.json()) as { detail: string }).detail).toContain(
        `maxBodyBytes = ${limits.maxBodyBytes}`,
      );
    }
  });
});
