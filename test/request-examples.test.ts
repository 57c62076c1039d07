/**
 * Request bodies carry NAMED examples (OpenAPI `examples`, not a lone `example`): /docs offers them in a picker,
 * generated clients and models copy them, and the MCP tests call each tool with the first one. Each must be
 * accepted by its own route. The issue asks for these scenarios by name; an operation that has landed must
 * carry them (operations not on main yet are skipped until they land).
 */
import { describe, expect, it } from 'vitest';
import committed from '../openapi/openapi.json';
import { listOperations, operationKey } from '../src/http/operations.js';
import { postJson } from './helpers.js';

const requiredExamples: Record<string, string[]> = {
  'POST /v1/plans': ['minimalStacked', 'externalFiveOverThreeZones', 'twoZones'],
  'POST /v1/config': ['minimalStacked', 'externalFiveOverThreeZones', 'twoZones'],
  'POST /v1/recommendations': ['twoZones'],
  'POST /v1/simulations': ['leaderCrash'],
};

const posts = listOperations(committed).filter((op) => op.method === 'POST');

describe('named request examples', () => {
  it.each(posts.map((op) => [operationKey(op), op] as const))(
    '%s has named examples, each with a summary',
    (_key, op) => {
      const examples = Object.entries(op.bodyExamples);
      expect(examples.length).toBeGreaterThan(0);
      expect(examples.map(([name]) => name)).not.toContain('example');
      for (const [name, example] of examples) expect(example.summary, name).toBeTruthy();
    },
  );

  it.each(posts.map((op) => [operationKey(op), op] as const))('%s carries the scenarios the issue names', (key, op) => {
    for (const name of requiredExamples[key] ?? []) expect(Object.keys(op.bodyExamples), key).toContain(name);
  });

  it.each(
    posts.flatMap((op) =>
      Object.entries(op.bodyExamples).map(([name, ex]) => [operationKey(op), name, op.path, ex.value] as const),
    ),
  )('%s example %s is accepted by its route', async (_key, _name, path, value) => {
    const response = await postJson(path, value);
    // 202: an operation that starts a job (POST /v1/tunings) accepts it and answers with the job.
    expect([200, 202], await response.clone().text()).toContain(response.status);
  });

  it('every query parameter has an example (the MCP tests call each GET tool with them)', () => {
    for (const op of listOperations(committed).filter((o) => o.method === 'GET')) {
      for (const p of op.parameters) expect(p.schema.example, `${operationKey(op)} ${p.name}`).toBeDefined();
    }
  });
});
