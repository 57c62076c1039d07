/**
 * @module routes/simulations-control-plane
 * The `control-plane` kind of POST /v1/simulations: the etcd election engine plus the control-plane layer
 * (apiservers, load balancer, client-go lease elections) over its result, for the proposal in `cluster`.
 */
import type { Context } from 'hono';
import { hostedMessage, isProviderRun } from '../../domain/hosted.js';
import type { Proposal } from '../../domain/proposal.js';
import {
  compareTopologies,
  counterpartProposal,
  renderTimeline,
  runFailoverMonteCarlo,
  runFailoverTrial,
  summaryWithComparison,
  type ControlPlaneMonteCarloResult,
  type ControlPlaneOptions,
  type ControlPlaneTrialResult,
  UnrepresentableDurationError,
} from '../../domain/simulation/control-plane/index.js';
import { WorkBudgetExceeded } from '../../domain/simulation/work-budget.js';
import { targetNameErrors } from '../../domain/simulation/target-names.js';
import type { Fault, Scenario } from '../../domain/simulation/scenario.js';
import { limits } from '../limits.js';
import { parseProposal } from '../parse-proposal.js';
import { problemResponse, type ProblemError } from '../problem.js';
import { requestBudget } from '../request-work.js';
import type { SimulationRequest } from '../schemas/simulation.js';
import { validationDetail } from '../validation.js';
import { simulationAnswerResponse } from '../render/answer-response.js';
import { wantsSvg } from '../render/negotiate.js';
import { refusedAtStartCodes, timingFindings } from '../../domain/timing-rules.js';

const err = (pointer: string, detail: string): ProblemError => ({ pointer, location: 'body', detail });

/**
 * The JSON pointer of a domain field name: proposal fields (`loadBalancer.healthCheckIntervalS`) sit under
 * `proposalBase` ('' in a plan body, '/cluster' in a simulation), `options.X` under `/controlPlaneOptions/X`.
 */
function fieldPointer(field: string, proposalBase: string): string {
  if (field.startsWith('options.')) return `/controlPlaneOptions/${field.slice('options.'.length)}`;
  return `${proposalBase}/${field.split('.').join('/')}`;
}

/**
 * The problem errors for a simulation that cannot run as asked: a duration finer than the clock, or work
 * beyond its budget, maxControlPlaneEvents (estimated before running or stopped while running). Undefined for any other
 * error, which the caller rethrows.
 */
export function simulationWorkErrors(
  error: unknown,
  proposalBase: string,
  fallbackPointer: string,
  advice = 'Ask for fewer trials or a shorter horizonMs, or use a longer interval or period here.',
): ProblemError[] | undefined {
  if (error instanceof UnrepresentableDurationError)
    return error.durations.map((d) =>
      err(
        fieldPointer(d.field, proposalBase),
        `Must be at least ${d.smallest} (1 µs, the resolution of the simulation's clock); ${d.value} would round to 0.`,
      ),
    );
  if (error instanceof WorkBudgetExceeded) {
    const cause = error.driver
      ? error.phase === 'estimate'
        ? `: ${error.driver.what} alone would need about ${error.events}`
        : `: it stopped during ${error.driver.what}`
      : '';
    return [
      err(
        error.driver?.field ? fieldPointer(error.driver.field, proposalBase) : fallbackPointer,
        `This simulation needs more than ${error.limit} simulated events (the limit ${error.limitName})${cause}. ${advice}`,
      ),
    ];
  }
  return undefined;
}
const invalid = (c: Context, errors: ProblemError[]): Response =>
  problemResponse(c, 'validation', 400, validationDetail(errors), { errors });

/** Why a hosted cluster's control plane is not simulated: the project's one hosted rule, plus what to do instead. */
export const hostedSimulationRefusal = `${hostedMessage('simulation')} To simulate a control plane you run yourself, set platform to self-managed or local.`;

/** Default: crash the node holding the controller-manager lease, at a moment spread over one second. */
const defaultFaults: Fault[] = [
  {
    type: 'crash',
    target: { kind: 'lease-holder', component: 'kube-controller-manager' },
    at: { atMs: 1000, withinMs: 1000 },
  },
];
const defaultHorizonMs = 30_000;

/** Errors for fault names that refer to nothing in this proposal (pointer prefix given). */
function targetErrors(p: Proposal, faults: readonly Fault[], base: string): ProblemError[] {
  const names = {
    members: p.etcdMembers.map((m) => m.name),
    hosts: [...p.controlPlaneNodes.map((n) => n.name), ...p.etcdMembers.map((m) => m.host)],
    zones: p.zones,
  };
  return targetNameErrors(names, faults).map((e) => err(`${base}/${e.path.join('/')}`, e.message));
}

function trialJson(r: ControlPlaneTrialResult) {
  const { leaseWrites: _writes, horizonUs: _h, firstFaultUs: _f, ...rest } = r;
  return { ...rest, timelineText: renderTimeline(r.timeline) };
}

function distributionJson(r: ControlPlaneMonteCarloResult) {
  return { gaps: r.gaps, fullRecovery: r.fullRecovery, summary: r.summary };
}

export function controlPlaneSimulation(
  c: Context,
  body: SimulationRequest,
  derivedSeed: (body: SimulationRequest) => number,
): Response {
  if (body.cluster === undefined)
    return invalid(c, [
      err(
        '/cluster',
        'The control-plane kind simulates a proposed cluster: give `cluster` (the body of POST /v1/plans).',
      ),
    ]);
  const foreign = (
    ['members', 'learners', 'etcd', 'rttMs', 'model', 'classic', 'preset', 'presetTimeoutMs'] as const
  ).filter((k) => body[k] !== undefined);
  if (foreign.length > 0)
    return invalid(
      c,
      foreign.map((k) =>
        err(`/${k}`, 'Only with kind etcd-election; for kind control-plane set the cluster in `cluster`.'),
      ),
    );
  if (body.scenario?.start === 'bootstrap')
    return invalid(c, [
      err('/scenario/start', 'The control-plane kind starts from a steady cluster (leases held, backends healthy).'),
    ]);
  const parsed = parseProposal(c, body.cluster, '/cluster');
  if (!parsed.ok) return parsed.response;
  const proposal = parsed.proposal;
  // Issue 11: what a hosted platform's provider runs is not simulated as if the user ran it.
  if (isProviderRun(proposal)) return invalid(c, [err('/cluster/platform', hostedSimulationRefusal)]);
  if (proposal.etcdMembers.length > limits.maxSimulationMembers) {
    return invalid(c, [
      err(
        '/cluster',
        `The cluster has ${proposal.etcdMembers.length} etcd members; a simulation takes at most ${limits.maxSimulationMembers} (the limit maxSimulationMembers).`,
      ),
    ]);
  }
  // Timings etcd, component-base or client-go would refuse at start-up: the cluster would never run, so there is
  // nothing to simulate. The findings carry the texts of the versions asked and the field at fault.
  const refused = timingFindings(proposal, '/cluster').filter((finding) => refusedAtStartCodes.has(finding.code));
  if (refused.length > 0)
    return invalid(
      c,
      refused.map((finding) => err(finding.pointers[0] ?? '/cluster', finding.message)),
    );
  if (proposal.loadBalancer.healthCheckTimeoutS > proposal.loadBalancer.healthCheckIntervalS) {
    return invalid(c, [
      err(
        '/cluster/loadBalancer/healthCheckTimeoutS',
        'Must be at most healthCheckIntervalS: the simulation checks each backend once per interval.',
      ),
    ]);
  }
  const faults = body.scenario?.faults ?? defaultFaults;
  const errors = targetErrors(proposal, faults, '/scenario/faults');
  const cp = body.controlPlaneOptions ?? {};
  const nodes = new Set(proposal.controlPlaneNodes.map((n) => n.name));
  for (const [node, _rate] of Object.entries(cp.clockRates ?? {}))
    if (!nodes.has(node))
      errors.push(err(`/controlPlaneOptions/clockRates/${node}`, `"${node}" is not a control-plane node.`));
  for (const [component, node] of Object.entries(cp.initialHolders ?? {})) {
    if (node !== undefined && !nodes.has(node))
      errors.push(err(`/controlPlaneOptions/initialHolders/${component}`, `"${node}" is not a control-plane node.`));
  }
  const counterpart = cp.compareTopologies ? counterpartProposal(proposal) : undefined;
  if (counterpart) {
    for (const e of targetErrors(counterpart, faults, '/scenario/faults')) {
      errors.push({
        ...e,
        detail: `${e.detail} compareTopologies runs the same faults on the ${counterpart.topology} counterpart, where this name does not exist; target nodes or zones.`,
      });
    }
  }
  if (errors.length > 0) return invalid(c, errors);

  const scenario: Scenario = { faults, horizonMs: body.scenario?.horizonMs ?? defaultHorizonMs };
  const options: ControlPlaneOptions = {
    ...(cp.requestLatencyMs !== undefined ? { requestLatencyMs: cp.requestLatencyMs } : {}),
    ...(cp.componentRestartDelayMs !== undefined ? { componentRestartDelayMs: cp.componentRestartDelayMs } : {}),
    ...(cp.etcdReconnectDelayMs !== undefined ? { etcdReconnectDelayMs: cp.etcdReconnectDelayMs } : {}),
    ...(cp.clockRates ? { clockRates: cp.clockRates } : {}),
    ...(cp.initialHolders ? { initialHolders: cp.initialHolders } : {}),
  };
  const seed = body.seed ?? derivedSeed(body);
  const trials = body.trials ?? 1;
  if (trials > limits.maxControlPlaneTrials) {
    return invalid(c, [
      err(
        '/trials',
        `Must be at most ${limits.maxControlPlaneTrials} for kind control-plane (the limit maxControlPlaneTrials).`,
      ),
    ]);
  }
  const engine = {
    maxEventsPerTrial: limits.maxSimulationEventsPerTrial,
    jitterFraction: body.networkModel?.jitterFraction ?? 0.1,
  };
  if (body.networkModel?.lossProbability)
    return invalid(c, [err('/networkModel/lossProbability', 'Only with kind etcd-election.')]);
  // One budget for everything this request simulates: both layers, every trial, the counterpart topology too.
  const budget = requestBudget(c, limits.maxControlPlaneEvents, 'maxControlPlaneEvents');

  try {
    if (trials === 1 && !counterpart) {
      // The chart draws etcd's member lanes from the engine's own timeline, which the JSON answer leaves out.
      const chart = wantsSvg(c);
      const one = runFailoverTrial({
        proposal,
        scenario,
        seed,
        options,
        engine: { ...engine, recordTimeline: chart },
        budget,
      });
      const members = proposal.etcdMembers.map((m) => ({ name: m.name, learner: m.learner }));
      return simulationAnswerResponse(
        c,
        {
          kind: 'control-plane' as const,
          seed,
          trials,
          topology: proposal.topology,
          scenario: one.scenario,
          trial: trialJson(one.result),
          summary: one.result.summary,
        },
        one.etcdTimeline ? { members, events: one.etcdTimeline } : undefined,
      );
    }
    const main = runFailoverMonteCarlo({ proposal, scenario, seed, options, engine, trials, budget });
    let comparison:
      | {
          stacked: ReturnType<typeof distributionJson>;
          external: ReturnType<typeof distributionJson>;
          deltaUs: ReturnType<typeof compareTopologies>['deltaUs'];
          summary: string;
        }
      | undefined;
    let cmpResult: ReturnType<typeof compareTopologies> | undefined;
    if (counterpart) {
      const other = runFailoverMonteCarlo({ proposal: counterpart, scenario, seed, options, engine, trials, budget });
      const [stacked, external] =
        proposal.topology === 'stacked' ? [main.result, other.result] : [other.result, main.result];
      const cmp = compareTopologies(stacked, external);
      cmpResult = cmp;
      comparison = {
        stacked: distributionJson(stacked),
        external: distributionJson(external),
        deltaUs: cmp.deltaUs,
        summary: cmp.summary,
      };
    }
    const includeTrial = trials === 1 || body.includeTimeline === true;
    return simulationAnswerResponse(c, {
      kind: 'control-plane' as const,
      seed,
      trials,
      topology: proposal.topology,
      scenario: main.scenario,
      ...(includeTrial ? { trial: trialJson(main.result.example) } : {}),
      distribution: distributionJson(main.result),
      ...(comparison ? { comparison } : {}),
      summary: cmpResult ? summaryWithComparison(main.result, cmpResult) : main.result.summary,
    });
  } catch (error) {
    const errors = simulationWorkErrors(error, '/cluster', '/trials');
    if (!errors) throw error;
    return invalid(c, errors);
  }
}
