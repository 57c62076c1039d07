/**
 * Robustness of every operation in the OpenAPI document, inside workerd, with a fixed seed so CI is
 * repeatable (a failure prints the seed and the shrunk request). The long run is `npm run fuzz -- --runs 10000`.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { apiDescription } from './support/operations.js';
import { robustnessProperty } from './support/robustness.js';
import { app } from './helpers.js';
import { inertTuningEnv } from './support/tuning-fake.js';

const seed = 20261125;
const runsPerOperation = 60;
/** Far above any accepted request's cost; a request that takes longer is a hang. */
const requestTimeoutMs = 10_000;
/** Tuning jobs go to a runner that runs nothing (test/support/tuning-fake.ts): validation is what is fuzzed. */
const fetcher = { request: (input: string, init?: RequestInit) => app.request(input, init, inertTuningEnv) };

describe('every operation survives arbitrary and extreme requests', () => {
  const { operations } = apiDescription();

  it('the OpenAPI document lists operations to fuzz', () => {
    if (operations.length < 3) throw new Error(`only ${operations.length} operations found`);
  });

  for (const operation of operations) {
    it(`${operation.method} ${operation.path} (${operation.operationId}): no 5xx, problem+json with pointers, bounded, repeatable`, async () => {
      await fc.assert(robustnessProperty(fetcher, operation, requestTimeoutMs), {
        seed,
        numRuns: runsPerOperation,
        endOnFailure: false,
      });
    }, 120_000);
  }
});
