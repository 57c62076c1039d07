/**
 * @module bench/requests
 * Requests through the app in-process: p50/p99 of quorum, plan (with and without its failover section),
 * config, a maximal accepted simulation, and every other operation's first example (so new operations are
 * measured as they land); then the CPU time of the worst accepted request, searched for by pushing every
 * limit-named ceiling of every operation to its maximum (all together, and one at a time).
 */
import { limits } from '../src/http/limits.js';
import { apiDescription, exampleQuery, urlOf, type Operation } from '../test/support/operations.js';
import { ceilingsOf, describeCeiling, probe, type Ceiling } from '../test/support/limits-audit.js';
import { findPath, setAt, setCount, valueAt } from './lib/fields.js';
import { failoverDistributions } from '../src/http/routes/plans.js';
import { proposalExamples } from '../src/http/schemas/proposal.js';
import { app, measure, rejection, sendOnce, type BenchRequest } from './lib/in-process.js';
import { benchProposals } from './lib/proposals.js';
import { ms, table } from './lib/stats.js';

export interface RequestRow {
  name: string;
  status: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxCpuMs: number;
  targetP50Ms?: number;
}

/** Issue 15's targets for in-process requests (p50 wall time, from the Request to the answer's last byte). */
export const targets = {
  planP50Ms: 0.15,
  quorumP50Ms: 0.05,
  configP50Ms: 0.2,
  failoverSeenExtraMs: 2,
  failoverUnseenExtraMs: 20,
};

export interface RequestResults {
  rows: RequestRow[];
  worst?: { name: string; cpuMs: number; budgetMs: number };
  notes: string[];
}

export const cpuBudgetMs = 1000;

export async function benchRequests(options: { quick: boolean }): Promise<RequestResults> {
  const { operations, document } = apiDescription();
  const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path);
  const sampling = options.quick
    ? { budgetMs: 200, maxSamples: 200, warmup: 20 }
    : { budgetMs: 3000, maxSamples: 20_000, warmup: 200 };
  const heavySampling = options.quick
    ? { budgetMs: 500, maxSamples: 3, warmup: 1 }
    : { budgetMs: 5000, maxSamples: 20, warmup: 2 };
  const rows: RequestRow[] = [];
  const notes: string[] = [];
  const measured = new Set<Operation>();

  const add = async (
    name: string,
    request: BenchRequest | ((i: number) => BenchRequest),
    heavy = false,
    targetP50Ms?: number,
  ) => {
    const result = await measure(request, heavy ? heavySampling : sampling);
    if (result.status >= 400) notes.push(`${name}: rejected with ${result.status} (${rejection(result.answer)})`);
    rows.push({
      name,
      status: result.status,
      samples: result.samples,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      maxCpuMs: result.maxCpuMs,
      ...(targetP50Ms !== undefined ? { targetP50Ms } : {}),
    });
  };
  const skip = (name: string, why: string) => notes.push(`${name}: skipped (${why})`);

  const quorum = find('GET', '/v1/quorum');
  if (quorum) {
    measured.add(quorum);
    await add(
      'quorum (GET /v1/quorum?voters=5)',
      { method: 'GET', url: '/v1/quorum?voters=5' },
      false,
      targets.quorumP50Ms,
    );
  } else skip('quorum', 'GET /v1/quorum is not on main');

  const plans = find('POST', '/v1/plans');
  if (plans) {
    measured.add(plans);
    // Rotating over distinct proposals: no cache keyed on the request can stand in for the plan's speed.
    const bodies = benchProposals();
    const rotation = (failover: boolean) => (i: number) => ({
      method: 'POST',
      url: '/v1/plans',
      body: { ...bodies[(i * 53) % bodies.length]!, failover },
    });
    await add(`plan, "failover": false, ${bodies.length} proposals in turn`, rotation(false), false, targets.planP50Ms);
    const repeated = (failover: boolean) => ({
      method: 'POST',
      url: '/v1/plans',
      body: { ...proposalExamples.minimalStacked.value, failover },
    });
    await add('plan of the minimal example, "failover": false', repeated(false));
    await add('plan of the minimal example with its failover section, seen before', repeated(true));
    failoverDistributions.clear();
    await add('plan with its failover section, proposals not seen before', rotation(true), true);
    notes.push(
      `failover section targets: at most ${targets.failoverSeenExtraMs} ms more than the plan without it when seen before, ` +
        `${targets.failoverUnseenExtraMs} ms when not (compare the rows above)`,
    );
  } else skip('plan', 'POST /v1/plans is not on main');

  const config = find('POST', '/v1/config');
  if (config?.bodyExamples[0]) {
    measured.add(config);
    await add(
      `config (${config.bodyExamples[0].name} example)`,
      { method: 'POST', url: '/v1/config', body: config.bodyExamples[0].value },
      false,
      targets.configP50Ms,
    );
  } else skip('config', 'POST /v1/config is not on main');

  // Every other operation, from its first example: new operations are measured without editing this file.
  for (const operation of operations) {
    if (measured.has(operation)) continue;
    const body = operation.bodyExamples[0]?.value;
    if (operation.method !== 'GET' && body === undefined) continue;
    await add(
      `${operation.operationId} (${operation.method} ${operation.path}, first example)`,
      {
        method: operation.method,
        url: urlOf(operation, exampleQuery(operation)),
        ...(body !== undefined ? { body } : {}),
      },
      operation.path === '/v1/simulations',
    );
  }

  // The worst accepted request: every limit-named ceiling at its maximum, together and one at a time.
  const ceilings = ceilingsOf(operations, document);
  const named: Ceiling[] = [];
  for (const ceiling of ceilings) {
    const result = await probe(app, ceiling);
    if (result.namedLimit && result.conclusive && (ceiling.type === 'number' || ceiling.type === 'array'))
      named.push(ceiling);
  }
  const candidates: { name: string; request: BenchRequest }[] = [];
  for (const operation of operations) {
    const own = named.filter((c) => c.operation === operation);
    if (own.length === 0) continue;
    const build = (set: Ceiling[]): BenchRequest => {
      if (operation.method === 'GET') {
        const query = { ...exampleQuery(operation) };
        for (const c of set) query[String(c.path[0])] = String(c.value);
        return { method: 'GET', url: urlOf(operation, query) };
      }
      let body: unknown = operation.bodyExamples[0]?.value ?? {};
      for (const c of set) body = c.type === 'array' ? setCount(body, c.path, c.value) : setAt(body, c.path, c.value);
      return { method: operation.method, url: urlOf(operation, exampleQuery(operation)), body };
    };
    candidates.push({ name: `${operation.operationId} with every limit at its maximum`, request: build(own) });
    for (const c of own) candidates.push({ name: `${describeCeiling(c)} (alone)`, request: build([c]) });
  }
  let worst: RequestResults['worst'];
  for (const candidate of candidates) {
    const result = await measure(candidate.request, heavySampling);
    if (result.status !== 200) continue;
    if (!worst || result.maxCpuMs > worst.cpuMs)
      worst = { name: candidate.name, cpuMs: result.maxCpuMs, budgetMs: cpuBudgetMs };
    if (candidate.request.url.startsWith('/v1/simulations') && candidate.name.includes('every limit')) {
      rows.push({
        name: 'maximal accepted simulation',
        status: result.status,
        samples: result.samples,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        maxCpuMs: result.maxCpuMs,
      });
    }
  }
  const simulations = find('POST', '/v1/simulations');
  if (!simulations) skip('maximal accepted simulation', 'POST /v1/simulations is not on main');
  else if (!rows.some((r) => r.name === 'maximal accepted simulation')) {
    // Limits checked while running (an event budget) reject the all-at-maximum request: keep the most
    // members the limits allow and find the most trials accepted, by bisection.
    const maximals = await maximalSimulation(simulations);
    if (typeof maximals === 'string') notes.push(`maximal accepted simulation: ${maximals}`);
    else
      for (const maximal of maximals) {
        const result = await measure(maximal.request, heavySampling);
        rows.push({
          name: `maximal accepted simulation (${maximal.description})`,
          status: result.status,
          samples: result.samples,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          maxCpuMs: result.maxCpuMs,
        });
        if (result.status === 200 && (!worst || result.maxCpuMs > worst.cpuMs))
          worst = {
            name: `maximal accepted simulation (${maximal.description})`,
            cpuMs: result.maxCpuMs,
            budgetMs: cpuBudgetMs,
          };
      }
  }
  notes.push(
    `worst-request search: ${candidates.length} candidates from ${named.length} limit-named ceilings (limits: ${Object.keys(limits).join(', ')})`,
  );
  return { rows, ...(worst ? { worst } : {}), notes };
}

/**
 * The most expensive simulation the limits accept: the most members, the longest horizon (from an example
 * with a scenario, which the horizon belongs to), and the most trials accepted, found by bisection because
 * an event budget checked while running can reject before maxSimulationTrials.
 */
async function maximalSimulation(
  operation: Operation,
): Promise<{ request: BenchRequest; description: string }[] | string> {
  const limitOf = (pattern: RegExp) => Object.entries(limits).find(([name]) => pattern.test(name));
  const membersLimit = limitOf(/simulation.*members/i);
  const trialsLimit = limitOf(/simulation.*trials/i);
  const horizonLimit = limitOf(/simulation.*horizon/i);
  if (!membersLimit || !trialsLimit) return 'no simulation members/trials limit in src/http/limits.ts';
  const found: { request: BenchRequest; description: string }[] = [];
  for (const base of operation.bodyExamples) {
    const membersPath = findPath(operation, base.value, /^(members|voters)$/i);
    const trialsPath = findPath(operation, base.value, /^trials$/i);
    const horizonPath = findPath(operation, base.value, /horizon/i);
    if (!membersPath || !trialsPath || valueAt(base.value, membersPath) === undefined) continue;
    const hasScenario = horizonPath !== undefined && valueAt(base.value, horizonPath.slice(0, -1)) !== undefined;
    const withTrials = (n: number) => {
      let body = setAt(setCount(base.value, membersPath, membersLimit[1]), trialsPath, n);
      if (hasScenario && horizonLimit) body = setAt(body, horizonPath!, horizonLimit[1]);
      return body;
    };
    const accepted = async (n: number) =>
      (await sendOnce({ method: 'POST', url: operation.path, body: withTrials(n) })).status === 200;
    let lo = 0;
    let hi = trialsLimit[1];
    if (await accepted(hi)) lo = hi;
    else {
      while (hi - lo > Math.max(1, Math.floor(hi / 100))) {
        const mid = Math.floor((lo + hi) / 2);
        if (await accepted(mid)) lo = mid;
        else hi = mid;
      }
    }
    if (lo === 0) continue;
    const horizon = hasScenario && horizonLimit ? `, horizon ${horizonLimit[1]} ms` : '';
    found.push({
      request: { method: 'POST', url: operation.path, body: withTrials(lo) },
      description: `"${base.name}", ${membersLimit[1]} members${horizon}, ${lo} trials${lo < trialsLimit[1] ? ' (about the most the event budget admits)' : ''}`,
    });
  }
  return found.length ? found : 'no example could be pushed to the limits and accepted';
}

export function printRequests(results: RequestResults): string {
  const lines = ['Requests in-process (wall time per request; CPU = user+system of the costliest sample)'];
  lines.push(
    table(
      ['request', 'status', 'samples', 'p50 ms', 'p99 ms', 'max CPU ms', 'p50 target'],
      results.rows.map((r) => [
        r.name,
        r.status,
        r.samples,
        ms(r.p50Ms),
        ms(r.p99Ms),
        ms(r.maxCpuMs, 2),
        r.targetP50Ms === undefined ? '' : `≤ ${r.targetP50Ms} ${r.p50Ms <= r.targetP50Ms ? 'met' : 'NOT met'}`,
      ]),
    ),
  );
  if (results.worst) {
    const verdict = results.worst.cpuMs <= results.worst.budgetMs ? 'within' : 'OVER';
    lines.push(
      `worst accepted request: ${results.worst.name}: ${ms(results.worst.cpuMs, 1)} ms CPU (${verdict} the ${results.worst.budgetMs} ms budget)`,
    );
  }
  for (const note of results.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
