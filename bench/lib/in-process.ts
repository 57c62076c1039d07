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

export async function sendOnce(request: BenchRequest): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method: request.method };
  if (request.body !== undefined) {
    init.body = JSON.stringify(request.body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await app.request(`http://localhost${request.url}`, init);
  return { status: response.status, text: await response.text() };
}

/** Runs the request until `budgetMs` of wall time or `maxSamples` samples, after `warmup` unmeasured runs. */
export async function measure(
  request: BenchRequest,
  options: { budgetMs: number; maxSamples: number; warmup: number },
): Promise<Measured> {
  let last = await sendOnce(request);
  for (let i = 1; i < options.warmup; i++) last = await sendOnce(request);
  const wall: number[] = [];
  let maxCpuMs = 0;
  const started = performance.now();
  while (wall.length < options.maxSamples && (wall.length < 5 || performance.now() - started < options.budgetMs)) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    last = await sendOnce(request);
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
