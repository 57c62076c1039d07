/**
 * Every answer matches the served OpenAPI document: the documented examples of every operation, the answers
 * with null sections (a hosted platform), and each documented error status, validated with a JSON Schema
 * validator (@cfworker/json-schema) against the response schema the document gives for that status. The
 * fuzzed requests of test/robustness.test.ts go through the same check (support/conformance.ts).
 */
import { describe, expect, it } from 'vitest';
import { limits } from '../src/http/limits.js';
import { app, postJson } from './helpers.js';
import { conformanceViolations, schemaViolations } from './support/conformance.js';
import { apiDescription, exampleQuery, urlOf } from './support/operations.js';

const { document, operations } = apiDescription();

async function answerOf(method: string, url: string, init: RequestInit = {}) {
  const response = await app.request(url, { method, ...init });
  return {
    method,
    url,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

function post(url: string, body: string, contentType = 'application/json') {
  return answerOf('POST', url, { headers: { 'content-type': contentType }, body });
}

describe('answers conform to the served OpenAPI document', () => {
  it('the check can fail: null against the schema the generator used to emit, and a wrong field type', () => {
    // What @hono/zod-openapi emits for CommandLineSchema.nullable(): an allOf that null can never satisfy.
    const broken = { allOf: [{ $ref: '#/components/schemas/CommandLine' }, { type: ['object', 'null'] }] };
    expect(schemaViolations(document, 'broken nullable', broken, null)).not.toEqual([]);
    const problem = { $ref: '#/components/schemas/Problem' };
    expect(
      schemaViolations(document, 'problem', problem, { type: '/x', title: 't', status: '400', detail: 'd' }),
    ).toEqual([expect.stringContaining('/status')]);
    expect(
      conformanceViolations(document, {
        method: 'GET',
        url: '/v1/quorum?voters=3',
        status: 418,
        contentType: 'application/json',
        text: '{}',
      }),
    ).toEqual([expect.stringContaining('not documented')]);
  });

  for (const operation of operations) {
    // Operations on a resource by id (tunings) have no example to call without creating one first.
    if (operation.path.includes('{')) continue;
    const url = urlOf(operation, exampleQuery(operation));
    if (operation.method === 'GET') {
      it(`${operation.method} ${operation.path}: the example query's answer`, async () => {
        const answer = await answerOf('GET', url);
        expect(answer.status).toBe(200);
        expect(conformanceViolations(document, answer)).toEqual([]);
      });
      continue;
    }
    for (const example of operation.bodyExamples) {
      it(`${operation.method} ${operation.path}: example "${example.name}"`, async () => {
        const answer = await post(url, JSON.stringify(example.value));
        // Accepted; a documented 503 (a job runner this host lacks) is an answer, a 500 never is.
        expect(answer.status, answer.text.slice(0, 300)).not.toBe(500);
        expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(answer.status === 503 ? 600 : 300);
        expect(conformanceViolations(document, answer)).toEqual([]);
      });
    }
  }

  it('a hosted platform: config and plan answers with null sections validate (issue 14, item 3)', async () => {
    const proposal = { topology: 'stacked', platform: 'hosted', controlPlane: { nodes: 3 } };
    const config = await post('/v1/config', JSON.stringify(proposal));
    expect(config.status).toBe(200);
    const body = JSON.parse(config.text);
    for (const section of ['etcd', 'apiServer', 'controllerManager', 'scheduler', 'kubeadm'])
      expect(body[section], section).toBeNull();
    expect(conformanceViolations(document, config)).toEqual([]);
    const plan = await post('/v1/plans', JSON.stringify(proposal));
    expect(JSON.parse(plan.text).writeLatency).toBeNull();
    expect(conformanceViolations(document, plan)).toEqual([]);
  });

  it('every documented error status, as answered, validates against its problem schema', async () => {
    const answers = [
      await answerOf('GET', '/v1/quorum?voters=x'),
      await answerOf('GET', '/v1/nope'),
      await answerOf('DELETE', '/v1/quorum'),
      await post('/v1/plans', '{"topology":'),
      await post('/v1/plans', '{}'),
      await post('/v1/plans', '{}', 'text/plain'),
      await post('/v1/plans', `"${'x'.repeat(limits.maxBodyBytes)}"`),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 404, 405, 400, 400, 415, 413]);
    for (const answer of answers) expect(conformanceViolations(document, answer), answer.url).toEqual([]);
  });
});

describe('maxJsonDepth: bodies nested too deep are refused before anything walks them', () => {
  const nest = (levels: number, inner: unknown = 1) => {
    let value = inner;
    for (let i = 0; i < levels; i++) value = { a: value };
    return value;
  };

  it('5,000 levels under a field: a 400 at the pointer where the limit is passed, naming the limit', async () => {
    const response = await postJson('/v1/plans', { topology: 'stacked', controlPlane: nest(5000) });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    // The body's root is level 1, controlPlane level 2: the container at level maxJsonDepth + 1 is reported.
    const expectedPointer = `/controlPlane${'/a'.repeat(limits.maxJsonDepth - 1)}`;
    expect(problem.errors).toEqual([
      { pointer: expectedPointer, location: 'body', detail: expect.stringContaining('maxJsonDepth = 32') },
    ]);
  });

  it('exactly maxJsonDepth levels is not refused for its depth (the schema judges it)', async () => {
    // Root object + (maxJsonDepth - 1) nested objects = maxJsonDepth containers.
    const response = await postJson('/v1/plans', {
      topology: 'stacked',
      controlPlane: nest(limits.maxJsonDepth - 2, {}),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('maxJsonDepth');
  });

  it('a deep array is refused the same way', async () => {
    const text = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const response = await app.request('/v1/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('maxJsonDepth');
  });
});
