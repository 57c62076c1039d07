/**
 * @module bench/sweep
 * Issue 14's CPU sweep: every request of test/support/work-sweep.ts (every numeric field and list length of
 * every operation with a request body, at its schema minimum and maximum, on the documented example and on the
 * largest cluster, plans with their failover section, each also as its GET chart), run once each in-process
 * with the failover cache cleared, and the CPU time (process.cpuUsage, user + system) of each. Reports the
 * statuses, the most CPU any accepted request took and which, against the 1 s budget, and the most simulated
 * events any request counted against maxSimulationEvents. Run alone: `npx tsx bench/sweep.ts [--json file]`.
 */
import { createApp } from '../src/http/app.js';
import { limits } from '../src/http/limits.js';
import type { RequestWork } from '../src/http/request-work.js';
import { failoverDistributions } from '../src/http/routes/plans.js';
import { inertTuningEnv } from '../test/support/tuning-fake.js';
import { chartUrl, type SweepCase, sweepCases } from '../test/support/work-sweep.js';
import { cpuBudgetMs } from './requests.js';
import { ms, table } from './lib/stats.js';

export interface SweepRow {
  name: string;
  status: number;
  cpuMs: number;
  events: number;
}

export interface SweepResults {
  requests: number;
  statuses: Record<string, number>;
  /** Requests answered 5xx (must be none). */
  serverErrors: string[];
  worstAccepted: SweepRow | undefined;
  worstRefused: SweepRow | undefined;
  mostEvents: SweepRow | undefined;
  /** The costliest accepted requests, most first. */
  top: SweepRow[];
  budgetMs: number;
}

/** Runs one sweep request; CPU from the Request to the answer's last byte. */
async function runCase(app: ReturnType<typeof createApp>, c: SweepCase, work: RequestWork[]): Promise<SweepRow> {
  const url = c.chartPath ? await chartUrl(c.chartPath, c.body) : c.url;
  const init: RequestInit =
    c.method === 'GET'
      ? { method: 'GET' }
      : { method: c.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) };
  const request = new Request(`http://localhost${url}`, init);
  // A failover section simulated before would come from the cache and cost nothing.
  failoverDistributions.clear();
  work.length = 0;
  const before = process.cpuUsage();
  const response = await app.fetch(request, inertTuningEnv);
  await response.text();
  const used = process.cpuUsage(before);
  const events = work.reduce((total, w) => total + w.events, 0);
  return { name: c.name, status: response.status, cpuMs: (used.user + used.system) / 1000, events };
}

export async function benchSweep(options: { quick: boolean }): Promise<SweepResults> {
  const work: RequestWork[] = [];
  const app = createApp({ onWork: (w) => work.push(w) });
  const all = sweepCases();
  // Quick: a tenth of the requests (every tenth), to check the sweep runs.
  const cases = options.quick ? all.filter((_, i) => i % 10 === 0) : all;
  const rows: SweepRow[] = [];
  for (const c of cases) rows.push(await runCase(app, c, work));
  const statuses: Record<string, number> = {};
  for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const accepted = rows.filter((r) => r.status < 400).sort((a, b) => b.cpuMs - a.cpuMs);
  const refused = rows.filter((r) => r.status >= 400 && r.status < 500).sort((a, b) => b.cpuMs - a.cpuMs);
  return {
    requests: rows.length,
    statuses,
    serverErrors: rows.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.name}`),
    worstAccepted: accepted[0],
    worstRefused: refused[0],
    mostEvents: [...rows].sort((a, b) => b.events - a.events)[0],
    top: accepted.slice(0, 10),
    budgetMs: cpuBudgetMs,
  };
}

export function printSweep(results: SweepResults): string {
  const lines = [
    `Work sweep: ${results.requests} requests (every numeric field and list length at its schema min and max, documented and largest bases, failover on; statuses ${JSON.stringify(results.statuses)})`,
  ];
  const verdict = (r: SweepRow | undefined) =>
    r
      ? `${ms(r.cpuMs, 1)} ms CPU (${r.cpuMs <= results.budgetMs ? 'within' : 'OVER'} the ${results.budgetMs} ms budget): ${r.name}`
      : 'none';
  lines.push(`worst accepted request of the sweep: ${verdict(results.worstAccepted)}`);
  lines.push(`costliest refusal: ${verdict(results.worstRefused)}`);
  if (results.mostEvents)
    lines.push(
      `most simulated events counted: ${results.mostEvents.events} of maxSimulationEvents ${limits.maxSimulationEvents} (${results.mostEvents.status}: ${results.mostEvents.name})`,
    );
  lines.push(
    results.serverErrors.length === 0
      ? '5xx answers: none'
      : `5xx answers: ${results.serverErrors.length}\n  ${results.serverErrors.slice(0, 20).join('\n  ')}`,
  );
  lines.push(
    table(
      ['costliest accepted requests', 'status', 'CPU ms', 'events'],
      results.top.map((r) => [r.name, r.status, ms(r.cpuMs, 1), r.events]),
    ),
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  const { loadavg } = await import('node:os');
  const jsonAt = process.argv.indexOf('--json');
  console.log(`sweep ${new Date().toISOString()} · load ${loadavg()[0]!.toFixed(2)}`);
  const results = await benchSweep({ quick: process.argv.includes('--quick') });
  console.log(printSweep(results));
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1]!, `${JSON.stringify(results, null, 2)}\n`);
}
