/**
 * Summary style (issue 11, point 8): over every documented request example of plans, config, recommendations,
 * simulations (both kinds), change plans and quorum, and generated requests of recommendations (1,000),
 * simulations (both kinds) and change plans, the summary answers first, stays within its length (400
 * characters; recommendations 600), writes plurals correctly, keeps codes and issue references out of its
 * sentences and names only what the request or the answer names. (Plan and config summaries of 2,000
 * generated bodies: test/summary-truth.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommend } from '../src/domain/plan/recommend.js';
import { normalizeRecommendationInput } from '../src/domain/plan/recommend.js';
import { get, postJson } from './helpers.js';
import { completeJobExample, queuedJobExample } from '../src/http/schemas/tunings.js';
import { tuningAnswerSummary } from '../src/domain/tuning/summarize.js';
import { checkStyle } from './support/summary-style.js';

interface Answer {
  summary: string;
  kind?: string;
  cluster?: { members: { name: string; zone: string }[] };
  trial?: { summary?: string; metrics?: { newLeader: string | null } };
  distribution?: { summary?: string };
  comparison?: { summary: string };
  [key: string]: unknown;
}

/** Every name-like word of a summary (cp-1, etcd-3, zone-b) is one the request or the answer names. */
function checkNames(summary: string, request: unknown, answer: unknown): void {
  const known = `${JSON.stringify(request)} ${JSON.stringify(answer)}`;
  for (const name of summary.match(/\b[a-z]+-\d+\b|\bzone-[a-z0-9]+\b/g) ?? []) {
    if (/^(p\d+|pre-vote)$/.test(name)) continue;
    expect(known.includes(`"${name}"`), `${name} in: ${summary}`).toBe(true);
  }
}

/** A simulation's summaries (and the parts of a control-plane answer): the style, the first sentence, the names. */
function checkSimulation(request: unknown, answer: Answer): void {
  for (const part of [answer.trial?.summary, answer.distribution?.summary, answer.comparison?.summary]) {
    if (part !== undefined) checkStyle(part);
  }
  const first = answer.summary.split(/(?<=\.) /)[0]!;
  if (answer.kind === 'control-plane') {
    // The question: when was everything back?
    expect(first).toMatch(
      /^In (this simulated trial|\d+ simulated trials), (everything was (typically )?back [\d.]+ s after the first fault|nothing was interrupted|not everything had recovered by the horizon|the control plane typically had not fully recovered by the horizon)/,
    );
  } else {
    // The question: how long were writes unavailable, and when did a new leader come?
    expect(first).toMatch(
      /^(In one simulated trial of .+, (writes were unavailable for [\d.]+ m?s in all|writes never stopped|no new leader was elected)|Over \d+ simulated trials of .+, writes were typically unavailable for|In none of \d+ simulated trials)/,
    );
  }
  checkNames(answer.summary, request, answer);
}

/** A change plan's summary: the steps and the voters first, then tolerance. */
function checkChangePlan(answer: Answer): void {
  expect(answer.summary).toMatch(
    /^(\d+ steps? take the cluster from \d+ (stacked |external )?voters? to \d+|Nothing to change)/,
  );
  expect(answer.summary, 'no change kind codes').not.toMatch(
    /\((grow|shrink|replace|upgrade|downgrade|restore|move-zones|stacked-to-external|external-to-stacked|control-plane-nodes)/,
  );
}

interface OpenApi {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>
  >;
}

const limits: Record<string, number> = { '/v1/recommendations': 600 };

describe('every documented example', () => {
  it('gets a summary in the house style', async () => {
    const doc = (await (await get('/openapi.json')).json()) as OpenApi;
    let checked = 0;
    for (const path of ['/v1/plans', '/v1/config', '/v1/recommendations', '/v1/simulations', '/v1/changes']) {
      const examples = doc.paths[path]!.post!.requestBody!.content['application/json']!.examples ?? {};
      for (const [name, example] of Object.entries(examples)) {
        const response = await postJson(path, example.value);
        expect(response.status, `${path} ${name}`).toBe(200);
        const answer = (await response.json()) as Answer;
        checkStyle(answer.summary, limits[path] ?? 400);
        if (path === '/v1/simulations') checkSimulation(example.value, answer);
        if (path === '/v1/changes') checkChangePlan(answer);
        checked++;
      }
    }
    for (const query of ['voters=1', 'voters=2', 'voters=3&learners=1', 'voters=3&learners=2', 'voters=8']) {
      const { summary } = (await (await get(`/v1/quorum?${query}`)).json()) as { summary: string };
      checkStyle(summary);
      expect(summary, 'the first sentence answers: the quorum').toMatch(/^etcd needs \d+ of \d+ voters?; /);
      checked++;
    }
    // Tuning jobs: the documented queued and complete jobs, and a complete one without a recommendation.
    const answer = completeJobExample.answer!;
    const none = {
      ...answer,
      recommendation: { point: null, reason: 'The one point etcd accepts does not meet the objective.' },
    };
    for (const summary of [queuedJobExample.summary, completeJobExample.summary, tuningAnswerSummary('job-1', none)]) {
      checkStyle(summary);
      checked++;
    }
    expect(completeJobExample.summary).toBe(tuningAnswerSummary(completeJobExample.id, answer));
    expect(completeJobExample.summary).toMatch(
      /^Tuning job [\w-]+ is complete and recommends heartbeat 100 ms, election timeout 1000 ms, pre-vote on: /,
    );
    expect(checked).toBeGreaterThanOrEqual(30);
  });
});

describe('1,000 generated recommendation requests', () => {
  it('answer first and keep the style', () => {
    fc.assert(
      fc.property(
        fc.record({
          nodeFailures: fc.integer({ min: 0, max: 3 }),
          zoneLoss: fc.boolean(),
          zones: fc.constantFrom<string[]>(['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e']),
          topology: fc.constantFrom('any' as const, 'stacked' as const, 'external' as const),
          maxHosts: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
          interZoneRttMs: fc.integer({ min: 1, max: 200 }),
        }),
        (input) => {
          const normalized = normalizeRecommendationInput(
            {
              nodeFailures: input.nodeFailures,
              zoneLoss: input.zoneLoss,
              zones: input.zones,
              topology: input.topology,
              ...(input.maxHosts === undefined ? {} : { maxHosts: input.maxHosts }),
              network: { interZoneRttMs: input.interZoneRttMs },
            },
            { maxVoters: 9, maxControlPlaneNodes: 9 },
          );
          if (!normalized.ok) return;
          const answer = recommend(normalized.request);
          checkStyle(answer.summary, 600);
          expect(answer.summary).toMatch(answer.feasible ? /^For / : /^Nothing meets the requirements/);
          for (const r of answer.recommendations) checkStyle(r.plan.summary);
        },
      ),
      { numRuns: 1_000, seed: 8 },
    );
  }, 120_000);
});

const faults = [
  { type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } },
  { type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0 } },
  { type: 'crash', target: { kind: 'member', name: 'etcd-1' }, at: { atMs: 50 }, restartAfterMs: 3000 },
  { type: 'partition', groups: [['etcd-1']], at: { atMs: 0 }, healAfterMs: 4000 },
  { type: 'partition', groups: [['etcd-1', 'etcd-2']], at: { atMs: 0 }, oneWay: true },
] as const;

describe('generated simulations, both kinds', () => {
  it('etcd elections: 240 requests answer first and keep the style', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          members: fc.integer({ min: 1, max: 7 }),
          learners: fc.integer({ min: 0, max: 1 }),
          version: fc.constantFrom('3.4', '3.5', '3.6'),
          electionTimeoutMs: fc.constantFrom(500, 1000, 1050, 3000),
          rttMs: fc.constantFrom(0.5, 10, 80),
          faults: fc.subarray([...faults], { minLength: 0, maxLength: 2 }),
          trials: fc.constantFrom(1, 1, 5, 30, 250),
          seed: fc.nat(1000),
        }),
        async (g) => {
          const request = {
            members: Math.max(g.members, 2),
            learners: g.learners,
            etcd: { version: g.version, electionTimeoutMs: g.electionTimeoutMs },
            rttMs: g.rttMs,
            scenario: { faults: g.faults, ...(g.faults.length === 0 ? { start: 'bootstrap' } : {}) },
            trials: g.trials,
            seed: g.seed,
          };
          const response = await postJson('/v1/simulations', request);
          expect(response.status, JSON.stringify(request)).toBe(200);
          const answer = (await response.json()) as Answer;
          checkStyle(answer.summary);
          checkSimulation(request, answer);
        },
      ),
      { numRuns: 240, seed: 12 },
    );
  }, 300_000);

  it('the control plane: 60 requests answer first and keep the style', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          topology: fc.constantFrom('stacked', 'external'),
          nodes: fc.integer({ min: 1, max: 5 }),
          zones: fc.constantFrom(['a'], ['a', 'b'], ['a', 'b', 'c']),
          fault: fc.constantFrom(
            {
              type: 'crash',
              target: { kind: 'lease-holder', component: 'kube-controller-manager' },
              at: { atMs: 1000 },
            },
            { type: 'stop', target: { kind: 'node', name: 'cp-1' }, at: { atMs: 500 } },
            { type: 'crash', target: { kind: 'zone', name: 'a' }, at: { atMs: 1000, withinMs: 1000 } },
            {
              type: 'crash',
              target: { kind: 'node', name: 'cp-1' },
              components: ['kube-apiserver'],
              at: { atMs: 0 },
              restartAfterMs: 5000,
            },
          ),
          trials: fc.constantFrom(1, 3, 25),
          compare: fc.boolean(),
          seed: fc.nat(1000),
        }),
        async (g) => {
          const request = {
            kind: 'control-plane',
            cluster: { topology: g.topology, controlPlane: { nodes: g.nodes, zones: g.zones } },
            scenario: { faults: [g.fault] },
            trials: g.trials,
            seed: g.seed,
            ...(g.compare && g.fault.target.kind === 'zone'
              ? { controlPlaneOptions: { compareTopologies: true } }
              : {}),
          };
          const response = await postJson('/v1/simulations', request);
          expect(response.status, JSON.stringify(request)).toBe(200);
          const answer = (await response.json()) as Answer;
          checkStyle(answer.summary);
          checkSimulation(request, answer);
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  }, 300_000);
});

describe('generated change plans', () => {
  it('150 requests answer first and keep the style', async () => {
    const side = (topology: string, count: number, version: string) =>
      topology === 'stacked'
        ? { topology, controlPlane: { nodes: count, zones: ['a', 'b', 'c'] }, etcd: { version } }
        : { topology, controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] }, etcd: { version, members: count } };
    let planned = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          from: fc.constantFrom('stacked', 'external'),
          to: fc.constantFrom('stacked', 'external'),
          current: fc.integer({ min: 1, max: 7 }),
          target: fc.integer({ min: 1, max: 7 }),
          versions: fc.constantFrom(['3.5', '3.5'], ['3.4', '3.5'], ['3.5', '3.6'], ['3.4', '3.6'], ['3.6', '3.5']),
          replace: fc.boolean(),
        }),
        async (g) => {
          const request = {
            current: side(g.from, g.current, g.versions[0]!),
            target: side(g.to, g.target, g.versions[1]!),
            ...(g.replace ? { options: { replaceMembers: [g.from === 'stacked' ? 'cp-1' : 'etcd-1'] } } : {}),
          };
          const response = await postJson('/v1/changes', request);
          if (response.status !== 200) return; // A refusal (422) is a problem, not a summary.
          planned++;
          const answer = (await response.json()) as Answer;
          checkStyle(answer.summary);
          checkChangePlan(answer);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
    expect(planned).toBeGreaterThanOrEqual(100);
  }, 300_000);
});
