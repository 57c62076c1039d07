/**
 * The long robustness run: the same properties as test/robustness.test.ts, under Node, with many more runs.
 *   npm run fuzz -- --runs 10000            10000 requests per operation (each sent twice), a fresh seed
 *   npm run fuzz -- --seed 42 --runs 500    replay a seed
 *   npm run fuzz -- --only getQuorum        one operation (operationId or path)
 * Prints the seed first, so any failure can be replayed; exits 1 on the first failure with the shrunk request.
 *
 * Black-box mode (scripts/fuzz-http.ts): requests generated from openapi/openapi.json, sent over HTTP to the
 * Node server on 127.0.0.1 (started here), judged on the wire, including response-schema conformance.
 *   npm run fuzz -- --http --requests 20000 --seed 14 --max-trials 20    as npm test runs it
 *   (--max-trials lowers accepted trial counts above it, so the run fits in CI; the rest of each body is kept)
 *   npm run fuzz -- --http --base http://127.0.0.1:8788    against a server already running
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { createApp } from '../src/http/app.js';
import { apiDescription } from '../test/support/operations.js';
import { inertTuningEnv } from '../test/support/tuning-fake.js';
import { robustnessProperty, type FuzzRequest } from '../test/support/robustness.js';
import { runHttpFuzz } from './fuzz-http.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    'timeout-ms': { type: 'string', default: '10000' },
    http: { type: 'boolean', default: false },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '8' },
    'repeat-every': { type: 'string', default: '5' },
    base: { type: 'string' },
    'max-trials': { type: 'string' },
    'max-failures': { type: 'string', default: '20' },
  },
});
const runs = Number(values.runs);
// The one place a seed may come from the clock: a fresh exploration per run, printed so it replays.
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const timeoutMs = Number(values['timeout-ms']);

if (values.http) {
  console.log(
    `fuzz --http: seed ${seed}, ${values.requests} requests from openapi/openapi.json, ${values.concurrency} at a time`,
  );
  const result = await runHttpFuzz({
    requests: Number(values.requests),
    seed,
    concurrency: Number(values.concurrency),
    repeatEvery: Number(values['repeat-every']),
    timeoutMs,
    ...(values.base ? { baseUrl: values.base } : {}),
    ...(values['max-trials'] ? { maxTrials: Number(values['max-trials']) } : {}),
    maxFailures: Number(values['max-failures']),
    log: (line) => console.log(line),
  });
  const statuses = [...result.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? 'hang' : s}×${n}`)
    .join(' ');
  console.log(
    `${result.sent} requests (${result.repeated} sent twice) in ${result.seconds.toFixed(1)} s ` +
      `(${(result.sent / result.seconds).toFixed(0)} req/s); statuses ${statuses}`,
  );
  console.log(`slowest: ${result.slowestMs.toFixed(0)} ms (${result.slowest})`);
  const busy = [...result.busyMsByOperation].map(([op, ms]) => `${op} ${(ms / 1000).toFixed(0)} s`).join(', ');
  console.log(`time waiting for answers, by operation: ${busy}`);
  console.log(
    result.failures.length === 0
      ? 'PASS'
      : `FAIL: ${result.failures.length} failing request(s); replay with --seed ${seed}`,
  );
  process.exit(result.failures.length === 0 ? 0 : 1);
}

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
