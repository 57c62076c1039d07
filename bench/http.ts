/**
 * @module bench/http
 * HTTP throughput and latency of POST /v1/plans beside a trivial route (GET /healthz) on the same Node server,
 * in one run, with wrk on 127.0.0.1. The ratio of the two throughputs is the figure that matters: it says how
 * much of the server's capacity a plan costs beyond HTTP itself (target ≥ 0.7). The routes are measured in
 * alternation (trivial, plan, trivial, plan) so drift in the machine's load hits both alike.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiDescription } from '../test/support/operations.js';
import { benchProposals } from './lib/proposals.js';
import { startServer } from './lib/server.js';
import { ms, table } from './lib/stats.js';

export interface WrkResult {
  name: string;
  requestsPerS: number;
  /** The server process's CPU (user + system, from /proc) per request answered, in µs. */
  serverCpuUsPerRequest?: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
}

export interface HttpResults {
  rows: WrkResult[];
  ratio?: number;
  /** healthz ÷ plan server CPU per request: the throughput ratio the server's own work allows. */
  cpuRatio?: number;
  target: number;
  notes: string[];
}

/** User + system CPU of a process so far, in µs (Linux /proc; undefined elsewhere). */
function processCpuUs(pid: number): number | undefined {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticksPerS = 100; // USER_HZ on Linux
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerS) * 1e6;
  } catch {
    return undefined;
  }
}

function toMs(value: string): number {
  const m = value.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

export function parseWrk(name: string, output: string): WrkResult {
  const rps = Number(output.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p50 = toMs(output.match(/^\s+50%\s+(\S+)/m)?.[1] ?? '');
  const p99 = toMs(output.match(/^\s+99%\s+(\S+)/m)?.[1] ?? '');
  const requests = Number(output.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(output.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const socket = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { name, requestsPerS: rps, p50Ms: p50, p99Ms: p99, requests, non2xx, socketErrors };
}

/**
 * A wrk script that POSTs the bodies in turn, one per request (each thread from the first), formatted once at
 * start so the rotation costs wrk nothing per request.
 */
export function luaRotatingPost(bodies: readonly unknown[]): string {
  const texts = bodies.map((body) => {
    const text = JSON.stringify(body);
    if (text.includes(']==]')) throw new Error('a body contains the Lua long-string terminator');
    return `  [==[${text}]==],`;
  });
  return [
    'local bodies = {',
    ...texts,
    '}',
    'local requests = {}',
    'local next = 0',
    'init = function(args)',
    '  for i, body in ipairs(bodies) do',
    '    requests[i] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)',
    '  end',
    'end',
    'request = function()',
    '  next = next % #requests + 1',
    '  return requests[next]',
    'end',
    '',
  ].join('\n');
}

export async function benchHttp(options: { quick: boolean }): Promise<HttpResults | { skipped: string }> {
  if (spawnSync('wrk', ['--version']).error) return { skipped: 'wrk is not installed (apt-get install -y wrk)' };
  const { operations } = apiDescription();
  const notes: string[] = [];
  const plans = operations.find((o) => o.method === 'POST' && o.path === '/v1/plans');
  let heavy: { name: string; path: string; bodies?: unknown[] };
  if (plans) {
    const bodies = benchProposals().map((proposal) => ({ ...proposal, failover: false }));
    heavy = {
      name: `POST /v1/plans (${bodies.length} distinct proposals in turn, "failover": false)`,
      path: '/v1/plans',
      bodies,
    };
  } else {
    // Until plans land, the quorum answer stands in so the method is exercised; the figure to record is the plan's.
    heavy = { name: 'GET /v1/quorum?voters=5 (stand-in: POST /v1/plans is not on main)', path: '/v1/quorum?voters=5' };
    notes.push('POST /v1/plans is not on main yet: GET /v1/quorum measured in its place');
  }
  const duration = options.quick ? '2s' : '15s';
  const connections = '32';
  const threads = '2';
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const server = await startServer();
  try {
    const run = (name: string, path: string, bodies?: unknown[]): WrkResult => {
      const cpuBefore = processCpuUs(server.pid);
      const args = ['-t', threads, '-c', connections, '-d', duration, '--latency'];
      if (bodies !== undefined) {
        const script = join(dir, 'post.lua');
        writeFileSync(script, luaRotatingPost(bodies));
        args.push('-s', script);
      }
      const output = execFileSync('wrk', [...args, `${server.baseUrl}${path}`], { encoding: 'utf8' });
      const result = parseWrk(name, output);
      const cpuAfter = processCpuUs(server.pid);
      if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0)
        result.serverCpuUsPerRequest = (cpuAfter - cpuBefore) / result.requests;
      return result;
    };
    // A short warm-up of both routes so the JIT has seen them before the measured rounds.
    execFileSync('wrk', ['-t', '1', '-c', '4', '-d', '1s', `${server.baseUrl}/healthz`]);
    run('warm-up', heavy.path, heavy.bodies);
    const rounds: WrkResult[] = [];
    for (let round = 0; round < 2; round++) {
      rounds.push(run('GET /healthz', '/healthz'), run(heavy.name, heavy.path, heavy.bodies));
    }
    const combine = (name: string): WrkResult => {
      const rs = rounds.filter((r) => r.name === name);
      return {
        name,
        requestsPerS: rs.reduce((a, r) => a + r.requestsPerS, 0) / rs.length,
        ...(rs.every((r) => r.serverCpuUsPerRequest !== undefined)
          ? { serverCpuUsPerRequest: rs.reduce((a, r) => a + r.serverCpuUsPerRequest!, 0) / rs.length }
          : {}),
        p50Ms: rs.reduce((a, r) => a + r.p50Ms, 0) / rs.length,
        p99Ms: Math.max(...rs.map((r) => r.p99Ms)),
        requests: rs.reduce((a, r) => a + r.requests, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        socketErrors: rs.reduce((a, r) => a + r.socketErrors, 0),
      };
    };
    const trivial = combine('GET /healthz');
    const measured = combine(heavy.name);
    for (const r of [trivial, measured])
      if (r.non2xx || r.socketErrors)
        notes.push(`${r.name}: ${r.non2xx} non-2xx answers, ${r.socketErrors} socket errors`);
    notes.push(
      `wrk -t${threads} -c${connections} -d${duration} per round, 2 alternating rounds per route; server pid ${server.pid} on port ${server.port}`,
    );
    const cpuRatio =
      trivial.serverCpuUsPerRequest && measured.serverCpuUsPerRequest
        ? trivial.serverCpuUsPerRequest / measured.serverCpuUsPerRequest
        : undefined;
    return {
      rows: [trivial, measured],
      ratio: measured.requestsPerS / trivial.requestsPerS,
      ...(cpuRatio !== undefined ? { cpuRatio } : {}),
      target: 0.7,
      notes,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printHttp(results: HttpResults | { skipped: string }): string {
  if ('skipped' in results) return `HTTP: skipped — ${results.skipped}`;
  const lines = ['HTTP on the Node server (wrk, 127.0.0.1)'];
  lines.push(
    table(
      ['route', 'req/s', 'server CPU µs/req', 'p50 ms', 'p99 ms', 'requests', 'non-2xx'],
      results.rows.map((r) => [
        r.name,
        r.requestsPerS.toFixed(0),
        r.serverCpuUsPerRequest === undefined ? 'n/a' : r.serverCpuUsPerRequest.toFixed(0),
        ms(r.p50Ms, 2),
        ms(r.p99Ms, 2),
        r.requests,
        r.non2xx,
      ]),
    ),
  );
  if (results.ratio !== undefined)
    lines.push(`throughput ratio (measured / trivial): ${results.ratio.toFixed(2)} (target ≥ ${results.target})`);
  if (results.cpuRatio !== undefined)
    lines.push(
      `server CPU per request, trivial / measured: ${results.cpuRatio.toFixed(2)} (the ratio the server's own work allows; less sensitive to other load)`,
    );
  for (const note of results.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
