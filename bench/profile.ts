/**
 * @module bench/profile
 * Where a plan request's CPU goes: the V8 sampling profiler (node:inspector, the same data `node --cpu-prof`
 * writes) over in-process POST /v1/plans requests rotating over the benchmark proposals, each sample charged
 * to the innermost frame of a known phase (validation, normalisation, failure-set enumeration, …).
 *
 *   npx tsx bench/profile.ts [--seconds 10] [--out .tmp/plan.cpuprofile] [--failover]
 *   npm run bench -- --only profile
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { app, webRequest } from './lib/in-process.js';
import { benchProposals } from './lib/proposals.js';
import { table } from './lib/stats.js';

/** Phases in the order a request meets them; a frame matching a phase's test charges its samples to it. */
const phases: { name: string; test: (url: string, fn: string) => boolean }[] = [
  {
    name: 'JSON serialisation (c.json)',
    test: (url, fn) => url.includes('/hono/') && /context/.test(url) && fn === 'json',
  },
  { name: 'serialisation: ETag / response', test: (url) => /middleware\/etag|http\/etag/.test(url) },
  { name: 'failover section (simulation)', test: (url) => url.includes('/src/domain/simulation/') },
  { name: 'normalisation', test: (url) => /src\/domain\/(normalize-proposal|zone-rtt)\.ts/.test(url) },
  {
    name: 'failure-set enumeration',
    test: (url) => /src\/domain\/plan\/(failure-sets|failure-domains|capabilities|hosts)\.ts/.test(url),
  },
  { name: 'comparison (stacked vs external)', test: (url) => /src\/domain\/plan\/comparison\.ts/.test(url) },
  { name: 'summary', test: (url) => /src\/domain\/plan\/summary\.ts/.test(url) },
  {
    name: 'findings and timing rules',
    test: (url) => /src\/domain\/(plan\/(findings|timing)|findings|timing-rules)\.ts/.test(url),
  },
  { name: 'rest of the plan (placement, write latency)', test: (url) => url.includes('/src/domain/') },
  {
    name: 'validation (zod)',
    test: (url) => /node_modules\/(zod|@hono\/zod-openapi)\/|hono\/dist\/validator/.test(url),
  },
  { name: 'route handler (src/http)', test: (url) => /src\/http\/(routes|parse-proposal)/.test(url) },
  {
    name: 'middleware (request id, CORS, 405, JSON body)',
    test: (url) => /hono\/dist\/middleware|src\/http\/middleware/.test(url),
  },
  {
    name: 'body parsing (JSON.parse, body stream)',
    test: (url, fn) => /hono\/dist\/request/.test(url) || fn === 'parse',
  },
  { name: 'Hono routing and compose', test: (url) => /hono\/dist\/(hono|compose|router|context)/.test(url) },
  {
    name: 'Request/Response objects (undici)',
    test: (url) => url.startsWith('node:internal/deps/undici') || /undici/.test(url),
  },
  { name: 'bench loop (reading the answer)', test: (url) => url.includes('/bench/') },
  { name: 'Node adapter (@hono/node-server)', test: (url) => url.includes('@hono/node-server') },
  {
    name: 'Node HTTP server (parser, socket writes)',
    test: (url, fn) =>
      /^node:(_http|net|internal\/streams|internal\/stream_base_commons)/.test(url) ||
      fn === 'writev' ||
      fn === 'writeUtf8String',
  },
  { name: 'garbage collection', test: (_url, fn) => fn === '(garbage collector)' },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Requests prepared before profiling; the run stops at this many or at the time limit. */
const maxRequests = 20_000;

export interface PhaseRow {
  phase: string;
  share: number;
  usPerRequest: number;
}

/** Charges every sample to the innermost frame on its stack that matches a phase, else to "other". */
export function phasesOf(profile: CpuProfile, requests: number): PhaseRow[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const phaseOfNode = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = phaseOfNode.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const { url, functionName } = node.callFrame;
    const own = phases.find((phase) => phase.test(url, functionName))?.name;
    const above = parent.get(id);
    const phase = own ?? (above === undefined ? 'other (idle, runtime)' : resolve(above));
    phaseOfNode.set(id, phase);
    return phase;
  };
  const timeUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    const phase = resolve(id);
    timeUs.set(phase, (timeUs.get(phase) ?? 0) + dt);
  });
  return [...timeUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([phase, us]) => ({ phase, share: us / totalUs, usPerRequest: us / requests }));
}

export interface ProfileResults {
  requests: number;
  seconds: number;
  rows: PhaseRow[];
  profilePath?: string;
}

export async function profilePlans(options: {
  seconds: number;
  failover?: boolean;
  out?: string;
}): Promise<ProfileResults> {
  const bodies = benchProposals().map((p) => ({ ...p, failover: options.failover ?? false }));
  const requestFor = (i: number) => webRequest({ method: 'POST', url: '/v1/plans', body: bodies[i % bodies.length] });
  const send = async (request: Request, i: number) => {
    const response = await app.fetch(request);
    await response.text();
    if (response.status !== 200) throw new Error(`plan ${i % bodies.length} answered ${response.status}`);
  };
  for (let i = 0; i < 2 * bodies.length; i++) await send(requestFor(i), i); // warm-up: the JIT has seen every shape
  // Built before profiling: a client's work, not the app's.
  const prepared = Array.from({ length: maxRequests }, (_, i) => requestFor(i));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const started = performance.now();
  let requests = 0;
  while (requests < prepared.length && performance.now() - started < options.seconds * 1000) {
    await send(prepared[requests]!, requests);
    prepared[requests++] = undefined as unknown as Request;
  }
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  if (options.out) writeFileSync(options.out, JSON.stringify(profile));
  return {
    requests,
    seconds: (performance.now() - started) / 1000,
    rows: phasesOf(profile, requests),
    ...(options.out ? { profilePath: options.out } : {}),
  };
}

export function printProfile(results: ProfileResults): string {
  const lines = [
    `CPU profile of POST /v1/plans in-process: ${results.requests} requests over ${results.seconds.toFixed(1)} s, ` +
      `rotating over ${benchProposals().length} proposals (V8 sampling profiler, 100 µs)`,
  ];
  lines.push(
    table(
      ['phase', 'share', 'µs / request'],
      results.rows.map((r) => [r.phase, `${(r.share * 100).toFixed(1)} %`, r.usPerRequest.toFixed(1)]),
    ),
  );
  if (results.profilePath) lines.push(`  note: profile written to ${results.profilePath} (open in Chrome DevTools)`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      out: { type: 'string' },
      failover: { type: 'boolean', default: false },
    },
  });
  const results = await profilePlans({
    seconds: Number(values.seconds),
    failover: values.failover ?? false,
    ...(values.out ? { out: values.out } : {}),
  });
  console.log(printProfile(results));
}
