/**
 * The Node server (src/node.ts) on a real socket: what happens to a keep-alive connection after a 413
 * (issue 14, items 4 and 5), and whether /healthz still answers while the most expensive accepted requests
 * run (the worker-thread pool keeps them off the event loop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '../../src/http/limits.js';
import { startNodeServer } from './support/node-server.js';
import { oversizedPost, RawConnection } from './support/raw-http.js';

let server: { base: string; stop: () => void };
let port: number;
beforeAll(async () => {
  server = await startNodeServer();
  port = Number(new URL(server.base).port);
}, 60_000);
afterAll(() => server?.stop());

/** Problem details of a 413 that names the limit. */
function expectPayloadTooLarge(response: { status: number; headers: Record<string, string>; body: string }) {
  expect(response.status).toBe(413);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.body);
  expect(problem).toMatchObject({ status: 413, type: '/problems/payload-too-large' });
  expect(problem.detail).toContain(`maxBodyBytes = ${limits.maxBodyBytes}`);
}

describe('a 413 on a keep-alive connection', () => {
  // 300 KB is where resets began (issue 14); 1 MB is well past it, and under the 4 MiB the server drains.
  for (const bytes of [70_000, 300_000, 1_000_000]) {
    for (const chunked of [false, true]) {
      it(`${bytes} bytes${chunked ? ', chunked' : ''}: a 413 problem, then the same connection answers the next request`, async () => {
        const connection = new RawConnection(port);
        try {
          await connection.write(oversizedPost('/v1/plans', bytes, chunked));
          const refused = await connection.response();
          expectPayloadTooLarge(refused);
          expect(refused.headers.connection).not.toBe('close');
          // Well past the 500 ms after which the reset used to come.
          await new Promise((r) => setTimeout(r, 800));
          await connection.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
          const next = await connection.response();
          expect(next.status).toBe(200);
          expect(connection.closed).toBeUndefined();
        } finally {
          connection.destroy();
        }
      });
    }
  }

  it('a body too large to drain (8 MB): the 413 problem says Connection: close, and the connection ends', async () => {
    const connection = new RawConnection(port);
    try {
      // The write may fail half-way (the server stops reading); the answer must still arrive whole.
      void connection.write(oversizedPost('/v1/plans', 8_000_000, false));
      const refused = await connection.response();
      expectPayloadTooLarge(refused);
      expect(refused.headers.connection).toBe('close');
      expect(await connection.closing()).toMatch(/^(end|ECONNRESET|EPIPE)$/);
    } finally {
      connection.destroy();
    }
  });
});

describe('responsiveness while the most expensive accepted requests run', () => {
  it('/healthz answers within 1 s while every worker thread runs a maximal simulation', async () => {
    const heavy = [
      // The most members at 10,000 trials: accepted and close to the maxSimulationEvents budget (at
      // maxSimulationTrials, 9 members would exceed that budget and be refused up front with a 400).
      { members: limits.maxSimulationMembers, trials: 10_000 },
      {
        kind: 'control-plane',
        cluster: { topology: 'stacked', controlPlane: { nodes: 3 } },
        trials: limits.maxControlPlaneTrials,
      },
    ];
    const running = heavy.flatMap((body) =>
      [0, 1].map(() =>
        fetch(`${server.base}/v1/simulations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, finishedAt: performance.now(), text: await r.text() })),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    const health: { ms: number; at: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await fetch(`${server.base}/healthz`);
      expect(response.status).toBe(200);
      health.push({ ms: performance.now() - started, at: performance.now() });
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await Promise.all(running);
    for (const answer of answers) expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    // Meaningful only if the simulations were still running when /healthz answered: they must outlast it.
    const lastFinished = Math.max(...answers.map((a) => a.finishedAt));
    expect(health[0]!.at).toBeLessThan(lastFinished);
    // A generous bound (the machine is shared), not a benchmark: a blocked event loop makes every probe wait
    // seconds, behind whole simulations; the median keeps one probe descheduled on a busy machine from failing it.
    const sorted = health.map((h) => h.ms).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(1000);
  });
});
