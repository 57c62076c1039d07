/**
 * @module bench/lib/in-process
 * Timing requests through the app's fetch handler in this process: wall time per request and CPU time
 * (process.cpuUsage, user + system) per request, after a warm-up.
 */
import { createApp } from '../../src/http/app.js';
import { percentile } from './stats.js';

export const app = createApp();

export interface BenchRequest {
  method: string;
  url: string;
  body?: unknown;
}

export interface Measured {
  status: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU time of the most expensive sample, in ms. */
  maxCpuMs: number;
  /** The answer, parsed, from the last sample. */
  answer: unknown;
}

/** The web Request a client would send (built outside the timed part: it is the caller's work, not the app's). */
export function webRequest(request: BenchRequest): Request {
  const init: RequestInit = { method: request.method };
  if (request.body !== undefined) {
    const text = JSON.stringify(request.body);
    init.body = text;
    // As an HTTP client sends it (the Node adapter and workerd see the header on real requests).
    init.headers = {
      'content-type': 'application/json',
      'content-length': String(new TextEncoder().encode(text).length),
    };
  }
  return new Request(`http://localhost${request.url}`, init);
}

/** The app's handling of one request: fetch, then the answer's body read to the end. */
async function handle(request: Request): Promise<{ status: number; text: string }> {
  const response = await app.fetch(request);
  return { status: response.status, text: await response.text() };
}

export async function sendOnce(request: BenchRequest): Promise<{ status: number; text: string }> {
  return handle(webRequest(request));
}

/**
 * Runs the request (or the i-th of a rotation) until `budgetMs` of wall time or `maxSamples` samples, after
 * `warmup` unmeasured runs. Each sample times the app from the Request to the last byte of the answer.
 */
export async function measure(
  request: BenchRequest | ((i: number) => BenchRequest),
  options: { budgetMs: number; maxSamples: number; warmup: number },
): Promise<Measured> {
  const nth = typeof request === 'function' ? request : () => request;
  let sent = 0;
  let last = await sendOnce(nth(sent++));
  for (let i = 1; i < options.warmup; i++) last = await sendOnce(nth(sent++));
  const wall: number[] = [];
  let maxCpuMs = 0;
  const started = performance.now();
  while (wall.length < options.maxSamples && (wall.length < 5 || performance.now() - started < options.budgetMs)) {
    const next = webRequest(nth(sent++));
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    last = await handle(next);
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(cpu);
    maxCpuMs = Math.max(maxCpuMs, (used.user + used.system) / 1000);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(last.text);
  } catch {
    answer = last.text;
  }
  return {
    status: last.status,
    samples: wall.length,
    p50Ms: percentile(wall, 50),
    p99Ms: percentile(wall, 99),
    meanMs: wall.reduce((a, b) => a + b, 0) / wall.length,
    maxCpuMs,
    answer,
  };
}

/** The problem detail of a rejected answer, for a readable "skipped" line. */
export function rejection(answer: unknown): string {
  const detail = (answer as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail.slice(0, 200) : JSON.stringify(answer).slice(0, 200);
}
