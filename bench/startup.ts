/**
 * @module bench/startup
 * The Worker's startup CPU: `wrangler check startup` runs the bundled Worker's top level in local workerd
 * under the V8 profiler; the figure is the profile's non-idle sample time (module evaluation, schema
 * construction, createApp), the cost every new isolate pays before its first request. Target ≤ 50 ms here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib/server.js';

export interface StartupResults {
  /** CPU of each run, in ms. */
  runsMs: number[];
  medianMs: number;
  targetMs: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Non-idle sample time of a V8 CPU profile, in ms. */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (!idle.has(id)) us += profile.timeDeltas[i] ?? 0;
  });
  return us / 1000;
}

export function benchStartup(options: { quick: boolean }): StartupResults | { skipped: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const wrangler = join(repoRoot, 'node_modules', '.bin', 'wrangler');
    const runsMs: number[] = [];
    for (let run = 0; run < (options.quick ? 1 : 5); run++) {
      const outfile = join(dir, `startup-${run}.cpuprofile`);
      const result = spawnSync(wrangler, ['check', 'startup', '--outfile', outfile], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      });
      if (result.status !== 0)
        return { skipped: `wrangler check startup failed: ${(result.stderr || result.stdout).slice(0, 300)}` };
      runsMs.push(busyMs(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile));
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    return { runsMs, medianMs: sorted[Math.floor(sorted.length / 2)]!, targetMs: 50 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printStartup(results: StartupResults | { skipped: string }): string {
  if ('skipped' in results) return `Startup: skipped — ${results.skipped}`;
  const verdict = results.medianMs <= results.targetMs ? 'within' : 'OVER';
  return [
    "Worker startup CPU (wrangler check startup: the bundle's top level in local workerd, V8 profile, non-idle time)",
    `  runs: ${results.runsMs.map((ms) => ms.toFixed(1)).join(', ')} ms; median ${results.medianMs.toFixed(1)} ms (${verdict} the ${results.targetMs} ms target)`,
  ].join('\n');
}
