import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/http/app.js';
import { app, get, problemOf } from './helpers.js';

const problemType = /^application\/problem\+json/;

describe('errors are RFC 9457 problem details', () => {
  it('404 for an unknown path', async () => {
    const response = await get('/v1/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(problemType);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: '/problems/not-found', status: 404, instance: '/v1/nope' });
    expect(problem.detail).toContain('/v1/nope');
  });

  it('405 with Allow for a wrong method', async () => {
    const response = await app.request('/v1/quorum?voters=3', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toMatch(problemType);
    expect((await problemOf(response)).type).toBe('/problems/method-not-allowed');
  });

  it("malformed JSON is a 400 with the parser's reason", async () => {
    const testApp = createApp();
    testApp.post('/v1/echo', async (c) => c.json(await c.req.json()));
    const response = await testApp.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(problemType);
    const problem = await problemOf(response);
    expect(problem.type).toBe('/problems/malformed-json');
    expect(problem.errors?.[0]?.pointer).toBe('');
  });

  it('415 for a body that is not JSON', async () => {
    const testApp = createApp();
    testApp.post('/v1/echo', (c) => c.text('unreachable'));
    const response = await testApp.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'voters=3',
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(problemType);
    expect((await problemOf(response)).detail).toContain('text/plain');
  });

  it('413 for a body over maxBodyBytes, naming the limit', async () => {
    const testApp = createApp();
    testApp.post('/v1/echo', (c) => c.text('unreachable'));
    const body = JSON.stringify({ padding: 'x'.repeat(70_000) });
    const response = await testApp.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(problemType);
    expect((await problemOf(response)).detail).toContain('maxBodyBytes = 65536');
  });

  it('500 carries no stack or message from the failure', async () => {
    const testApp = createApp();
    testApp.get('/v1/boom', () => {
      throw new Error('secret database password in /srv/app/internal.ts');
    });
    // The server logs the failure (with the request id) for its operator; the client sees none of it.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await testApp.request('/v1/boom');
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^request \S+ failed:$/), expect.any(Error));
    logged.mockRestore();
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(problemType);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('internal.ts');
    expect(JSON.parse(text)).toMatchObject({ type: '/problems/internal', status: 500 });
  });

  it('schema violations list each field with its pointer', async () => {
    const problem = await problemOf(await get('/v1/quorum?voters=x&learners=-2'));
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(['learners', 'voters']);
    expect(problem.detail).toMatch(/^2 problems in the request/);
  });
});

describe('request id, CORS and health', () => {
  it('generates an X-Request-Id and echoes it in problem bodies', async () => {
    const response = await get('/v1/nope');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await problemOf(response)).requestId).toBe(id);
  });

  it('echoes a caller-supplied X-Request-Id', async () => {
    const response = await get('/healthz', { 'X-Request-Id': 'ci-run-42' });
    expect(response.headers.get('x-request-id')).toBe('ci-run-42');
  });

  it('answers CORS preflight for browser tooling', async () => {
    const response = await app.request('/v1/quorum', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('GET /healthz is ok', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
