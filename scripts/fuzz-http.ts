/**
 * @module fuzz-http
 * The black-box fuzzer: requests generated from the committed contract (openapi/openapi.json), not from the
 * app, sent over real HTTP to the Node server (src/node.ts, started here on 127.0.0.1 unless a base URL is
 * given) with a fixed X-Request-Id. Every answer is judged as the in-process fuzzer judges it — no 5xx,
 * problem+json with pointers on every 4xx, no hang — plus conformance to the contract's response schema for
 * its status (test/support/conformance.ts), and a share of the requests is sent twice to check that the same
 * request gives the same bytes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { startServer } from '../bench/lib/server.js';
import { limits } from '../src/http/limits.js';
import { conformanceViolations } from '../test/support/conformance.js';
import { operationsOf, type Operation } from '../test/support/operations.js';
import {
  describeRequest,
  type FuzzRequest,
  type FuzzResponse,
  requestArbitrary,
  violations,
} from '../test/support/robustness.js';

export interface HttpFuzzOptions {
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Every n-th request is sent a second time and must answer the same bytes. */
  repeatEvery: number;
  timeoutMs: number;
  /** A running server to test; by default one is started (and stopped) here. */
  baseUrl?: string;
  /**
   * Accepted trial counts above this are lowered to it (the rest of the body text untouched), so a run of
   * 20,000 fits in CI: a maximal simulation costs up to a second of CPU, and its budget has tests of its own.
   * Counts over the schema's limit stay as they are (they must still be refused).
   */
  maxTrials?: number;
  /** Stop after this many failing requests (each is printed). */
  maxFailures: number;
  log: (line: string) => void;
}

export interface HttpFuzzResult {
  sent: number;
  repeated: number;
  seconds: number;
  statuses: Map<number, number>;
  failures: string[];
  slowestMs: number;
  slowest: string;
  /** Wall time spent waiting for answers, per operation (where a run's time goes). */
  busyMsByOperation: Map<string, number>;
}

const contract = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'));

const trialsField = /"trials"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

function capTrials(request: FuzzRequest, maxTrials: number | undefined): FuzzRequest {
  if (maxTrials === undefined || request.body === undefined) return request;
  const body = request.body.replace(trialsField, (field, value: string) => {
    const trials = Number(value);
    return trials > maxTrials && trials <= limits.maxSimulationTrials ? `"trials":${maxTrials}` : field;
  });
  return { ...request, body };
}

/** The i-th request of a run: operation round-robin, the request drawn from that operation's generator. */
function planRequests(
  operations: Operation[],
  count: number,
  seed: number,
  maxTrials: number | undefined,
): { op: Operation; request: FuzzRequest }[] {
  const perOperation = Math.ceil(count / operations.length);
  const drawn = operations.map((op, i) =>
    fc.sample(requestArbitrary(op, contract), { seed: seed + i, numRuns: perOperation }),
  );
  const planned: { op: Operation; request: FuzzRequest }[] = [];
  for (let k = 0; planned.length < count; k++) {
    for (const [i, op] of operations.entries()) {
      if (planned.length < count) planned.push({ op, request: capTrials(drawn[i]![k]!, maxTrials) });
    }
  }
  return planned;
}

async function sendOnce(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzResponse | 'hang'> {
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (request.body !== undefined) init.body = request.body;
  try {
    const response = await fetch(baseUrl + request.url, init);
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      etag: response.headers.get('etag') ?? '',
      text: await response.text(),
    };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'hang';
    // A reset or refused connection is a failure of its own: report it as a 599 with the reason.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 599,
      contentType: '',
      etag: '',
      text: `connection failed: ${cause?.code ?? cause?.message ?? error}`,
    };
  }
}

function judge(op: Operation, request: FuzzRequest, first: FuzzResponse | 'hang', second?: FuzzResponse | 'hang') {
  const found = violations(op, request, first);
  if (first !== 'hang') {
    if (first.status === 599) found.push(first.text);
    else found.push(...conformanceViolations(contract, { method: request.method, url: request.url, ...first }));
  }
  // An accepted POST /v1/tunings starts a new job each time (a new id), so its repeat differs by design; and
  // whether the pool has room (else a 503 naming maxQueuedTuningJobs) depends on the jobs running, not the request.
  const startsJob = request.method === 'POST' && first !== 'hang' && (first.status === 202 || first.status === 503);
  if (second !== undefined && first !== 'hang' && !startsJob) {
    if (second === 'hang') found.push('the repeated request hung');
    else if (second.status !== first.status || second.text !== first.text || second.etag !== first.etag)
      found.push(`the same request answered differently: ${first.status} then ${second.status}`);
  }
  return found;
}

/**
 * The operations this server can run: one whose documented example answers 503 (a job runner the host lacks,
 * e.g. tunings before the Node runner is wired) is left out with the operations under its path, and said so.
 */
async function servedOperations(baseUrl: string, operations: Operation[], log: (line: string) => void) {
  const unserved: string[] = [];
  for (const op of operations) {
    if (op.method !== 'POST' || op.bodyExamples.length === 0) continue;
    const response = await fetch(baseUrl + op.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(op.bodyExamples[0]!.value),
    });
    await response.arrayBuffer();
    if (response.status === 503) unserved.push(op.path);
  }
  for (const path of unserved) log(`left out: ${path} and the operations under it (its example answers 503 here)`);
  return operations.filter((op) => !unserved.some((path) => op.path === path || op.path.startsWith(`${path}/`)));
}

export async function runHttpFuzz(options: HttpFuzzOptions): Promise<HttpFuzzResult> {
  const server = options.baseUrl ? undefined : await startServer();
  const baseUrl = options.baseUrl ?? server!.baseUrl;
  const operations = await servedOperations(baseUrl, operationsOf(contract), options.log);
  const planned = planRequests(operations, options.requests, options.seed, options.maxTrials);
  const result: HttpFuzzResult = {
    sent: 0,
    repeated: 0,
    seconds: 0,
    statuses: new Map(),
    failures: [],
    slowestMs: 0,
    slowest: '',
    busyMsByOperation: new Map(),
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < planned.length && result.failures.length < options.maxFailures) {
      const index = next++;
      const { op, request } = planned[index]!;
      const t0 = performance.now();
      const first = await sendOnce(baseUrl, request, options.timeoutMs);
      const elapsed = performance.now() - t0;
      result.busyMsByOperation.set(op.operationId, (result.busyMsByOperation.get(op.operationId) ?? 0) + elapsed);
      if (elapsed > result.slowestMs) {
        result.slowestMs = elapsed;
        result.slowest = describeRequest(request).slice(0, 200);
      }
      const repeat = index % options.repeatEvery === 0;
      const second = repeat ? await sendOnce(baseUrl, request, options.timeoutMs) : undefined;
      result.sent += repeat ? 2 : 1;
      if (repeat) result.repeated++;
      const status = first === 'hang' ? 0 : first.status;
      result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
      const found = judge(op, request, first, second);
      if (found.length > 0) {
        const answer = first === 'hang' ? 'hang' : `${first.status} ${first.text.slice(0, 300)}`;
        const line = `#${index} ${found.join('; ')}\n  request: ${describeRequest(request)}\n  answer: ${answer}`;
        result.failures.push(line);
        options.log(`✗ ${line}`);
      }
      if ((index + 1) % 5000 === 0) options.log(`  ${index + 1} requests, ${result.failures.length} failing`);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await server?.stop();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
