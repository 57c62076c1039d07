/**
 * `npx tsx scripts/memory.ts` — where the Node server's memory goes under load (issue 14, item 7), for the
 * Memory section of BENCHMARKS.md. Starts src/node.ts on 127.0.0.1 with an IPC channel, then:
 *   1. baseline after a warm-up; 2. wrk -c64 on POST /v1/plans (its documented example) for --load-s seconds;
 *   3. --mixed-s seconds of every operation's documented requests; 4. --rest-s seconds idle.
 * After each phase: the resident set, and every thread's heap before and after a forced full collection.
 * Heap after collection back at its baseline while the resident set stays up means heap sizing (V8 keeping
 * pages it grew into), not retention.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from '../bench/lib/server.js';
import { apiDescription, exampleQuery, urlOf } from '../test/support/operations.js';

const { values } = parseArgs({
  options: {
    'load-s': { type: 'string', default: '60' },
    'mixed-s': { type: 'string', default: '30' },
    'rest-s': { type: 'string', default: '60' },
    connections: { type: 'string', default: '64' },
  },
});

type ThreadMemory = { rssBytes: number; threads: { usedBytes: number; totalBytes: number }[] };

function ask(server: RunningServer, collect: boolean): Promise<ThreadMemory> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no memory answer within 30 s')), 30_000);
    const listener = (message: { type?: string }) => {
      if (message?.type !== 'thread-memory') return;
      clearTimeout(timer);
      server.child.off('message', listener);
      resolve(message as unknown as ThreadMemory);
    };
    server.child.on('message', listener);
    server.child.send({ type: 'thread-memory', collect });
  });
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function report(server: RunningServer, phase: string) {
  const before = await ask(server, false);
  const after = await ask(server, true);
  const heaps = (m: ThreadMemory) => m.threads.map((t) => `${mib(t.usedBytes)}/${mib(t.totalBytes)}`).join(' ');
  console.log(`| ${phase} | ${mib(before.rssBytes)} | ${heaps(before)} | ${heaps(after)} | ${mib(after.rssBytes)} |`);
}

/** wrk with a Lua script that cycles through the given requests. */
function wrk(baseUrl: string, requests: { method: string; path: string; body?: string }[], seconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'memory-wrk-'));
  const script = join(dir, 'requests.lua');
  const entries = requests
    .map(
      (r) =>
        `{ method = ${JSON.stringify(r.method)}, path = ${JSON.stringify(r.path)}, body = ${JSON.stringify(r.body ?? '')} }`,
    )
    .join(',\n');
  writeFileSync(
    script,
    `local requests = {\n${entries}\n}\nlocal i = 0\nrequest = function()\n  i = i % #requests + 1\n  local r = requests[i]\n` +
      `  local headers = {}\n  if r.body ~= "" then headers["Content-Type"] = "application/json" end\n` +
      `  return wrk.format(r.method, r.path, headers, r.body ~= "" and r.body or nil)\nend\n`,
  );
  const run = spawnSync('wrk', ['-t2', `-c${values.connections}`, `-d${seconds}s`, '-s', script, baseUrl], {
    encoding: 'utf8',
  });
  const line = run.stdout.split('\n').find((l) => l.includes('Requests/sec')) ?? run.stderr;
  console.log(`  (wrk ${seconds} s: ${line.trim()})`);
}

const { operations } = apiDescription();
const plans = operations.find((o) => o.path === '/v1/plans')!;
const planRequest = { method: 'POST', path: '/v1/plans', body: JSON.stringify(plans.bodyExamples[0]!.value) };
const mixed = operations.flatMap((o) =>
  o.method === 'GET'
    ? [{ method: 'GET', path: urlOf(o, exampleQuery(o)) }]
    : o.bodyExamples.map((e) => ({ method: 'POST', path: o.path, body: JSON.stringify(e.value) })),
);

const server = await startServer({ memoryProbe: true });
try {
  console.log('| after | RSS MiB | heaps used/total MiB (main, workers…) | after full GC | RSS after GC MiB |');
  console.log('| --- | --- | --- | --- | --- |');
  wrk(server.baseUrl, mixed, 5);
  await report(server, 'warm-up (5 s mixed)');
  wrk(server.baseUrl, [planRequest], Number(values['load-s']));
  await report(server, `${values['load-s']} s of POST /v1/plans, -c${values.connections}`);
  wrk(server.baseUrl, mixed, Number(values['mixed-s']));
  await report(server, `${values['mixed-s']} s mixed`);
  await new Promise((r) => setTimeout(r, Number(values['rest-s']) * 1000));
  await report(server, `${values['rest-s']} s idle`);
} finally {
  await server.stop();
}
