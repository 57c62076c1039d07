/**
 * The robustness suite must be able to fail: an app with planted faults (a crash at a schema edge, a hang on
 * duplicated names, an answer that varies between identical requests, an error without pointers) is fuzzed
 * with the same generators and each fault has to be found.
 */
import fc from 'fast-check';
import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it, vi } from 'vitest';
import { createApp, openApiDocument } from '../src/http/app.js';
import { errorResponses, postErrorStatuses } from '../src/http/schemas/common.js';
import { operationsOf } from './support/operations.js';
import { robustnessProperty } from './support/robustness.js';

type Fault = 'crash-at-maximum' | 'hang-on-duplicate-names' | 'varies-on-extra-key' | 'error-without-pointers' | 'none';

function plantedApp(fault: Fault) {
  const app = createApp();
  const Member = z.object({ name: z.string().min(1).max(20), zone: z.string().optional() }).strict();
  const Body = z
    .object({ members: z.array(Member).min(1).max(9), trials: z.number().int().min(1).max(1000).optional() })
    .passthrough()
    .openapi('PlantedBody');
  const route = createRoute({
    method: 'post',
    path: '/v1/planted',
    operationId: 'planted',
    summary: 'planted',
    request: {
      body: {
        content: {
          'application/json': {
            schema: Body,
            examples: { small: { value: { members: [{ name: 'a', zone: 'z1' }, { name: 'b' }], trials: 10 } } },
          },
        },
      },
    },
    responses: {
      200: { description: 'ok', content: { 'application/json': { schema: z.object({ n: z.number() }) } } },
      ...errorResponses(...postErrorStatuses),
    },
  });
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    if (fault === 'crash-at-maximum' && body.trials === 1000) throw new Error('planted');
    if (fault === 'hang-on-duplicate-names' && new Set(body.members.map((m) => m.name)).size < body.members.length) {
      await new Promise(() => {});
    }
    if (fault === 'varies-on-extra-key' && Object.keys(body).some((key) => key !== 'members' && key !== 'trials')) {
      return c.json({ n: Math.random() }, 200);
    }
    if (fault === 'error-without-pointers' && body.members.length === 9) {
      return c.body(JSON.stringify({ type: '/problems/validation', title: 't', status: 400, detail: 'd' }), 400, {
        'content-type': 'application/problem+json',
      });
    }
    return c.json({ n: body.members.length }, 200);
  });
  const document = openApiDocument(app);
  const operation = operationsOf(document).find((o) => o.operationId === 'planted')!;
  return { app, document, operation };
}

async function findsFault(fault: Fault): Promise<string | undefined> {
  const { app, document, operation } = plantedApp(fault);
  const result = await fc.check(robustnessProperty(app, operation, 200, document), {
    seed: 7,
    numRuns: 400,
    endOnFailure: true,
  });
  return result.failed ? String((result.errorInstance as Error | undefined)?.message) : undefined;
}

// 400 requests per case: a few seconds on a quiet machine, much longer on a busy one.
vi.setConfig({ testTimeout: 120_000 });

describe('the robustness properties find planted faults', () => {
  it('a crash at the schema maximum is reported as a 5xx', async () => {
    // The planted crash is logged by the app's error handler; keep the test output to the result.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await findsFault('crash-at-maximum')).toMatch(/answered 500/);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
  it('a hang on duplicated names is reported as a hang', async () => {
    expect(await findsFault('hang-on-duplicate-names')).toMatch(/hang/);
  });
  it('an answer that changes between identical requests (on an unexpected key) is reported', async () => {
    expect(await findsFault('varies-on-extra-key')).toMatch(/answered differently/);
  });
  it('a 400 without pointers is reported', async () => {
    expect(await findsFault('error-without-pointers')).toMatch(/without an errors list/);
  });
  it('the fault-free planted app passes', async () => {
    expect(await findsFault('none')).toBeUndefined();
  });
});
