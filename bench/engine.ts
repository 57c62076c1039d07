/**
 * @module bench/engine
 * The election engine, measured through POST /v1/simulations in-process (the public contract, so the bench
 * does not depend on the engine's internal signatures): simulated elections per second and events per second
 * for 3/5/7 members with etcd defaults crashing the leader, the Raft paper preset, and how cost grows with
 * members, trials and horizon (fitted exponent of a power law, log-log least squares).
 *
 * One crash-the-leader trial is one election, so elections/s = trials / wall time of the request; the HTTP
 * layer's share is a fixed cost per request, negligible at these trial counts (the 3-member row shows it).
 */
import { apiDescription, type Operation } from '../test/support/operations.js';
import { exampleNamed, findPath, schemaAtPath, setAt, setCount, sumOf, valueAt, type Key } from './lib/fields.js';
import { measure, rejection } from './lib/in-process.js';
import { fitPowerLaw, rate, table, ms, type PowerLawFit } from './lib/stats.js';

export interface EngineRow {
  name: string;
  members: number;
  trials: number;
  p50Ms: number;
  electionsPerS: number;
  eventsPerS?: number;
}

export interface EngineResults {
  rows: EngineRow[];
  growth: { variable: string; points: { x: number; y: number }[]; fit: PowerLawFit }[];
  notes: string[];
}

const eventKeys = /^(events|eventCount|eventsProcessed|simulatedEvents|eventsTotal)$/;

export async function benchEngine(options: { quick: boolean }): Promise<EngineResults | { skipped: string }> {
  const { operations } = apiDescription();
  const operation = operations.find((o) => o.method === 'POST' && o.path === '/v1/simulations');
  if (!operation) return { skipped: 'POST /v1/simulations is not on main yet' };
  const base = exampleNamed(operation, /crash|leader/i) ?? operation.bodyExamples[0];
  if (!base) return { skipped: 'POST /v1/simulations documents no request example to start from' };
  const notes: string[] = [`base request: the "${base.name}" example`];

  const trialsPath = findPath(operation, base.value, /^trials$/i);
  const membersPath =
    findPath(operation, base.value, /^(members|voters)$/i) ?? findPath(operation, base.value, /^nodes$/i);
  const horizonPath = findPath(operation, base.value, /horizon/i);
  const seedPath = findPath(operation, base.value, /^seed$/i);
  if (!trialsPath || !membersPath)
    return {
      skipped: `no trials or member-count field found in the simulation request (trials: ${String(trialsPath)}, members: ${String(membersPath)})`,
    };
  notes.push(
    `fields: trials at /${trialsPath.join('/')}, members at /${membersPath.join('/')}${horizonPath ? `, horizon at /${horizonPath.join('/')}` : ', no horizon field'}`,
  );

  const trials = options.quick ? 200 : 2000;
  const sampling = options.quick
    ? { budgetMs: 300, maxSamples: 5, warmup: 1 }
    : { budgetMs: 3000, maxSamples: 30, warmup: 2 };

  const body = (members: number, n: number, horizon?: number, from: unknown = base.value): unknown => {
    let value = setCount(from, membersPath, members);
    value = setAt(value, trialsPath, n);
    if (seedPath) value = setAt(value, seedPath, 12345);
    if (horizon !== undefined && horizonPath) value = setAt(value, horizonPath, horizon);
    return value;
  };

  const run = async (name: string, members: number, n: number, value: unknown): Promise<EngineRow | string> => {
    const result = await measure({ method: 'POST', url: operation.path, body: value }, sampling);
    if (result.status !== 200) return `${name}: rejected with ${result.status} (${rejection(result.answer)})`;
    const events = sumOf(result.answer, eventKeys);
    return {
      name,
      members,
      trials: n,
      p50Ms: result.p50Ms,
      electionsPerS: n / (result.p50Ms / 1000),
      ...(events !== undefined ? { eventsPerS: events / (result.p50Ms / 1000) } : {}),
    };
  };

  const rows: EngineRow[] = [];
  for (const members of [3, 5, 7]) {
    const row = await run(
      `etcd defaults, crash the leader, ${members} members`,
      members,
      trials,
      body(members, trials),
    );
    if (typeof row === 'string') notes.push(row);
    else rows.push(row);
  }
  const paper = paperPreset(operation, base.value);
  if (typeof paper === 'string') notes.push(`Raft paper preset: skipped (${paper})`);
  else {
    const members = Number(countOf(valueAt(paper, membersPath)) ?? 5);
    const row = await run('Raft paper §9.3 preset', members, trials, setAt(paper, trialsPath, trials));
    if (typeof row === 'string') notes.push(row);
    else rows.push(row);
  }
  if (rows.every((r) => r.eventsPerS === undefined))
    notes.push('events/s: the HTTP answer carries no event count; see the "engine direct" rows');

  // Growth: wall time per request against one variable, the others fixed.
  const growth: EngineResults['growth'] = [];
  const series = async (variable: string, xs: number[], make: (x: number) => unknown) => {
    const points: { x: number; y: number }[] = [];
    for (const x of xs) {
      const result = await measure({ method: 'POST', url: operation.path, body: make(x) }, sampling);
      if (result.status !== 200) {
        notes.push(`${variable} = ${x}: rejected (${rejection(result.answer)}); series stops`);
        break;
      }
      points.push({ x, y: result.p50Ms });
    }
    if (points.length >= 3) growth.push({ variable, points, fit: fitPowerLaw(points) });
  };
  await series('members', [3, 5, 7, 9, 11, 13, 15], (m) => body(m, trials));
  await series('trials', [trials / 4, trials / 2, trials, trials * 2], (n) => body(5, n));
  if (horizonPath) {
    // The horizon lives in a scenario, which needs its faults: start from an example that has one.
    const parent = horizonPath.slice(0, -1);
    const withScenario = operation.bodyExamples.find((e) => valueAt(e.value, parent) !== undefined);
    if (withScenario) {
      notes.push(`horizon series from the "${withScenario.name}" example`);
      const h = Number(valueAt(withScenario.value, horizonPath) ?? 10_000) || 10_000;
      await series('horizon', [h, h * 2, h * 4, h * 8], (x) => body(5, trials, x, withScenario.value));
    } else notes.push(`horizon growth: skipped (no example has /${parent.join('/')} to set the horizon in)`);
  } else notes.push('horizon growth: skipped (no horizon field in the request)');
  const direct = await directEngine(trials);
  if (typeof direct === 'string') notes.push(`direct engine (events/s): skipped (${direct})`);
  else rows.push(...direct);
  return { rows, growth, notes };
}

/**
 * Events/s needs the engine's own event count, which the HTTP answer does not carry: call the domain's
 * runTrials directly with the same defaults the route applies (etcd 3.5 timing 100/1000 ms, pre-vote,
 * one zone at 0.5 ms RTT, 1 ms disk sync, crash the leader within one heartbeat, 10 s horizon) and the paper preset.
 * Imported by name at run time, so a renamed export turns this row into a "skipped" note, not a type error.
 */
async function directEngine(trials: number): Promise<EngineRow[] | string> {
  const load = (path: string): Promise<Record<string, any>> => import(path);
  try {
    const mc = await load('../src/domain/simulation/monte-carlo.js');
    const cfg = await load('../src/domain/simulation/election-config.js');
    const presets = await load('../src/domain/simulation/presets.js');
    if (
      typeof mc.runTrials !== 'function' ||
      typeof cfg.plainMembers !== 'function' ||
      typeof cfg.uniformNetwork !== 'function'
    )
      return 'runTrials, plainMembers or uniformNetwork not exported';
    const rows: EngineRow[] = [];
    const time = (name: string, members: number, config: unknown, scenario: unknown) => {
      mc.runTrials(config, scenario, { trials: Math.max(10, trials / 10), seed: 1 }); // warm-up
      // The median of three timed runs (same seed, same work), as the HTTP rows use a median too.
      let metrics: { events: number }[] = [];
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        metrics = mc.runTrials(config, scenario, { trials, seed: 12345 });
        runs.push((performance.now() - started) / 1000);
      }
      const seconds = runs.sort((a, b) => a - b)[1]!;
      const events = metrics.reduce((a, m) => a + m.events, 0);
      rows.push({
        name,
        members,
        trials,
        p50Ms: seconds * 1000,
        electionsPerS: trials / seconds,
        eventsPerS: events / seconds,
      });
    };
    for (const members of [3, 5, 7]) {
      const config = {
        members: cfg.plainMembers(members),
        timing: {
          model: 'etcd',
          heartbeatIntervalMs: 100,
          electionTimeoutMs: 1000,
          preVote: true,
          initialElectionTickAdvance: true,
        },
        network: cfg.uniformNetwork(members, 0.5, { diskSyncMs: 1 }),
        start: 'steady',
      };
      const scenario = {
        faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }],
        horizonMs: 10_000,
      };
      time(`engine direct: etcd defaults, crash the leader, ${members} members`, members, config, scenario);
    }
    if (typeof presets.raftPaperConfig === 'function' && typeof presets.raftPaperScenario === 'function') {
      time('engine direct: Raft paper preset (150–300 ms)', 5, presets.raftPaperConfig(), presets.raftPaperScenario());
    }
    return rows;
  } catch (error) {
    return (error as Error).message.slice(0, 200);
  }
}

function countOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : typeof value === 'number' ? value : undefined;
}

/** The paper's preset: a named example, or a `preset` enum value mentioning the paper. */
function paperPreset(operation: Operation, base: unknown): unknown | string {
  const named = exampleNamed(operation, /paper|raft/i);
  if (named) return named.value;
  const presetPath = findPath(operation, base, /preset/i);
  if (!presetPath) return 'no paper example and no preset field';
  const schema = schemaAtPath(operation, presetPath);
  const value = schema?.enum?.find((v) => /paper|raft/i.test(String(v)));
  if (value === undefined) return `the ${presetPath.join('.')} field has no paper value`;
  return setAt(base, presetPath as Key[], value);
}

export function printEngine(results: EngineResults | { skipped: string }): string {
  if ('skipped' in results) return `Engine: skipped — ${results.skipped}`;
  const lines = [
    'Engine (POST /v1/simulations in-process, p50 wall time per request; "engine direct" rows: runTrials, one timed run)',
  ];
  lines.push(
    table(
      ['case', 'members', 'trials', 'p50 ms', 'elections/s', 'events/s'],
      results.rows.map((r) => [
        r.name,
        r.members,
        r.trials,
        ms(r.p50Ms, 1),
        rate(r.electionsPerS),
        r.eventsPerS === undefined ? 'n/a' : rate(r.eventsPerS),
      ]),
    ),
  );
  for (const g of results.growth) {
    lines.push(
      `cost ∝ ${g.variable}^${g.fit.exponent.toFixed(2)} (R² ${g.fit.r2.toFixed(3)}; ${g.points.map((p) => `${p.x}→${ms(p.y, 1)} ms`).join(', ')})`,
    );
  }
  for (const note of results.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
