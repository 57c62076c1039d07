/**
 * Summary style (issue 11, point 8): over every documented request example of plans, config, recommendations
 * and quorum, and 1,000 generated recommendation requests, the summary answers first, stays within its length
 * (400 characters; recommendations 600), writes plurals correctly, and keeps codes and issue references out of
 * its sentences. (Plan and config summaries of 2,000 generated bodies: test/summary-truth.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommend } from '../src/domain/plan/recommend.js';
import { normalizeRecommendationInput } from '../src/domain/plan/recommend.js';
import { get, postJson } from './helpers.js';
import { checkStyle } from './support/summary-style.js';

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
    for (const path of ['/v1/plans', '/v1/config', '/v1/recommendations']) {
      const examples = doc.paths[path]!.post!.requestBody!.content['application/json']!.examples ?? {};
      for (const [name, example] of Object.entries(examples)) {
        const response = await postJson(path, example.value);
        expect(response.status, `${path} ${name}`).toBe(200);
        const { summary } = (await response.json()) as { summary: string };
        checkStyle(summary, limits[path] ?? 400);
        checked++;
      }
    }
    for (const query of ['voters=1', 'voters=2', 'voters=3&learners=1', 'voters=3&learners=2', 'voters=8']) {
      const { summary } = (await (await get(`/v1/quorum?${query}`)).json()) as { summary: string };
      checkStyle(summary);
      expect(summary, 'the first sentence answers: the quorum').toMatch(/^etcd needs \d+ of \d+ voters?; /);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
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
