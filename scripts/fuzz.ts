/**
 * The long robustness run: the same properties as test/robustness.test.ts, under Node, with many more runs.
 *   npm run fuzz -- --runs 10000            10000 requests per operation (each sent twice), a fresh seed
 *   npm run fuzz -- --seed 42 --runs 500    replay a seed
 *   npm run fuzz -- --only getQuorum        one operation (operationId or path)
 * Prints the seed first, so any failure can be replayed; exits 1 on the first failure with the shrunk request.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { createApp } from '../src/http/app.js';
import { apiDescription } from '../test/support/operations.js';
import { inertTuningEnv } from '../test/support/tuning-fake.js';
import { robustnessProperty, type FuzzRequest } from '../test/support/robustness.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});
const runs = Number(values.runs);
// The one place a seed may come from the clock: a fresh exploration per run, printed so it replays.
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const timeoutMs = Number(values['timeout-ms']);

const app = createApp();
const statuses = new Map<string, Map<number, number>>();
let slowestMs = 0;
let slowest = '';

const { operations } = apiDescription();
const selected = operations.filter((o) => !values.only || o.operationId === values.only || o.path === values.only);
console.log(
  `fuzz: seed ${seed}, ${runs} runs per operation, ${selected.length} operations, request bound ${timeoutMs} ms`,
);

let failed = false;
for (const operation of selected) {
  const name = `${operation.method} ${operation.path}`;
  const counts = new Map<number, number>();
  statuses.set(name, counts);
  // Counts statuses and the slowest request, around the same app the property uses.
  const counted = {
    async request(input: string, init?: RequestInit) {
      const started = performance.now();
      // Tuning jobs go to a runner that runs nothing: the fuzz is about validation, not about starting jobs.
      const response = await app.request(input, init, inertTuningEnv);
      const elapsed = performance.now() - started;
      counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
      if (elapsed > slowestMs) {
        slowestMs = elapsed;
        slowest = `${init?.method ?? 'GET'} ${input.slice(0, 120)}`;
      }
      return response;
    },
  };
  const started = performance.now();
  const result = await fc.check(robustnessProperty(counted, operation, timeoutMs), { seed, numRuns: runs });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  if (result.failed) {
    failed = true;
    console.log(
      `✗ ${name} after ${result.numRuns} runs (${seconds} s): replay with --seed ${seed} --only ${operation.operationId}`,
    );
    console.log(String((result.errorInstance as Error | undefined)?.message ?? 'failed'));
    if (result.counterexample)
      console.log('counterexample:', JSON.stringify(result.counterexample[0] as FuzzRequest).slice(0, 2000));
  } else {
    console.log(`✓ ${name}: ${result.numRuns} runs in ${seconds} s; statuses ${summary}`);
  }
}
console.log(`slowest request: ${slowestMs.toFixed(1)} ms (${slowest})`);
process.exit(failed ? 1 : 0);
